package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tinyConfig is the fast test experiment: 3 conditions; with -seeds 2, 6
// runs of about 50 ms.
var tinyConfig = filepath.Join("..", "..", "experiments", "testdata", "tiny.toml")

// runCLI runs the command in this process and returns its exit code,
// standard output and standard error.
func runCLI(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// mustRun runs the command and fails the test unless it exits 0.
func mustRun(t testing.TB, args ...string) string {
	t.Helper()
	code, out, errs := runCLI(args...)
	require.Equal(t, exitOK, code, "simulate %s\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), out, errs)
	return out
}

var reference struct {
	once sync.Once
	dir  string
	err  error
}

// unsharded returns the folder of an uninterrupted, unsharded run of
// tiny.toml with -seeds 2, made once for all tests.
func unsharded(t testing.TB) string {
	t.Helper()
	reference.once.Do(func() {
		reference.dir = filepath.Join(testTemp, "unsharded")
		code, out, errs := runCLI("-config", tinyConfig, "-seeds", "2", "-workers", "2", "-quiet", "-out", reference.dir)
		if code != exitOK {
			reference.err = fmt.Errorf("unsharded run: exit %d\n%s\n%s", code, out, errs)
		}
	})
	require.NoError(t, reference.err)
	return reference.dir
}

// runFolders lists the run folders (runs/<condition>/seed-<n>) of an
// experiment folder, hidden ones (.partial) included.
func runFolders(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	conds, err := os.ReadDir(filepath.Join(dir, "runs"))
	if os.IsNotExist(err) {
		return nil
	}
	require.NoError(t, err)
	for _, c := range conds {
		seeds, err := os.ReadDir(filepath.Join(dir, "runs", c.Name()))
		require.NoError(t, err)
		for _, s := range seeds {
			out = append(out, filepath.Join(c.Name(), s.Name()))
		}
	}
	return out
}

// sameFiles asserts that every file under want/sub is in got/sub with the
// same bytes, and that got/sub holds no other file.
func sameFiles(t testing.TB, want, got, sub string) {
	t.Helper()
	files := map[string]bool{}
	err := filepath.WalkDir(filepath.Join(got, sub), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(got, p)
			files[rel] = true
		}
		return err
	})
	require.NoError(t, err)
	err = filepath.WalkDir(filepath.Join(want, sub), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(want, p)
		a, err := os.ReadFile(p)
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(got, rel))
		if assert.NoError(t, err, "%s is missing from %s", rel, got) {
			assert.True(t, bytes.Equal(a, b), "%s differs between %s and %s", rel, want, got)
		}
		delete(files, rel)
		return nil
	})
	require.NoError(t, err)
	assert.Empty(t, files, "files in %s that %s does not have", got, want)
}

// sameResults asserts that two experiment folders hold the same
// results.csv, stats.csv, expectations.csv, config and runs, byte for byte.
func sameResults(t testing.TB, want, got string) {
	t.Helper()
	for _, f := range []string{"results.csv", "stats.csv", "expectations.csv", "config.resolved.toml"} {
		sameFiles(t, want, got, f)
	}
	sameFiles(t, want, got, "runs")
}

func TestShardsMergedEqualUnsharded(t *testing.T) {
	t.Parallel()
	ref := unsharded(t)
	all := runFolders(t, ref)
	require.Len(t, all, 6)
	// N = 7 has more shards than the 6 runs: one shard is empty.
	for _, n := range []int{1, 2, 3, 7} {
		t.Run(fmt.Sprintf("N=%d", n), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			var shards []string
			owner := map[string]int{}
			for i := range n {
				sd := filepath.Join(dir, fmt.Sprintf("shard-%d", i))
				mustRun(t, "-config", tinyConfig, "-seeds", "2", "-workers", "1", "-quiet", "-shard", fmt.Sprintf("%d/%d", i, n), "-out", sd)
				for _, r := range runFolders(t, sd) {
					prev, dup := owner[r]
					assert.False(t, dup, "run %s written by shards %d and %d", r, prev, i)
					owner[r] = i
				}
				// A shard writes its runs and its manifest, not the results
				// (1 shard of 1 is the whole experiment).
				_, err := os.Stat(filepath.Join(sd, "results.csv"))
				assert.Equal(t, n > 1, os.IsNotExist(err), "shard %d of %d and results.csv", i, n)
				shards = append(shards, sd)
			}
			assert.Len(t, owner, len(all), "the shards do not cover the runs")
			merged := filepath.Join(dir, "merged")
			out := mustRun(t, append([]string{"merge", "-out", merged}, shards...)...)
			assert.Contains(t, out, "tiny:")
			sameResults(t, ref, merged)
		})
	}
}

func TestMergeRefusesBadShards(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	shard := func(name, config string, i, n int) string {
		sd := filepath.Join(dir, name)
		mustRun(t, "-config", config, "-seeds", "2", "-workers", "1", "-quiet", "-shard", fmt.Sprintf("%d/%d", i, n), "-out", sd)
		return sd
	}
	s0, s1, s2 := shard("s0", tinyConfig, 0, 3), shard("s1", tinyConfig, 1, 3), shard("s2", tinyConfig, 2, 3)
	// Another experiment: the same file with another description.
	b, err := os.ReadFile(tinyConfig)
	require.NoError(t, err)
	other := filepath.Join(dir, "other.toml")
	require.NoError(t, os.WriteFile(other, bytes.Replace(b, []byte("description = \"Test fixture"), []byte("description = \"Another fixture"), 1), 0o644))
	o1 := shard("other-s1", other, 1, 3)
	// A shard whose run was made by another config: its summary says so.
	tampered := filepath.Join(dir, "tampered")
	require.NoError(t, os.CopyFS(tampered, os.DirFS(s2)))
	runs := runFolders(t, tampered)
	require.NotEmpty(t, runs)
	sum := filepath.Join(tampered, "runs", runs[0], "summary.json")
	sb, err := os.ReadFile(sum)
	require.NoError(t, err)
	i := bytes.Index(sb, []byte(`"config_hash": "`)) + len(`"config_hash": "`)
	sb[i] ^= 1 // one character of the hash
	require.NoError(t, os.WriteFile(sum, sb, 0o644))
	// A folder that is not an experiment.
	empty := filepath.Join(dir, "empty")
	require.NoError(t, os.Mkdir(empty, 0o755))

	for _, tc := range []struct {
		name   string
		shards []string
		want   string
	}{
		{"missing shard", []string{s0, s1}, "runs are in no shard"},
		{"shard twice", []string{s0, s1, s2, s1}, "is in two shards"},
		{"other experiment", []string{s0, o1, s2}, "holds a different experiment"},
		{"hash mismatch", []string{s0, s1, tampered}, "has config hash"},
		{"not an experiment", []string{s0, s1, empty}, "is not a dreamsim experiment folder"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out := filepath.Join(t.TempDir(), "merged")
			code, _, errs := runCLI(append([]string{"merge", "-out", out}, tc.shards...)...)
			assert.Equal(t, exitFailure, code)
			assert.Contains(t, errs, tc.want)
			_, err := os.Stat(filepath.Join(out, "results.csv"))
			assert.True(t, os.IsNotExist(err), "a refused merge wrote results.csv")
		})
	}
	// The good shards merge.
	mustRun(t, "merge", "-out", filepath.Join(dir, "merged"), s0, s1, s2)
}
