package plots

import (
	"errors"
	"fmt"
	"image/color"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// NightPanel is one night of one run, as drawn by HypnogramFigure and
// ActivityFigure.
type NightPanel struct {
	Label  string  // Label names the panel, e.g. "intact, seed 1".
	Epochs []Epoch // Epochs are the night's epochs sorted by start; the first one starts at lights-off.
	Cycles []Cycle // Cycles are the night's NREM-REM cycles on the same clock; may be empty.
}

// lightsOff returns the start of the night in minutes on the file clock.
func (n NightPanel) lightsOff() float64 { return n.Epochs[0].StartMin }

// hours converts a file-clock time in minutes to hours from lights-off.
func (n NightPanel) hours(min float64) float64 { return (min - n.lightsOff()) / 60 }

// durationH returns the length of the night in hours.
func (n NightPanel) durationH() float64 {
	last := n.Epochs[len(n.Epochs)-1]
	return n.hours(last.StartMin + EpochMin)
}

// stageLevel places stages on the hypnogram's y axis in the clinical
// convention: W at the top, then R, N1, N2, and N3 at the bottom.
func stageLevel(s Stage) float64 {
	switch s {
	case Wake:
		return 4
	case REM:
		return 3
	case N1:
		return 2
	case N2:
		return 1
	default:
		return 0
	}
}

var stageAxisLabels = []string{"N3", "N2", "N1", "R", "W"}

// Hypnogram figure geometry.
const (
	hypnogramPanelH = 1.05 * vg.Inch
	remBarWidth     = 3.5 // points
)

// HypnogramFigure draws one hypnogram per panel, stacked on a shared time
// axis in hours from lights-off: stages on the y axis in the sleep-medicine
// convention (W at the top, N3 at the bottom) with REM as a thick vermillion
// bar, and the NREM-REM cycle boundaries as dashed lines numbered at the top.
// The figure is PageWidth wide and is named "hypnogram".
func HypnogramFigure(panels []NightPanel) (*Figure, error) {
	if len(panels) == 0 {
		return nil, errors.New("plots: hypnogram: no panels")
	}
	maxH := 0.0
	for _, p := range panels {
		if len(p.Epochs) == 0 {
			return nil, fmt.Errorf("plots: hypnogram: panel %q has no epochs", p.Label)
		}
		maxH = max(maxH, p.durationH())
	}
	var plots [][]*plot.Plot
	for i, np := range panels {
		p, err := hypnogramPlot(np, maxH, i == len(panels)-1)
		if err != nil {
			return nil, err
		}
		plots = append(plots, []*plot.Plot{p})
	}
	leg := hypnogramLegend()
	h := vg.Length(len(panels))*hypnogramPanelH + 0.45*vg.Inch + leg.height(PageWidth)
	return &Figure{
		Name:    "hypnogram",
		Caption: "Hypnograms in the sleep-medicine convention (W at the top, N3 at the bottom); REM is drawn as a thick vermillion bar; dashed lines and numbers mark the NREM-REM cycles (Feinberg & Floyd 1979 rules). Time is in hours from lights-off.",
		Width:   PageWidth,
		Height:  h,
		Draw: func(c draw.Canvas) {
			c = leg.draw(c)
			alignGrid(c, plots, 0, vg.Points(4))
		},
	}, nil
}

// hypnogramLegend explains the REM bar and the cycle marks.
func hypnogramLegend() *legend {
	l := newLegend()
	l.add("sleep stage", lineThumb{lineStyle(black, 0.75)})
	l.add("REM", lineThumb{lineStyle(vermillion, remBarWidth)})
	l.add("cycle boundary (cycle number above)", lineThumb{dashed(grey, 0.75)})
	return l
}

// hypnogramPlot draws one night over the background plotters; bottom panels
// carry the time axis labels.
func hypnogramPlot(np NightPanel, maxH float64, bottom bool, background ...plot.Plotter) (*plot.Plot, error) {
	p := newPlot()
	p.Add(background...)
	p.Title.Text = np.Label
	p.X.Min, p.X.Max = 0, maxH
	p.Y.Min, p.Y.Max = -0.4, 5.2
	p.Y.Tick.Marker = categoryTicks(stageAxisLabels)
	hours := stepTicks(1, 0.5, func(v float64) string { return strconv.Itoa(int(v + 0.5)) })
	if bottom {
		p.X.Tick.Marker = hours
		p.X.Label.Text = "Time from lights-off (h)"
	} else {
		p.X.Tick.Marker = blankLabels(hours)
	}
	p.Add(cycleMarks{np: np})

	pts := make(plotter.XYs, 0, len(np.Epochs)+1)
	for _, e := range np.Epochs {
		pts = append(pts, plotter.XY{X: np.hours(e.StartMin), Y: stageLevel(e.Stage)})
	}
	last := np.Epochs[len(np.Epochs)-1]
	pts = append(pts, plotter.XY{X: np.hours(last.StartMin + EpochMin), Y: stageLevel(last.Stage)})
	line, err := plotter.NewLine(pts)
	if err != nil {
		return nil, fmt.Errorf("plots: hypnogram %q: %w", np.Label, err)
	}
	line.StepStyle = plotter.PostStep
	line.LineStyle = lineStyle(black, 0.75)
	p.Add(line)

	var bars []hSegment
	for _, r := range stageRuns(np.Epochs) {
		if r.Stage == REM {
			bars = append(bars, hSegment{np.hours(r.StartMin), np.hours(r.EndMin), stageLevel(REM)})
		}
	}
	p.Add(hSegments{segs: bars, style: draw.LineStyle{Color: vermillion, Width: vg.Points(remBarWidth)}})
	return p, nil
}

// cycleMarks draws dashed cycle boundaries and the cycle numbers above the
// wake level.
type cycleMarks struct{ np NightPanel }

// Plot implements plot.Plotter.
func (m cycleMarks) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	sty := dashed(grey, 0.75)
	txt := textStyle(sans(tickFontSize), color.Black)
	txt.XAlign, txt.YAlign = draw.XCenter, draw.YBottom
	for i, cy := range m.np.Cycles {
		x0, x1 := m.np.hours(cy.StartMin), m.np.hours(cy.EndMin)
		// A cycle ends with its REM period and the next begins at the
		// following sleep; mark the first start and every end, so that a
		// brief awakening between cycles does not draw a double line.
		if i == 0 {
			c.StrokeLine2(sty, trX(x0), c.Min.Y, trX(x0), trY(4.4))
		}
		c.StrokeLine2(sty, trX(x1), c.Min.Y, trX(x1), trY(4.4))
		c.FillText(txt, vg.Point{X: (trX(x0) + trX(x1)) / 2, Y: trY(4.4)}, strconv.Itoa(cy.Number))
	}
}
