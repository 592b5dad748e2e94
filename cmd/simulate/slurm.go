package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Environment variables of the job arrays that -shard auto reads.
const (
	envSlurmTask  = "SLURM_ARRAY_TASK_ID"    // this task's index in a Slurm job array
	envSlurmCount = "SLURM_ARRAY_TASK_COUNT" // the number of tasks of the array (Slurm 18.08 and later)
	envSlurmMin   = "SLURM_ARRAY_TASK_MIN"   // the array's smallest index
	envSlurmStep  = "SLURM_ARRAY_TASK_STEP"  // the array's index step
	envK8sIndex   = "JOB_COMPLETION_INDEX"   // this pod's index in a Kubernetes Indexed Job
)

// shardFromEnv resolves -shard auto and -shard auto/N: the shard index
// comes from a Slurm job array (SLURM_ARRAY_TASK_ID, relative to
// SLURM_ARRAY_TASK_MIN in steps of SLURM_ARRAY_TASK_STEP, so that
// --array=1-8 works too) or from a Kubernetes Indexed Job
// (JOB_COMPLETION_INDEX); the count from N, or else from
// SLURM_ARRAY_TASK_COUNT. Kubernetes does not tell a pod the number of
// completions, so an Indexed Job needs auto/N.
func shardFromEnv(spec string, getenv func(string) string) (i, n int, err error) {
	rest, ok := strings.CutPrefix(spec, "auto")
	if !ok || (rest != "" && !strings.HasPrefix(rest, "/")) {
		return 0, 0, fmt.Errorf("want auto or auto/N, got %q", spec)
	}
	given := 0
	if rest != "" {
		given, err = strconv.Atoi(rest[1:])
		if err != nil || given < 1 {
			return 0, 0, fmt.Errorf("auto/N needs a shard count N >= 1, got %q", rest[1:])
		}
	}
	envInt := func(name string, def int) (int, bool, error) {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			return def, false, nil
		}
		x, err := strconv.Atoi(v)
		if err != nil {
			return 0, true, fmt.Errorf("%s=%q is not an integer", name, v)
		}
		return x, true, nil
	}
	id, inSlurm, err := envInt(envSlurmTask, 0)
	if err != nil {
		return 0, 0, err
	}
	k8s, inK8s, err := envInt(envK8sIndex, 0)
	if err != nil {
		return 0, 0, err
	}
	switch {
	case inSlurm && inK8s:
		return 0, 0, fmt.Errorf("both %s and %s are set; use -shard I/N", envSlurmTask, envK8sIndex)
	case inSlurm:
		lo, _, err := envInt(envSlurmMin, 0)
		if err != nil {
			return 0, 0, err
		}
		step, _, err := envInt(envSlurmStep, 1)
		if err != nil {
			return 0, 0, err
		}
		count, hasCount, err := envInt(envSlurmCount, 0)
		if err != nil {
			return 0, 0, err
		}
		n = given
		switch {
		case given == 0 && !hasCount:
			return 0, 0, fmt.Errorf("%s is not set (Slurm before 18.08?); use -shard auto/N with N the number of array tasks", envSlurmCount)
		case given == 0:
			n = count
		case hasCount && count != given:
			return 0, 0, fmt.Errorf("-shard auto/%d, but the job array has %s=%d tasks", given, envSlurmCount, count)
		}
		step = max(step, 1)
		if id < lo || (id-lo)%step != 0 || (id-lo)/step >= n {
			return 0, 0, fmt.Errorf("array task %s=%d (min %d, step %d) is not one of %d shards: submit a contiguous array such as --array=0-%d", envSlurmTask, id, lo, step, n, n-1)
		}
		return (id - lo) / step, n, nil
	case inK8s:
		if given == 0 {
			return 0, 0, fmt.Errorf("%s is set but the number of shards is not: use -shard auto/N with N the Job's completions", envK8sIndex)
		}
		if k8s < 0 || k8s >= given {
			return 0, 0, fmt.Errorf("%s=%d is out of range for %d shards", envK8sIndex, k8s, given)
		}
		return k8s, given, nil
	}
	return 0, 0, fmt.Errorf("-shard %s needs %s (a Slurm job array) or %s (a Kubernetes Indexed Job) in the environment; outside a job array use -shard I/N", spec, envSlurmTask, envK8sIndex)
}

