package plots

import (
	"image/color"

	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
)

// viridisControls are nine evenly spaced colours of viridis, the perceptually
// uniform, colour-blind-safe sequential map of van der Walt & Smith (2015,
// matplotlib), from dark purple (low) to yellow (high).
var viridisControls = []color.Color{
	color.NRGBA{R: 0x44, G: 0x01, B: 0x54, A: 0xff},
	color.NRGBA{R: 0x47, G: 0x2D, B: 0x7B, A: 0xff},
	color.NRGBA{R: 0x3B, G: 0x52, B: 0x8B, A: 0xff},
	color.NRGBA{R: 0x2C, G: 0x72, B: 0x8E, A: 0xff},
	color.NRGBA{R: 0x21, G: 0x90, B: 0x8C, A: 0xff},
	color.NRGBA{R: 0x27, G: 0xAD, B: 0x81, A: 0xff},
	color.NRGBA{R: 0x5D, G: 0xC8, B: 0x63, A: 0xff},
	color.NRGBA{R: 0xAA, G: 0xDC, B: 0x32, A: 0xff},
	color.NRGBA{R: 0xFD, G: 0xE7, B: 0x25, A: 0xff},
}

// viridis returns a viridis colour map over [lo, hi].
func viridis(lo, hi float64) palette.ColorMap {
	m, err := moreland.NewLuminance(viridisControls)
	if err != nil {
		// The controls are constants with increasing luminance.
		panic("plots: viridis controls: " + err.Error())
	}
	m.SetMin(lo)
	m.SetMax(hi)
	return m
}
