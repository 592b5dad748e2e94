package plots

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// SurvivalData is the input of MemorySurvivalFigure.
type SurvivalData struct {
	// Conditions are drawn in this order; the first is the control.
	Conditions []string
	// Retention[condition][kind] holds one retention fraction per run for
	// the kinds "neutral" and "emotional".
	Retention map[string]map[string][]float64
	// Memories[condition] pools the memories of every run of the condition.
	Memories map[string][]Memory
}

// RetentionByKind returns the fraction of memories of a kind that were
// recalled; NaN when there is none of that kind.
func RetentionByKind(ms []Memory, kind string) float64 {
	n, k := 0, 0
	for _, m := range ms {
		if m.Kind == kind {
			n++
			if m.Recalled {
				k++
			}
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return float64(k) / float64(n)
}

// replayBins are the replay-count bins of the survival curve: single counts
// where most memories are, then doubling widths.
var replayBins = [][2]int{{0, 0}, {1, 1}, {2, 2}, {3, 4}, {5, 8}, {9, 16}, {17, math.MaxInt}}

func replayBinLabel(b [2]int) string {
	switch {
	case b[0] == b[1]:
		return strconv.Itoa(b[0])
	case b[1] == math.MaxInt:
		return strconv.Itoa(b[0]) + "+"
	case b[1] == b[0]+1:
		return strconv.Itoa(b[0]) + ", " + strconv.Itoa(b[1])
	default:
		return strconv.Itoa(b[0]) + "–" + strconv.Itoa(b[1])
	}
}

// encodingBins is the number of equal-width encoding-strength bins on [0, 1].
const encodingBins = 5

// MemorySurvivalFigure draws which memories survive: (a) retention by memory
// kind per condition, mean over runs with its 95% t CI and the runs as open
// circles; (b) recall probability against encoding strength and (c) against
// NREM replay count, pooled over runs with 95% Wilson intervals; and, when
// there are several conditions, (d) a matrix of conditions by memory-property
// bins (kind x encoding-strength tercile within the kind, over all
// conditions' memories) coloured by recall rate, showing which memories each forgetting
// rule kept. The figure is PageWidth wide (ColumnWidth when only panel a has
// data) and is named "memory-survival".
func MemorySurvivalFigure(d SurvivalData) (*Figure, error) {
	if len(d.Conditions) == 0 {
		return nil, errors.New("plots: memory survival: no conditions")
	}
	pooled := 0
	for _, c := range d.Conditions {
		pooled += len(d.Memories[c])
	}
	if pooled == 0 && d.Retention == nil {
		return nil, errors.New("plots: memory survival: no memories and no retention values")
	}
	leg := newLegend()
	for i, c := range d.Conditions {
		col, shape := seriesStyle(i)
		e := newEstimates(col, shape)
		leg.add(c, e)
	}

	pa := retentionPlot(d)
	var pb, pc, pd *plot.Plot
	var err error
	if pooled > 0 {
		if pb, err = encodingPlot(d); err != nil {
			return nil, err
		}
		if pc, err = replayPlot(d); err != nil {
			return nil, err
		}
		if len(d.Conditions) > 1 {
			pd = keptMatrixPlot(d)
		}
	}
	var rows [][]*plot.Plot
	var h vg.Length
	w := PageWidth
	switch {
	case pd != nil:
		rows = [][]*plot.Plot{{pa, pb}, {pc, pd}}
		h = 5.2 * vg.Inch
	case pb != nil:
		rows = [][]*plot.Plot{{pa, pb, pc}}
		h = 2.5 * vg.Inch
	default:
		rows = [][]*plot.Plot{{pa}}
		h = 2.8 * vg.Inch
		w = ColumnWidth
	}
	h += leg.height(w)
	return &Figure{
		Name: "memory-survival",
		Caption: "Memory survival. (a) Retention by memory kind: mean over runs with 95% t CI; open circles are runs. " +
			"(b, c) Recall probability against encoding strength and against the number of NREM replays, memories pooled over runs, with 95% Wilson intervals. " +
			"(d) Which memories each condition kept: recall rate by kind and encoding-strength tercile (terciles within each kind, over all conditions); cells give the rate and the number of memories.",
		Width:  w,
		Height: h,
		Draw: func(c draw.Canvas) {
			c = leg.draw(c)
			tiles := alignGrid(c, rows, vg.Points(22), vg.Points(14))
			k := 0
			for j := range rows {
				for i := range rows[j] {
					if rows[j][i] != nil {
						drawLetter(tiles[j][i], panelLetter(k))
						k++
					}
				}
			}
		},
	}, nil
}

// dodge returns the offset of series i of n inside a category of width w.
func dodge(i, n int, w float64) float64 {
	if n <= 1 {
		return 0
	}
	return -w/2 + w*float64(i)/float64(n-1)
}

// retentionPlot is panel (a).
func retentionPlot(d SurvivalData) *plot.Plot {
	p := newPlot()
	p.Title.Text = "Retention by memory kind"
	p.Y.Label.Text = "Retention (fraction recalled)"
	p.X.Label.Text = "Memory kind"
	kinds := []string{Neutral, Emotional}
	p.X.Tick.Marker = categoryTicks(kinds)
	p.Y.Tick.Marker = stepTicks(0.25, 0, func(v float64) string { return formatNum(v, 2) })
	// Fractions live in [0, 1]: the axis stays there and t intervals of
	// few runs that reach beyond it are truncated.
	defer func() { p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = -0.6, 1.6, 0, 1 }()
	n := len(d.Conditions)
	for i, cond := range d.Conditions {
		col, shape := seriesStyle(i)
		e := newEstimates(col, shape)
		var runs plotter.XYs
		for k, kind := range kinds {
			vals := d.Retention[cond][kind]
			x := float64(k) + dodge(i, n, 0.6)
			iv := meanCI(vals)
			e.points = append(e.points, estimate{X: x, Est: iv.Est, Lo: iv.Lo, Hi: iv.Hi})
			for r, v := range vals {
				if !math.IsNaN(v) {
					// Runs sit beside their mean, spread a little so that
					// equal values stay visible.
					off := 0.07 + 0.015*float64(r%4)
					runs = append(runs, plotter.XY{X: x + off, Y: v})
				}
			}
		}
		if s := scatterOf(runs, runGlyph(col)); s != nil {
			p.Add(s)
		}
		p.Add(e)
	}
	return p
}

// binnedRecall returns Wilson estimates of recall per bin for one condition.
func binnedRecall(ms []Memory, nbins int, bin func(Memory) int) []interval {
	k := make([]int, nbins)
	n := make([]int, nbins)
	for _, m := range ms {
		b := bin(m)
		if b < 0 || b >= nbins {
			continue
		}
		n[b]++
		if m.Recalled {
			k[b]++
		}
	}
	out := make([]interval, nbins)
	for b := range out {
		out[b] = wilson(k[b], n[b])
	}
	return out
}

// curvePlot draws binned recall curves per condition at positions xs.
func curvePlot(d SurvivalData, xs []float64, width float64, bin func(Memory) int) (*plot.Plot, error) {
	p := newPlot()
	p.Y.Label.Text = "Recall probability"
	defer func() { p.Y.Min, p.Y.Max = 0, 1 }()
	p.Y.Tick.Marker = stepTicks(0.25, 0, func(v float64) string { return formatNum(v, 2) })
	n := len(d.Conditions)
	for i, cond := range d.Conditions {
		col, shape := seriesStyle(i)
		e := newEstimates(col, shape)
		var line plotter.XYs
		for b, iv := range binnedRecall(d.Memories[cond], len(xs), bin) {
			x := xs[b] + dodge(i, n, width)
			e.points = append(e.points, estimate{X: x, Est: iv.Est, Lo: iv.Lo, Hi: iv.Hi})
			if !math.IsNaN(iv.Est) {
				line = append(line, plotter.XY{X: x, Y: iv.Est})
			}
		}
		if len(line) > 1 {
			l, err := plotter.NewLine(line)
			if err != nil {
				return nil, fmt.Errorf("plots: memory survival: %w", err)
			}
			l.LineStyle = lineStyle(col, 0.75)
			p.Add(l)
		}
		p.Add(e)
	}
	return p, nil
}

// encodingPlot is panel (b).
func encodingPlot(d SurvivalData) (*plot.Plot, error) {
	xs := make([]float64, encodingBins)
	for b := range xs {
		xs[b] = (float64(b) + 0.5) / encodingBins
	}
	p, err := curvePlot(d, xs, 0.08, func(m Memory) int {
		return min(int(m.EncodingStrength*encodingBins), encodingBins-1)
	})
	if err != nil {
		return nil, err
	}
	p.Title.Text = "By encoding strength"
	p.X.Label.Text = "Encoding strength (0–1, bins of 0.2)"
	p.X.Min, p.X.Max = 0, 1
	p.X.Tick.Marker = stepTicks(0.2, 0, func(v float64) string { return formatNum(v, 1) })
	return p, nil
}

// replayBinsFor returns the replay-count bins for the pooled counts: the
// fixed bins of replayBins (empty top bins dropped) while counts stay within
// 16, else about six bins at the sextiles of the counts, so that each bin
// holds a similar number of memories whatever the replay rate of the model.
func replayBinsFor(counts []int) [][2]int {
	if len(counts) == 0 {
		return nil
	}
	sorted := slices.Clone(counts)
	slices.Sort(sorted)
	maxc := sorted[len(sorted)-1]
	if maxc <= 16 {
		nb := 0
		for nb < len(replayBins) && replayBins[nb][0] <= maxc {
			nb++
		}
		return replayBins[:nb]
	}
	const n = 6
	var edges []int
	for k := 0; k < n; k++ {
		e := sorted[k*len(sorted)/n]
		if len(edges) == 0 || e > edges[len(edges)-1] {
			edges = append(edges, e)
		}
	}
	bins := make([][2]int, len(edges))
	for k, e := range edges {
		hi := maxc
		if k+1 < len(edges) {
			hi = edges[k+1] - 1
		}
		bins[k] = [2]int{e, hi}
	}
	return bins
}

// replayPlot is panel (c).
func replayPlot(d SurvivalData) (*plot.Plot, error) {
	var counts []int
	for _, cond := range d.Conditions {
		for _, m := range d.Memories[cond] {
			counts = append(counts, m.ReplayCount)
		}
	}
	bins := replayBinsFor(counts)
	nb := len(bins)
	var labels []string
	xs := make([]float64, nb)
	for b := range bins {
		xs[b] = float64(b)
		labels = append(labels, replayBinLabel(bins[b]))
	}
	p, err := curvePlot(d, xs, 0.4, func(m Memory) int {
		return slices.IndexFunc(bins, func(b [2]int) bool { return m.ReplayCount >= b[0] && m.ReplayCount <= b[1] })
	})
	if err != nil {
		return nil, err
	}
	p.Title.Text = "By NREM replay count"
	p.X.Label.Text = "Replays during NREM (count)"
	p.X.Tick.Marker = categoryTicks(labels)
	p.X.Min, p.X.Max = -0.5, float64(nb)-0.5
	return p, nil
}

// keptMatrixPlot is panel (d).
func keptMatrixPlot(d SurvivalData) *plot.Plot {
	// Terciles of encoding strength within each kind, over the memories of
	// every condition, so that all conditions share the bins and each kind
	// fills its three columns even when the kinds are encoded at different
	// strengths.
	cuts := make(map[string][2]float64)
	for _, kind := range []string{Neutral, Emotional} {
		var all []float64
		for _, c := range d.Conditions {
			for _, m := range d.Memories[c] {
				if m.Kind == kind {
					all = append(all, m.EncodingStrength)
				}
			}
		}
		slices.Sort(all)
		cuts[kind] = [2]float64{quantileSorted(all, 1.0/3), quantileSorted(all, 2.0/3)}
	}
	tercile := func(m Memory) int {
		switch t := cuts[m.Kind]; {
		case m.EncodingStrength < t[0]:
			return 0
		case m.EncodingStrength < t[1]:
			return 1
		}
		return 2
	}
	kinds := []string{Neutral, Emotional}
	nc := len(d.Conditions)
	g := cellGrid{cmap: viridis(0, 1)}
	for j := 0; j < nc; j++ {
		// Row 0 is drawn at the bottom: put the control at the top.
		cond := d.Conditions[nc-1-j]
		vals := make([]float64, 6)
		labels := make([]string, 6)
		for ki, kind := range kinds {
			var k, n [3]int
			for _, m := range d.Memories[cond] {
				if m.Kind != kind {
					continue
				}
				t := tercile(m)
				n[t]++
				if m.Recalled {
					k[t]++
				}
			}
			for t := 0; t < 3; t++ {
				i := 3*ki + t
				vals[i] = math.NaN()
				labels[i] = "n=0"
				if n[t] > 0 {
					vals[i] = float64(k[t]) / float64(n[t])
					labels[i] = formatNum(vals[i], 2) + "\nn=" + strconv.Itoa(n[t])
				}
			}
		}
		g.values = append(g.values, vals)
		g.labels = append(g.labels, labels)
	}
	p := newPlot()
	p.Title.Text = "Recall rate by memory property"
	p.Add(g)
	p.X.Tick.Marker = categoryTicks([]string{"low", "mid\nneutral", "high", "low", "mid\nemotional", "high"})
	p.X.Label.Text = "Encoding-strength tercile (within kind)"
	rows := make([]string, nc)
	for j := range rows {
		rows[j] = d.Conditions[nc-1-j]
	}
	p.Y.Tick.Marker = categoryTicks(rows)
	p.X.Tick.Length, p.Y.Tick.Length = 0, 0
	p.X.LineStyle.Width, p.Y.LineStyle.Width = 0, 0
	p.X.Padding, p.Y.Padding = 0, 0
	return p
}

// quantileSorted returns the q quantile of sorted x by linear interpolation.
func quantileSorted(x []float64, q float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	pos := q * float64(len(x)-1)
	i := int(pos)
	if i+1 >= len(x) {
		return x[len(x)-1]
	}
	f := pos - float64(i)
	return x[i]*(1-f) + x[i+1]*f
}
