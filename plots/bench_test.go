package plots_test

import (
	"strconv"
	"testing"

	"github.com/dreamsim/dreamsim/plots"
)

// BenchmarkBuildFigures reads the MCH fixture folder and builds every figure
// without rendering: the cost of parsing the run files and laying out.
func BenchmarkBuildFigures(b *testing.B) {
	for b.Loop() {
		exp, err := plots.ReadExperiment("testdata/mch-forgetting")
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := plots.BuildFigures(exp); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkActivityPNG renders the activity figure (the largest, about 7 x
// 6.3 in with 6 x 960 samples) at screen, report and print resolution.
func BenchmarkActivityPNG(b *testing.B) {
	var fig *plots.Figure
	for _, f := range fixtureFigures(b, "mch-forgetting") {
		if f.Name == "activity" {
			fig = f
		}
	}
	for _, dpi := range []int{72, 150, plots.DefaultDPI} {
		b.Run("dpi="+strconv.Itoa(dpi), func(b *testing.B) {
			for b.Loop() {
				if _, err := fig.PNG(dpi); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkActivitySVG renders the activity figure as SVG.
func BenchmarkActivitySVG(b *testing.B) {
	var fig *plots.Figure
	for _, f := range fixtureFigures(b, "mch-forgetting") {
		if f.Name == "activity" {
			fig = f
		}
	}
	for b.Loop() {
		if _, err := fig.SVG(); err != nil {
			b.Fatal(err)
		}
	}
}
