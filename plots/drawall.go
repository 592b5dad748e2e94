package plots

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// maxHypnogramPanels is how many control seeds the hypnogram figure shows.
const maxHypnogramPanels = 3

// Skipped names a figure that BuildFigures did not draw, and why.
type Skipped struct {
	Figure string // Figure is the figure's file stem.
	Reason string // Reason says which data is missing.
}

// figureBuilder builds the figures of one kind from an experiment (one,
// or one per night); it returns a skip reason instead of figures when the
// folder has no data for them.
type figureBuilder struct {
	name  string
	build func(*Experiment) ([]*Figure, string, error)
}

// builders lists the figures in report order.
var builders = []figureBuilder{
	{"hypnogram", single(buildHypnogram)},
	{"activity", buildActivity},
	{"memory-survival", single(buildSurvival)},
	{"dream-gallery", single(buildGallery)},
	{"latent-map", single(buildLatentMap)},
	{"ablation-effects", single(buildEffects)},
	{"dose-response", single(buildDose)},
	{"stage-architecture", single(buildArchitecture)},
}

// single adapts a builder of one figure.
func single(build func(*Experiment) (*Figure, string, error)) func(*Experiment) ([]*Figure, string, error) {
	return func(exp *Experiment) ([]*Figure, string, error) {
		f, reason, err := build(exp)
		if f == nil {
			return nil, reason, err
		}
		return []*Figure{f}, reason, err
	}
}

// BuildFigures builds every figure the experiment has data for, in report
// order. Figures without data are listed in skipped. A malformed file stops
// only the figures that need it: the others are still returned, together with
// an error that joins every problem.
func BuildFigures(exp *Experiment) (figs []*Figure, skipped []Skipped, err error) {
	var errs []error
	for _, b := range builders {
		fs, reason, err := b.build(exp)
		switch {
		case err != nil:
			// A builder of several figures keeps those it made before
			// the problem.
			figs = append(figs, fs...)
			errs = append(errs, fmt.Errorf("plots: %s: %w", b.name, err))
		case len(fs) == 0:
			skipped = append(skipped, Skipped{Figure: b.name, Reason: reason})
		default:
			figs = append(figs, fs...)
		}
	}
	return figs, skipped, errors.Join(errs...)
}

// Options tune DrawAllWith and WriteReportWith. The zero value gives the
// defaults of DrawAll and WriteReport.
type Options struct {
	DPI       int // DPI is the resolution of the PNG files in figures/; zero means DefaultDPI (300).
	ReportDPI int // ReportDPI is the resolution of the figures inlined in report.html; zero means 150.
}

// DrawAll draws every figure that the experiment folder dir has data for into
// dir/figures/ (PNG at DefaultDPI and SVG, with stable names) and returns the
// paths written. It draws what it can: when some input is malformed, it still
// writes the other figures and returns an error naming each problem.
func DrawAll(dir string) ([]string, error) { return DrawAllWith(dir, Options{}) }

// DrawAllWith is DrawAll with options.
func DrawAllWith(dir string, o Options) ([]string, error) {
	return publish(dir, o, true, false)
}

// Publish draws the figures of the experiment folder dir into dir/figures/
// and writes dir/report.html: DrawAllWith and WriteReportWith in one pass,
// which reads the folder once and draws each figure in its three forms
// (PNG, SVG and the report's PNG) on as many goroutines as there are cores.
// It writes the same bytes as the two calls. It returns the paths written,
// report.html last, and every problem met, joined.
func Publish(dir string, o Options) ([]string, error) {
	return publish(dir, o, true, true)
}

