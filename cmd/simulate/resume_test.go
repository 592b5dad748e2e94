package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// envMain makes the test binary run the command instead of the tests, so
// that tests can start, signal and kill a real simulate process without
// building one.
const envMain = "DREAMSIM_SIMULATE_MAIN"

// testTemp is a folder for the whole test run.
var testTemp string

func TestMain(m *testing.M) {
	if os.Getenv(envMain) == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	var err error
	testTemp, err = os.MkdirTemp("", "simulate-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(testTemp)
	os.Exit(code)
}

// command returns a simulate process with args and extra environment.
func command(env []string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), envMain+"=1"), env...)
	return cmd
}

// resumeArgs runs tiny.toml with 6 seeds (18 runs) two at a time.
func resumeArgs(out string) []string {
	return []string{"-config", tinyConfig, "-seeds", "6", "-workers", "2", "-quiet", "-out", out}
}

// checkNothingLooksComplete asserts what an interrupted experiment folder
// may hold: finished run folders that equal those of the uninterrupted run
// (summary.json last, with the config hash), hidden .partial folders of
// the runs in flight (only after SIGKILL, and never with a summary.json),
// temporary files with a .tmp suffix (only after SIGKILL), and no
// results.csv unless every run finished.
func checkNothingLooksComplete(t *testing.T, ref, dir string, killed bool) (finished int) {
	t.Helper()
	if _, err := os.Stat(dir); os.IsNotExist(err) {
		return 0 // stopped before it made the folder
	}
	for _, r := range runFolders(t, dir) {
		name := filepath.Base(r)
		if strings.HasPrefix(name, ".") {
			assert.True(t, killed, "%s left behind by a clean interrupt", r)
			assert.True(t, strings.HasSuffix(name, ".partial"), "unexpected hidden folder %s", r)
			_, err := os.Stat(filepath.Join(dir, "runs", r, "summary.json"))
			assert.True(t, os.IsNotExist(err), "%s has a summary.json", r)
			continue
		}
		sameFiles(t, ref, dir, filepath.Join("runs", r))
		finished++
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".tmp") {
			assert.True(t, killed, "%s left behind by a clean interrupt", p)
		}
		return err
	})
	require.NoError(t, err)
	if _, err := os.Stat(filepath.Join(dir, "results.csv")); err == nil {
		assert.Equal(t, 18, finished, "results.csv written with runs missing")
	}
	return finished
}

