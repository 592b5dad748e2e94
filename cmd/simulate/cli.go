package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/dreamsim/dreamsim/experiments"
	"github.com/dreamsim/dreamsim/plots"
)

// Exit codes.
const (
	exitOK       = 0
	exitFailure  = 1 // a run or the output failed
	exitUsage    = 2 // bad flags or a bad experiment file
	exitVerdicts = 3 // -strict and an expectation did not pass
)

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "merge":
			return runMerge(args[1:], stdout, stderr)
		case "plot":
			return runPlot(args[1:], stdout, stderr)
		case "slurm":
			return runSlurm(args[1:], stdout, stderr)
		}
	}
	return runExperiment(args, stdout, stderr)
}

type shardFlag struct{ i, n int }

func (s *shardFlag) String() string {
	if s.n == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.i, s.n)
}

// Set reads I/N, or auto and auto/N for a task of a job array (see
// shardFromEnv).
func (s *shardFlag) Set(v string) error {
	if strings.HasPrefix(v, "auto") {
		i, n, err := shardFromEnv(v, os.Getenv)
		if err != nil {
			return err
		}
		s.i, s.n = i, n
		return nil
	}
	a, b, ok := strings.Cut(v, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return fmt.Errorf("want I/N with 0 <= I < N, e.g. 0/4, or auto in a job array")
	}
	s.i, s.n = i, n
	return nil
}

func runExperiment(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	config := fs.String("config", "", "experiment file (TOML); default: the embedded baseline experiment")
	out := fs.String("out", "", "output folder; default out/<experiment name>")
	seeds := fs.Int("seeds", 0, "number of seeds per condition (overrides the file)")
	workers := fs.Int("workers", 0, "runs in parallel; default one per core")
	var shard shardFlag
	fs.Var(&shard, "shard", "run only shard I of N of the condition x seed list (I/N, 0-based); auto reads SLURM_ARRAY_TASK_ID/COUNT, auto/N reads JOB_COMPLETION_INDEX (Kubernetes) with N shards")
	check := fs.Bool("check", false, "validate the experiment, print the resolved config, run nothing")
	quiet := fs.Bool("quiet", false, "no progress display")
	strict := fs.Bool("strict", false, "exit with status 3 when an expectation does not pass")
	executor := fs.String("executor", "", "engine executor: auto, concurrent or sequential (default: the file's sim.executor)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: simulate [flags]\n       simulate merge -out DIR SHARD_DIR...\n       simulate plot DIR\n       simulate slurm -tasks N [-config FILE -out DIR ...]\n\nflags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "simulate: unexpected argument %q (flags go before arguments; see -h)\n", fs.Arg(0))
		return exitUsage
	}
	if *seeds < 0 || *workers < 0 {
		fmt.Fprintln(stderr, "simulate: -seeds and -workers must not be negative")
		return exitUsage
	}
	switch *executor {
	case "", "auto", "concurrent", "sequential":
	default:
		fmt.Fprintf(stderr, "simulate: unknown -executor %q (valid: auto, concurrent, sequential)\n", *executor)
		return exitUsage
	}
	x, err := load(*config)
	if err != nil {
		fmt.Fprintf(stderr, "simulate: %v\n", err)
		return exitUsage
	}
	if err := checkMemory(x, *workers, *seeds); err != nil {
		fmt.Fprintf(stderr, "simulate: %v\n", err)
		return exitUsage
	}
	if *check {
		fmt.Fprint(stdout, x.Resolved)
		fmt.Fprintf(stderr, "simulate: %s is valid: %d conditions x %d seeds\n", name(*config), len(x.Conditions), pick(*seeds, x.Info.Seeds))
		return exitOK
	}
	if *out == "" {
		*out = filepath.Join("out", x.Info.Name)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts := experiments.Options{Out: *out, Workers: *workers, Shard: shard.i, Shards: shard.n, Seeds: *seeds,
		Executor: *executor, Command: commandLine(args)}
	if !*quiet && isTerminal(stderr) {
		bar := newProgressBar(stderr, time.Now())
		opts.Progress, opts.Start, opts.Step = bar.RunDone, bar.Start, bar.Step
	}
	t0 := time.Now()
	o, err := experiments.Execute(ctx, x, opts)
	if opts.Progress != nil {
		fmt.Fprint(stderr, "\r\033[K")
	}
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintf(stderr, "simulate: interrupted; %d runs finished are kept in %s; run the same command again to resume\n", o.Ran+o.Skipped, *out)
			return exitFailure
		}
		fmt.Fprintf(stderr, "simulate: %v\n", err)
		if errors.Is(err, experiments.ErrFolderInUse) {
			return exitUsage
		}
		return exitFailure
	}
	fmt.Fprintf(stderr, "simulate: %d runs done (%d resumed from %s) in %.1f s\n", o.Ran+o.Skipped, o.Skipped, *out, time.Since(t0).Seconds())
	if shard.n > 1 {
		fmt.Fprintf(stdout, "shard %d/%d of %s: %d runs in %s\nmerge the shards with: simulate merge -out DIR %s ...\n", shard.i, shard.n, x.Info.Name, o.Ran+o.Skipped, *out, *out)
		return exitOK
	}
	files, perr := drawFigures(*out)
	if perr != nil {
		fmt.Fprintf(stderr, "simulate: figures: %v\n", perr)
	}
	printSummary(stdout, x, o, *out, files)
	if o.Failed > 0 {
		fmt.Fprintf(stderr, "simulate: %d runs failed; see their summary.json\n", o.Failed)
	}
	if *strict {
		for _, v := range o.Report.Verdicts {
			if v.Verdict != "pass" {
				return exitVerdicts
			}
		}
	}
	return exitOK
}

