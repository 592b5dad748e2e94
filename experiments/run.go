package experiments

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/dreamsim/dreamsim/generative"
	"github.com/dreamsim/dreamsim/regions"
	"github.com/dreamsim/dreamsim/sim"
	"github.com/dreamsim/dreamsim/sim/sleep"
)

// Run is one condition at one seed.
type Run struct {
	Condition string
	Seed      uint64
}

// Dir returns the run's folder inside an experiment folder.
func (r Run) Dir(out string) string {
	return filepath.Join(out, "runs", r.Condition, fmt.Sprintf("seed-%d", r.Seed))
}

// RunResult is what a finished run reports.
type RunResult struct {
	Run
	Metrics map[string]float64
	Err     error // the run failed (numerical fault, bad custom region)
}

// night is one sleep phase of a run.
type night struct {
	index int // 1-based
	day   int
	seg   int // index into the timeline's segments
	hyp   sleep.Hypnogram
}

// protocol is a run's timeline and day plans.
type protocol struct {
	tl     *sim.Timeline
	plans  []regions.DayPlan
	nights []night
}

// buildProtocol lays out the phases of cfg as a timeline. Each model night
// draws from its own stream, so nights differ within a run and repeat
// across conditions of the same seed.
func buildProtocol(cfg *Config, seed uint64) (*protocol, error) {
	var segs []sim.Segment
	var p protocol
	day := 0
	var starts []float64 // minutes from protocol start
	at := 0.0
	for _, ph := range cfg.Phases {
		switch ph.Kind {
		case "wake":
			day++
			n := int(math.Round(ph.Minutes * 2))
			segs = append(segs, sim.Segment{Phase: sim.Wake, Day: day, Night: sleep.Hypnogram{Epochs: make([]sleep.Stage, n)}})
			starts = append(starts, at)
			at += float64(n) / 2
		case "sleep":
			var h sleep.Hypnogram
			var err error
			switch cfg.Clock.Source {
			case "model":
				h, err = sleep.Generate(cfg.Clock.Model, sim.Stream(seed, fmt.Sprintf("clock/night-%d", len(p.nights)+1)))
			case "schedule":
				var blocks []sleep.ScheduleBlock
				for _, b := range cfg.Clock.Schedule {
					st, _ := sleep.ParseStage(b.Stage)
					blocks = append(blocks, sleep.ScheduleBlock{Stage: st, Minutes: b.Minutes})
				}
				h, err = sleep.FromSchedule(blocks)
			case "hypnogram":
				h = cfg.night
			}
			if err != nil {
				return nil, fmt.Errorf("clock: %w", err)
			}
			p.nights = append(p.nights, night{index: len(p.nights) + 1, day: max(day, 1), seg: len(segs), hyp: h})
			segs = append(segs, sim.Segment{Phase: sim.Sleep, Day: max(day, 1), Night: h})
			starts = append(starts, at)
			at += h.DurationMin()
		}
	}
	tl, err := sim.NewTimeline(cfg.Sim.DtS, segs...)
	if err != nil {
		return nil, err
	}
	p.tl = tl
	day = 0
	i := 0
	for _, ph := range cfg.Phases {
		if ph.Kind == "test" {
			continue
		}
		if ph.Kind == "wake" {
			day++
			p.plans = append(p.plans, regions.DayPlan{
				Day: day, StartMin: starts[i] - tl.OriginMin(), DurationMin: ph.Minutes,
				Episodes: ph.Episodes, EmotionalFraction: ph.EmotionalFraction, NegativeFraction: ph.NegativeFraction,
				Repetitions: ph.Repetitions, Variation: ph.Variation,
			})
		}
		i++
	}
	return &p, nil
}

func ticks(seconds, dt float64) sim.Tick {
	return sim.Tick(math.Max(1, math.Round(seconds/dt)))
}

