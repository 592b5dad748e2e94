package experiments

import (
	"bytes"
	"encoding/json"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/dreamsim/dreamsim/experiments/stats"
)

// Version is dreamsim's version.
const Version = "0.1.0"

// StatRow is one line of stats.csv: a condition's metric, and its
// comparison with the control.
type StatRow struct {
	Condition, Metric string
	stats.Summary
	Compared  bool // false for the control itself
	Cmp       stats.Comparison
	PAdjusted float64 // Holm-adjusted p when the pair is an expectation, else NaN
}

// Verdict is one line of expectations.csv.
type Verdict struct {
	ExpectSpec
	Cmp          stats.Comparison
	P, PAdjusted float64
	Mean         float64 // mean of the condition
	AgainstMean  float64
	Verdict      stats.Verdict
}

// Report holds the statistics of an experiment.
type Report struct {
	Stats    []StatRow
	Verdicts []Verdict
}

// rngFor returns the random stream of one statistical comparison, seeded
// by the names it compares, so that results do not depend on the order
// runs finished in or on sharding.
func rngFor(parts ...string) *rand.Rand {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return rand.New(rand.NewPCG(0x6472656d, h.Sum64()))
}

// values collects a metric over the runs of a condition (failed runs give
// NaN, which the statistics drop).
func values(results []RunResult, cond, metric string) []float64 {
	var v []float64
	for _, r := range results {
		if r.Condition != cond {
			continue
		}
		x, ok := r.Metrics[metric]
		if !ok || r.Err != nil {
			x = math.NaN()
		}
		v = append(v, x)
	}
	return v
}

// Analyze computes the statistics of every condition and metric, the
// comparison of each with the control (Welch's t-test, a permutation test,
// Hedges' g), and the verdict of every expectation with Holm's correction
// across the expectations of the file.
func Analyze(x *Experiment, results []RunResult) *Report {
	rep := &Report{}
	ctl := x.Info.Control
	idx := map[[2]string]int{}
	for _, c := range x.Conditions {
		for _, m := range Metrics {
			row := StatRow{Condition: c.Name, Metric: m, PAdjusted: math.NaN()}
			a := values(results, c.Name, m)
			row.Summary = stats.Describe(a, nil)
			if c.Name != ctl {
				row.Compared = true
				row.Cmp = stats.Compare(a, values(results, ctl, m), rngFor(c.Name, ctl, m))
			}
			idx[[2]string{c.Name, m}] = len(rep.Stats)
			rep.Stats = append(rep.Stats, row)
		}
	}
	var ps []float64
	for _, e := range x.Expectations {
		a, b := values(results, e.Condition, e.Metric), values(results, e.Against, e.Metric)
		v := Verdict{ExpectSpec: e, Mean: stats.Describe(a, nil).Mean, AgainstMean: stats.Describe(b, nil).Mean}
		v.Cmp = stats.Compare(a, b, rngFor(e.Condition, e.Against, e.Metric))
		v.P = v.Cmp.PWelch
		rep.Verdicts = append(rep.Verdicts, v)
		if e.Direction != "=" {
			ps = append(ps, v.P)
		}
	}
	adj := stats.Holm(ps)
	k := 0
	for i := range rep.Verdicts {
		v := &rep.Verdicts[i]
		if v.Direction == "=" {
			// TOST is judged on its own at alpha (see stats.Judge).
			v.P = stats.TOST(v.Cmp, v.Expectation().Margin(v.Cmp))
			v.PAdjusted = v.P
		} else {
			v.PAdjusted = adj[k]
			k++
		}
		v.Verdict = stats.Judge(v.Expectation(), v.Cmp, v.PAdjusted)
		if v.Against == ctl {
			if j, ok := idx[[2]string{v.Condition, v.Metric}]; ok {
				rep.Stats[j].PAdjusted = v.PAdjusted
			}
		}
	}
	return rep
}

