package plots

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// LatentPanel is one panel of the latent map.
type LatentPanel struct {
	Title   string   // Title names the panel, e.g. "gate 0.00–0.33".
	Latents []Latent // Latents are the memories and dreams drawn.
	// Fit are the latents the 2-D PCA projection is fitted on; nil means
	// Latents. Panels with the same Fit share their projection and axes.
	Fit []Latent
}

// classColors colour content classes: Okabe-Ito without black first, so
// that classes do not look like a control condition.
var classColors = []color.Color{orange, skyBlue, bluishGreen, blue, vermillion, reddishPurple, black, yellow}

// gateBins are the PFC-gate bins of the single-run latent map.
var gateBins = [][2]float64{{0, 1.0 / 3}, {1.0 / 3, 2.0 / 3}, {2.0 / 3, 1}}

// LatentPanelsByGate splits one run's latents into one panel per PFC-gate
// bin (0–1/3, 1/3–2/3, 2/3–1; empty bins are dropped). Every panel shows
// all memories and the dreams made with a gate in its bin, on one shared
// projection.
func LatentPanelsByGate(latents []Latent) []LatentPanel {
	var mems []Latent
	for _, l := range latents {
		if l.Kind == KindMemory {
			mems = append(mems, l)
		}
	}
	var panels []LatentPanel
	for b, bin := range gateBins {
		ls := slices.Clone(mems)
		n := 0
		for _, l := range latents {
			if l.Kind != KindDream || math.IsNaN(l.Gate) {
				continue
			}
			if l.Gate >= bin[0] && (l.Gate < bin[1] || (b == len(gateBins)-1 && l.Gate <= bin[1])) {
				ls = append(ls, l)
				n++
			}
		}
		if n == 0 {
			continue
		}
		dreams := "dreams"
		if n == 1 {
			dreams = "dream"
		}
		panels = append(panels, LatentPanel{
			Title:   fmt.Sprintf("gate %.2f–%.2f (%d %s)", bin[0], bin[1], n, dreams),
			Latents: ls,
			Fit:     latents,
		})
	}
	return panels
}

// projection is a fitted 2-D PCA.
type projection struct {
	mean    []float64
	vecs    *mat.Dense // d x 2 loadings
	percent [2]float64 // percent of variance of PC1 and PC2
	dims    int
}

// fitPCA fits the first two principal components of the latents with
// gonum's stat.PC (Pearson 1901). Each component's sign is chosen so that its
// largest loading is positive, which makes the picture independent of the
// SVD's arbitrary signs.
func fitPCA(ls []Latent) (*projection, error) {
	if len(ls) < 3 {
		return nil, fmt.Errorf("need at least 3 latents for a 2-D projection, have %d", len(ls))
	}
	d := len(ls[0].Z)
	if d < 2 {
		return nil, fmt.Errorf("need at least 2 latent dimensions, have %d", d)
	}
	x := mat.NewDense(len(ls), d, nil)
	for i, l := range ls {
		if len(l.Z) != d {
			return nil, fmt.Errorf("latent %s %d has %d dimensions, want %d", l.Kind, l.ID, len(l.Z), d)
		}
		x.SetRow(i, l.Z)
	}
	var pc stat.PC
	if !pc.PrincipalComponents(x, nil) {
		return nil, errors.New("principal component analysis failed")
	}
	var vecs mat.Dense
	pc.VectorsTo(&vecs)
	vars := pc.VarsTo(nil)
	total := 0.0
	for _, v := range vars {
		total += v
	}
	p := &projection{mean: make([]float64, d), vecs: mat.NewDense(d, 2, nil), dims: d}
	for j := 0; j < d; j++ {
		p.mean[j] = stat.Mean(mat.Col(nil, j, x), nil)
	}
	for k := 0; k < 2; k++ {
		col := mat.Col(nil, k, &vecs)
		big := 0
		for j := range col {
			if math.Abs(col[j]) > math.Abs(col[big]) {
				big = j
			}
		}
		if col[big] < 0 {
			for j := range col {
				col[j] = -col[j]
			}
		}
		p.vecs.SetCol(k, col)
		if total > 0 {
			p.percent[k] = 100 * vars[k] / total
		}
	}
	return p, nil
}

// project returns the PC1 and PC2 scores of z.
func (p *projection) project(z []float64) (float64, float64) {
	var s [2]float64
	for k := 0; k < 2; k++ {
		for j := 0; j < p.dims; j++ {
			s[k] += (z[j] - p.mean[j]) * p.vecs.At(j, k)
		}
	}
	return s[0], s[1]
}