// assemble builds the regions and wiring of a run.
func assemble(cfg *Config, content *generative.Content, p *protocol) (*regions.Brain, sim.Wiring, error) {
	brain, err := regions.Build(cfg.Regions, content, p.plans, cfg.Manipulations)
	if err != nil {
		return nil, sim.Wiring{}, err
	}
	w := sim.Wiring{Regions: brain.Regions(), Connections: regions.DefaultConnections(ticks(cfg.Sim.DelayS, cfg.Sim.DtS))}
	for _, cr := range cfg.Custom {
		r, err := regions.NewRegion(cr.Kind, cr.Name, paramsDecoder(cr.Name, cr.Params))
		if err != nil {
			return nil, sim.Wiring{}, fmt.Errorf("region %q: %w", cr.Name, err)
		}
		if r.Name() != cr.Name {
			return nil, sim.Wiring{}, fmt.Errorf("region %q: its factory returned a region named %q", cr.Name, r.Name())
		}
		w.Regions = append(w.Regions, r)
	}
	for _, cp := range cfg.Connections {
		delay := cfg.Sim.DelayS
		if cp.DelayS != 0 {
			delay = cp.DelayS
		}
		c := sim.Connection{From: cp.From, Output: cp.Output, To: cp.To, Input: cp.Input, Delay: ticks(delay, cfg.Sim.DtS)}
		replaced := false
		for i, old := range w.Connections {
			if old.From == c.From && old.Output == c.Output && old.To == c.To && (c.Input == "" || c.Input == old.Input) {
				if c.Input == "" {
					c.Input = old.Input
				}
				w.Connections[i] = c
				replaced = true
			}
		}
		if !replaced {
			w.Connections = append(w.Connections, c)
		}
	}
	return brain, w, nil
}

// RunOne runs one condition at one seed and writes its folder under out.
// The folder appears complete or not at all: files are written to a
// temporary folder renamed into place at the end. A failed run (a
// numerical fault) still gets a folder, whose summary.json says why.
func RunOne(ctx context.Context, x *Experiment, r Run, out string, exec sim.Executor) (RunResult, error) {
	cond, ok := x.Condition(r.Condition)
	if !ok {
		return RunResult{}, fmt.Errorf("unknown condition %q", r.Condition)
	}
	final := r.Dir(out)
	tmp := filepath.Join(filepath.Dir(final), "."+filepath.Base(final)+".partial")
	if err := os.RemoveAll(tmp); err != nil {
		return RunResult{}, err
	}
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return RunResult{}, fmt.Errorf("cannot create run folder: %w", err)
	}
	res := RunResult{Run: r}
	metrics, runErr := simulate(ctx, &cond.Config, r.Seed, tmp, exec)
	if runErr != nil && ctx.Err() != nil {
		os.RemoveAll(tmp)
		return res, ctx.Err()
	}
	var ioErr *outputError
	if errors.As(runErr, &ioErr) {
		os.RemoveAll(tmp)
		return res, runErr
	}
	res.Metrics, res.Err = metrics, runErr
	if err := writeSummary(filepath.Join(tmp, "summary.json"), x, res); err != nil {
		os.RemoveAll(tmp)
		return res, err
	}
	if err := os.RemoveAll(final); err != nil {
		return res, err
	}
	if err := os.Rename(tmp, final); err != nil {
		return res, fmt.Errorf("cannot move run folder into place: %w", err)
	}
	return res, nil
}

type progressKey struct{}

// WithProgress returns a context that makes RunOne report how far through
// its protocol the run is (0 to 1) to step, as it goes.
func WithProgress(ctx context.Context, step func(frac float64)) context.Context {
	return context.WithValue(ctx, progressKey{}, step)
}

func progressFrom(ctx context.Context) func(float64) {
	f, _ := ctx.Value(progressKey{}).(func(float64))
	return f
}

// outputError marks a failure to write results (disk full, permissions),
// as opposed to a failure of the simulation itself.
type outputError struct{ err error }

func (e *outputError) Error() string { return "writing results: " + e.err.Error() }
func (e *outputError) Unwrap() error { return e.err }

