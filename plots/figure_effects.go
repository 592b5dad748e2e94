package plots

import (
	"errors"
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// verdictStyle returns the colour and glyph of a verdict: pass is a filled
// bluish-green circle, fail a filled vermillion square, inconclusive an open
// grey circle, so that shape alone tells them apart.
func verdictStyle(v string) (color.Color, draw.GlyphDrawer) {
	switch v {
	case VerdictPass:
		return bluishGreen, draw.CircleGlyph{}
	case VerdictFail:
		return vermillion, draw.BoxGlyph{}
	default:
		return grey, draw.RingGlyph{}
	}
}

// verdictLegend explains the verdict glyphs.
func verdictLegend() *legend {
	l := newLegend()
	for _, v := range []string{VerdictPass, VerdictFail, VerdictInconclusive} {
		col, shape := verdictStyle(v)
		l.add(v, newEstimates(col, shape))
	}
	return l
}

// Ablation-effects geometry.
const (
	forestRowH     = 0.24 * vg.Inch
	forestPanelPad = 0.72 * vg.Inch // title, x axis and spacing of each panel
	forestNoteW    = 1.25 * vg.Inch // the right-hand column of statistics
)

// AblationEffectsFigure draws a forest plot of the pre-registered
// expectations: for each one, the difference of the condition from its
// reference with the 95% CI, marked by verdict (pass, fail, inconclusive),
// with Hedges' g and the Holm-adjusted p on the right. Expectations are
// grouped by metric, one panel per metric with its own axis in the metric's
// units, rows in file order. The figure is PageWidth wide and is named
// "ablation-effects".
func AblationEffectsFigure(exps []Expectation) (*Figure, error) {
	if len(exps) == 0 {
		return nil, errors.New("plots: ablation effects: no expectations")
	}
	var metrics []string
	byMetric := make(map[string][]Expectation)
	for _, e := range exps {
		if _, ok := byMetric[e.Metric]; !ok {
			metrics = append(metrics, e.Metric)
		}
		byMetric[e.Metric] = append(byMetric[e.Metric], e)
	}
	var rows [][]*plot.Plot
	var h vg.Length
	for _, m := range metrics {
		rows = append(rows, []*plot.Plot{forestPlot(m, byMetric[m])})
		h += forestPanelPad + vg.Length(len(byMetric[m]))*forestRowH
	}
	leg := verdictLegend()
	h += leg.height(PageWidth) + 0.15*vg.Inch
	note := textStyle(sans(tickFontSize), color.Black)
	note.XAlign, note.YAlign = draw.XLeft, draw.YCenter
	head := note
	head.YAlign = draw.YBottom
	return &Figure{
		Name: "ablation-effects",
		Caption: "Pre-registered expectations: the difference of each condition from its reference (usually the control) with its 95% CI, by metric; " +
			"the marker gives the verdict (pass, fail, inconclusive); g is Hedges' g and p the Holm-adjusted p value.",
		Width:  PageWidth,
		Height: h,
		Draw: func(c draw.Canvas) {
			c = leg.draw(c)
			plotC := c
			plotC.Min.X += vg.Points(2)
			plotC.Max.X -= forestNoteW
			// Stack the panels with heights in proportion to their rows,
			// then shift them so that their data areas line up.
			tiles := make([]draw.Canvas, len(metrics))
			y := plotC.Max.Y
			var left vg.Length
			for j, m := range metrics {
				ph := forestPanelPad + vg.Length(len(byMetric[m]))*forestRowH
				tiles[j] = plotC
				tiles[j].Max.Y, tiles[j].Min.Y = y, y-ph
				if j > 0 {
					tiles[j].Max.Y -= vg.Points(7) // space under the previous x label
				}
				y -= ph
				dc := rows[j][0].DataCanvas(tiles[j])
				left = max(left, dc.Min.X-tiles[j].Min.X)
			}
			for j, m := range metrics {
				p := rows[j][0]
				tiles[j].Min.X += left - (p.DataCanvas(tiles[j]).Min.X - tiles[j].Min.X)
				p.Draw(tiles[j])
				dc := p.DataCanvas(tiles[j])
				x := dc.Max.X + vg.Points(8)
				c.FillText(head, vg.Point{X: x, Y: dc.Max.Y + vg.Points(2)}, "g, p (Holm)")
				n := len(byMetric[m])
				for i, e := range byMetric[m] {
					yy := dc.Y(p.Y.Norm(float64(n - 1 - i)))
					c.FillText(note, vg.Point{X: x, Y: yy}, fmt.Sprintf("g %s, p %s", signedShort(e.EffectSize), formatP(e.PAdjusted)))
				}
			}
		},
	}, nil
}

// forestPlot draws the expectations of one metric; the first one is at the
// top.
func forestPlot(metric string, es []Expectation) *plot.Plot {
	p := newPlot()
	p.Title.Text = metric
	ref := es[0].Against
	for _, e := range es {
		if e.Against != ref {
			ref = ""
		}
	}
	if ref != "" {
		p.X.Label.Text = fmt.Sprintf("Difference from %s (%s)", ref, metricUnit(metric))
	} else {
		p.X.Label.Text = fmt.Sprintf("Difference from reference (%s)", metricUnit(metric))
	}
	n := len(es)
	labels := make([]string, n)
	for i, e := range es {
		against := e.Against
		if against == "" {
			against = "control"
		}
		labels[n-1-i] = fmt.Sprintf("%s %s %s", e.Condition, e.Direction, against)
	}
	p.Y.Tick.Marker = categoryTicks(labels)
	p.Y.Tick.Length = 0
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4

	est := newEstimates(black, draw.CircleGlyph{})
	est.horizontal = true
	lo, hi := 0.0, 0.0
	for i, e := range es {
		est.points = append(est.points, estimate{X: float64(n - 1 - i), Est: e.Diff, Lo: e.DiffCILow, Hi: e.DiffCIHigh})
		for _, v := range []float64{e.Diff, e.DiffCILow, e.DiffCIHigh} {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	est.glyphFunc = func(i int) draw.GlyphStyle {
		col, shape := verdictStyle(es[i].Verdict)
		return draw.GlyphStyle{Color: col, Radius: vg.Points(2.6), Shape: shape}
	}
	pad := 0.08 * (hi - lo)
	if pad == 0 {
		pad = 1
	}
	p.X.Min, p.X.Max = lo-pad, hi+pad
	p.Add(vLine{x: 0, style: dashed(grey, 0.75)})
	// CI bars in the verdict colours, drawn under the glyphs.
	for i, e := range es {
		col, _ := verdictStyle(e.Verdict)
		bar := newEstimates(col, draw.CircleGlyph{})
		bar.horizontal = true
		bar.glyph.Radius = 0
		bar.points = []estimate{{X: float64(n - 1 - i), Est: e.Diff, Lo: e.DiffCILow, Hi: e.DiffCIHigh}}
		p.Add(bar)
	}
	est.line.Width = 0
	p.Add(est)
	p.X.Min, p.X.Max = lo-pad, hi+pad
	p.X.Tick.Marker = autoTicks(4)
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	return p
}

// signedShort formats v with two decimals and a true minus sign; NaN is "–".
func signedShort(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	if math.IsInf(v, 0) {
		if v < 0 {
			return "−∞"
		}
		return "∞"
	}
	return signed(v)
}

// formatP formats a p value: three decimals, or "< 0.001".
func formatP(p float64) string {
	switch {
	case math.IsNaN(p):
		return "–"
	case p < 0.001:
		return "< 0.001"
	}
	return formatNum(p, 3)
}