func (r *Report) write(dir string) error {
	st := createCSV(filepath.Join(dir, "stats.csv.tmp"), "condition", "metric", "n", "mean", "sd", "ci_low", "ci_high",
		"diff", "diff_ci_low", "diff_ci_high", "effect_size", "p_value", "p_permutation", "p_adjusted")
	for _, s := range r.Stats {
		row := []string{s.Condition, s.Metric, strconv.Itoa(s.N), fmtFloat(s.Mean), fmtFloat(s.SD), fmtFloat(s.CILow), fmtFloat(s.CIHigh)}
		if s.Compared {
			c := s.Cmp
			row = append(row, fmtFloat(c.Diff), fmtFloat(c.DiffCILow), fmtFloat(c.DiffCIHigh), fmtFloat(c.HedgesG), fmtFloat(c.PWelch), fmtFloat(c.PPermutation), fmtFloat(s.PAdjusted))
		} else {
			row = append(row, "", "", "", "", "", "", "")
		}
		st.row(row...)
	}
	if err := st.close(); err != nil {
		return err
	}
	ex := createCSV(filepath.Join(dir, "expectations.csv.tmp"), "condition", "metric", "direction", "against", "mean", "against_mean",
		"diff", "diff_ci_low", "diff_ci_high", "effect_size", "p_value", "p_adjusted", "alpha", "verdict")
	for _, v := range r.Verdicts {
		c := v.Cmp
		ex.row(v.Condition, v.Metric, v.Direction, v.Against, fmtFloat(v.Mean), fmtFloat(v.AgainstMean), fmtFloat(c.Diff),
			fmtFloat(c.DiffCILow), fmtFloat(c.DiffCIHigh), fmtFloat(c.HedgesG), fmtFloat(v.P), fmtFloat(v.PAdjusted), fmtFloat(v.Alpha), string(v.Verdict))
	}
	if err := ex.close(); err != nil {
		return err
	}
	for _, f := range []string{"stats.csv", "expectations.csv"} {
		if err := os.Rename(filepath.Join(dir, f+".tmp"), filepath.Join(dir, f)); err != nil {
			return err
		}
	}
	return nil
}

// writeResults writes results.csv: condition, seed, then every metric (a
// failed run's cells are empty; its summary.json says why).
func writeResults(path string, results []RunResult) error {
	f := createCSV(path+".tmp", append([]string{"condition", "seed"}, Metrics...)...)
	for _, r := range results {
		row := []string{r.Condition, strconv.FormatUint(r.Seed, 10)}
		for _, m := range Metrics {
			v, ok := r.Metrics[m]
			if !ok || r.Err != nil {
				v = math.NaN()
			}
			row = append(row, fmtFloat(v))
		}
		f.row(row...)
	}
	if err := f.close(); err != nil {
		return err
	}
	return os.Rename(path+".tmp", path)
}

// Manifest is manifest.json: what made the folder.
type Manifest struct {
	Name        string              `json:"name"`
	Description string              `json:"description"`
	Citation    string              `json:"citation"`
	ConfigHash  string              `json:"config_hash"`
	Seeds       []uint64            `json:"seeds"`
	Control     string              `json:"control"`
	Conditions  []ManifestCondition `json:"conditions"`
	DoseLabel   string              `json:"dose_label,omitempty"`
	Version     string              `json:"version"`
	GitDescribe string              `json:"git_describe"`
	GitDirty    bool                `json:"git_dirty"`
	GoVersion   string              `json:"go_version"`
	Start       string              `json:"start"`
	DurationS   float64             `json:"duration_s"`
	Command     string              `json:"command"`
	Shard       string              `json:"shard,omitempty"`
	Runs        int                 `json:"runs"`
	FailedRuns  int                 `json:"failed_runs"`
}

// ManifestCondition names a condition and its dose (null without one).
type ManifestCondition struct {
	Name string   `json:"name"`
	Dose *float64 `json:"dose"`
}

var started = time.Now()

func writeManifest(x *Experiment, opts Options, results []RunResult) error {
	m := Manifest{Name: x.Info.Name, Description: x.Info.Description, Citation: x.Info.Citation, ConfigHash: x.Hash,
		Control: x.Info.Control, DoseLabel: x.Info.DoseLabel, Version: Version, GoVersion: runtime.Version(),
		Start: started.UTC().Format(time.RFC3339), DurationS: math.Round(time.Since(started).Seconds()*1000) / 1000, Command: opts.Command}
	m.GitDescribe, m.GitDirty = gitDescribe()
	for _, r := range x.Runs(opts.Seeds) {
		if r.Condition == x.Conditions[0].Name {
			m.Seeds = append(m.Seeds, r.Seed)
		}
	}
	for _, c := range x.Conditions {
		mc := ManifestCondition{Name: c.Name}
		if !math.IsNaN(c.Dose) {
			d := c.Dose
			mc.Dose = &d
		}
		m.Conditions = append(m.Conditions, mc)
	}
	if opts.Shards > 1 {
		m.Shard = strconv.Itoa(opts.Shard) + "/" + strconv.Itoa(opts.Shards)
	}
	m.Runs = len(results)
	for _, r := range results {
		if r.Err != nil {
			m.FailedRuns++
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // citations hold "&"
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(opts.Out, "manifest.json"), buf.Bytes())
}

// gitDescribe returns the version control state dreamsim was built from:
// the build's embedded VCS stamp, or git describe in the working folder.
func gitDescribe() (string, bool) {
	if bi, ok := debug.ReadBuildInfo(); ok {
		rev, dirty := "", false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if rev != "" {
			return rev[:min(12, len(rev))], dirty
		}
	}
	out, err := exec.Command("git", "describe", "--always", "--dirty", "--tags").Output()
	if err != nil {
		return "unknown", false
	}
	d := strings.TrimSpace(string(out))
	return d, strings.HasSuffix(d, "-dirty")
}
