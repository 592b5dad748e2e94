package plots

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Experiment is an experiment folder as written by the runner: the manifest,
// the tables of the whole experiment and the runs found on disk. Per-run files
// are read on demand with the Read functions and RunRef.File.
type Experiment struct {
	Dir          string        // Dir is the experiment folder.
	Manifest     Manifest      // Manifest is manifest.json.
	Results      *Results      // Results is results.csv; nil when absent.
	Stats        []Stat        // Stats is stats.csv; empty when absent.
	Expectations []Expectation // Expectations is expectations.csv; empty when absent.
	Runs         []RunRef      // Runs are the run folders, control first, then manifest order, then by seed.
}

// RunRef locates one run folder, runs/<condition>/seed-<n>/.
type RunRef struct {
	Condition string // Condition is the condition name.
	Seed      int    // Seed is the run seed.
	Dir       string // Dir is the run folder.
	Status    string // Status is from summary.json: "ok", "failed", or "" when it has none.
	Error     string // Error is the failure message of a failed run.
}

// OK reports whether the run did not fail. A run without summary.json counts
// as OK so that partial folders can still be drawn.
func (r RunRef) OK() bool { return r.Status != StatusFailed }

// File returns the path of a file of the run, such as "hypnogram.csv".
func (r RunRef) File(name string) string { return filepath.Join(r.Dir, name) }

// String returns "condition, seed n".
func (r RunRef) String() string { return fmt.Sprintf("%s, seed %d", r.Condition, r.Seed) }

// ReadExperiment reads the experiment folder dir. manifest.json is required;
// results.csv, stats.csv and expectations.csv are optional, but a file that
// exists must be well formed.
func ReadExperiment(dir string) (*Experiment, error) {
	m, err := ReadManifest(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, err
	}
	e := &Experiment{Dir: dir, Manifest: m}
	if e.Results, err = ReadResults(filepath.Join(dir, "results.csv")); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if e.Stats, err = ReadStats(filepath.Join(dir, "stats.csv")); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if e.Expectations, err = ReadExpectations(filepath.Join(dir, "expectations.csv")); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	for _, cond := range m.ConditionNames() {
		refs, err := findRuns(dir, cond)
		if err != nil {
			return nil, err
		}
		e.Runs = append(e.Runs, refs...)
	}
	return e, nil
}

// findRuns lists runs/<cond>/seed-<n>/ folders in increasing seed order and
// reads their status from summary.json.
func findRuns(dir, cond string) ([]RunRef, error) {
	cdir := filepath.Join(dir, "runs", cond)
	ents, err := os.ReadDir(cdir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	var refs []RunRef
	for _, ent := range ents {
		name, ok := strings.CutPrefix(ent.Name(), "seed-")
		if !ent.IsDir() || !ok {
			continue
		}
		seed, err := strconv.Atoi(name)
		if err != nil {
			continue
		}
		ref := RunRef{Condition: cond, Seed: seed, Dir: filepath.Join(cdir, ent.Name())}
		s, err := ReadSummary(ref.File("summary.json"))
		switch {
		case err == nil:
			ref.Status, ref.Error = s.Status, s.Error
		case !errors.Is(err, fs.ErrNotExist):
			return nil, err
		}
		refs = append(refs, ref)
	}
	slices.SortFunc(refs, func(a, b RunRef) int { return a.Seed - b.Seed })
	return refs, nil
}

// OKRuns returns the runs of a condition that did not fail, by seed.
func (e *Experiment) OKRuns(condition string) []RunRef {
	var out []RunRef
	for _, r := range e.Runs {
		if r.Condition == condition && r.OK() {
			out = append(out, r)
		}
	}
	return out
}

// FailedRuns returns the runs whose summary.json says they failed.
func (e *Experiment) FailedRuns() []RunRef {
	var out []RunRef
	for _, r := range e.Runs {
		if !r.OK() {
			out = append(out, r)
		}
	}
	return out
}
