package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestShardFromEnv(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		spec    string
		env     map[string]string
		i, n    int
		wantErr string // a part of the error; empty for none
	}{
		{"slurm", "auto", map[string]string{envSlurmTask: "2", envSlurmCount: "5", envSlurmMin: "0", envSlurmStep: "1"}, 2, 5, ""},
		{"slurm 1-based array", "auto", map[string]string{envSlurmTask: "3", envSlurmCount: "4", envSlurmMin: "1"}, 2, 4, ""},
		{"slurm array with step", "auto", map[string]string{envSlurmTask: "5", envSlurmCount: "4", envSlurmMin: "1", envSlurmStep: "2"}, 2, 4, ""},
		{"slurm count given", "auto/4", map[string]string{envSlurmTask: "1"}, 1, 4, ""},
		{"slurm count agrees", "auto/4", map[string]string{envSlurmTask: "3", envSlurmCount: "4"}, 3, 4, ""},
		{"slurm count disagrees", "auto/4", map[string]string{envSlurmTask: "1", envSlurmCount: "5"}, 0, 0, "SLURM_ARRAY_TASK_COUNT=5"},
		{"slurm without count", "auto", map[string]string{envSlurmTask: "1"}, 0, 0, "use -shard auto/N"},
		{"slurm index too large", "auto", map[string]string{envSlurmTask: "7", envSlurmCount: "3"}, 0, 0, "--array=0-2"},
		{"slurm index off the step", "auto", map[string]string{envSlurmTask: "4", envSlurmCount: "4", envSlurmMin: "1", envSlurmStep: "2"}, 0, 0, "not one of 4 shards"},
		{"slurm index not a number", "auto", map[string]string{envSlurmTask: "x", envSlurmCount: "3"}, 0, 0, `SLURM_ARRAY_TASK_ID="x"`},
		{"kubernetes", "auto/8", map[string]string{envK8sIndex: "3"}, 3, 8, ""},
		{"kubernetes without count", "auto", map[string]string{envK8sIndex: "3"}, 0, 0, "use -shard auto/N"},
		{"kubernetes index too large", "auto/8", map[string]string{envK8sIndex: "8"}, 0, 0, "out of range"},
		{"both", "auto/3", map[string]string{envSlurmTask: "1", envK8sIndex: "1"}, 0, 0, "both"},
		{"neither", "auto", nil, 0, 0, "outside a job array use -shard I/N"},
		{"bad count", "auto/0", map[string]string{envSlurmTask: "0"}, 0, 0, "N >= 1"},
		{"bad spec", "automatic", map[string]string{envSlurmTask: "0", envSlurmCount: "1"}, 0, 0, "want auto or auto/N"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			i, n, err := shardFromEnv(tc.spec, func(k string) string { return tc.env[k] })
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, [2]int{tc.i, tc.n}, [2]int{i, n})
		})
	}
}

// cleanEnv is the environment without any job array's variables.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SLURM_") && !strings.HasPrefix(kv, envK8sIndex+"=") {
			env = append(env, kv)
		}
	}
	return append(env, envMain+"=1")
}

func TestShardAutoInAProcess(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// -shard auto in task 1 of a 3-task array runs the runs of -shard 1/3.
	auto := filepath.Join(dir, "auto")
	cmd := exec.Command(os.Args[0], "-config", tinyConfig, "-seeds", "2", "-workers", "1", "-quiet", "-shard", "auto", "-out", auto)
	cmd.Env = append(cleanEnv(), envSlurmTask+"=1", envSlurmCount+"=3", envSlurmMin+"=0", envSlurmStep+"=1")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "shard 1/3 of tiny")
	b, err := os.ReadFile(filepath.Join(auto, "manifest.json"))
	require.NoError(t, err)
	assert.Contains(t, string(b), `"shard": "1/3"`)
	explicit := filepath.Join(dir, "explicit")
	mustRun(t, "-config", tinyConfig, "-seeds", "2", "-workers", "1", "-quiet", "-shard", "1/3", "-out", explicit)
	assert.Equal(t, runFolders(t, explicit), runFolders(t, auto))
	sameFiles(t, explicit, auto, "runs")

	// Outside a job array, -shard auto is a usage error that says why.
	cmd = exec.Command(os.Args[0], "-config", tinyConfig, "-shard", "auto", "-out", filepath.Join(dir, "none"))
	cmd.Env = cleanEnv()
	out, err = cmd.CombinedOutput()
	var ee *exec.ExitError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, exitUsage, ee.ExitCode())
	assert.Contains(t, string(out), "needs SLURM_ARRAY_TASK_ID (a Slurm job array) or JOB_COMPLETION_INDEX")
	_, err = os.Stat(filepath.Join(dir, "none"))
	assert.True(t, os.IsNotExist(err), "a refused -shard auto made its folder")
}

