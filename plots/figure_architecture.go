package plots

import (
	"errors"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ArchitectureRun is the sleep architecture of one run.
type ArchitectureRun struct {
	Condition string            // Condition is the condition name.
	Seed      int               // Seed is the run seed.
	Fractions map[Stage]float64 // Fractions are the fractions of total sleep time per sleep stage; NaN or absent when unknown.
	CycleMin  []float64         // CycleMin are the NREM-REM cycle lengths in minutes; may be empty.
	// MeanCycleMin is the mean cycle length in minutes, used when CycleMin
	// is empty (e.g. taken from results.csv); NaN when unknown.
	MeanCycleMin float64
}

// ArchitectureFromNight computes a run's architecture from its hypnogram and
// cycles (all nights pooled).
func ArchitectureFromNight(condition string, seed int, epochs []Epoch, cycles []Cycle) ArchitectureRun {
	a := ArchitectureRun{Condition: condition, Seed: seed, Fractions: StageFractions(epochs), MeanCycleMin: math.NaN()}
	for _, c := range cycles {
		a.CycleMin = append(a.CycleMin, c.Length())
	}
	return a
}

// stageNorm is a published range for a healthy young adult, in percent of
// total sleep time.
type stageNorm struct {
	stage  Stage
	lo, hi float64
}

// stageNorms are the adult norms of Carskadon & Dement ("Normal human sleep:
// an overview", in Principles and Practice of Sleep Medicine, 2011): REM
// 19–25%, N3 13–23%, N2 45–58%, N1 at most 6% of total sleep time.
var stageNorms = []stageNorm{{REM, 19, 25}, {N3, 13, 23}, {N2, 45, 58}, {N1, 0, 6}}

// cycleNorm is the range of mean NREM-REM cycle length in minutes of healthy
// young adults (87–110 min; 95.4 ± 3.4 min in Kurth et al. 2010, J Neurosci
// 30:13211, Table 1).
var cycleNorm = [2]float64{87, 110}

// StageArchitectureFigure draws the sleep architecture of every run against
// the published norms, shaded as bands: (a) REM, N3, N2 and N1 as percent of
// total sleep time and (b) NREM-REM cycle length, with each run as an open
// circle (its mean cycle length in b), each cycle as a small grey dot, and
// each condition's mean over runs with its 95% t CI. The figure is
// ColumnWidth wide with the panels stacked (PageWidth, side by side, for more
// than four conditions) and is named "stage-architecture".
func StageArchitectureFigure(conditions []string, runs []ArchitectureRun) (*Figure, error) {
	if len(conditions) == 0 || len(runs) == 0 {
		return nil, errors.New("plots: stage architecture: no runs")
	}
	leg := newLegend()
	for i, c := range conditions {
		col, shape := seriesStyle(i)
		leg.add(c, newEstimates(col, shape))
	}
	leg.add("published norm", patchThumb{normShade})

	pa := stageFractionPlot(conditions, runs)
	pb := cycleLengthPlot(conditions, runs)
	var rows [][]*plot.Plot
	w, h := ColumnWidth, 4.9*vg.Inch
	if len(conditions) > 4 {
		rows = [][]*plot.Plot{{pa, pb}}
		w, h = PageWidth, 2.6*vg.Inch
	} else {
		rows = [][]*plot.Plot{{pa}, {pb}}
	}
	h += leg.height(w)
	return &Figure{
		Name: "stage-architecture",
		Caption: "Sleep architecture of every run against the norms of healthy young adults (shaded; Carskadon & Dement 2011; cycles Kurth et al. 2010). " +
			"(a) Stage fractions of total sleep time; (b) NREM-REM cycle length (grey dots: cycles; open circles: run means). Filled markers: condition mean over runs with 95% t CI.",
		Width:  w,
		Height: h,
		Draw: func(c draw.Canvas) {
			c = leg.draw(c)
			tiles := alignGrid(c, rows, vg.Points(20), vg.Points(12))
			k := 0
			for j := range rows {
				for i := range rows[j] {
					drawLetter(tiles[j][i], panelLetter(k))
					k++
				}
			}
		},
	}, nil
}

// stageFractionPlot is panel (a).
func stageFractionPlot(conditions []string, runs []ArchitectureRun) *plot.Plot {
	p := newPlot()
	p.Title.Text = "Stage fractions"
	p.Y.Label.Text = "Share of total sleep time (%)"
	names := make([]string, len(stageNorms))
	for k, n := range stageNorms {
		names[k] = n.stage.String()
		if n.stage == REM {
			names[k] = "REM"
		}
		p.Add(yBand{x0: float64(k) - 0.42, x1: float64(k) + 0.42, y0: n.lo, y1: n.hi, color: normShade})
	}
	p.X.Label.Text = "Sleep stage"
	p.X.Tick.Marker = categoryTicks(names)
	nc := len(conditions)
	for i, cond := range conditions {
		col, shape := seriesStyle(i)
		e := newEstimates(col, shape)
		var pts plotter.XYs
		for k, n := range stageNorms {
			x := float64(k) + dodge(i, nc, 0.5)
			var vals []float64
			r := 0
			for _, run := range runs {
				if run.Condition != cond {
					continue
				}
				v, ok := run.Fractions[n.stage]
				if !ok || math.IsNaN(v) {
					continue
				}
				vals = append(vals, 100*v)
				pts = append(pts, plotter.XY{X: x + 0.06 + 0.012*float64(r%4), Y: 100 * v})
				r++
			}
			iv := meanCI(vals)
			e.points = append(e.points, estimate{X: x, Est: iv.Est, Lo: iv.Lo, Hi: iv.Hi})
		}
		if s := scatterOf(pts, runGlyph(col)); s != nil {
			p.Add(s)
		}
		p.Add(e)
	}
	p.Y.Min = 0
	p.Y.Max = math.Max(p.Y.Max, 60) * 1.04
	p.Y.Tick.Marker = stepTicks(10, 0, func(v float64) string { return formatNum(v, 0) })
	p.X.Min, p.X.Max = -0.55, float64(len(stageNorms))-0.45
	return p
}

// cycleLengthPlot is panel (b).
func cycleLengthPlot(conditions []string, runs []ArchitectureRun) *plot.Plot {
	p := newPlot()
	p.Title.Text = "NREM-REM cycle length"
	p.Y.Label.Text = "Cycle length (min)"
	p.X.Label.Text = "Condition"
	p.X.Tick.Marker = categoryTicks(conditions)
	nc := len(conditions)
	// Condition names that would run into each other on a panel about
	// 2.8 in wide are set at an angle.
	var labelsW vg.Length
	for _, c := range conditions {
		labelsW += p.X.Tick.Label.Width(c) + vg.Points(6)
	}
	if labelsW > 2.8*vg.Inch {
		p.X.Tick.Label.Rotation = math.Pi / 6
		p.X.Tick.Label.XAlign = draw.XRight
		p.X.Tick.Label.YAlign = draw.YCenter
		p.X.Tick.Length = 0 // a tick mark would touch the end of the slanted name
	}
	p.Add(yBand{x0: -0.5, x1: float64(nc) - 0.5, y0: cycleNorm[0], y1: cycleNorm[1], color: normShade})
	var cyclePts plotter.XYs
	var front []plot.Plotter // drawn over the grey cycle dots
	for i, cond := range conditions {
		col, shape := seriesStyle(i)
		var means []float64
		var runPts plotter.XYs
		r := 0
		for _, run := range runs {
			if run.Condition != cond {
				continue
			}
			m := run.MeanCycleMin
			if len(run.CycleMin) > 0 {
				m = meanCI(run.CycleMin).Est
				for k, l := range run.CycleMin {
					// Cycles spread deterministically left of the mean.
					cyclePts = append(cyclePts, plotter.XY{X: float64(i) - 0.3 + 0.02*float64((r*7+k)%10), Y: l})
				}
			}
			if !math.IsNaN(m) {
				means = append(means, m)
				runPts = append(runPts, plotter.XY{X: float64(i) + 0.08 + 0.015*float64(r%4), Y: m})
			}
			r++
		}
		if s := scatterOf(runPts, runGlyph(col)); s != nil {
			front = append(front, s)
		}
		e := newEstimates(col, shape)
		iv := meanCI(means)
		e.points = []estimate{{X: float64(i), Est: iv.Est, Lo: iv.Lo, Hi: iv.Hi}}
		front = append(front, e)
	}
	if s := scatterOf(cyclePts, draw.GlyphStyle{Color: grey, Radius: vg.Points(0.9), Shape: draw.CircleGlyph{}}); s != nil {
		p.Add(s)
	}
	p.Add(front...)
	p.X.Min, p.X.Max = -0.5, float64(nc)-0.5
	padRange(p, 0.05, false)
	p.Y.Tick.Marker = autoTicks(5)
	return p
}