// slurmJob is everything the job script of an experiment holds. Paths are
// absolute.
type slurmJob struct {
	Name    string // experiment name
	Bin     string // the simulate binary the tasks run
	Config  string // the experiment file; empty for the embedded default
	Out     string // the merged experiment folder
	Shards  string // the folder of the shard folders and logs
	Tasks   int    // array tasks, one shard each
	Seeds   int    // -seeds override; 0 for the file's
	CPUs    int    // cores per task, and runs in parallel within it
	Command string // the command line that generated the script
	File    string // the file the script is written to; empty for standard output

	Partition, Time, Mem string // sbatch options; empty to leave to the cluster's defaults

	Runs int // runs of the experiment
	// MeanUnits and MaxUnits are the mean and the largest expected cost
	// of a shard (experiments.Experiment.Cost).
	MeanUnits, MaxUnits float64
}

// msPerUnit is the time of one unit of experiments.Experiment.Cost on the
// development machine (BenchmarkCost), for a rough time estimate.
const msPerUnit = 0.065

// shq quotes s for a POSIX shell.
func shq(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// script renders the job script. It is an sbatch array script and its own
// submitter: run by Slurm as an array task it runs one shard; run with
// bash it submits itself as the array, then the merge job with
// --dependency=afterok on the whole array.
func (j slurmJob) script() string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	perTask := (time.Duration(j.MaxUnits*msPerUnit) * time.Millisecond / time.Duration(j.CPUs)).Round(time.Second)
	p("#!/bin/bash")
	p("# dreamsim experiment %q: %d runs in a job array of %d tasks, one shard each.", j.Name, j.Runs, j.Tasks)
	p("# Generated by: %s", j.Command)
	p("#")
	file := j.File
	if file == "" {
		file = "FILE (this script, saved to a file)"
	}
	p("# Submit with:  bash %s", file)
	p("# It submits the array, then a merge job that starts when every task has")
	p("# succeeded (--dependency=afterok) and writes the results to")
	p("#   %s", j.Out)
	p("# Shards and logs go to %s. Running this file again", j.Shards)
	p("# resumes: tasks skip the runs they finished before.")
	p("#")
	p("# Expected work per task: %.0f units on average, %.0f in the largest shard", j.MeanUnits, j.MaxUnits)
	p("# (on a core of the development machine: roughly %s; set -time with a margin).", shortDuration(max(perTask, time.Second)))
	p("#SBATCH --job-name=dreamsim-%s", j.Name)
	p("#SBATCH --array=0-%d", j.Tasks-1)
	p("#SBATCH --ntasks=1")
	p("#SBATCH --cpus-per-task=%d", j.CPUs)
	p("#SBATCH --output=%s/logs/shard-%%a-of-%d.%%A.log", j.Shards, j.Tasks)
	var opts []string
	for _, o := range []struct{ name, v string }{{"partition", j.Partition}, {"time", j.Time}, {"mem", j.Mem}} {
		if o.v != "" {
			p("#SBATCH --%s=%s", o.name, o.v)
			opts = append(opts, "--"+o.name+"="+o.v)
		}
	}
	p("set -euo pipefail")
	p("")
	p("simulate=%s", shq(j.Bin))
	p("shards=%s", shq(j.Shards))
	args := []string{`"$simulate"`}
	if j.Config != "" {
		args = append(args, "-config", shq(j.Config))
	}
	if j.Seeds > 0 {
		args = append(args, "-seeds", strconv.Itoa(j.Seeds))
	}
	args = append(args, "-shard", fmt.Sprintf("auto/%d", j.Tasks), "-workers", strconv.Itoa(j.CPUs), "-quiet",
		"-out", fmt.Sprintf(`"$shards/shard-$SLURM_ARRAY_TASK_ID-of-%d"`, j.Tasks))
	p("")
	p(`if [ -n "${SLURM_ARRAY_TASK_ID:-}" ]; then`)
	p("	# One task of the array: shard $SLURM_ARRAY_TASK_ID of %d.", j.Tasks)
	p("	exec %s", strings.Join(args, " "))
	p("fi")
	p("")
	// The merge job's command runs under sh; no path holds a single quote.
	merge := fmt.Sprintf(`"exec '$simulate' merge -out '%s' '$shards'/shard-*-of-%d"`, j.Out, j.Tasks)
	p(`mkdir -p "$shards/logs"`)
	p(`array=$(sbatch --parsable "$0")`)
	p(`array=${array%%%%;*}`)
	mergeOpts := []string{`--dependency="afterok:$array"`, "--kill-on-invalid-dep=yes", "--job-name=dreamsim-" + j.Name + "-merge",
		`--output="$shards/logs/merge.%j.log"`, "--ntasks=1", "--cpus-per-task=1"}
	for _, o := range opts {
		mergeOpts = append(mergeOpts, shq(o))
	}
	p(`merge=$(sbatch --parsable %s \`, strings.Join(mergeOpts, " "))
	p(`	--wrap=%s)`, merge)
	p(`merge=${merge%%%%;*}`)
	p(`echo "dreamsim: submitted job array $array (%d tasks) and merge job $merge"`, j.Tasks)
	p(`echo "dreamsim: follow with: squeue -j $array,$merge; results in %s"`, strings.ReplaceAll(j.Out, `"`, `\"`))
	return b.String()
}

