package plots_test

// This file generates the synthetic experiment folders under testdata/ that
// the examples, golden images and report tests draw from. They follow the
// output contract of the runner with realistic shapes (a healthy young-adult
// night of about five NREM-REM cycles, norepinephrine high in wake and near
// zero in REM, MCH on in REM, ripples highest in N3), but they are made up:
// no simulation produced them. TestFixturesUpToDate checks that the committed
// folders are exactly what this generator writes; go test -regen-fixtures
// rewrites them.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// fixtureCondition describes how a synthetic condition differs from intact.
type fixtureCondition struct {
	name    string
	dose    *float64 // dose in the manifest (nil: none)
	forget  float64  // MCH forgetting rate in REM (1/night, intact 0.6)
	mchREM  float64  // MCH rate in REM (0..1)
	mchNREM float64  // MCH rate in NREM (0..1)
	pfcREM  float64  // PFC rate (and dream gate) in REM (0..1)
}

// fixtureExpectation is a pre-registered expectation of a fixture.
type fixtureExpectation struct {
	condition, metric, direction string
	margin                       float64 // equivalence margin for "=" in metric units
}

// fixtureSpec is one synthetic experiment.
type fixtureSpec struct {
	dir          string
	manifest     map[string]any
	conditions   []fixtureCondition
	seeds        []int
	expectations []fixtureExpectation
	failed       map[string]int // condition -> seed whose run failed
	nightColumn  bool           // write the optional night column of hypnogram.csv
	fullFiles    func(cond string, seed int) bool
}

func ptr(v float64) *float64 { return &v }

// fixtureSpecs are the two committed fixtures: an MCH ablation/stimulation
// experiment (Izawa et al. 2019 protocol) and a PFC-gate dose sweep.
func fixtureSpecs() []fixtureSpec {
	intact := fixtureCondition{name: "intact", forget: 0.6, mchREM: 0.75, mchNREM: 0.1, pfcREM: 0.2}
	ablated := intact
	ablated.name, ablated.forget, ablated.mchREM, ablated.mchNREM = "mch-ablated", 0.1, 0.04, 0.02
	stim := intact
	stim.name, stim.forget, stim.mchREM, stim.mchNREM = "mch-stimulated", 2.5, 0.95, 0.35

	mch := fixtureSpec{
		dir:        "mch-forgetting",
		conditions: []fixtureCondition{intact, ablated, stim},
		seeds:      []int{1, 2, 3, 4, 5},
		expectations: []fixtureExpectation{
			{"mch-ablated", "retention", ">", 0},
			{"mch-stimulated", "retention", "<", 0},
			{"mch-stimulated", "retention_neutral", ">", 0},
			{"mch-ablated", "dream_recall_rate", ">", 0},
			{"mch-stimulated", "emotional_advantage", ">", 0},
			{"mch-ablated", "rem_fraction", "=", 0.03},
		},
		fullFiles: func(_ string, seed int) bool { return seed == 1 },
		manifest: map[string]any{
			"name":        "mch-forgetting",
			"description": "Which episodic memories survive REM sleep when MCH neurons are ablated or stimulated during REM (the Izawa et al. 2019 protocol), under the emotion-protected forgetting rule.",
			"citation":    "Izawa S, Chowdhury S, Miyazaki T, et al. (2019) REM sleep-active MCH neurons are involved in forgetting hippocampus-dependent memories. Science 365:1308-1313.",
			"config_hash": "sha256:5f1c0ffee1d2b3a4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c",
			"control":     "intact",
			"version":     "v0.1.0-fixture",
			"go_version":  "go1.26.8",
			"start":       "2025-01-01T09:00:00Z",
			"duration_s":  412.7,
			"command":     "simulate -config experiments/mch-forgetting.toml -seeds 5 -out out/mch-forgetting",
		},
	}

	var dose []fixtureCondition
	dose = append(dose, intact)
	for _, d := range []float64{0.1, 0.3, 0.5, 0.8} {
		c := intact
		c.name, c.dose, c.pfcREM = fmt.Sprintf("pfc-%.1f", d), ptr(d), d
		dose = append(dose, c)
	}
	pfc := fixtureSpec{
		dir:        "pfc-dose",
		conditions: dose,
		seeds:      []int{1, 2, 3},
		expectations: []fixtureExpectation{
			{"pfc-0.1", "dream_bizarreness", ">", 0},
			{"pfc-0.8", "dream_bizarreness", "<", 0},
			{"pfc-0.8", "dream_novelty", "<", 0},
			{"pfc-0.8", "generalization_error", ">", 0},
			{"pfc-0.5", "dream_recall_rate", ">", 0},
		},
		failed:      map[string]int{"pfc-0.8": 3},
		nightColumn: true,
		fullFiles:   func(cond string, seed int) bool { return cond == "intact" && seed == 1 },
		manifest: map[string]any{
			"name":        "pfc-gate-dose",
			"description": "How dream novelty, bizarreness and recall depend on how quiet the PFC is in REM (a dose sweep of the PFC gate).",
			"citation":    "Kong & Aarabi, Can AI take inspirations from dreams like us?; Maquet et al. (1996) Nature 383:163.",
			"config_hash": "sha256:0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9",
			"control":     "intact",
			"dose_label":  "PFC activity in REM (0–1)",
			"version":     "v0.1.0-fixture",
			"go_version":  "go1.26.8",
			"start":       "2025-01-02T09:00:00Z",
			"duration_s":  655.2,
			"command":     []string{"simulate", "-config", "experiments/pfc-dose.toml", "-seeds", "3", "-out", "out/pfc-gate-dose"},
		},
	}
	return []fixtureSpec{mch, pfc}
}

