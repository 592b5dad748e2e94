package plots

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// defaultDoseMetrics are drawn by the dose-response figure when the
// experiment has no expectations.
var defaultDoseMetrics = []string{"retention", "dream_novelty", "dream_bizarreness", "dream_recall_rate"}

// DoseData is the input of DoseResponseFigure.
type DoseData struct {
	Manifest     Manifest      // Manifest gives the doses, the control and the dose label.
	Stats        []Stat        // Stats gives the mean and 95% CI per condition and metric.
	Results      *Results      // Results, when not nil, adds the runs as small dots.
	Expectations []Expectation // Expectations colour the conditions they test by verdict.
	Metrics      []string      // Metrics are drawn one panel each.
}

// DoseResponseFigure draws, for each metric, the mean with its 95% CI (from
// stats.csv) against the dose of each condition, the runs as small grey
// dots, and the control as a dashed line with its CI as a grey band when it
// has no dose. A condition tested by an expectation on the metric is drawn
// with its verdict's marker. The figure is PageWidth wide, three panels per
// row, and is named "dose-response".
func DoseResponseFigure(d DoseData) (*Figure, error) {
	if !d.Manifest.IsDoseSweep() {
		return nil, errors.New("plots: dose response: fewer than two conditions have a dose")
	}
	if len(d.Metrics) == 0 {
		return nil, errors.New("plots: dose response: no metrics")
	}
	var ps []*plot.Plot
	for _, m := range d.Metrics {
		p, err := dosePlot(d, m)
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	grid := wrapGrid(ps, 3)
	leg := newLegend()
	leg.add("mean, 95% CI", newEstimates(black, draw.CircleGlyph{}))
	leg.add("run", glyphThumb{draw.GlyphStyle{Color: grey, Radius: vg.Points(1.2), Shape: draw.CircleGlyph{}}})
	if _, ok := d.Manifest.dose(d.Manifest.Control); !ok {
		leg.add("control ("+d.Manifest.Control+"), 95% CI", patchThumb{lightGrey}, lineThumb{dashed(black, 0.75)})
	}
	for _, v := range []string{VerdictPass, VerdictFail, VerdictInconclusive} {
		if slices.ContainsFunc(d.Expectations, func(e Expectation) bool {
			return e.Verdict == v && slices.Contains(d.Metrics, e.Metric)
		}) {
			col, shape := verdictStyle(v)
			leg.add("expectation "+v, newEstimates(col, shape))
		}
	}
	panelH := 2.1 * vg.Inch
	h := leg.height(PageWidth) + vg.Length(len(grid))*panelH
	label := d.Manifest.DoseLabel
	if label == "" {
		label = "dose"
	}
	return &Figure{
		Name: "dose-response",
		Caption: "Dose response: mean of each metric over runs with its 95% CI against " + label + "; grey dots are runs; " +
			"the dashed line and grey band are the control's mean and 95% CI; conditions tested by an expectation show its verdict.",
		Width:  PageWidth,
		Height: h,
		Draw: func(c draw.Canvas) {
			c = leg.draw(c)
			alignGrid(c, grid, vg.Points(18), vg.Points(12))
		},
	}, nil
}

// dosePlot draws one metric.
func dosePlot(d DoseData, metric string) (*plot.Plot, error) {
	m := d.Manifest
	p := newPlot()
	p.Title.Text = metric
	p.Y.Label.Text = metricLabel(metric)
	p.X.Label.Text = m.DoseLabel
	if p.X.Label.Text == "" {
		p.X.Label.Text = "Dose"
	}
	type point struct {
		dose float64
		cond string
		iv   interval
	}
	var pts []point
	var runs plotter.XYs
	for _, c := range m.Conditions {
		if c.Dose == nil {
			continue
		}
		iv := interval{Est: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
		if s, ok := findStat(d.Stats, c.Name, metric); ok {
			iv = interval{N: s.N, Est: s.Mean, Lo: s.CILow, Hi: s.CIHigh}
		} else if d.Results != nil {
			iv = meanCI(d.Results.Values(c.Name, metric))
		}
		pts = append(pts, point{*c.Dose, c.Name, iv})
		for _, v := range d.Results.Values(c.Name, metric) {
			runs = append(runs, plotter.XY{X: *c.Dose, Y: v})
		}
	}
	slices.SortStableFunc(pts, func(a, b point) int {
		switch {
		case a.dose < b.dose:
			return -1
		case a.dose > b.dose:
			return 1
		}
		return 0
	})

	if _, ok := m.dose(m.Control); !ok {
		var iv interval
		if s, ok := findStat(d.Stats, m.Control, metric); ok {
			iv = interval{N: s.N, Est: s.Mean, Lo: s.CILow, Hi: s.CIHigh}
		} else {
			iv = meanCI(d.Results.Values(m.Control, metric))
		}
		if !math.IsNaN(iv.Est) {
			if !math.IsNaN(iv.Lo) && !math.IsNaN(iv.Hi) {
				p.Add(yBand{x0: math.Inf(-1), x1: math.Inf(1), y0: iv.Lo, y1: iv.Hi, color: lightGrey})
			}
			p.Add(hLine{y: iv.Est, style: dashed(black, 0.75)})
		}
	}
	if s := scatterOf(runs, draw.GlyphStyle{Color: grey, Radius: vg.Points(1.2), Shape: draw.CircleGlyph{}}); s != nil {
		p.Add(s)
	}
	var line plotter.XYs
	est := newEstimates(black, draw.CircleGlyph{})
	for _, pt := range pts {
		est.points = append(est.points, estimate{X: pt.dose, Est: pt.iv.Est, Lo: pt.iv.Lo, Hi: pt.iv.Hi})
		if !math.IsNaN(pt.iv.Est) {
			line = append(line, plotter.XY{X: pt.dose, Y: pt.iv.Est})
		}
	}
	est.glyphFunc = func(i int) draw.GlyphStyle {
		for _, e := range d.Expectations {
			if e.Condition == pts[i].cond && e.Metric == metric {
				col, shape := verdictStyle(e.Verdict)
				return draw.GlyphStyle{Color: col, Radius: vg.Points(2.6), Shape: shape}
			}
		}
		return est.glyph
	}
	if len(line) > 1 {
		l, err := plotter.NewLine(line)
		if err != nil {
			return nil, fmt.Errorf("plots: dose response %s: %w", metric, err)
		}
		l.LineStyle = lineStyle(black, 0.75)
		p.Add(l)
	}
	p.Add(est)
	padRange(p, 0.06, false)
	p.Y.Tick.Marker = autoTicks(4)
	p.X.Tick.Marker = autoTicks(5)
	if len(pts) > 0 {
		span := pts[len(pts)-1].dose - pts[0].dose
		pad := 0.08 * span
		if span == 0 {
			pad = 0.5
		}
		p.X.Min, p.X.Max = pts[0].dose-pad, pts[len(pts)-1].dose+pad
	}
	return p, nil
}