func TestSlurmFlags(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bin := os.Args[0]
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no tasks", []string{"-config", tinyConfig}, "-tasks N is required"},
		{"bad time", []string{"-tasks", "2", "-time", "2 hours"}, "-time"},
		{"bad mem", []string{"-tasks", "2", "-mem", "4GB"}, "-mem"},
		{"bad partition", []string{"-tasks", "2", "-partition", "a;b"}, "-partition"},
		{"shards inside out", []string{"-tasks", "2", "-out", filepath.Join(dir, "o"), "-shards", filepath.Join(dir, "o", "s")}, "must not be -out"},
		{"space in out", []string{"-tasks", "2", "-out", filepath.Join(dir, "my results")}, "cannot stand in an #SBATCH line"},
		{"no binary", []string{"-tasks", "2", "-bin", filepath.Join(dir, "nothing")}, "is not an executable file"},
		{"bad config", []string{"-tasks", "2", "-config", filepath.Join(dir, "missing.toml")}, "missing.toml"},
		{"argument", []string{"-tasks", "2", "extra"}, "unexpected argument"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"slurm", "-bin", bin}, tc.args...)
			code, out, errs := runCLI(args...)
			assert.Equal(t, exitUsage, code)
			assert.Empty(t, out)
			assert.Contains(t, errs, tc.want)
		})
	}
}

func TestSlurmScriptText(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := filepath.Join(dir, "res")
	code, script, errs := runCLI("slurm", "-config", tinyConfig, "-out", out, "-tasks", "4", "-partition", "short", "-time", "1:00:00",
		"-mem", "2G", "-cpus", "2", "-seeds", "3", "-bin", os.Args[0])
	require.Equal(t, exitOK, code, errs)
	abs, err := filepath.Abs(tinyConfig)
	require.NoError(t, err)
	for _, want := range []string{
		"#!/bin/bash\n",
		"#SBATCH --job-name=dreamsim-tiny\n",
		"#SBATCH --array=0-3\n",
		"#SBATCH --cpus-per-task=2\n",
		"#SBATCH --partition=short\n",
		"#SBATCH --time=1:00:00\n",
		"#SBATCH --mem=2G\n",
		"#SBATCH --output=" + out + ".shards/logs/shard-%a-of-4.%A.log\n",
		"-config '" + abs + "' -seeds 3 -shard auto/4 -workers 2 -quiet -out \"$shards/shard-$SLURM_ARRAY_TASK_ID-of-4\"",
		`--dependency="afterok:$array"`,
		"--kill-on-invalid-dep=yes",
		"'--partition=short' '--time=1:00:00' '--mem=2G'",
		`--wrap="exec '$simulate' merge -out '` + out + `' '$shards'/shard-*-of-4"`,
		"# dreamsim experiment \"tiny\": 9 runs in a job array of 4 tasks",
	} {
		assert.Contains(t, script, want)
	}
	// The #SBATCH lines come before the first command, as sbatch wants.
	assert.Less(t, strings.LastIndex(script, "#SBATCH"), strings.Index(script, "set -euo pipefail"))
	if bash, err := exec.LookPath("bash"); err == nil {
		f := filepath.Join(dir, "job.sh")
		require.NoError(t, os.WriteFile(f, []byte(script), 0o644))
		out, err := exec.Command(bash, "-n", f).CombinedOutput()
		assert.NoError(t, err, "bash -n: %s", out)
	}
	// More tasks than runs is allowed, with a note.
	code, _, errs = runCLI("slurm", "-config", tinyConfig, "-seeds", "1", "-tasks", "5", "-bin", os.Args[0], "-out", out)
	assert.Equal(t, exitOK, code)
	assert.Contains(t, errs, "5 tasks for 3 runs")
}