// fixtureMetrics are the columns of results.csv in the fixtures.
var fixtureMetrics = []string{
	"retention", "retention_emotional", "retention_neutral", "emotional_advantage",
	"dream_count", "dream_recall_rate", "nightmare_recall_rate", "dream_novelty",
	"dream_bizarreness", "generalization_error", "rem_fraction", "n3_fraction",
	"n2_fraction", "n1_fraction", "sleep_efficiency", "rem_latency_min",
	"cycle_count", "mean_cycle_min",
}

// writeFixtures writes every fixture under root.
func writeFixtures(root string) error {
	for _, spec := range fixtureSpecs() {
		if err := writeFixture(filepath.Join(root, spec.dir), spec); err != nil {
			return err
		}
	}
	return nil
}

func writeFixture(dir string, spec fixtureSpec) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var conds []map[string]any
	for _, c := range spec.conditions {
		var d any
		if c.dose != nil {
			d = *c.dose
		}
		conds = append(conds, map[string]any{"name": c.name, "dose": d})
	}
	man := maps(spec.manifest)
	man["seeds"] = spec.seeds
	man["conditions"] = conds
	if err := writeJSON(filepath.Join(dir, "manifest.json"), man); err != nil {
		return err
	}

	// values[condition][metric] over seeds (NaN kept for failed runs).
	values := make(map[string]map[string][]float64)
	var results bytes.Buffer
	results.WriteString("condition,seed," + strings.Join(fixtureMetrics, ",") + "\n")
	for ci, c := range spec.conditions {
		values[c.name] = make(map[string][]float64)
		for _, seed := range spec.seeds {
			rng := rand.New(rand.NewPCG(uint64(seed), uint64(1000*len(spec.dir)+ci)))
			runDir := filepath.Join(dir, "runs", c.name, "seed-"+strconv.Itoa(seed))
			if err := os.MkdirAll(runDir, 0o755); err != nil {
				return err
			}
			var m map[string]float64
			if spec.failed[c.name] == seed {
				m = make(map[string]float64)
				for _, k := range fixtureMetrics {
					m[k] = math.NaN()
				}
				if err := writeSummary(runDir, c.name, seed, m, "regions.cortex: NaN in variable latent.z3 at tick 412311"); err != nil {
					return err
				}
			} else {
				r := simulateFixtureRun(rng, c)
				m = r.metrics()
				if err := r.write(runDir, spec.nightColumn, spec.fullFiles(c.name, seed)); err != nil {
					return err
				}
				if err := writeSummary(runDir, c.name, seed, m, ""); err != nil {
					return err
				}
			}
			row := []string{c.name, strconv.Itoa(seed)}
			for _, k := range fixtureMetrics {
				values[c.name][k] = append(values[c.name][k], m[k])
				row = append(row, cell(m[k], 4))
			}
			results.WriteString(strings.Join(row, ",") + "\n")
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "results.csv"), results.Bytes(), 0o644); err != nil {
		return err
	}
	return writeFixtureStats(dir, spec, values)
}