// simulate runs the protocol and writes the run's files into dir.
func simulate(ctx context.Context, cfg *Config, seed uint64, dir string, exec sim.Executor) (map[string]float64, error) {
	p, err := buildProtocol(cfg, seed)
	if err != nil {
		return nil, err
	}
	cs, err := cfg.Content.ContentSettings()
	if err != nil {
		return nil, err
	}
	content, err := generative.NewContent(cs)
	if err != nil {
		return nil, err
	}
	brain, wiring, err := assemble(cfg, content, p)
	if err != nil {
		return nil, err
	}
	act, err := os.Create(filepath.Join(dir, "activity.csv"))
	if err != nil {
		return nil, &outputError{err}
	}
	defer act.Close()
	var refs []sim.SignalRef
	for _, s := range cfg.Record.Signals {
		r, sig, _ := strings.Cut(s, ".")
		refs = append(refs, sim.SignalRef{Region: r, Signal: sig})
	}
	eng, err := sim.New(wiring, sim.Config{Seed: seed, Timeline: p.tl, Executor: exec,
		Recorders: []sim.RecorderSpec{{Interval: ticks(cfg.Record.IntervalS, cfg.Sim.DtS), Signals: refs, Out: act}}})
	if err != nil {
		return nil, err
	}
	// The night runs in chunks, which give the same bytes as one call, so
	// that a progress display can follow a long protocol.
	total := p.tl.Ticks()
	chunk := total
	step := progressFrom(ctx)
	if step != nil {
		chunk = max(eng.Window(), total/200)
	}
	for eng.Now() < total {
		if err := eng.Run(ctx, eng.Now()+chunk); err != nil {
			var re *sim.RunError
			if !errors.As(err, &re) && ctx.Err() == nil {
				return nil, &outputError{err}
			}
			return nil, err
		}
		if step != nil {
			step(float64(eng.Now()) / float64(total))
		}
	}
	if err := act.Close(); err != nil {
		return nil, &outputError{err}
	}
	test := morningTest(cfg, seed, brain, content, p)
	if err := writeRunFiles(dir, p, brain, content, test); err != nil {
		return nil, &outputError{err}
	}
	return test.metrics(p), nil
}

// recall is the morning test's verdict on one episode.
type recall struct {
	hippocampal, cortical float64
	recalled              bool
	score                 float64
}

// testResult holds everything the morning test measured.
type testResult struct {
	episodes []regions.Episode
	traces   map[int64]regions.Trace
	recalls  map[int64]recall
	dreams   []regions.DreamRecord
	dreamRec map[int64]bool
	awaken   []regions.REMAwakening
	genErr   float64
	oodErr   float64 // generalisation gap on unseen variations; NaN for a day as broad as the world
	readout  float64
	cortical *regions.Cortex
}

// morningTest runs cued recall of every episode (the hippocampal route by
// pattern completion, the cortical route by reconstruction), free recall
// of dreams, and the measures of the generative network.
func morningTest(cfg *Config, seed uint64, b *regions.Brain, content *generative.Content, p *protocol) *testResult {
	t := &testResult{episodes: b.Senses.Episodes(), traces: map[int64]regions.Trace{}, recalls: map[int64]recall{},
		dreams: b.Cortex.Dreams(), dreamRec: map[int64]bool{}, awaken: b.Hippocampus.Awakenings(), cortical: b.Cortex}
	for _, tr := range b.Hippocampus.Traces() {
		t.traces[tr.ID] = tr
	}
	hp := cfg.Regions.Hippocampus
	var train [][]float64
	var labels []int
	for _, e := range t.episodes {
		h, _ := b.Hippocampus.CuedRecall(e.ID)
		c := b.Cortex.RecallScore(regions.CueImage(e.Image, hp.CueFraction), e.Image)
		rc := recall{hippocampal: h, cortical: c}
		rc.recalled = h >= hp.RecallThreshold || c >= b.Cortex.CorticalThreshold()
		rc.score = math.Max(h, c)
		t.recalls[e.ID] = rc
		train = append(train, e.Image)
		labels = append(labels, e.Class)
	}
	for _, d := range t.dreams {
		if tr, ok := t.traces[d.ID]; ok {
			t.dreamRec[d.ID] = tr.Strength >= hp.RecallThreshold
		}
	}
	t.genErr, t.readout, t.oodErr = math.NaN(), math.NaN(), math.NaN()
	if len(train) > 0 {
		// Held-out items from the same classes and the same variation as
		// the (last) day, from a stream of their own.
		rng := sim.Stream(seed, "test/held-out")
		s := content.Settings()
		if n := len(p.plans); n > 0 {
			s.Day = s.World.Narrowed(p.plans[n-1].Variation)
		}
		hc, err := generative.NewContent(s)
		if err == nil {
			held := hc.HeldOut(8*content.Classes(), rng)
			vae := b.Cortex.VAE()
			t.genErr = generative.GeneralizationError(vae, train, generative.Images(held), nil)
			if r, err := generative.TrainReadout(vae.Latents(train), labels, content.Classes(), generative.DefaultReadoutSettings()); err == nil {
				t.readout = r.Accuracy(vae.Latents(generative.Images(held)), generative.Labels(held))
			}
			if ood, err := hc.OutOfDay(8*content.Classes(), rng); err == nil {
				t.oodErr = generative.GeneralizationError(vae, train, generative.Images(ood), nil)
			}
		}
	}
	return t
}

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func frac(n, of int) float64 {
	if of == 0 {
		return math.NaN()
	}
	return float64(n) / float64(of)
}