// fakeSbatch is an sbatch that runs jobs at once, in order: an array
// script once per index with the variables Slurm sets, a --wrap job with
// sh. It logs its arguments to $FAKE_SBATCH_LOG and prints a job id.
const fakeSbatch = `#!/bin/bash
set -euo pipefail
echo "sbatch $*" >>"$FAKE_SBATCH_LOG"
wrap=""; script=""; args=()
for a in "$@"; do
	case "$a" in
	--wrap=*) wrap=${a#--wrap=} ;;
	-*) ;;
	*) if [ -z "$script" ]; then script=$a; else args+=("$a"); fi ;;
	esac
done
id=$(( $(wc -l <"$FAKE_SBATCH_LOG") + 100 ))
if [ -n "$wrap" ]; then
	sh -c "$wrap" >"$FAKE_SBATCH_LOG.wrap-$id" 2>&1
else
	range=$(sed -n 's/^#SBATCH --array=//p' "$script")
	lo=${range%-*}; hi=${range#*-}
	for i in $(seq "$lo" "$hi"); do
		SLURM_JOB_ID=$id SLURM_ARRAY_JOB_ID=$id SLURM_ARRAY_TASK_ID=$i SLURM_ARRAY_TASK_MIN=$lo SLURM_ARRAY_TASK_MAX=$hi \
		SLURM_ARRAY_TASK_STEP=1 SLURM_ARRAY_TASK_COUNT=$((hi - lo + 1)) bash "$script" "${args[@]}" >"$FAKE_SBATCH_LOG.task-$i" 2>&1
	done
fi
echo "$id;fake"
`

// TestSlurmScriptRuns runs the generated script with bash against a fake
// sbatch that runs every job at once: the array tasks write their shards,
// the merge job joins them, and the result equals the unsharded run.
func TestSlurmScriptRuns(t *testing.T) {
	t.Parallel()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	ref := unsharded(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	require.NoError(t, os.Mkdir(bin, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(bin, "sbatch"), []byte(fakeSbatch), 0o755))
	out := filepath.Join(dir, "res")
	job := filepath.Join(dir, "job.sh")
	mustRun(t, "slurm", "-config", tinyConfig, "-seeds", "2", "-out", out, "-tasks", "4", "-bin", os.Args[0], "-write", job)

	log := filepath.Join(dir, "sbatch.log")
	submit := func() ([]byte, error) {
		cmd := exec.Command(bash, job)
		cmd.Dir = dir
		cmd.Env = append(cleanEnv(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "FAKE_SBATCH_LOG="+log)
		return cmd.CombinedOutput()
	}
	stdout, err := submit()
	logs, _ := filepath.Glob(log + "*")
	var all strings.Builder
	for _, f := range logs {
		b, _ := os.ReadFile(f)
		fmt.Fprintf(&all, "--- %s\n%s", f, b)
	}
	require.NoError(t, err, "%s\n%s", stdout, all.String())
	assert.Contains(t, string(stdout), "dreamsim: submitted job array 101 (4 tasks) and merge job 102")
	calls, err := os.ReadFile(log)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(calls)), "\n")
	require.Len(t, lines, 2, all.String())
	assert.Equal(t, "sbatch --parsable "+job, lines[0])
	assert.Contains(t, lines[1], "--dependency=afterok:101 ")
	for i := range 4 {
		b, err := os.ReadFile(filepath.Join(out+".shards", fmt.Sprintf("shard-%d-of-4", i), "manifest.json"))
		require.NoError(t, err, all.String())
		assert.Contains(t, string(b), fmt.Sprintf(`"shard": "%d/4"`, i))
	}
	sameResults(t, ref, out)

	// Submitting again resumes: every task finds its runs finished, and
	// the merge leaves the results as they were.
	stdout, err = submit()
	require.NoError(t, err, "%s", stdout)
	assert.Contains(t, string(stdout), "dreamsim: submitted job array 103 (4 tasks) and merge job 104")
	for i := range 4 {
		b, err := os.ReadFile(fmt.Sprintf("%s.task-%d", log, i))
		require.NoError(t, err)
		assert.Regexp(t, `simulate: \d+ runs done \(\d+ resumed`, string(b))
		assert.NotContains(t, string(b), "(0 resumed", "task %d ran its runs again", i)
	}
	sameResults(t, ref, out)
}