// writeFixtureStats writes stats.csv and expectations.csv with Welch
// comparisons against the control, Hedges' g, an exact permutation p and Holm
// adjustment over the expectations.
func writeFixtureStats(dir string, spec fixtureSpec, values map[string]map[string][]float64) error {
	control := spec.conditions[0].name
	type key struct{ cond, metric string }
	comps := make(map[key]welch)
	for _, c := range spec.conditions[1:] {
		for _, k := range fixtureMetrics {
			comps[key{c.name, k}] = welchTest(finite(values[c.name][k]), finite(values[control][k]))
		}
	}
	// Holm over the expectations (Holm 1979).
	ps := make([]float64, len(spec.expectations))
	for i, e := range spec.expectations {
		ps[i] = comps[key{e.condition, e.metric}].p
	}
	adj := holm(ps)
	padj := make(map[key]float64)
	for i, e := range spec.expectations {
		padj[key{e.condition, e.metric}] = adj[i]
	}

	var st bytes.Buffer
	st.WriteString("condition,metric,n,mean,sd,ci_low,ci_high,diff,diff_ci_low,diff_ci_high,effect_size,p_value,p_permutation,p_adjusted\n")
	for _, c := range spec.conditions {
		for _, k := range fixtureMetrics {
			x := finite(values[c.name][k])
			n := len(x)
			mean, sd, lo, hi := math.NaN(), math.NaN(), math.NaN(), math.NaN()
			if n > 0 {
				mean = stat.Mean(x, nil)
			}
			if n > 1 {
				sd = stat.StdDev(x, nil)
				t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(0.975)
				lo, hi = mean-t*sd/math.Sqrt(float64(n)), mean+t*sd/math.Sqrt(float64(n))
			}
			row := []string{c.name, k, strconv.Itoa(n), cell(mean, 4), cell(sd, 4), cell(lo, 4), cell(hi, 4)}
			if c.name == control {
				row = append(row, "", "", "", "", "", "", "")
			} else {
				w := comps[key{c.name, k}]
				pa, ok := padj[key{c.name, k}]
				pas := ""
				if ok {
					pas = cell(pa, 4)
				}
				row = append(row, cell(w.diff, 4), cell(w.lo, 4), cell(w.hi, 4), cell(w.g, 3), cell(w.p, 4),
					cell(permutationP(finite(values[c.name][k]), finite(values[control][k])), 4), pas)
			}
			st.WriteString(strings.Join(row, ",") + "\n")
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "stats.csv"), st.Bytes(), 0o644); err != nil {
		return err
	}

	var ex bytes.Buffer
	ex.WriteString("condition,metric,direction,against,diff,diff_ci_low,diff_ci_high,effect_size,p_value,p_adjusted,alpha,verdict\n")
	const alpha = 0.05
	for i, e := range spec.expectations {
		w := comps[key{e.condition, e.metric}]
		verdict := "inconclusive"
		switch e.direction {
		case ">":
			if adj[i] < alpha && w.diff > 0 {
				verdict = "pass"
			} else if adj[i] < alpha && w.diff < 0 {
				verdict = "fail"
			}
		case "<":
			if adj[i] < alpha && w.diff < 0 {
				verdict = "pass"
			} else if adj[i] < alpha && w.diff > 0 {
				verdict = "fail"
			}
		case "=":
			if w.lo > -e.margin && w.hi < e.margin {
				verdict = "pass"
			} else if adj[i] < alpha && math.Abs(w.diff) > e.margin {
				verdict = "fail"
			}
		}
		row := []string{e.condition, e.metric, e.direction, control, cell(w.diff, 4), cell(w.lo, 4), cell(w.hi, 4),
			cell(w.g, 3), cell(w.p, 4), cell(adj[i], 4), cell(alpha, 2), verdict}
		ex.WriteString(strings.Join(row, ",") + "\n")
	}
	return os.WriteFile(filepath.Join(dir, "expectations.csv"), ex.Bytes(), 0o644)
}

// welch is a Welch two-sample comparison of a against b.
type welch struct{ diff, lo, hi, g, p float64 }

// welchTest returns Welch's t test (two-sided) with the Welch-Satterthwaite
// 95% CI of the difference and Hedges' g with the small-sample correction.
func welchTest(a, b []float64) welch {
	na, nb := float64(len(a)), float64(len(b))
	nan := math.NaN()
	if na < 2 || nb < 2 {
		return welch{nan, nan, nan, nan, nan}
	}
	ma, mb := stat.Mean(a, nil), stat.Mean(b, nil)
	va, vb := stat.Variance(a, nil), stat.Variance(b, nil)
	diff := ma - mb
	se2 := va/na + vb/nb
	if se2 == 0 {
		return welch{diff, diff, diff, nan, nan}
	}
	se := math.Sqrt(se2)
	df := se2 * se2 / ((va/na)*(va/na)/(na-1) + (vb/nb)*(vb/nb)/(nb-1))
	st := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}
	t := diff / se
	p := 2 * st.CDF(-math.Abs(t))
	q := st.Quantile(0.975)
	sp := math.Sqrt(((na-1)*va + (nb-1)*vb) / (na + nb - 2))
	g := diff / sp * (1 - 3/(4*(na+nb)-9))
	return welch{diff, diff - q*se, diff + q*se, g, p}
}

// permutationP is the exact two-sided permutation p of the difference of means.
func permutationP(a, b []float64) float64 {
	if len(a) < 2 || len(b) < 2 {
		return math.NaN()
	}
	all := append(slices.Clone(a), b...)
	obs := math.Abs(stat.Mean(a, nil) - stat.Mean(b, nil))
	n, k := len(all), len(a)
	var count, total int
	for mask := 0; mask < 1<<n; mask++ {
		if popcount(mask) != k {
			continue
		}
		var sa, sb float64
		for i, v := range all {
			if mask&(1<<i) != 0 {
				sa += v
			} else {
				sb += v
			}
		}
		total++
		if math.Abs(sa/float64(k)-sb/float64(n-k)) >= obs-1e-12 {
			count++
		}
	}
	return float64(count) / float64(total)
}

