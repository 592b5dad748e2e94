package plots

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// legendEntry is one item of a figure legend: thumbnails drawn on top of each
// other, then the label.
type legendEntry struct {
	label  string
	thumbs []plot.Thumbnailer
}

// legend is a horizontal figure legend that wraps onto several lines.
type legend struct {
	entries []legendEntry
	style   text.Style
}

// newLegend returns an empty legend in the tick font.
func newLegend() *legend {
	return &legend{style: textStyle(sans(tickFontSize), color.Black)}
}

// add appends an entry.
func (l *legend) add(label string, thumbs ...plot.Thumbnailer) {
	l.entries = append(l.entries, legendEntry{label: label, thumbs: thumbs})
}

const (
	legendThumbW = 12 * vg.Inch / 72 // legendThumbW is the thumbnail width.
	legendGap    = 3 * vg.Inch / 72  // legendGap separates a thumbnail from its label.
	legendSep    = 10 * vg.Inch / 72 // legendSep separates entries.
)

// lineHeight is the height of one legend line.
func (l *legend) lineHeight() vg.Length { return l.style.Font.Size * 1.5 }

// lines splits the entries into lines that fit width.
func (l *legend) lines(width vg.Length) [][]int {
	var out [][]int
	var cur []int
	var w vg.Length
	for i, e := range l.entries {
		ew := legendThumbW + legendGap + l.style.Width(e.label)
		if len(cur) > 0 && w+legendSep+ew > width {
			out = append(out, cur)
			cur, w = nil, 0
		}
		if len(cur) > 0 {
			w += legendSep
		}
		cur = append(cur, i)
		w += ew
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// height returns the height the legend needs at width.
func (l *legend) height(width vg.Length) vg.Length {
	if len(l.entries) == 0 {
		return 0
	}
	return vg.Length(len(l.lines(width))) * l.lineHeight()
}

// draw draws the legend centred at the top of c and returns c without the
// legend's strip.
func (l *legend) draw(c draw.Canvas) draw.Canvas {
	if len(l.entries) == 0 {
		return c
	}
	width := c.Max.X - c.Min.X
	lh := l.lineHeight()
	y := c.Max.Y
	for _, line := range l.lines(width) {
		var w vg.Length
		for k, i := range line {
			if k > 0 {
				w += legendSep
			}
			w += legendThumbW + legendGap + l.style.Width(l.entries[i].label)
		}
		x := c.Min.X + (width-w)/2
		for _, i := range line {
			e := l.entries[i]
			box := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
				Min: vg.Point{X: x, Y: y - lh + lh*0.2},
				Max: vg.Point{X: x + legendThumbW, Y: y - lh*0.2},
			}}
			for _, t := range e.thumbs {
				t.Thumbnail(&box)
			}
			sty := l.style
			sty.XAlign, sty.YAlign = draw.XLeft, draw.YCenter
			c.FillText(sty, vg.Point{X: x + legendThumbW + legendGap, Y: y - lh/2}, e.label)
			x += legendThumbW + legendGap + l.style.Width(e.label) + legendSep
		}
		y -= lh
	}
	out := c
	out.Max.Y = y - vg.Points(2)
	return out
}

// patchThumb is a legend thumbnail filled with a colour.
type patchThumb struct{ color color.Color }

// Thumbnail implements plot.Thumbnailer.
func (p patchThumb) Thumbnail(c *draw.Canvas) {
	c.SetColor(p.color)
	c.Fill(c.Rectangle.Path())
}

// glyphThumb is a legend thumbnail showing one glyph.
type glyphThumb struct{ style draw.GlyphStyle }

// Thumbnail implements plot.Thumbnailer.
func (g glyphThumb) Thumbnail(c *draw.Canvas) { c.DrawGlyphNoClip(g.style, c.Center()) }

// lineThumb is a legend thumbnail showing a horizontal line.
type lineThumb struct{ style draw.LineStyle }

// Thumbnail implements plot.Thumbnailer.
func (l lineThumb) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(l.style, c.Min.X, y, c.Max.X, y)
}

// frameThumb is a legend thumbnail showing an empty frame.
type frameThumb struct {
	color color.Color
	width float64 // points
}

// Thumbnail implements plot.Thumbnailer.
func (f frameThumb) Thumbnail(c *draw.Canvas) {
	w := vg.Points(f.width) / 2
	r := c.Rectangle
	r.Min.X += w
	r.Min.Y += w
	r.Max.X -= w
	r.Max.Y -= w
	frame(*c, r, f.color, f.width)
}