// publish reads the experiment folder dir once, draws its figures into
// dir/figures/ when files is set and writes dir/report.html when report is
// set, and returns the paths written and every problem met, joined.
func publish(dir string, o Options, files, report bool) ([]string, error) {
	exp, err := ReadExperiment(dir)
	if err != nil {
		return nil, err
	}
	figs, skipped, buildErr := BuildFigures(exp)
	figDir := ""
	if files {
		figDir = filepath.Join(dir, "figures")
	}
	r := renderAll(figs, o, figDir, report)
	written := r.written()
	if !report {
		return written, errors.Join(buildErr, r.fileErr())
	}
	page, err := renderReport(exp, r, skipped, buildErr)
	if err == nil {
		path := filepath.Join(dir, "report.html")
		if err = os.WriteFile(path, page, 0o644); err == nil {
			written = append(written, path)
		} else {
			err = fmt.Errorf("plots: %w", err)
		}
	}
	return written, errors.Join(buildErr, r.fileErr(), err)
}

func (o Options) dpi() int {
	if o.DPI > 0 {
		return o.DPI
	}
	return DefaultDPI
}

func (o Options) reportDPI() int {
	if o.ReportDPI > 0 {
		return o.ReportDPI
	}
	return reportDPI
}

// rendered is what renderAll made of each figure: the files it wrote and
// the first error writing them, and the PNG for the report and its error.
type rendered struct {
	figs      []*Figure
	files     [][]string
	errs      []error
	report    [][]byte
	reportErr []error
}

// renderAll draws every figure, spreading the figures over GOMAXPROCS
// goroutines: each drawing has its own canvas, and gonum/plot's font cache
// is safe for concurrent use. When dir is not empty it writes
// dir/Name.png (at o's DPI) and dir/Name.svg as soon as each is drawn, so
// that only the figures in hand are in memory; when report is set it keeps
// each figure's PNG at o's report DPI. The forms of one figure are drawn
// one after the other, because drawing a figure adjusts its plots' layout
// in place. The results do not depend on the number of goroutines.
func renderAll(figs []*Figure, o Options, dir string, report bool) *rendered {
	n := len(figs)
	r := &rendered{figs: figs, files: make([][]string, n), errs: make([]error, n), report: make([][]byte, n), reportErr: make([]error, n)}
	if dir != "" && n > 0 {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			for i := range r.errs {
				r.errs[i] = fmt.Errorf("plots: %w", err)
			}
			dir = ""
		}
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(n, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				if dir != "" {
					r.files[i], r.errs[i] = save(figs[i], dir, o.dpi())
				}
				if report {
					r.report[i], r.reportErr[i] = figs[i].PNG(o.reportDPI())
				}
			}
		}()
	}
	wg.Wait()
	return r
}

// save draws f as dir/Name.png at dpi and as dir/Name.svg, writing each as
// soon as it is drawn, and returns the paths written.
func save(f *Figure, dir string, dpi int) ([]string, error) {
	var written []string
	for _, form := range []struct {
		ext  string
		draw func() ([]byte, error)
	}{{".png", func() ([]byte, error) { return f.PNG(dpi) }}, {".svg", f.SVG}} {
		data, err := form.draw()
		if err != nil {
			return written, err
		}
		path := filepath.Join(dir, f.Name+form.ext)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return written, fmt.Errorf("plots: %w", err)
		}
		written = append(written, path)
	}
	return written, nil
}

// written returns the paths of the files written, in figure order.
func (r *rendered) written() []string {
	var all []string
	for _, f := range r.files {
		all = append(all, f...)
	}
	return all
}

// fileErr joins the errors of drawing and writing the figures' files.
func (r *rendered) fileErr() error { return errors.Join(r.errs...) }