func popcount(x int) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}

// holm returns Holm-Bonferroni adjusted p values in input order.
func holm(p []float64) []float64 {
	idx := make([]int, len(p))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return p[idx[i]] < p[idx[j]] })
	out := make([]float64, len(p))
	run := 0.0
	for r, i := range idx {
		v := math.Min(1, float64(len(p)-r)*p[i])
		run = math.Max(run, v)
		out[i] = run
	}
	return out
}

func finite(x []float64) []float64 {
	var out []float64
	for _, v := range x {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			out = append(out, v)
		}
	}
	return out
}

// cell formats a number for a CSV cell; NaN is an empty cell.
func cell(v float64, prec int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if s == "-"+strconv.FormatFloat(0, 'f', prec, 64) {
		s = s[1:]
	}
	return s
}

func maps(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func writeSummary(dir, cond string, seed int, m map[string]float64, failure string) error {
	var b bytes.Buffer
	status := "ok"
	if failure != "" {
		status = "failed"
	}
	fmt.Fprintf(&b, "{\n  \"condition\": %q,\n  \"seed\": %d,\n  \"status\": %q,\n  \"error\": %q", cond, seed, status, failure)
	for _, k := range fixtureMetrics {
		v := "null"
		if !math.IsNaN(m[k]) {
			v = cell(m[k], 4)
		}
		fmt.Fprintf(&b, ",\n  %q: %s", k, v)
	}
	b.WriteString("\n}\n")
	return os.WriteFile(filepath.Join(dir, "summary.json"), b.Bytes(), 0o644)
}

// ---- one synthetic run ----

type fxEpoch struct {
	start float64
	stage string
}

type fxCycle struct {
	start, end, nrem, rem float64
}

type fxMemory struct {
	id                    int
	kind                  string
	valence, arousal, enc float64
	replay                int
	hipp, cort, score     float64
	recalled              bool
	class                 int
	z                     []float64
	img                   []float64
}

type fxDream struct {
	id                                int
	start, dur                        float64
	stage                             string
	sources                           []int
	novelty, bizarre, affect, arousal float64
	gate                              float64
	recalled                          bool
	class                             int
	z                                 []float64
	img                               []float64
}

type fxRun struct {
	cond     fixtureCondition
	epochs   []fxEpoch
	cycles   []fxCycle
	memories []fxMemory
	dreams   []fxDream
	genErr   float64
	activity [][]float64 // rows: t, ne, mch, pfc, amy, ripples, dreaming
	stages   []string    // stage per activity row
}

var fixtureClasses = []string{"ring", "bar", "cross", "blob", "corner", "wave"}

const (
	fxImage  = 16  // image side in pixels
	fxLatent = 8   // latent dimensions
	fxNight  = 480 // minutes in bed
)

// simulateFixtureRun makes up one plausible run.
func simulateFixtureRun(rng *rand.Rand, c fixtureCondition) *fxRun {
	r := &fxRun{cond: c}
	r.makeNight(rng)
	r.makeMemories(rng)
	r.makeDreams(rng)
	r.makeActivity(rng)
	// Hoel 2021: noisier (less gated) dreams generalise better, up to a point.
	g := c.pfcREM
	r.genErr = 0.22 + 0.25*(g-0.25)*(g-0.25) + 0.1*g + 0.015*rng.NormFloat64()
	return r
}

// makeNight builds a hypnogram of about five NREM-REM cycles whose N3 fades
// and whose REM episodes lengthen across the night (Carskadon & Dement).
func (r *fxRun) makeNight(rng *rand.Rand) {
	type seg struct {
		stage string
		min   float64
	}
	q := func(x float64) float64 { return math.Max(0.5, math.Round(x*2)/2) }
	segs := []seg{{"W", q(5 + 10*rng.Float64())}, {"N1", q(2 + 3*rng.Float64())}}
	remLen := []float64{9, 17, 23, 29, 34, 36}
	n3Len := []float64{38, 26, 9, 3, 0, 0}
	t := segs[0].min + segs[1].min
	var cycles []fxCycle
	for k := 0; t < fxNight; k++ {
		start := t
		if k == 0 {
			start = segs[0].min // the first cycle starts at sleep onset
		}
		if k > 0 {
			segs = append(segs, seg{"N1", q(1 + 2*rng.Float64())})
		}
		length := 88 + 6*rng.NormFloat64()
		rem := q(remLen[min(k, 5)] + 3*rng.NormFloat64())
		n3 := 0.0
		if n3Len[min(k, 5)] > 0 {
			n3 = q(n3Len[min(k, 5)] + 4*rng.NormFloat64())
		}
		n2a := q(12 + 4*rng.Float64())
		n2b := q(length - rem - n3 - n2a)
		segs = append(segs, seg{"N2", n2a})
		if n3 > 0 {
			segs = append(segs, seg{"N3", n3})
		}
		if rng.Float64() < 0.5 {
			// A brief arousal in the second N2 bout.
			first := q(n2b * rng.Float64())
			segs = append(segs, seg{"N2", first}, seg{"W", q(0.5 + 1.5*rng.Float64())}, seg{"N2", q(n2b - first)})
		} else {
			segs = append(segs, seg{"N2", n2b})
		}
		segs = append(segs, seg{"R", rem})
		total := func() float64 {
			var sum float64
			for _, s := range segs {
				sum += s.min
			}
			return sum
		}
		cycles = append(cycles, fxCycle{start: start, end: total()})
		if rng.Float64() < 0.4 {
			segs = append(segs, seg{"W", q(0.5 + rng.Float64())})
		}
		t = total()
	}
	// Epochs until lights-on.
	var stages []string
	for _, s := range segs {
		for i := 0; i < int(math.Round(s.min*2)); i++ {
			stages = append(stages, s.stage)
		}
	}
	stages = stages[:fxNight*2]
	for i, s := range stages {
		r.epochs = append(r.epochs, fxEpoch{start: float64(i) * 0.5, stage: s})
	}
	// Cycles that ended before lights-on with their NREM and REM minutes.
	for _, cy := range cycles {
		if cy.end > fxNight {
			break
		}
		for i := int(cy.start * 2); i < int(cy.end*2); i++ {
			switch stages[i] {
			case "R":
				cy.rem += 0.5
			case "N1", "N2", "N3":
				cy.nrem += 0.5
			}
		}
		r.cycles = append(r.cycles, cy)
	}
}

func (r *fxRun) stageAt(t float64) string {
	i := int(math.Floor(t * 2))
	if i < 0 || i >= len(r.epochs) {
		return "W"
	}
	return r.epochs[i].stage
}

// classImage draws the prototype of a class with a small random shift.
func classImage(rng *rand.Rand, class int) []float64 {
	img := make([]float64, fxImage*fxImage)
	dx, dy := rng.IntN(3)-1, rng.IntN(3)-1
	c := float64(fxImage-1) / 2
	for y := 0; y < fxImage; y++ {
		for x := 0; x < fxImage; x++ {
			u, v := float64(x-dx)-c, float64(y-dy)-c
			var val float64
			switch fixtureClasses[class] {
			case "ring":
				val = math.Exp(-math.Pow(math.Hypot(u, v)-5, 2) / 1.2)
			case "bar":
				val = math.Exp(-u*u/2) * b2f(math.Abs(v) < 6)
			case "cross":
				val = math.Max(math.Exp(-u*u/1.5)*b2f(math.Abs(v) < 6), math.Exp(-v*v/1.5)*b2f(math.Abs(u) < 6))
			case "blob":
				val = math.Exp(-(u*u + v*v) / 14)
			case "corner":
				val = math.Max(math.Exp(-(u+4)*(u+4)/1.5)*b2f(v > -5 && v < 6), math.Exp(-(v-5)*(v-5)/1.5)*b2f(u > -5 && u < 6))
			case "wave":
				val = math.Exp(-math.Pow(v-3.5*math.Sin(u/2), 2) / 1.5)
			}
			img[y*fxImage+x] = clamp01(val + 0.04*rng.NormFloat64())
		}
	}
	return img
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func clamp01(x float64) float64 { return math.Min(1, math.Max(0, x)) }

func clamp(x, lo, hi float64) float64 { return math.Min(hi, math.Max(lo, x)) }

// makeMemories encodes 24 episodes (half emotional) and applies MCH forgetting
// in REM with emotional protection, and replay-driven consolidation.
func (r *fxRun) makeMemories(rng *rand.Rand) {
	centres := make([][]float64, len(fixtureClasses))
	for k := range centres {
		centres[k] = make([]float64, fxLatent)
		for d := range centres[k] {
			centres[k][d] = 2.2 * rng.NormFloat64()
		}
	}
	remMin := 0.0
	for _, e := range r.epochs {
		if e.stage == "R" {
			remMin += 0.5
		}
	}
	for i := 0; i < 48; i++ {
		m := fxMemory{id: i + 1, kind: "neutral", class: rng.IntN(len(fixtureClasses))}
		if i%2 == 1 {
			m.kind = "emotional"
			m.valence = 0.5 + 0.5*rng.Float64()
			if rng.Float64() < 0.65 {
				m.valence = -m.valence
			}
			m.arousal = 0.6 + 0.4*rng.Float64()
		} else {
			m.valence = 0.4*rng.Float64() - 0.2
			m.arousal = 0.1 + 0.3*rng.Float64()
		}
		m.enc = 0.25 + 0.75*rng.Float64()
		m.replay = poisson(rng, 1+5*m.enc+3*m.arousal)
		protect := 1 - 0.55*m.arousal // amygdala tag protects emotional traces
		forget := r.cond.forget * protect * (0.8 + 0.2*remMin/100)
		m.hipp = clamp01(m.enc * math.Exp(-forget) * (1 + 0.1*rng.NormFloat64()))
		m.cort = clamp01(1 - math.Exp(-0.08*float64(m.replay)))
		m.score = clamp01(math.Max(m.hipp, 0.85*m.cort) + 0.05*rng.NormFloat64())
		m.recalled = m.score > 0.42
		m.z = make([]float64, fxLatent)
		for d := range m.z {
			m.z[d] = centres[m.class][d] + 0.6*rng.NormFloat64()
		}
		m.img = classImage(rng, m.class)
		r.memories = append(r.memories, m)
	}
}

// makeDreams generates dreams in REM (gate = PFC in REM) and a few in N2
// (gate about 0.5): two source memories, chosen with an arousal bias, are
// mixed as in PAD (Deperrois et al. 2022) with noise that grows as the gate
// falls.
func (r *fxRun) makeDreams(rng *rand.Rand) {
	// Periods of REM and long N2 bouts.
	type period struct {
		stage      string
		start, end float64
	}
	var periods []period
	for i := 0; i < len(r.epochs); {
		j := i
		for j < len(r.epochs) && r.epochs[j].stage == r.epochs[i].stage {
			j++
		}
		st := r.epochs[i].stage
		if st == "R" || (st == "N2" && j-i >= 20) {
			periods = append(periods, period{st, r.epochs[i].start, r.epochs[j-1].start + 0.5})
		}
		i = j
	}
	weights := make([]float64, len(r.memories))
	for i, m := range r.memories {
		weights[i] = 0.3 + m.arousal
	}
	pick := func() int {
		var tot float64
		for _, w := range weights {
			tot += w
		}
		u := rng.Float64() * tot
		for i, w := range weights {
			if u < w {
				return i
			}
			u -= w
		}
		return len(weights) - 1
	}
	// Typical within-class distance between memory latents.
	var within []float64
	for i := range r.memories {
		for j := i + 1; j < len(r.memories); j++ {
			if r.memories[i].class == r.memories[j].class {
				within = append(within, dist(r.memories[i].z, r.memories[j].z))
			}
		}
	}
	typical := stat.Mean(within, nil)
	id := 0
	for _, p := range periods {
		n := 0
		switch p.stage {
		case "R":
			n = 1 + poisson(rng, 0.9)
		case "N2":
			if rng.Float64() < 0.35 {
				n = 1
			}
		}
		for k := 0; k < n; k++ {
			id++
			d := fxDream{id: id, stage: p.stage}
			d.dur = math.Min(p.end-p.start, 1.5+2.5*rng.Float64())
			d.start = p.start + (p.end-p.start-d.dur)*rng.Float64()
			d.gate = r.cond.pfcREM
			if p.stage == "N2" {
				d.gate = 0.5
			}
			d.gate = clamp01(d.gate + 0.04*rng.NormFloat64())
			a, b := pick(), pick()
			for b == a {
				b = pick()
			}
			ma, mb := r.memories[a], r.memories[b]
			d.sources = []int{ma.id, mb.id}
			noise := 0.9 * (1 - d.gate)
			d.z = make([]float64, fxLatent)
			for j := range d.z {
				d.z[j] = (1-noise)*(0.5*ma.z[j]+0.5*mb.z[j]) + noise*2.2*rng.NormFloat64()
			}
			nearest := math.Inf(1)
			for _, m := range r.memories {
				nearest = math.Min(nearest, dist(d.z, m.z))
			}
			d.novelty = nearest / typical
			cross := b2f(ma.class != mb.class)
			d.bizarre = clamp01(0.1 + 0.65*(1-d.gate) + 0.15*cross + 0.06*rng.NormFloat64())
			d.affect = clamp(1.3*(ma.valence+mb.valence)/2+0.15*rng.NormFloat64(), -1, 1)
			d.arousal = clamp01((ma.arousal+mb.arousal)/2 + 0.05 + 0.1*rng.NormFloat64())
			d.class = ma.class
			if rng.Float64() < 0.5 {
				d.class = mb.class
			}
			pRecall := 0.1 + 0.45*math.Abs(d.affect) + 0.25*d.gate - 1.2*(r.cond.mchREM-0.75)
			if d.affect < -0.5 && d.arousal > 0.7 {
				pRecall += 0.2
			}
			d.recalled = rng.Float64() < clamp01(pRecall)
			d.img = make([]float64, fxImage*fxImage)
			for j := range d.img {
				d.img[j] = clamp01((1-noise/2)*(0.55*ma.img[j]+0.55*mb.img[j]) + noise/2*rng.Float64()*0.6 + 0.03*rng.NormFloat64())
			}
			r.dreams = append(r.dreams, d)
		}
	}
}

func dist(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += (a[i] - b[i]) * (a[i] - b[i])
	}
	return math.Sqrt(s)
}

func poisson(rng *rand.Rand, mean float64) int {
	l, k, p := math.Exp(-mean), 0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// makeActivity samples region activity every 0.5 min from 60 min before
// lights-off: NE wake > NREM > REM with a descent before REM (Kjaerby et al.
// 2022), MCH on in REM (Hassani et al. 2009), PFC down and amygdala up in REM
// (Maquet et al. 1996), ripples by stage (Jiang et al. 2020).
func (r *fxRun) makeActivity(rng *rand.Rand) {
	level := map[string][5]float64{ // ne, mch, pfc, amygdala, ripples per min
		"W":  {0.78, 0.02, 0.8, 0.5, 1},
		"N1": {0.5, 0.04, 0.6, 0.4, 3},
		"N2": {0.38, r.cond.mchNREM, 0.5, 0.35, 9},
		"N3": {0.26, r.cond.mchNREM, 0.42, 0.3, 15},
		"R":  {0.03, r.cond.mchREM, r.cond.pfcREM, 0.7, 1},
	}
	var remOn []float64
	for i := 1; i < len(r.epochs); i++ {
		if r.epochs[i].stage == "R" && r.epochs[i-1].stage != "R" {
			remOn = append(remOn, r.epochs[i].start)
		}
	}
	state := [4]float64{0.78, 0.02, 0.8, 0.5}
	for t := -60.0; t < fxNight; t += 0.5 {
		st := r.stageAt(t)
		lv := level[st]
		target := [4]float64{lv[0], lv[1], lv[2], lv[3]}
		if st == "N2" || st == "N3" {
			// Infraslow NE oscillation (about 50 s) sampled every 30 s,
			// and the long NE descent before REM onset.
			target[0] += 0.08 * math.Sin(2*math.Pi*t/0.83)
			for _, on := range remOn {
				if on > t && on-t < 6 {
					target[0] *= (on - t) / 6
				}
			}
		}
		for k := range state {
			state[k] += (target[k] - state[k]) * 0.6 // first-order smoothing, tau about 0.5 min
			state[k] = clamp01(state[k] + 0.025*rng.NormFloat64())
		}
		ripples := float64(poisson(rng, lv[4]*0.5)) / 0.5
		var dreaming float64
		for _, d := range r.dreams {
			lo, hi := math.Max(t, d.start), math.Min(t+0.5, d.start+d.dur)
			if hi > lo {
				dreaming += (hi - lo) / 0.5
			}
		}
		r.activity = append(r.activity, []float64{t, state[0], state[1], state[2], state[3], ripples, clamp01(dreaming)})
		r.stages = append(r.stages, st)
	}
}

// metrics computes the run's row of results.csv.
func (r *fxRun) metrics() map[string]float64 {
	m := make(map[string]float64)
	rec := func(kind string) float64 {
		var n, k float64
		for _, mm := range r.memories {
			if kind == "" || mm.kind == kind {
				n++
				k += b2f(mm.recalled)
			}
		}
		return k / n
	}
	m["retention"] = rec("")
	m["retention_emotional"] = rec("emotional")
	m["retention_neutral"] = rec("neutral")
	m["emotional_advantage"] = m["retention_emotional"] - m["retention_neutral"]
	m["dream_count"] = float64(len(r.dreams))
	var recalled, nm, nmRecalled float64
	var nov, biz []float64
	for _, d := range r.dreams {
		recalled += b2f(d.recalled)
		if d.affect < -0.5 && d.arousal > 0.7 {
			nm++
			nmRecalled += b2f(d.recalled)
		}
		nov = append(nov, d.novelty)
		biz = append(biz, d.bizarre)
	}
	m["dream_recall_rate"] = recalled / float64(len(r.dreams))
	m["nightmare_recall_rate"] = math.NaN()
	if nm > 0 {
		m["nightmare_recall_rate"] = nmRecalled / nm
	}
	m["dream_novelty"] = stat.Mean(nov, nil)
	m["dream_bizarreness"] = stat.Mean(biz, nil)
	m["generalization_error"] = r.genErr
	var tst, counts = 0.0, map[string]float64{}
	onset, remLatency := -1.0, math.NaN()
	for _, e := range r.epochs {
		if e.stage != "W" {
			tst += 0.5
			counts[e.stage] += 0.5
			if onset < 0 {
				onset = e.start
			}
			if e.stage == "R" && math.IsNaN(remLatency) {
				remLatency = e.start - onset
			}
		}
	}
	m["rem_fraction"] = counts["R"] / tst
	m["n3_fraction"] = counts["N3"] / tst
	m["n2_fraction"] = counts["N2"] / tst
	m["n1_fraction"] = counts["N1"] / tst
	m["sleep_efficiency"] = tst / fxNight
	m["rem_latency_min"] = remLatency
	m["cycle_count"] = float64(len(r.cycles))
	var lens []float64
	for _, c := range r.cycles {
		lens = append(lens, c.end-c.start)
	}
	m["mean_cycle_min"] = stat.Mean(lens, nil)
	return m
}

// write writes the run's files; full adds the large ones (activity, images).
func (r *fxRun) write(dir string, nightColumn, full bool) error {
	var b bytes.Buffer
	if nightColumn {
		b.WriteString("night,epoch,start_min,stage\n")
	} else {
		b.WriteString("epoch,start_min,stage\n")
	}
	for i, e := range r.epochs {
		if nightColumn {
			b.WriteString("1,")
		}
		fmt.Fprintf(&b, "%d,%s,%s\n", i+1, cell(e.start, 1), e.stage)
	}
	files := map[string][]byte{"hypnogram.csv": slices.Clone(b.Bytes())}

	b.Reset()
	b.WriteString("night,cycle,start_min,end_min,nrem_min,rem_min\n")
	for i, c := range r.cycles {
		fmt.Fprintf(&b, "1,%d,%s,%s,%s,%s\n", i+1, cell(c.start, 1), cell(c.end, 1), cell(c.nrem, 1), cell(c.rem, 1))
	}
	files["cycles.csv"] = slices.Clone(b.Bytes())

	b.Reset()
	b.WriteString("id,day,kind,valence,arousal,encoding_strength,replay_count,hippocampal_strength,cortical_strength,recalled,recall_score,class\n")
	for _, m := range r.memories {
		fmt.Fprintf(&b, "%d,1,%s,%s,%s,%s,%d,%s,%s,%d,%s,%s\n", m.id, m.kind, cell(m.valence, 3), cell(m.arousal, 3),
			cell(m.enc, 3), m.replay, cell(m.hipp, 3), cell(m.cort, 3), int(b2f(m.recalled)), cell(m.score, 3), fixtureClasses[m.class])
	}
	files["memories.csv"] = slices.Clone(b.Bytes())

	b.Reset()
	b.WriteString("id,start_min,stage,sources,novelty,bizarreness,affect,recalled,gate,class,arousal\n")
	for _, d := range r.dreams {
		src := make([]string, len(d.sources))
		for i, s := range d.sources {
			src[i] = strconv.Itoa(s)
		}
		fmt.Fprintf(&b, "%d,%s,%s,%s,%s,%s,%s,%d,%s,%s,%s\n", d.id, cell(d.start, 1), d.stage, strings.Join(src, ";"),
			cell(d.novelty, 3), cell(d.bizarre, 3), cell(d.affect, 3), int(b2f(d.recalled)), cell(d.gate, 3),
			fixtureClasses[d.class], cell(d.arousal, 3))
	}
	files["dreams.csv"] = slices.Clone(b.Bytes())

	b.Reset()
	b.WriteString("kind,id,class,gate")
	for d := 0; d < fxLatent; d++ {
		fmt.Fprintf(&b, ",z%d", d)
	}
	b.WriteString("\n")
	writeZ := func(z []float64) {
		for _, v := range z {
			b.WriteString("," + cell(v, 3))
		}
		b.WriteString("\n")
	}
	for _, m := range r.memories {
		fmt.Fprintf(&b, "memory,%d,%s,", m.id, fixtureClasses[m.class])
		writeZ(m.z)
	}
	for _, d := range r.dreams {
		fmt.Fprintf(&b, "dream,%d,%s,%s", d.id, fixtureClasses[d.class], cell(d.gate, 3))
		writeZ(d.z)
	}
	files["latents.csv"] = slices.Clone(b.Bytes())

	if full {
		b.Reset()
		b.WriteString("t_min,stage,lc.ne,mch.rate,pfc.rate,amygdala.rate,hippocampus.ripples_per_min,cortex.dreaming\n")
		for i, a := range r.activity {
			fmt.Fprintf(&b, "%s,%s,%s,%s,%s,%s,%s,%s\n", cell(a[0], 1), r.stages[i], cell(a[1], 3), cell(a[2], 3),
				cell(a[3], 3), cell(a[4], 3), cell(a[5], 1), cell(a[6], 3))
		}
		files["activity.csv"] = slices.Clone(b.Bytes())

		b.Reset()
		b.WriteString("kind,id,width,height,pixels\n")
		writeImg := func(kind string, id int, img []float64) {
			px := make([]string, len(img))
			for i, v := range img {
				px[i] = cell(v, 3)
			}
			fmt.Fprintf(&b, "%s,%d,%d,%d,%s\n", kind, id, fxImage, fxImage, strings.Join(px, " "))
		}
		for _, m := range r.memories {
			writeImg("memory", m.id, m.img)
		}
		for _, d := range r.dreams {
			writeImg("dream", d.id, d.img)
		}
		files["images.csv"] = slices.Clone(b.Bytes())
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