// metrics computes the run's metrics.
func (t *testResult) metrics(p *protocol) map[string]float64 {
	m := map[string]float64{}
	var all, emo, neu, hs, cs, reps []float64
	for _, e := range t.episodes {
		rc := t.recalls[e.ID]
		v := 0.0
		if rc.recalled {
			v = 1
		}
		all = append(all, v)
		if e.Emotional {
			emo = append(emo, v)
		} else {
			neu = append(neu, v)
		}
		tr := t.traces[e.ID]
		hs = append(hs, tr.Strength)
		cs = append(cs, rc.cortical)
		reps = append(reps, float64(tr.Replays))
	}
	m["retention"], m["retention_emotional"], m["retention_neutral"] = mean(all), mean(emo), mean(neu)
	m["strength_advantage"] = splitAdvantage(t.episodes, all, func(e regions.Episode) float64 { return t.traces[e.ID].Encoding })
	m["replay_advantage"] = splitAdvantage(t.episodes, all, func(e regions.Episode) float64 { return float64(t.traces[e.ID].Replays) })
	m["emotional_advantage"] = m["retention_emotional"] - m["retention_neutral"]
	m["mean_hippocampal_strength"], m["mean_cortical_score"], m["replays_per_memory"] = mean(hs), mean(cs), mean(reps)
	var nov, biz, aff []float64
	rec, nm, nmRec := 0, 0, 0
	for _, d := range t.dreams {
		nov = append(nov, d.Novelty)
		biz = append(biz, d.Bizarreness)
		aff = append(aff, d.Affect)
		if t.dreamRec[d.ID] {
			rec++
		}
		if d.Nightmare() {
			nm++
			if t.dreamRec[d.ID] {
				nmRec++
			}
		}
	}
	m["dream_count"] = float64(len(t.dreams))
	m["dream_recall_rate"] = frac(rec, len(t.dreams))
	m["dreams_recalled"] = float64(rec)
	m["nightmare_count"] = float64(nm)
	m["nightmare_recall_rate"] = frac(nmRec, nm)
	reported := 0
	for _, a := range t.awaken {
		if a.Reported {
			reported++
		}
	}
	m["rem_awakening_recall_rate"] = frac(reported, len(t.awaken))
	m["dream_novelty"], m["dream_bizarreness"], m["dream_affect"] = mean(nov), mean(biz), mean(aff)
	m["generalization_error"], m["readout_accuracy"], m["out_of_day_error"] = t.genErr, t.readout, t.oodErr
	var tst, eff, rem, n3, n2, n1, lat, cyc, mc, aw []float64
	for _, n := range p.nights {
		st := sleep.Analyze(n.hyp)
		tst = append(tst, st.TSTMin)
		eff = append(eff, st.SleepEfficiency)
		rem = append(rem, st.StageFrac[sleep.R])
		n3 = append(n3, st.StageFrac[sleep.N3])
		n2 = append(n2, st.StageFrac[sleep.N2])
		n1 = append(n1, st.StageFrac[sleep.N1])
		lat = append(lat, st.REMLatencyMin)
		cyc = append(cyc, float64(len(st.Cycles)))
		mc = append(mc, st.MeanCycleMin)
		aw = append(aw, float64(st.Awakenings))
	}
	m["tst_min"], m["sleep_efficiency"], m["rem_fraction"], m["n3_fraction"] = mean(tst), mean(eff), mean(rem), mean(n3)
	m["n2_fraction"], m["n1_fraction"], m["rem_latency_min"], m["cycle_count"] = mean(n2), mean(n1), mean(lat), mean(cyc)
	m["mean_cycle_min"], m["awakenings"] = mean(mc), mean(aw)
	return m
}

