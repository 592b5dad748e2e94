package experiments

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/dreamsim/dreamsim/sim"
)

// Options control how an experiment is run.
type Options struct {
	Out     string // experiment folder
	Workers int    // parallel runs; 0 means one per core
	// Shard and Shards select the deterministic subset Shard of Shards
	// (0-based) of the condition x seed list; Shards 0 or 1 runs all.
	Shard, Shards int
	// Seeds overrides the experiment's number of seeds when positive.
	Seeds int
	// Executor is "auto", "concurrent" or "sequential"; empty means the
	// experiment's sim.executor.
	Executor string
	// Command is the command line that reproduces the folder, for the manifest.
	Command string
	// Progress, when set, is called after every finished run.
	Progress func(done, total int, r Run)
	// Start, when set, is called once the runs to do are known: total runs
	// of this shard, of which resumed were already finished.
	Start func(total, resumed int)
	// Step, when set, is called as each run advances through its protocol
	// (frac from 0 to 1), from the goroutine running it.
	Step func(r Run, frac float64)
}

// Runs returns the experiment's condition x seed list in canonical order.
func (x *Experiment) Runs(seeds int) []Run {
	if seeds <= 0 {
		seeds = x.Info.Seeds
	}
	var runs []Run
	for _, c := range x.Conditions {
		for s := 0; s < seeds; s++ {
			runs = append(runs, Run{Condition: c.Name, Seed: uint64(x.Info.FirstSeed + s)})
		}
	}
	return runs
}

// Outcome is what Execute did.
type Outcome struct {
	Ran, Skipped, Failed int
	Results              []RunResult // every run of the folder, in canonical order (nil for a shard)
	Report               *Report     // statistics and verdicts (nil for a shard)
}

// ErrFolderInUse reports an output folder holding another experiment.
var ErrFolderInUse = errors.New("output folder holds a different experiment")

