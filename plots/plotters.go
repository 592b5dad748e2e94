package plots

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// estimate is a point estimate with its 95% CI at position X.
type estimate struct {
	X, Est, Lo, Hi float64
}

// estimates draws point estimates as glyphs with vertical CI bars (or
// horizontal ones when horizontal is set, with X as the y position).
type estimates struct {
	points     []estimate
	glyph      draw.GlyphStyle
	line       draw.LineStyle
	cap        vg.Length
	horizontal bool
	// glyphFunc, when set, styles point i instead of glyph.
	glyphFunc func(i int) draw.GlyphStyle
}

func newEstimates(c color.Color, shape draw.GlyphDrawer) *estimates {
	return &estimates{
		glyph: draw.GlyphStyle{Color: c, Radius: vg.Points(2.2), Shape: shape},
		line:  lineStyle(c, 0.9),
		cap:   vg.Points(3),
	}
}

func (e *estimates) style(i int) draw.GlyphStyle {
	if e.glyphFunc != nil {
		return e.glyphFunc(i)
	}
	return e.glyph
}

// Plot implements plot.Plotter.
func (e *estimates) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for i, pt := range e.points {
		if math.IsNaN(pt.Est) {
			continue
		}
		if !math.IsNaN(pt.Lo) && !math.IsNaN(pt.Hi) {
			// Bars are clipped to the data area; a cap is drawn only
			// where the interval ends inside it, so a truncated interval
			// shows as a bar running off the axis without a cap.
			if e.horizontal {
				y := trY(pt.X)
				x0, x1 := trX(pt.Lo), trX(pt.Hi)
				c.StrokeLines(e.line, c.ClipLinesXY([]vg.Point{{X: x0, Y: y}, {X: x1, Y: y}})...)
				for _, x := range []vg.Length{x0, x1} {
					if c.ContainsX(x) {
						c.StrokeLine2(e.line, x, y-e.cap/2, x, y+e.cap/2)
					}
				}
			} else {
				x := trX(pt.X)
				y0, y1 := trY(pt.Lo), trY(pt.Hi)
				c.StrokeLines(e.line, c.ClipLinesXY([]vg.Point{{X: x, Y: y0}, {X: x, Y: y1}})...)
				for _, y := range []vg.Length{y0, y1} {
					if c.ContainsY(y) {
						c.StrokeLine2(e.line, x-e.cap/2, y, x+e.cap/2, y)
					}
				}
			}
		}
		pos := vg.Point{X: trX(pt.X), Y: trY(pt.Est)}
		if e.horizontal {
			pos = vg.Point{X: trX(pt.Est), Y: trY(pt.X)}
		}
		c.DrawGlyph(e.style(i), pos)
	}
}

// DataRange implements plot.DataRanger.
func (e *estimates) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, pt := range e.points {
		if math.IsNaN(pt.Est) {
			continue
		}
		lo, hi := pt.Est, pt.Est
		if !math.IsNaN(pt.Lo) && !math.IsNaN(pt.Hi) {
			lo, hi = math.Min(lo, pt.Lo), math.Max(hi, pt.Hi)
		}
		xmin, xmax = math.Min(xmin, pt.X), math.Max(xmax, pt.X)
		ymin, ymax = math.Min(ymin, lo), math.Max(ymax, hi)
	}
	if e.horizontal {
		return ymin, ymax, xmin, xmax
	}
	return xmin, xmax, ymin, ymax
}

// Thumbnail implements plot.Thumbnailer.
func (e *estimates) Thumbnail(c *draw.Canvas) {
	x := c.Center().X
	c.StrokeLine2(e.line, x, c.Min.Y, x, c.Max.Y)
	c.DrawGlyphNoClip(e.glyph, c.Center())
}

// cellGrid draws a matrix of coloured cells at integer positions (column i
// at x = i, row j at y = j) with the value written in each cell.
type cellGrid struct {
	values [][]float64 // values[j][i]; NaN cells are left blank.
	labels [][]string  // labels[j][i] is written in the cell.
	cmap   palette.ColorMap
}

// Plot implements plot.Plotter.
func (g cellGrid) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	sty := textStyle(sans(tickFontSize), color.Black)
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
	for j, row := range g.values {
		for i, v := range row {
			r := vg.Rectangle{
				Min: vg.Point{X: trX(float64(i) - 0.5), Y: trY(float64(j) - 0.5)},
				Max: vg.Point{X: trX(float64(i) + 0.5), Y: trY(float64(j) + 0.5)},
			}
			if math.IsNaN(v) {
				c.SetColor(lightGrey)
				c.Fill(r.Path())
			} else {
				col, err := g.cmap.At(math.Min(math.Max(v, g.cmap.Min()), g.cmap.Max()))
				if err != nil {
					col = lightGrey
				}
				c.SetColor(col)
				c.Fill(r.Path())
			}
			c.SetColor(color.White)
			c.SetLineWidth(vg.Points(1))
			c.Stroke(r.Path())
			txt := sty
			txt.Color = cellTextColor(v, g.cmap)
			c.FillText(txt, vg.Point{X: (r.Min.X + r.Max.X) / 2, Y: (r.Min.Y + r.Max.Y) / 2}, g.labels[j][i])
		}
	}
}

// DataRange implements plot.DataRanger.
func (g cellGrid) DataRange() (xmin, xmax, ymin, ymax float64) {
	cols := 0
	if len(g.values) > 0 {
		cols = len(g.values[0])
	}
	return -0.5, float64(cols) - 0.5, -0.5, float64(len(g.values)) - 0.5
}