// splitAdvantage returns the recall rate of the episodes whose key is
// above the run's median minus that of the others (ties at the median go
// to the lower group).
func splitAdvantage(eps []regions.Episode, recalled []float64, key func(regions.Episode) float64) float64 {
	if len(eps) < 2 {
		return math.NaN()
	}
	keys := make([]float64, len(eps))
	for i, e := range eps {
		keys[i] = key(e)
	}
	sorted := slices.Clone(keys)
	slices.Sort(sorted)
	med := sorted[len(sorted)/2]
	if len(sorted)%2 == 0 {
		med = (sorted[len(sorted)/2-1] + sorted[len(sorted)/2]) / 2
	}
	var hi, lo []float64
	for i, k := range keys {
		if k > med {
			hi = append(hi, recalled[i])
		} else {
			lo = append(lo, recalled[i])
		}
	}
	return mean(hi) - mean(lo)
}

// fmtFloat formats a number for the CSV files: six significant digits,
// empty for NaN.
func fmtFloat(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}

func b01(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// csvFile writes rows to a buffered file and remembers the first error.
type csvFile struct {
	f   *os.File
	w   *bufio.Writer
	err error
}

func createCSV(path string, header ...string) *csvFile {
	f, err := os.Create(path)
	c := &csvFile{f: f, err: err}
	if err == nil {
		c.w = bufio.NewWriter(f)
		c.row(header...)
	}
	return c
}

func (c *csvFile) row(fields ...string) {
	if c.err != nil {
		return
	}
	for i, f := range fields {
		if i > 0 {
			c.w.WriteByte(',')
		}
		if strings.ContainsAny(f, ",\"\n") {
			f = `"` + strings.ReplaceAll(f, `"`, `""`) + `"`
		}
		c.w.WriteString(f)
	}
	_, c.err = c.w.WriteString("\n")
}

func (c *csvFile) close() error {
	if c.err != nil {
		if c.f != nil {
			c.f.Close()
		}
		return c.err
	}
	if err := c.w.Flush(); err != nil {
		c.f.Close()
		return err
	}
	return c.f.Close()
}

func pixels(img []float64) string {
	var b strings.Builder
	for i, v := range img {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.FormatFloat(v, 'f', 3, 64))
	}
	return b.String()
}

