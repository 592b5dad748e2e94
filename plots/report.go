package plots

import (
	"bytes"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot/vg"
)

// reportDPI is the resolution of the figures inlined in the report: sharp on
// a screen, small enough to keep the page to a few megabytes.
const reportDPI = 150

//go:embed report.tmpl
var reportTemplate string

var reportTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"num": reportNum,
	"p":   reportP,
	"ci":  reportCI,
	"inc": func(i int) int { return i + 1 },
}).Parse(reportTemplate))

// reportZoom is the CSS width of one inch of figure in the report, in CSS
// pixels: 1.5 times print size, so that a page-width figure fills the page.
const reportZoom = 144

// reportFigure is a figure as inlined in the report.
type reportFigure struct {
	Name, Caption string
	Src           template.URL // a data: URI of the PNG
	WidthPx       int          // CSS width in pixels
}

// reportData is what the template renders.
type reportData struct {
	M            Manifest
	Expectations []Expectation
	Stats        []Stat
	Figures      []reportFigure
	Skipped      []Skipped
	Problems     []string
	Failed       []RunRef
	Runs         int
	Seeds        string
	Conditions   string
}

// WriteReport writes dir/report.html: one self-contained page (figures
// inlined as PNG data URIs, no network access, no script library) with the
// experiment's name, description and citation, the verdict table of its
// expectations with effect sizes and CIs, the statistics table, every figure
// that BuildFigures can draw, the runs that failed and the provenance from
// manifest.json (config hash, version, seeds and the command that reproduces
// it). When some figures cannot be drawn the report is still written, says
// why, and the error is returned.
func WriteReport(dir string) error { return WriteReportWith(dir, Options{}) }

// WriteReportWith is WriteReport with options.
func WriteReportWith(dir string, o Options) error {
	_, err := publish(dir, o, false, true)
	return err
}

// renderReport renders the report page from the figures' report PNGs.
func renderReport(exp *Experiment, r *rendered, skipped []Skipped, figErr error) ([]byte, error) {
	d := reportData{
		M:            exp.Manifest,
		Expectations: exp.Expectations,
		Stats:        sortedStats(exp),
		Skipped:      skipped,
		Failed:       exp.FailedRuns(),
		Runs:         len(exp.Runs),
	}
	var seeds []string
	for _, s := range exp.Manifest.Seeds {
		seeds = append(seeds, strconv.Itoa(s))
	}
	d.Seeds = strings.Join(seeds, ", ")
	var conds []string
	for _, c := range exp.Manifest.Conditions {
		s := c.Name
		if c.Dose != nil {
			s += " (dose " + strconv.FormatFloat(*c.Dose, 'g', -1, 64) + ")"
		}
		if c.Name == exp.Manifest.Control {
			s += " [control]"
		}
		conds = append(conds, s)
	}
	d.Conditions = strings.Join(conds, ", ")
	if figErr != nil {
		d.Problems = strings.Split(figErr.Error(), "\n")
	}
	for i, f := range r.figs {
		png, err := r.report[i], r.reportErr[i]
		if err != nil {
			d.Problems = append(d.Problems, err.Error())
			continue
		}
		d.Figures = append(d.Figures, reportFigure{
			Name:    f.Name,
			Caption: f.Caption,
			Src:     template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)),
			WidthPx: int(math.Round(float64(f.Width/vg.Inch) * reportZoom)),
		})
	}
	var buf bytes.Buffer
	if err := reportTmpl.Execute(&buf, d); err != nil {
		return nil, fmt.Errorf("plots: report: %w", err)
	}
	return buf.Bytes(), nil
}

// sortedStats orders stats.csv by metric (in order of first appearance) and
// then by condition, control first, so that each metric's rows sit together.
func sortedStats(exp *Experiment) []Stat {
	var metrics []string
	for _, s := range exp.Stats {
		if !slices.Contains(metrics, s.Metric) {
			metrics = append(metrics, s.Metric)
		}
	}
	conds := exp.Manifest.ConditionNames()
	out := slices.Clone(exp.Stats)
	slices.SortStableFunc(out, func(a, b Stat) int {
		if d := slices.Index(metrics, a.Metric) - slices.Index(metrics, b.Metric); d != 0 {
			return d
		}
		ia, ib := slices.Index(conds, a.Condition), slices.Index(conds, b.Condition)
		if ia < 0 {
			ia = len(conds)
		}
		if ib < 0 {
			ib = len(conds)
		}
		return ia - ib
	})
	return out
}

// reportNum formats a number for a table: three decimals, or three
// significant digits for very small or large values; NaN is a dash.
func reportNum(v float64) string {
	switch {
	case math.IsNaN(v):
		return "–"
	case math.IsInf(v, 1):
		return "∞"
	case math.IsInf(v, -1):
		return "−∞"
	case v != 0 && (math.Abs(v) < 0.001 || math.Abs(v) >= 1e5):
		return strings.Replace(strconv.FormatFloat(v, 'g', 3, 64), "-", "−", 1)
	}
	return strings.Replace(strconv.FormatFloat(v, 'f', 3, 64), "-", "−", 1)
}

// reportP formats a p value.
func reportP(v float64) string {
	if !math.IsNaN(v) && v < 0.001 {
		return "< 0.001"
	}
	return reportNum(v)
}

// reportCI formats an interval as [lo, hi].
func reportCI(lo, hi float64) string {
	if math.IsNaN(lo) && math.IsNaN(hi) {
		return "–"
	}
	return "[" + reportNum(lo) + ", " + reportNum(hi) + "]"
}
