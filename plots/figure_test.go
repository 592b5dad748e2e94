package plots_test

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"io"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/dreamsim/dreamsim/plots"
)

// fixtureFigures builds every figure of a fixture.
func fixtureFigures(t testing.TB, fixture string) []*plots.Figure {
	t.Helper()
	exp, err := plots.ReadExperiment("testdata/" + fixture)
	if err != nil {
		t.Fatal(err)
	}
	figs, _, err := plots.BuildFigures(exp)
	if err != nil {
		t.Fatal(err)
	}
	return figs
}

// TestFiguresDeterministic draws every figure twice: the PNG and SVG bytes
// must be identical (no timestamps, no map-order effects), and the figure
// must keep its print size.
func TestFiguresDeterministic(t *testing.T) {
	t.Parallel()
	for _, f := range fixtureFigures(t, "pfc-dose") {
		a, err := f.PNG(20)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := f.PNG(20)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two PNG renders differ", f.Name)
		}
		img, err := png.Decode(bytes.NewReader(a))
		if err != nil {
			t.Fatal(err)
		}
		if w := img.Bounds().Dx(); math.Abs(float64(w)-float64(f.Width/vg.Inch)*20) > 1 {
			t.Errorf("%s: %d px wide at 20 dpi, want %v in", f.Name, w, f.Width/vg.Inch)
		}
		s1, err := f.SVG()
		if err != nil {
			t.Fatal(err)
		}
		s2, _ := f.SVG()
		if !bytes.Equal(s1, s2) {
			t.Errorf("%s: two SVG renders differ", f.Name)
		}
	}
}

// TestFigureSizes checks the documented journal widths.
func TestFigureSizes(t *testing.T) {
	t.Parallel()
	for _, f := range fixtureFigures(t, "mch-forgetting") {
		want := plots.PageWidth
		if f.Name == "stage-architecture" {
			want = plots.ColumnWidth
		}
		if f.Width != want {
			t.Errorf("%s: width %v in, want %v in", f.Name, f.Width/vg.Inch, want/vg.Inch)
		}
		if f.Height <= 0 || f.Height > 9.5*vg.Inch {
			t.Errorf("%s: height %v in does not fit a page", f.Name, f.Height/vg.Inch)
		}
		if f.Caption == "" {
			t.Errorf("%s: no caption", f.Name)
		}
	}
}

// TestSVGWellFormed parses every SVG as XML and checks the font fallback.
func TestSVGWellFormed(t *testing.T) {
	t.Parallel()
	for _, f := range fixtureFigures(t, "mch-forgetting") {
		svg, err := f.SVG()
		if err != nil {
			t.Fatal(err)
		}
		dec := xml.NewDecoder(bytes.NewReader(svg))
		for {
			_, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: SVG is not well formed: %v", f.Name, err)
			}
		}
		if !bytes.Contains(svg, []byte("'Liberation Sans',Arial,Helvetica,sans-serif")) {
			t.Errorf("%s: SVG text has no font fallback", f.Name)
		}
		if bytes.Contains(svg, []byte("font-family:Liberation Sans;")) {
			t.Errorf("%s: SVG still has a font family without fallback", f.Name)
		}
	}
}

// TestFigureConstructorsRejectEmptyInput checks that figure constructors
// return errors, not panics, on empty data.
func TestFigureConstructorsRejectEmptyInput(t *testing.T) {
	t.Parallel()
	cases := map[string]func() (*plots.Figure, error){
		"hypnogram":       func() (*plots.Figure, error) { return plots.HypnogramFigure(nil) },
		"hypnogram panel": func() (*plots.Figure, error) { return plots.HypnogramFigure([]plots.NightPanel{{Label: "x"}}) },
		"activity":        func() (*plots.Figure, error) { return plots.ActivityFigure(plots.NightPanel{}, &plots.Activity{}) },
		"survival":        func() (*plots.Figure, error) { return plots.MemorySurvivalFigure(plots.SurvivalData{}) },
		"gallery":         func() (*plots.Figure, error) { return plots.DreamGalleryFigure("x", nil, nil, 0) },
		"latent":          func() (*plots.Figure, error) { return plots.LatentMapFigure("", nil) },
		"latent few": func() (*plots.Figure, error) {
			return plots.LatentMapFigure("", []plots.LatentPanel{{Title: "x", Latents: []plots.Latent{{Kind: "memory", Z: []float64{1, 2}}}}})
		},
		"effects":      func() (*plots.Figure, error) { return plots.AblationEffectsFigure(nil) },
		"dose":         func() (*plots.Figure, error) { return plots.DoseResponseFigure(plots.DoseData{}) },
		"architecture": func() (*plots.Figure, error) { return plots.StageArchitectureFigure(nil, nil) },
	}
	for name, build := range cases {
		f, err := build()
		if err == nil || f != nil {
			t.Errorf("%s: got figure %v, error %v; want an error", name, f, err)
		}
	}
}

// TestFigureDrawPanicBecomesError checks that a drawing that panics is
// reported as an error naming the figure.
func TestFigureDrawPanicBecomesError(t *testing.T) {
	t.Parallel()
	f := &plots.Figure{Name: "broken", Width: vg.Inch, Height: vg.Inch, Draw: func(draw.Canvas) { panic("boom") }}
	_, err := f.PNG(72)
	if err == nil || !strings.Contains(err.Error(), "broken") || !strings.Contains(err.Error(), "boom") {
		t.Errorf("PNG error = %v", err)
	}
	if _, err := f.SVG(); err == nil {
		t.Error("SVG: no error")
	}
}