// writeRunFiles writes hypnogram.csv, cycles.csv, memories.csv,
// dreams.csv, images.csv and latents.csv.
func writeRunFiles(dir string, p *protocol, b *regions.Brain, content *generative.Content, t *testResult) error {
	var errs []error
	multi := len(p.nights) > 1
	head := []string{"epoch", "start_min", "stage"}
	if multi {
		head = append(head, "night")
	}
	hyp := createCSV(filepath.Join(dir, "hypnogram.csv"), head...)
	cyc := createCSV(filepath.Join(dir, "cycles.csv"), "night", "cycle", "start_min", "end_min", "nrem_min", "rem_min")
	for _, n := range p.nights {
		for i, s := range n.hyp.Epochs {
			row := []string{strconv.Itoa(i), strconv.FormatFloat(float64(i)*sleep.EpochMin, 'f', 1, 64), s.String()}
			if multi {
				row = append(row, strconv.Itoa(n.index))
			}
			hyp.row(row...)
		}
		for i, c := range sleep.Analyze(n.hyp).Cycles {
			cyc.row(strconv.Itoa(n.index), strconv.Itoa(i+1), fmtFloat(c.StartMin), fmtFloat(c.EndMin), fmtFloat(c.NREMMin), fmtFloat(c.REMMin))
		}
	}
	errs = append(errs, hyp.close(), cyc.close())
	mem := createCSV(filepath.Join(dir, "memories.csv"), "id", "day", "kind", "valence", "arousal", "encoding_strength",
		"replay_count", "hippocampal_strength", "cortical_strength", "recalled", "recall_score", "class")
	img := createCSV(filepath.Join(dir, "images.csv"), "kind", "id", "width", "height", "pixels")
	lat := createCSV(filepath.Join(dir, "latents.csv"), latentHeader(b.Cortex.VAE().Settings().Latent)...)
	side := strconv.Itoa(content.Settings().Side)
	vae := b.Cortex.VAE()
	for _, e := range t.episodes {
		tr := t.traces[e.ID]
		rc := t.recalls[e.ID]
		kind := "neutral"
		if e.Emotional {
			kind = "emotional"
		}
		id := strconv.FormatInt(e.ID, 10)
		mem.row(id, strconv.Itoa(e.Day), kind, fmtFloat(e.Valence), fmtFloat(e.Arousal), fmtFloat(tr.Encoding),
			strconv.Itoa(tr.Replays), fmtFloat(tr.Strength), fmtFloat(rc.cortical), b01(rc.recalled), fmtFloat(rc.score), content.ClassName(e.Class))
		img.row("memory", id, side, side, pixels(e.Image))
		mu, _ := vae.Encode(e.Image)
		lat.row(append([]string{"memory", id, content.ClassName(e.Class), ""}, floats(mu)...)...)
	}
	dr := createCSV(filepath.Join(dir, "dreams.csv"), "id", "start_min", "stage", "sources", "novelty", "bizarreness",
		"affect", "recalled", "gate", "class", "arousal")
	for _, d := range t.dreams {
		var src []string
		for _, s := range d.Sources {
			src = append(src, strconv.FormatInt(s, 10))
		}
		class := ""
		if d.Class >= 0 {
			class = content.ClassName(d.Class)
		}
		id := strconv.FormatInt(d.ID, 10)
		dr.row(id, strconv.FormatFloat(d.StartMin, 'f', 2, 64), d.Stage.String(), strings.Join(src, ";"), fmtFloat(d.Novelty),
			fmtFloat(d.Bizarreness), fmtFloat(d.Affect), b01(t.dreamRec[d.ID]), fmtFloat(d.Gate), class, fmtFloat(d.Arousal))
		img.row("dream", id, side, side, pixels(d.Image))
		lat.row(append([]string{"dream", id, class, fmtFloat(d.Gate)}, floats(d.Latent)...)...)
	}
	errs = append(errs, mem.close(), dr.close(), img.close(), lat.close())
	return errors.Join(errs...)
}

func latentHeader(n int) []string {
	h := []string{"kind", "id", "class", "gate"}
	for i := range n {
		h = append(h, fmt.Sprintf("z%d", i))
	}
	return h
}

func floats(xs []float64) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = fmtFloat(x)
	}
	return out
}

// writeSummary writes summary.json: condition, seed, status, error and
// every metric (null when undefined), keys in a fixed order.
func writeSummary(path string, x *Experiment, r RunResult) error {
	var b strings.Builder
	b.WriteString("{\n")
	w := func(k string, v any) {
		enc, _ := json.Marshal(v)
		fmt.Fprintf(&b, "  %q: %s,\n", k, enc)
	}
	w("experiment", x.Info.Name)
	w("config_hash", x.Hash)
	w("condition", r.Condition)
	w("seed", r.Seed)
	if r.Err != nil {
		w("status", "failed")
		w("error", r.Err.Error())
	} else {
		w("status", "ok")
	}
	for i, k := range Metrics {
		v, ok := r.Metrics[k]
		val := "null"
		if ok && !math.IsNaN(v) && !math.IsInf(v, 0) {
			val = strconv.FormatFloat(v, 'g', 10, 64)
		}
		sep := ","
		if i == len(Metrics)-1 {
			sep = ""
		}
		fmt.Fprintf(&b, "  %q: %s%s\n", k, val, sep)
	}
	b.WriteString("}\n")
	return writeFileAtomic(path, []byte(b.String()))
}

// writeFileAtomic writes a file through a temporary name and a rename, so
// that no reader ever sees half of it.
func writeFileAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}
