package plots

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Figure widths of the two journal formats. Every figure is drawn at its print
// size, so font sizes in points are the sizes on paper.
const (
	ColumnWidth = 3.5 * vg.Inch // ColumnWidth is a single journal column.
	PageWidth   = 7 * vg.Inch   // PageWidth is the full page (two columns).
)

// Font sizes at print size, in points. Journals ask for 5-7 pt at least;
// nothing here is below 7 pt.
const (
	tickFontSize   = 7 * vg.Inch / 72
	labelFontSize  = 8 * vg.Inch / 72
	titleFontSize  = 8 * vg.Inch / 72
	letterFontSize = 10 * vg.Inch / 72
)

// The Okabe-Ito palette, distinguishable under the common colour-vision
// deficiencies (Okabe & Ito 2008, "Color Universal Design"; recommended by
// Wong 2011, Nature Methods 8:441).
var (
	black         = color.NRGBA{R: 0x00, G: 0x00, B: 0x00, A: 0xff}
	orange        = color.NRGBA{R: 0xE6, G: 0x9F, B: 0x00, A: 0xff}
	skyBlue       = color.NRGBA{R: 0x56, G: 0xB4, B: 0xE9, A: 0xff}
	bluishGreen   = color.NRGBA{R: 0x00, G: 0x9E, B: 0x73, A: 0xff}
	yellow        = color.NRGBA{R: 0xF0, G: 0xE4, B: 0x42, A: 0xff}
	blue          = color.NRGBA{R: 0x00, G: 0x72, B: 0xB2, A: 0xff}
	vermillion    = color.NRGBA{R: 0xD5, G: 0x5E, B: 0x00, A: 0xff}
	reddishPurple = color.NRGBA{R: 0xCC, G: 0x79, B: 0xA7, A: 0xff}

	grey      = color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0xff}
	lightGrey = color.NRGBA{R: 0xD9, G: 0xD9, B: 0xD9, A: 0xff}
	// remShade marks REM periods behind data: vermillion at low opacity.
	remShade = color.NRGBA{R: 0xD5, G: 0x5E, B: 0x00, A: 0x33}
	// normShade marks published norm bands: bluish green at low opacity.
	normShade = color.NRGBA{R: 0x00, G: 0x9E, B: 0x73, A: 0x30}
)

// seriesColors is the Okabe-Ito order used for conditions and classes: black
// first (the control), yellow last because it is faint on white.
var seriesColors = []color.Color{black, orange, skyBlue, bluishGreen, blue, vermillion, reddishPurple, yellow}

// seriesShapes cycle when there are more series than colours.
var seriesShapes = []draw.GlyphDrawer{draw.CircleGlyph{}, draw.BoxGlyph{}, draw.PyramidGlyph{}, draw.RingGlyph{}}

// seriesStyle returns the colour and glyph shape of series i.
func seriesStyle(i int) (color.Color, draw.GlyphDrawer) {
	n := len(seriesColors)
	return seriesColors[i%n], seriesShapes[(i/n)%len(seriesShapes)]
}

// sans returns Liberation Sans at size. Liberation Sans is metric-compatible
// with Arial and Helvetica and is embedded in gonum/plot, so renders do not
// depend on the fonts of the machine (needed for golden images).
func sans(size vg.Length) font.Font {
	return font.Font{Typeface: "Liberation", Variant: "Sans", Size: size}
}

// sansBold returns bold Liberation Sans at size.
func sansBold(size vg.Length) font.Font {
	f := sans(size)
	// golang.org/x/image/font.WeightBold (CSS 700), written as its value
	// because this package imports only stdlib, gonum and gonum/plot.
	f.Weight = 3
	return f
}

// textStyle returns a plain-text style in c at the given font.
func textStyle(f font.Font, c color.Color) text.Style {
	return text.Style{Color: c, Font: f, Handler: plot.DefaultTextHandler}
}

// newPlot returns a plot with the figure fonts and thin axes.
func newPlot() *plot.Plot {
	p := plot.New()
	p.BackgroundColor = nil
	p.Title.TextStyle.Font = sans(titleFontSize)
	p.Title.Padding = vg.Points(3)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = sans(labelFontSize)
		a.Label.Padding = vg.Points(2)
		a.Tick.Label.Font = sans(tickFontSize)
		a.Tick.Length = vg.Points(3)
		a.Tick.LineStyle.Width = vg.Points(0.5)
		a.LineStyle.Width = vg.Points(0.5)
		a.Padding = vg.Points(2)
	}
	p.Legend.TextStyle.Font = sans(tickFontSize)
	return p
}

// runGlyph is the open circle that marks one run beside a condition mean.
func runGlyph(c color.Color) draw.GlyphStyle {
	return draw.GlyphStyle{Color: c, Radius: vg.Points(1.3), Shape: draw.RingGlyph{}}
}

// lineStyle returns a solid line of width w points.
func lineStyle(c color.Color, w float64) draw.LineStyle {
	return draw.LineStyle{Color: c, Width: vg.Points(w)}
}

// dashed returns a dashed line of width w points.
func dashed(c color.Color, w float64) draw.LineStyle {
	return draw.LineStyle{Color: c, Width: vg.Points(w), Dashes: []vg.Length{vg.Points(2), vg.Points(2)}}
}