// Execute runs the experiment's runs (or one shard of them) into
// opts.Out, skipping runs already finished there with the same config
// hash, and, for a whole experiment, writes results.csv, stats.csv,
// expectations.csv and manifest.json. An interrupted Execute keeps every
// finished run; running it again resumes.
func Execute(ctx context.Context, x *Experiment, opts Options) (*Outcome, error) {
	if err := prepareFolder(x, opts.Out); err != nil {
		return nil, err
	}
	all := x.Runs(opts.Seeds)
	mine := x.Shard(all, opts.Shard, opts.Shards)
	var todo []Run
	out := &Outcome{}
	for _, r := range mine {
		if finished(x, r, opts.Out) {
			out.Skipped++
			continue
		}
		todo = append(todo, r)
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, len(todo)))
	exec := chooseExecutor(x, opts.Executor, workers)
	if opts.Start != nil {
		opts.Start(len(mine), out.Skipped)
	}
	jobs := make(chan Run)
	var mu sync.Mutex
	var firstErr error
	done := out.Skipped
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range jobs {
				rctx := ctx
				if opts.Step != nil {
					rctx = WithProgress(ctx, func(frac float64) { opts.Step(r, frac) })
				}
				res, err := RunOne(rctx, x, r, opts.Out, exec)
				mu.Lock()
				switch {
				case err != nil:
					if firstErr == nil && ctx.Err() == nil {
						firstErr = fmt.Errorf("run %s seed %d: %w", r.Condition, r.Seed, err)
					}
				default:
					out.Ran++
					if res.Err != nil {
						out.Failed++
					}
					done++
					if opts.Progress != nil {
						opts.Progress(done, len(mine), r)
					}
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for _, r := range todo {
		mu.Lock()
		stop := firstErr != nil
		mu.Unlock()
		if stop {
			break
		}
		select {
		case jobs <- r:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return out, firstErr
	}
	if err := ctx.Err(); err != nil {
		return out, err
	}
	if opts.Shards > 1 {
		return out, writeManifest(x, opts, nil)
	}
	return out, Finalize(x, opts, out)
}

// chooseExecutor picks the engine's executor: concurrent goroutines pay
// off only when a single run has the cores to itself. How many of them a
// run uses, window by window, the executor tunes itself (package sim): on
// windows too short to amortise the synchronisation it steps every region
// in one goroutine.
func chooseExecutor(x *Experiment, choice string, workers int) sim.Executor {
	if choice == "" && len(x.Conditions) > 0 {
		choice = x.Conditions[0].Config.Sim.Executor
	}
	switch choice {
	case "concurrent":
		return sim.Concurrent
	case "sequential":
		return sim.Sequential
	}
	if workers > 1 || runtime.GOMAXPROCS(0) < 2 {
		return sim.Sequential
	}
	return sim.Concurrent
}

// Finalize reads every run of the folder and writes results.csv,
// stats.csv, expectations.csv and manifest.json.
func Finalize(x *Experiment, opts Options, out *Outcome) error {
	results, err := ReadResults(x, opts.Out, opts.Seeds)
	if err != nil {
		return err
	}
	out.Results = results
	rep := Analyze(x, results)
	out.Report = rep
	if err := writeResults(filepath.Join(opts.Out, "results.csv"), results); err != nil {
		return err
	}
	if err := rep.write(opts.Out); err != nil {
		return err
	}
	return writeManifest(x, opts, results)
}

// prepareFolder creates the experiment folder, or checks that an existing
// one holds this experiment (same config hash) so that it can be resumed.
func prepareFolder(x *Experiment, dir string) error {
	if dir == "" {
		return errors.New("no output folder")
	}
	if st, err := os.Stat(dir); err == nil {
		if !st.IsDir() {
			return fmt.Errorf("output %s exists and is not a folder", dir)
		}
		b, err := os.ReadFile(filepath.Join(dir, "config.resolved.toml"))
		if err == nil && string(b) != x.Resolved {
			return fmt.Errorf("%w: %s was written by a different configuration (remove it, or choose another -out)", ErrFolderInUse, dir)
		}
		if errors.Is(err, os.ErrNotExist) && !onlyLeftovers(dir) {
			return fmt.Errorf("%w: %s is not empty and holds no dreamsim experiment (choose another -out)", ErrFolderInUse, dir)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("cannot create output folder: %w", err)
	}
	// The resolved config goes first: a folder interrupted at any later
	// point is recognised as this experiment and resumed.
	if err := writeFileAtomic(filepath.Join(dir, "config.resolved.toml"), []byte(x.Resolved)); err != nil {
		return fmt.Errorf("output folder %s is not writable: %w", dir, err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "runs"), 0o755); err != nil {
		return fmt.Errorf("cannot create output folder: %w", err)
	}
	return nil
}

// onlyLeftovers reports whether a folder without a resolved config holds
// nothing but what an interrupted start can leave: an empty runs folder
// and temporary files.
func onlyLeftovers(dir string) bool {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		switch {
		case e.Name() == "runs" && e.IsDir():
			if sub, _ := os.ReadDir(filepath.Join(dir, "runs")); len(sub) > 0 {
				return false
			}
		case strings.HasSuffix(e.Name(), ".tmp"):
		default:
			return false
		}
	}
	return true
}

// finished reports whether a run's folder is complete and from this config.
func finished(x *Experiment, r Run, out string) bool {
	s, err := readSummary(filepath.Join(r.Dir(out), "summary.json"))
	return err == nil && s.hash == x.Hash
}

type summary struct {
	hash, status, err string
	metrics           map[string]float64
}

func readSummary(path string) (summary, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return summary{}, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return summary{}, fmt.Errorf("%s: %w", path, err)
	}
	s := summary{metrics: map[string]float64{}}
	s.hash, _ = m["config_hash"].(string)
	s.status, _ = m["status"].(string)
	s.err, _ = m["error"].(string)
	for _, k := range Metrics {
		if v, ok := m[k].(float64); ok {
			s.metrics[k] = v
		}
	}
	return s, nil
}

// ReadResults reads the summary of every run of the experiment from the
// folder, in canonical order; a missing run is an error naming it.
func ReadResults(x *Experiment, out string, seeds int) ([]RunResult, error) {
	var res []RunResult
	var missing []string
	for _, r := range x.Runs(seeds) {
		s, err := readSummary(filepath.Join(r.Dir(out), "summary.json"))
		if err != nil || s.hash != x.Hash {
			missing = append(missing, fmt.Sprintf("%s/seed-%d", r.Condition, r.Seed))
			continue
		}
		rr := RunResult{Run: r, Metrics: s.metrics}
		if s.status != "ok" {
			rr.Err = errors.New(s.err)
		}
		res = append(res, rr)
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		if len(missing) > 10 {
			missing = append(missing[:10], fmt.Sprintf("and %d more", len(missing)-10))
		}
		return nil, fmt.Errorf("%d runs missing or from another config in %s: %v", len(missing), out, missing)
	}
	return res, nil
}