// TestKillAndResume starts a real simulate process, stops it at a random
// point with SIGINT, SIGTERM or SIGKILL, checks that what it left cannot
// pass for finished work, runs the same command again, and checks that
// the resumed experiment equals the uninterrupted one byte for byte.
func TestKillAndResume(t *testing.T) {
	t.Parallel()
	ref := filepath.Join(t.TempDir(), "uninterrupted")
	t0 := time.Now()
	out, err := command(nil, resumeArgs(ref)...).CombinedOutput()
	require.NoError(t, err, "%s", out)
	full := time.Since(t0)
	require.Len(t, runFolders(t, ref), 18)
	t.Logf("uninterrupted: %v", full)

	// Fixed seed: the same kill times each time the test runs (what the
	// process has done by then varies with the machine's load). Set
	// DREAMSIM_KILL_SEED to draw other times, e.g. in a loop.
	seed := uint64(2026)
	if v := os.Getenv("DREAMSIM_KILL_SEED"); v != "" {
		var err error
		seed, err = strconv.ParseUint(v, 10, 64)
		require.NoError(t, err, "DREAMSIM_KILL_SEED")
	}
	t.Logf("kill times from seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 7))
	for trial, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGKILL, syscall.SIGINT, syscall.SIGTERM, syscall.SIGKILL} {
		at := time.Duration(rng.Float64() * float64(full))
		t.Run(fmt.Sprintf("%d-%v-at-%v", trial, sig, at.Round(time.Millisecond)), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			cmd := command(nil, resumeArgs(dir)...)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			require.NoError(t, cmd.Start())
			time.Sleep(at)
			require.NoError(t, cmd.Process.Signal(sig))
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			var werr error
			select {
			case werr = <-done:
			case <-time.After(30 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("the process did not stop within 30 s of %v", sig)
			}
			killed := sig == syscall.SIGKILL
			var ee *exec.ExitError
			switch {
			case werr == nil:
				// It finished before the signal arrived (or during the
				// final summary, which it completes).
			case errors.As(werr, &ee) && killed:
			case errors.As(werr, &ee) && ee.ExitCode() == -1:
				// The signal came before simulate caught signals, while
				// it started up: it must have written nothing.
				_, err := os.Stat(dir)
				assert.True(t, os.IsNotExist(err), "%v killed a process that had made its folder", sig)
			case errors.As(werr, &ee):
				assert.Equal(t, exitFailure, ee.ExitCode(), "stderr: %s", stderr.String())
				assert.Contains(t, stderr.String(), "interrupted", "an interrupt should say so")
			default:
				t.Fatal(werr)
			}
			n := checkNothingLooksComplete(t, ref, dir, killed)
			t.Logf("%d of 18 runs finished before %v", n, sig)

			// Resume: the same command finishes the experiment.
			out, err := command(nil, resumeArgs(dir)...).CombinedOutput()
			require.NoError(t, err, "resume: %s", out)
			assert.Contains(t, string(out), fmt.Sprintf("18 runs done (%d resumed", n))
			sameResults(t, ref, dir)
			for _, r := range runFolders(t, dir) {
				assert.False(t, strings.HasPrefix(filepath.Base(r), "."), "%s left after the resume", r)
			}
			var m struct{ Runs int }
			b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(b, &m))
			assert.Equal(t, 18, m.Runs)
		})
	}
}

// TestResumeRedoesStaleRuns checks what counts as finished: a run folder
// without summary.json, or whose summary.json has another config hash, is
// run again; the others are kept.
func TestResumeRedoesStaleRuns(t *testing.T) {
	t.Parallel()
	ref := unsharded(t)
	dir := filepath.Join(t.TempDir(), "out")
	require.NoError(t, os.CopyFS(dir, os.DirFS(ref)))
	for _, f := range []string{"results.csv", "stats.csv", "expectations.csv", "manifest.json"} {
		require.NoError(t, os.Remove(filepath.Join(dir, f)))
	}
	runs := runFolders(t, dir)
	// A run whose summary is gone, as if it had been cut short.
	require.NoError(t, os.Remove(filepath.Join(dir, "runs", runs[0], "summary.json")))
	// A run from another version of the experiment, and garbage in a file
	// of it that must not survive.
	sum := filepath.Join(dir, "runs", runs[3], "summary.json")
	b, err := os.ReadFile(sum)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(sum, []byte(strings.Replace(string(b), `"config_hash": "`, `"config_hash": "0`, 1)), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "runs", runs[3], "dreams.csv"), []byte("garbage\n"), 0o644))
	// A leftover of a killed run.
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "runs", "intact", ".seed-2.partial"), 0o755))

	_, _, errs := runCLI("-config", tinyConfig, "-seeds", "2", "-workers", "2", "-quiet", "-out", dir)
	assert.Contains(t, errs, "6 runs done (4 resumed")
	sameResults(t, ref, dir)
}

// TestResumeAfterKillBeforeConfig is a kill in the first milliseconds,
// after the runs folder exists and before config.resolved.toml is written.
func TestResumeAfterKillBeforeConfig(t *testing.T) {
	t.Parallel()
	ref := unsharded(t)
	dir := filepath.Join(t.TempDir(), "out")
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "runs"), 0o755))
	mustRun(t, "-config", tinyConfig, "-seeds", "2", "-workers", "2", "-quiet", "-out", dir)
	sameResults(t, ref, dir)
}