// cellTextColor picks black on light cells and white on dark ones.
func cellTextColor(v float64, cmap palette.ColorMap) color.Color {
	if math.IsNaN(v) {
		return color.Black
	}
	col, err := cmap.At(math.Min(math.Max(v, cmap.Min()), cmap.Max()))
	if err != nil {
		return color.Black
	}
	r, g, b, _ := col.RGBA()
	// Relative luminance with Rec. 709 weights on 16-bit channels.
	if 0.2126*float64(r)+0.7152*float64(g)+0.0722*float64(b) < 0.45*0xffff {
		return color.White
	}
	return color.Black
}

// scatterOf returns a scatter of the finite points of pts drawn with sty,
// or nil when no point is finite.
func scatterOf(pts plotter.XYs, sty draw.GlyphStyle) *scatter {
	var ok plotter.XYs
	for _, p := range pts {
		if !math.IsNaN(p.X) && !math.IsNaN(p.Y) && !math.IsInf(p.X, 0) && !math.IsInf(p.Y, 0) {
			ok = append(ok, p)
		}
	}
	if len(ok) == 0 {
		return nil
	}
	s, err := plotter.NewScatter(ok)
	if err != nil {
		// NewScatter only rejects non-finite points, removed above.
		panic("plots: " + err.Error())
	}
	s.GlyphStyle = sty
	return &scatter{s}
}

// scatter draws a plotter.Scatter without reporting glyph boxes, so that
// plot.Align lines panels up by their axes alone; the panels set their axis
// ranges with room for the glyphs instead (see padRange).
type scatter struct{ s *plotter.Scatter }

// Plot implements plot.Plotter.
func (s scatter) Plot(c draw.Canvas, p *plot.Plot) { s.s.Plot(c, p) }

// DataRange implements plot.DataRanger.
func (s scatter) DataRange() (xmin, xmax, ymin, ymax float64) { return s.s.DataRange() }

// padRange widens the y axis of p by frac of its span on both sides (and the
// x axis when x is set), so that glyphs at the extremes stay inside.
func padRange(p *plot.Plot, frac float64, x bool) {
	dy := frac * (p.Y.Max - p.Y.Min)
	p.Y.Min, p.Y.Max = p.Y.Min-dy, p.Y.Max+dy
	if x {
		dx := frac * (p.X.Max - p.X.Min)
		p.X.Min, p.X.Max = p.X.Min-dx, p.X.Max+dx
	}
}

// xSpans is a plotter that shades vertical bands [x0, x1] over the whole
// height of the data area, e.g. REM periods.
type xSpans struct {
	spans [][2]float64
	color color.Color
}

// Plot implements plot.Plotter.
func (s xSpans) Plot(c draw.Canvas, p *plot.Plot) {
	tr, _ := p.Transforms(&c)
	for _, sp := range s.spans {
		x0, x1 := math.Max(sp[0], p.X.Min), math.Min(sp[1], p.X.Max)
		if x1 <= x0 {
			continue
		}
		r := vg.Rectangle{Min: vg.Point{X: tr(x0), Y: c.Min.Y}, Max: vg.Point{X: tr(x1), Y: c.Max.Y}}
		c.SetColor(s.color)
		c.Fill(r.Path())
	}
}

// yBand is a plotter that shades a horizontal band [y0, y1] between x0 and
// x1 (in data units), e.g. a published norm range.
type yBand struct {
	x0, x1, y0, y1 float64
	color          color.Color
}

// Plot implements plot.Plotter.
func (b yBand) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	x0, x1 := math.Max(b.x0, p.X.Min), math.Min(b.x1, p.X.Max)
	y0, y1 := math.Max(b.y0, p.Y.Min), math.Min(b.y1, p.Y.Max)
	if x1 <= x0 || y1 <= y0 {
		return
	}
	r := vg.Rectangle{Min: vg.Point{X: trX(x0), Y: trY(y0)}, Max: vg.Point{X: trX(x1), Y: trY(y1)}}
	c.SetColor(b.color)
	c.Fill(r.Path())
}

// DataRange implements plot.DataRanger so that the band is always in view.
func (b yBand) DataRange() (xmin, xmax, ymin, ymax float64) {
	return math.Inf(1), math.Inf(-1), b.y0, b.y1
}

// hSegment is a horizontal segment from x0 to x1 at height y (data units).
type hSegment struct{ x0, x1, y float64 }

// hSegments draws horizontal segments, e.g. the REM bars of a hypnogram.
type hSegments struct {
	segs  []hSegment
	style draw.LineStyle
}

// Plot implements plot.Plotter.
func (h hSegments) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, s := range h.segs {
		line := c.ClipLinesX([]vg.Point{{X: trX(s.x0), Y: trY(s.y)}, {X: trX(s.x1), Y: trY(s.y)}})
		c.StrokeLines(h.style, line...)
	}
}

// vLine draws a vertical line at x across the data area.
type vLine struct {
	x     float64
	style draw.LineStyle
}

// Plot implements plot.Plotter.
func (l vLine) Plot(c draw.Canvas, p *plot.Plot) {
	if l.x < p.X.Min || l.x > p.X.Max {
		return
	}
	x := c.X(p.X.Norm(l.x))
	c.StrokeLine2(l.style, x, c.Min.Y, x, c.Max.Y)
}

// hLine draws a horizontal line at y across the data area.
type hLine struct {
	y     float64
	style draw.LineStyle
}

// Plot implements plot.Plotter.
func (l hLine) Plot(c draw.Canvas, p *plot.Plot) {
	if l.y < p.Y.Min || l.y > p.Y.Max {
		return
	}
	y := c.Y(p.Y.Norm(l.y))
	c.StrokeLine2(l.style, c.Min.X, y, c.Max.X, y)
}

// DataRange implements plot.DataRanger so that the line is in view.
func (l hLine) DataRange() (xmin, xmax, ymin, ymax float64) {
	return math.Inf(1), math.Inf(-1), l.y, l.y
}