// ReadNight reads one night of a run: its hypnogram.csv epochs and, when the
// run has a cycles.csv, the cycles of that night. The panel is labelled with
// the run (and the night when it is not the first).
func ReadNight(run RunRef, night int) (NightPanel, error) {
	epochs, err := ReadHypnogram(run.File("hypnogram.csv"))
	if err != nil {
		return NightPanel{}, err
	}
	np := NightPanel{Label: run.String(), Epochs: NightEpochs(epochs, night)}
	if night != 1 {
		np.Label = fmt.Sprintf("%s, night %d", np.Label, night)
	}
	if len(np.Epochs) == 0 {
		return NightPanel{}, fmt.Errorf("plots: %s: no epochs in night %d", run.File("hypnogram.csv"), night)
	}
	cycles, err := ReadCycles(run.File("cycles.csv"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return NightPanel{}, err
	}
	np.Cycles = nightCycles(cycles, night)
	return np, nil
}

// exists reports whether a run has a file.
func exists(run RunRef, name string) bool {
	_, err := os.Stat(run.File(name))
	return err == nil
}

// buildHypnogram draws the first few control seeds, or every night of the
// first control seed when the experiment spans several nights.
func buildHypnogram(exp *Experiment) (*Figure, string, error) {
	var runs []RunRef
	for _, r := range exp.OKRuns(exp.Manifest.Control) {
		if exists(r, "hypnogram.csv") {
			runs = append(runs, r)
		}
	}
	if len(runs) == 0 {
		return nil, "no hypnogram.csv in the control runs", nil
	}
	first, err := ReadHypnogram(runs[0].File("hypnogram.csv"))
	if err != nil {
		return nil, "", err
	}
	var panels []NightPanel
	if nights := Nights(first); len(nights) > 1 {
		for _, n := range nights {
			np, err := ReadNight(runs[0], n)
			if err != nil {
				return nil, "", err
			}
			panels = append(panels, np)
		}
	} else {
		for _, r := range runs[:min(len(runs), maxHypnogramPanels)] {
			np, err := ReadNight(r, 1)
			if err != nil {
				return nil, "", err
			}
			panels = append(panels, np)
		}
	}
	f, err := HypnogramFigure(panels)
	return f, "", err
}

// buildActivity draws the first control run that has activity.csv.
// When the run spans several nights there is one figure per night:
// activity for the first, activity-night-N for night N.
func buildActivity(exp *Experiment) ([]*Figure, string, error) {
	for _, r := range exp.OKRuns(exp.Manifest.Control) {
		if !exists(r, "activity.csv") {
			continue
		}
		act, err := ReadActivity(r.File("activity.csv"))
		if err != nil {
			return nil, "", err
		}
		if !exists(r, "hypnogram.csv") {
			f, err := ActivityFigure(NightPanel{Label: r.String()}, act)
			if err != nil {
				return nil, "", err
			}
			return []*Figure{f}, "", nil
		}
		epochs, err := ReadHypnogram(r.File("hypnogram.csv"))
		if err != nil {
			return nil, "", err
		}
		var figs []*Figure
		after := 0.0 // the first night's lights-off is t_min = 0
		for k, n := range Nights(epochs) {
			night, err := ReadNight(r, n)
			if err != nil {
				return nil, "", err
			}
			lightsOff := 0.0
			if k > 0 {
				if lightsOff, err = act.LightsOff(night.Epochs, after); err != nil {
					return figs, "", fmt.Errorf("%s, night %d: %w", r.File("activity.csv"), n, err)
				}
			}
			f, err := ActivityNightFigure(night, act, lightsOff)
			if err != nil {
				return figs, "", fmt.Errorf("night %d: %w", n, err)
			}
			if k > 0 {
				f.Name = fmt.Sprintf("activity-night-%d", n)
			}
			figs = append(figs, f)
			after = lightsOff + night.durationH()*60
		}
		return figs, "", nil
	}
	return nil, "no activity.csv in the control runs", nil
}

// buildSurvival pools the memories of every run of each condition and takes
// retention by kind from results.csv, or from memories.csv when results.csv
// lacks the columns.
func buildSurvival(exp *Experiment) (*Figure, string, error) {
	d := SurvivalData{
		Conditions: exp.Manifest.ConditionNames(),
		Retention:  make(map[string]map[string][]float64),
		Memories:   make(map[string][]Memory),
	}
	fromResults := exp.Results.Has("retention_neutral") && exp.Results.Has("retention_emotional")
	found := false
	for _, cond := range d.Conditions {
		d.Retention[cond] = make(map[string][]float64)
		if fromResults {
			d.Retention[cond][Neutral] = exp.Results.Values(cond, "retention_neutral")
			d.Retention[cond][Emotional] = exp.Results.Values(cond, "retention_emotional")
			found = found || len(d.Retention[cond][Neutral])+len(d.Retention[cond][Emotional]) > 0
		}
		for _, r := range exp.OKRuns(cond) {
			if !exists(r, "memories.csv") {
				continue
			}
			ms, err := ReadMemories(r.File("memories.csv"))
			if err != nil {
				return nil, "", err
			}
			d.Memories[cond] = append(d.Memories[cond], ms...)
			if !fromResults {
				for _, kind := range []string{Neutral, Emotional} {
					d.Retention[cond][kind] = append(d.Retention[cond][kind], RetentionByKind(ms, kind))
				}
			}
			found = true
		}
	}
	if !found {
		return nil, "no memories.csv and no retention by kind in results.csv", nil
	}
	f, err := MemorySurvivalFigure(d)
	return f, "", err
}

// buildGallery draws the dreams of the first control run that has both
// dreams.csv and images.csv.
func buildGallery(exp *Experiment) (*Figure, string, error) {
	for _, r := range exp.OKRuns(exp.Manifest.Control) {
		if !exists(r, "dreams.csv") || !exists(r, "images.csv") {
			continue
		}
		dreams, err := ReadDreams(r.File("dreams.csv"))
		if err != nil {
			return nil, "", err
		}
		if len(dreams) == 0 {
			continue
		}
		images, err := ReadImages(r.File("images.csv"))
		if err != nil {
			return nil, "", err
		}
		f, err := DreamGalleryFigure(r.String(), dreams, images, DefaultGalleryDreams)
		return f, "", err
	}
	return nil, "no control run with dreams.csv and images.csv", nil
}

// gateDiffers is the spread of mean dream gates across conditions above
// which the latent map draws one panel per condition.
const gateDiffers = 0.05

// buildLatentMap draws one panel per condition when the conditions differ in
// PFC gate (a dose sweep of the gate), else the control run split by gate.
func buildLatentMap(exp *Experiment) (*Figure, string, error) {
	type runLatents struct {
		run     RunRef
		latents []Latent
		gate    float64
	}
	var firsts []runLatents
	for _, cond := range exp.Manifest.ConditionNames() {
		for _, r := range exp.OKRuns(cond) {
			if !exists(r, "latents.csv") {
				continue
			}
			ls, err := ReadLatents(r.File("latents.csv"))
			if err != nil {
				return nil, "", err
			}
			var gates []float64
			for _, l := range ls {
				if l.Kind == KindDream && !math.IsNaN(l.Gate) {
					gates = append(gates, l.Gate)
				}
			}
			firsts = append(firsts, runLatents{r, ls, meanCI(gates).Est})
			break
		}
	}
	if len(firsts) == 0 {
		return nil, "no latents.csv in any run", nil
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, f := range firsts {
		if !math.IsNaN(f.gate) {
			lo, hi = math.Min(lo, f.gate), math.Max(hi, f.gate)
		}
	}
	var panels []LatentPanel
	title := ""
	if len(firsts) > 1 && hi-lo > gateDiffers {
		for _, f := range firsts {
			title := f.run.String()
			if !math.IsNaN(f.gate) {
				title = fmt.Sprintf("%s (mean gate %.2f)", title, f.gate)
			}
			panels = append(panels, LatentPanel{Title: title, Latents: f.latents})
		}
	} else {
		control := firsts[0]
		title = control.run.String()
		panels = LatentPanelsByGate(control.latents)
		if len(panels) == 0 {
			panels = []LatentPanel{{Title: "all latents", Latents: control.latents}}
		}
	}
	f, err := LatentMapFigure(title, panels)
	return f, "", err
}

// buildEffects draws the forest plot of expectations.csv.
func buildEffects(exp *Experiment) (*Figure, string, error) {
	if len(exp.Expectations) == 0 {
		return nil, "no expectations.csv or no expectations in it", nil
	}
	f, err := AblationEffectsFigure(exp.Expectations)
	return f, "", err
}

// buildDose draws the dose-response figure for the metrics of the
// expectations (or a default set) when the manifest gives doses.
func buildDose(exp *Experiment) (*Figure, string, error) {
	if !exp.Manifest.IsDoseSweep() {
		return nil, "the manifest gives no dose sweep", nil
	}
	var metrics []string
	for _, e := range exp.Expectations {
		if !slices.Contains(metrics, e.Metric) {
			metrics = append(metrics, e.Metric)
		}
	}
	if len(metrics) == 0 {
		for _, m := range defaultDoseMetrics {
			if exp.Results.Has(m) || slices.ContainsFunc(exp.Stats, func(s Stat) bool { return s.Metric == m }) {
				metrics = append(metrics, m)
			}
		}
	}
	if len(metrics) == 0 {
		return nil, "no metrics to draw against dose", nil
	}
	f, err := DoseResponseFigure(DoseData{
		Manifest: exp.Manifest, Stats: exp.Stats, Results: exp.Results,
		Expectations: exp.Expectations, Metrics: metrics,
	})
	return f, "", err
}

// buildArchitecture uses each run's hypnogram.csv and cycles.csv, and the
// rows of results.csv for runs without a hypnogram (or without a folder).
func buildArchitecture(exp *Experiment) (*Figure, string, error) {
	var runs []ArchitectureRun
	type key struct {
		cond string
		seed int
	}
	done := make(map[key]bool)
	for _, r := range exp.Runs {
		if !r.OK() {
			done[key{r.Condition, r.Seed}] = true
			continue
		}
		if !exists(r, "hypnogram.csv") {
			continue
		}
		epochs, err := ReadHypnogram(r.File("hypnogram.csv"))
		if err != nil {
			return nil, "", err
		}
		cycles, err := ReadCycles(r.File("cycles.csv"))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, "", err
		}
		runs = append(runs, ArchitectureFromNight(r.Condition, r.Seed, epochs, cycles))
		done[key{r.Condition, r.Seed}] = true
	}
	if exp.Results != nil {
		for _, row := range exp.Results.Runs {
			if done[key{row.Condition, row.Seed}] {
				continue
			}
			if a, ok := architectureFromResults(exp.Results, row); ok {
				runs = append(runs, a)
			}
		}
	}
	if len(runs) == 0 {
		return nil, "no hypnogram.csv and no stage fractions in results.csv", nil
	}
	f, err := StageArchitectureFigure(exp.Manifest.ConditionNames(), runs)
	return f, "", err
}

// architectureFromResults reads a run's stage fractions and mean cycle
// length from its row of results.csv; ok is false when the row has none.
func architectureFromResults(res *Results, row ResultRow) (a ArchitectureRun, ok bool) {
	cols := map[string]Stage{"rem_fraction": REM, "n3_fraction": N3, "n2_fraction": N2, "n1_fraction": N1}
	a = ArchitectureRun{Condition: row.Condition, Seed: row.Seed, Fractions: make(map[Stage]float64), MeanCycleMin: math.NaN()}
	for k, m := range res.Metrics {
		v := row.Values[k]
		if math.IsNaN(v) {
			continue
		}
		if s, isStage := cols[m]; isStage {
			a.Fractions[s] = v
			ok = true
		}
		if m == "mean_cycle_min" {
			a.MeanCycleMin = v
			ok = true
		}
	}
	return a, ok
}