func pick(a, b int) int {
	if a > 0 {
		return a
	}
	return b
}

func name(config string) string {
	if config == "" {
		return "the embedded baseline experiment"
	}
	return config
}

func load(config string) (*experiments.Experiment, error) {
	if config == "" {
		return experiments.Default()
	}
	return experiments.Load(config)
}

func commandLine(args []string) string {
	parts := []string{"go run ./cmd/simulate"}
	for _, a := range args {
		if strings.ContainsAny(a, " \t'\"") {
			a = strconv.Quote(a)
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// headline are the metrics of the printed summary table.
var headline = []struct{ metric, title string }{
	{"retention", "retention"},
	{"retention_emotional", "emotional"},
	{"retention_neutral", "neutral"},
	{"dream_count", "dreams"},
	{"dream_recall_rate", "dream recall"},
	{"dream_novelty", "novelty"},
	{"dream_bizarreness", "bizarreness"},
	{"generalization_error", "gen. error"},
	{"rem_fraction", "REM"},
	{"n3_fraction", "N3"},
}

func printSummary(w io.Writer, x *experiments.Experiment, o *experiments.Outcome, out string, figures []string) {
	fmt.Fprintf(w, "%s: %s\n\n", x.Info.Name, x.Info.Description)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "condition\tn\t")
	for _, h := range headline {
		fmt.Fprintf(tw, "%s\t", h.title)
	}
	fmt.Fprintln(tw)
	for _, c := range x.Conditions {
		n := 0
		fmt.Fprintf(tw, "%s\t", c.Name)
		var cells []string
		for _, h := range headline {
			for _, s := range o.Report.Stats {
				if s.Condition == c.Name && s.Metric == h.metric {
					n = max(n, s.N)
					cells = append(cells, meanSD(s.Mean, s.SD))
				}
			}
		}
		fmt.Fprintf(tw, "%d\t%s\t\n", n, strings.Join(cells, "\t"))
	}
	tw.Flush()
	fmt.Fprintln(w, "(mean ± sd over seeds; retention by memory kind, dream recall = fraction of dreams recalled in the morning)")
	if len(o.Report.Verdicts) > 0 {
		fmt.Fprintln(w, "\nexpectations:")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "condition\tmetric\texpected\tdiff [95% CI]\tHedges g\tp (Holm)\tverdict")
		for _, v := range o.Report.Verdicts {
			fmt.Fprintf(tw, "%s\t%s\t%s %s\t%s [%s, %s]\t%s\t%s\t%s\n", v.Condition, v.Metric, v.Direction, v.Against,
				num(v.Cmp.Diff), num(v.Cmp.DiffCILow), num(v.Cmp.DiffCIHigh), num(v.Cmp.HedgesG), pval(v.PAdjusted), strings.ToUpper(string(v.Verdict)))
		}
		tw.Flush()
	}
	fmt.Fprintf(w, "\nwritten to %s:\n  manifest.json config.resolved.toml results.csv stats.csv expectations.csv\n  runs/<condition>/seed-<n>/{hypnogram,cycles,activity,memories,dreams,images,latents}.csv summary.json\n", out)
	if len(figures) > 0 {
		fmt.Fprintf(w, "  figures/ (%d files), report.html\n", len(figures))
	}
}

func meanSD(m, sd float64) string {
	if math.IsNaN(m) {
		return "-"
	}
	if math.IsNaN(sd) {
		return num(m)
	}
	return num(m) + "±" + num(sd)
}

func num(v float64) string {
	switch {
	case math.IsNaN(v):
		return "-"
	case math.IsInf(v, 0):
		return fmt.Sprint(v)
	case v != 0 && math.Abs(v) < 0.01:
		return strconv.FormatFloat(v, 'e', 1, 64)
	case math.Abs(v) >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

func pval(p float64) string {
	if math.IsNaN(p) {
		return "-"
	}
	if p < 0.001 {
		return "<0.001"
	}
	return strconv.FormatFloat(p, 'f', 3, 64)
}

func runMerge(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("simulate merge", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "folder to write the merged experiment to")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: simulate merge -out DIR SHARD_DIR...\n\njoins the folders of -shard I/N runs into one experiment folder\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if *out == "" || fs.NArg() == 0 {
		fs.Usage()
		return exitUsage
	}
	x, o, err := experiments.Merge(*out, fs.Args(), commandLine(append([]string{"merge"}, args...)))
	if err != nil {
		fmt.Fprintf(stderr, "simulate: %v\n", err)
		return exitFailure
	}
	fmt.Fprintf(stderr, "simulate: %d runs done (merged from %d shards) in %s\n", len(o.Results), fs.NArg(), *out)
	files, perr := drawFigures(*out)
	if perr != nil {
		fmt.Fprintf(stderr, "simulate: figures: %v\n", perr)
	}
	printSummary(stdout, x, o, *out, files)
	return exitOK
}

func runPlot(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(stderr, "usage: simulate plot DIR\n\nredraws the figures and report.html of a finished experiment folder")
		return exitUsage
	}
	files, err := drawFigures(args[0])
	if err != nil {
		fmt.Fprintf(stderr, "simulate: %v\n", err)
		return exitFailure
	}
	for _, f := range files {
		fmt.Fprintln(stdout, f)
	}
	return exitOK
}

// drawFigures draws every figure that fits the experiment folder and
// writes its report.html.
func drawFigures(dir string) ([]string, error) {
	// Publish writes every figure it can even when one fails, and the
	// report says what failed.
	return plots.Publish(dir, plots.Options{})
}

// checkMemory refuses an experiment whose runs in flight would need more
// memory than the machine has available, before anything runs.
func checkMemory(x *experiments.Experiment, workers, seeds int) error {
	avail := memAvailable()
	if avail == 0 {
		return nil // unknown: nothing to check against
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	runs := len(x.Runs(seeds))
	inFlight := float64(min(workers, runs))
	per := x.RunBytes()
	if need := inFlight * per; need > avail {
		fits := int(avail / per)
		return fmt.Errorf("%d runs in flight would need about %.1f GiB (%.2f GiB each) but %.1f GiB are available; use -workers %d or fewer, or make the runs smaller",
			int(inFlight), need/(1<<30), per/(1<<30), avail/(1<<30), max(1, fits))
	}
	return nil
}

// memAvailable returns MemAvailable of /proc/meminfo in bytes, 0 if unknown.
func memAvailable() float64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "MemAvailable:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			if err == nil {
				return kb * 1024
			}
		}
	}
	return 0
}