// LatentMapFigure draws the 2-D PCA projection of memory and dream latents,
// one panel per LatentPanel: memories as circles and dreams as outlined
// triangles, coloured by content class (the same colour for a class in every
// panel). title, when not empty, heads the figure (e.g. the run). The figure
// is PageWidth wide, up to three panels per row, and is named "latent-map".
func LatentMapFigure(title string, panels []LatentPanel) (*Figure, error) {
	if len(panels) == 0 {
		return nil, errors.New("plots: latent map: no panels")
	}
	var classes []string
	for _, pn := range panels {
		for _, l := range pn.Latents {
			if !slices.Contains(classes, l.Class) {
				classes = append(classes, l.Class)
			}
		}
	}
	slices.Sort(classes)
	classColor := func(c string) color.Color {
		return classColors[slices.Index(classes, c)%len(classColors)]
	}

	var ps []*plot.Plot
	for _, pn := range panels {
		p, err := latentPlot(pn, classColor)
		if err != nil {
			return nil, fmt.Errorf("plots: latent map %q: %w", pn.Title, err)
		}
		ps = append(ps, p)
	}
	grid := wrapGrid(ps, 3)
	cols := len(grid[0])

	leg := newLegend()
	leg.add("memory", glyphThumb{memoryGlyph(grey)})
	leg.add("dream", glyphThumb{dreamGlyph(grey)}, glyphThumb{dreamOutline()})
	for _, c := range classes {
		name := c
		if name == "" {
			name = "(no class)"
		}
		leg.add(name, patchThumb{classColor(c)})
	}
	panelH := PageWidth/vg.Length(cols)*0.85 + 0.1*vg.Inch
	if cols == 1 {
		panelH = 3.2 * vg.Inch
	}
	h := leg.height(PageWidth) + vg.Length(len(grid))*panelH
	if title != "" {
		h += titleFontSize * 1.6
	}
	return &Figure{
		Name: "latent-map",
		Caption: "Latent map: the latent means of memories (circles) and dreams (triangles) projected on their first two principal components, coloured by content class. " +
			"Panels split the dreams by the PFC gate under which they were made (or by condition, each condition with its own projection, when conditions differ in gate); low gates let dreams drift away from the memories.",
		Width:  PageWidth,
		Height: h,
		Draw: func(c draw.Canvas) {
			c = leg.draw(c)
			if title != "" {
				sty := textStyle(sans(titleFontSize), black)
				sty.XAlign, sty.YAlign = draw.XCenter, draw.YTop
				c.FillText(sty, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: c.Max.Y}, title)
				c.Max.Y -= titleFontSize * 1.6
			}
			alignGrid(c, grid, vg.Points(16), vg.Points(12))
		},
	}, nil
}

func memoryGlyph(c color.Color) draw.GlyphStyle {
	return draw.GlyphStyle{Color: c, Radius: vg.Points(1.8), Shape: draw.CircleGlyph{}}
}

func dreamGlyph(c color.Color) draw.GlyphStyle {
	return draw.GlyphStyle{Color: c, Radius: vg.Points(3.2), Shape: draw.PyramidGlyph{}}
}

func dreamOutline() draw.GlyphStyle {
	return draw.GlyphStyle{Color: black, Radius: vg.Points(3.2), Shape: draw.TriangleGlyph{}}
}

// latentPlot draws one panel.
func latentPlot(pn LatentPanel, classColor func(string) color.Color) (*plot.Plot, error) {
	fit := pn.Fit
	if fit == nil {
		fit = pn.Latents
	}
	proj, err := fitPCA(fit)
	if err != nil {
		return nil, err
	}
	p := newPlot()
	p.Title.Text = pn.Title
	p.X.Label.Text = fmt.Sprintf("PC1 (%.0f%% of variance)", proj.percent[0])
	p.Y.Label.Text = fmt.Sprintf("PC2 (%.0f%% of variance)", proj.percent[1])
	// Axes cover every fitted point so that panels sharing a fit match.
	xmin, xmax, ymin, ymax := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, l := range fit {
		x, y := proj.project(l.Z)
		xmin, xmax = math.Min(xmin, x), math.Max(xmax, x)
		ymin, ymax = math.Min(ymin, y), math.Max(ymax, y)
	}
	padX, padY := 0.05*(xmax-xmin), 0.05*(ymax-ymin)
	p.X.Min, p.X.Max = xmin-padX, xmax+padX
	p.Y.Min, p.Y.Max = ymin-padY, ymax+padY
	p.X.Tick.Marker, p.Y.Tick.Marker = autoTicks(4), autoTicks(4)

	var mems, dreams plotter.XYs
	var memCol, dreamCol []color.Color
	for _, l := range pn.Latents {
		x, y := proj.project(l.Z)
		if l.Kind == KindDream {
			dreams = append(dreams, plotter.XY{X: x, Y: y})
			dreamCol = append(dreamCol, classColor(l.Class))
		} else {
			mems = append(mems, plotter.XY{X: x, Y: y})
			memCol = append(memCol, classColor(l.Class))
		}
	}
	if len(mems) > 0 {
		s, err := plotter.NewScatter(mems)
		if err != nil {
			return nil, err
		}
		s.GlyphStyleFunc = func(i int) draw.GlyphStyle { return memoryGlyph(memCol[i]) }
		p.Add(&scatter{s})
	}
	if len(dreams) > 0 {
		s, err := plotter.NewScatter(dreams)
		if err != nil {
			return nil, err
		}
		s.GlyphStyleFunc = func(i int) draw.GlyphStyle { return dreamGlyph(dreamCol[i]) }
		o, _ := plotter.NewScatter(dreams)
		o.GlyphStyle = dreamOutline()
		p.Add(&scatter{s}, &scatter{o})
	}
	return p, nil
}