// slurmSafe matches what may stand in an #SBATCH line unquoted: Slurm
// reads the rest of the line as it is, and expands % patterns in file names.
var slurmSafe = regexp.MustCompile(`^[A-Za-z0-9_./:,+=@-]*$`)

// runSlurm implements "simulate slurm": it writes the job script of an
// experiment split over a job array (see slurmJob.script).
func runSlurm(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("simulate slurm", flag.ContinueOnError)
	fs.SetOutput(stderr)
	config := fs.String("config", "", "experiment file (TOML); default: the embedded baseline experiment")
	out := fs.String("out", "", "folder of the merged results; default out/<experiment name>")
	shards := fs.String("shards", "", "folder of the shard folders and job logs; default OUT.shards")
	tasks := fs.Int("tasks", 0, "number of array tasks (shards); required")
	seeds := fs.Int("seeds", 0, "number of seeds per condition (overrides the file)")
	cpus := fs.Int("cpus", 1, "cores per task (runs in parallel within a task)")
	partition := fs.String("partition", "", "Slurm partition (sbatch --partition); default the cluster's")
	limit := fs.String("time", "", "time limit per task, e.g. 2:00:00 (sbatch --time); default the partition's")
	mem := fs.String("mem", "", "memory per task, e.g. 4G (sbatch --mem); default the partition's")
	bin := fs.String("bin", "", "the simulate binary the tasks run; default this one")
	write := fs.String("write", "", "write the script to this file (executable) instead of standard output")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: simulate slurm -tasks N [-config FILE] [-out DIR] [-partition P] [-time T] [-mem M] [-write FILE]\n\n"+
			"prints a job script that runs the experiment as a Slurm job array of N shards\n"+
			"and merges them in a dependent job. Submit it with: bash FILE\n\nflags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	fail := func(format string, args ...any) int {
		fmt.Fprintf(stderr, "simulate slurm: "+format+"\n", args...)
		return exitUsage
	}
	switch {
	case fs.NArg() > 0:
		return fail("unexpected argument %q (flags go before arguments; see -h)", fs.Arg(0))
	case *tasks < 1:
		return fail("-tasks N is required: the number of array tasks, N >= 1")
	case *seeds < 0:
		return fail("-seeds must not be negative")
	case *cpus < 1:
		return fail("-cpus must be at least 1")
	}
	for _, o := range []struct{ flag, v, valid string }{
		{"-partition", *partition, `^[A-Za-z0-9_.,-]*$`},
		{"-time", *limit, `^$|^(\d+-)?\d+(:\d+){0,2}$`},
		{"-mem", *mem, `^$|^\d+[KMGTkmgt]?$`},
	} {
		if !regexp.MustCompile(o.valid).MatchString(o.v) {
			return fail("%s %q is not valid for sbatch (e.g. -time 2:00:00 or 1-12:00:00, -mem 4G)", o.flag, o.v)
		}
	}
	x, err := load(*config)
	if err != nil {
		return fail("%v", err)
	}
	j := slurmJob{Name: x.Info.Name, Tasks: *tasks, Seeds: *seeds, CPUs: *cpus, Partition: *partition, Time: *limit, Mem: *mem,
		Command: strings.Replace(commandLine(append([]string{"slurm"}, args...)), "go run ./cmd/simulate", "simulate", 1)}
	abs := func(p string) (string, error) {
		a, err := filepath.Abs(p)
		if err != nil {
			return "", err
		}
		return a, nil
	}
	if *config != "" {
		if j.Config, err = abs(*config); err != nil {
			return fail("%v", err)
		}
	}
	if *out == "" {
		*out = filepath.Join("out", x.Info.Name)
	}
	if j.Out, err = abs(*out); err != nil {
		return fail("%v", err)
	}
	j.Shards = j.Out + ".shards"
	if *shards != "" {
		if j.Shards, err = abs(*shards); err != nil {
			return fail("%v", err)
		}
	}
	if j.Shards == j.Out || strings.HasPrefix(j.Shards, j.Out+string(filepath.Separator)) {
		return fail("-shards %s must not be -out %s or inside it: merge writes there", j.Shards, j.Out)
	}
	for _, p := range []string{j.Out, j.Shards} {
		if !slurmSafe.MatchString(p) {
			return fail("the path %q cannot stand in an #SBATCH line (spaces, quotes, %% and the like); choose another -out or -shards", p)
		}
	}
	if strings.ContainsAny(j.Config, "'\n") {
		return fail("the path %q holds a quote or a line break; move the experiment file", j.Config)
	}
	if *bin == "" {
		if *bin, err = os.Executable(); err != nil {
			return fail("cannot find this program's path (%v); pass -bin PATH", err)
		}
		if strings.Contains(*bin, string(filepath.Separator)+"go-build") {
			return fail("the job needs a simulate binary that outlives this command, and go run deletes its own;\n" +
				"build one (go build -o simulate ./cmd/simulate) and run ./simulate slurm ..., or pass -bin PATH")
		}
	}
	if j.Bin, err = abs(*bin); err != nil {
		return fail("%v", err)
	}
	if strings.ContainsAny(j.Bin, "'\n") {
		return fail("the path %q holds a quote or a line break; move the binary or pass -bin", j.Bin)
	}
	if st, err := os.Stat(j.Bin); err != nil || st.IsDir() || st.Mode()&0o111 == 0 {
		return fail("-bin %s is not an executable file", j.Bin)
	}
	runs := x.Runs(*seeds)
	j.Runs = len(runs)
	for i := range j.Tasks {
		units := 0.0
		for _, r := range x.Shard(runs, i, j.Tasks) {
			units += x.Cost(r.Condition)
		}
		j.MeanUnits += units / float64(j.Tasks)
		j.MaxUnits = max(j.MaxUnits, units)
	}
	if j.Tasks > j.Runs {
		fmt.Fprintf(stderr, "simulate slurm: note: %d tasks for %d runs; %d tasks will have nothing to do (-tasks %d is enough)\n", j.Tasks, j.Runs, j.Tasks-j.Runs, j.Runs)
	}
	j.File = *write
	if *write == "" {
		fmt.Fprint(stdout, j.script())
		return exitOK
	}
	if err := os.WriteFile(*write, []byte(j.script()), 0o755); err != nil {
		fmt.Fprintf(stderr, "simulate slurm: %v\n", err)
		return exitFailure
	}
	fmt.Fprintf(stderr, "simulate slurm: wrote %s: %d runs of %s in %d array tasks, merged into %s\nsubmit with: bash %s\n", *write, j.Runs, x.Info.Name, j.Tasks, j.Out, *write)
	return exitOK
}
