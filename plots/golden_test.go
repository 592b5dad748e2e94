package plots_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"gonum.org/v1/plot/cmpimg"

	"github.com/dreamsim/dreamsim/plots"
)

// goldenDPI is the resolution of the golden images: low enough to keep
// testdata small and the test fast, high enough that any moved line or
// label changes many pixels. The drawing code is the same at every DPI.
const goldenDPI = 100

// goldenDelta is the per-pixel tolerance of the comparison (cmpimg's
// normalised YIQ distance): it absorbs anti-aliasing differences between
// platforms, while a moved line or changed label differs by far more.
const goldenDelta = 0.05

// TestGoldenFigures draws every figure of both fixtures as DrawAll would and
// compares each PNG with testdata/golden/<fixture>-<figure>.png. go test
// -regen rewrites the golden images on purpose.
func TestGoldenFigures(t *testing.T) {
	t.Parallel()
	want := map[string][]string{
		"mch-forgetting": {"hypnogram", "activity", "memory-survival", "dream-gallery", "latent-map", "ablation-effects", "stage-architecture"},
		"pfc-dose":       {"hypnogram", "activity", "memory-survival", "dream-gallery", "latent-map", "ablation-effects", "dose-response", "stage-architecture"},
	}
	for fixture, names := range want {
		exp, err := plots.ReadExperiment(filepath.Join("testdata", fixture))
		if err != nil {
			t.Fatal(err)
		}
		figs, _, err := plots.BuildFigures(exp)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range figs {
			got = append(got, f.Name)
		}
		if !slices.Equal(got, names) {
			t.Errorf("%s: figures %v, want %v", fixture, got, names)
		}
		for _, f := range figs {
			t.Run(fixture+"/"+f.Name, func(t *testing.T) {
				t.Parallel()
				png, err := f.PNG(goldenDPI)
				if err != nil {
					t.Fatal(err)
				}
				golden := filepath.Join("testdata", "golden", fixture+"-"+f.Name+".png")
				if *cmpimg.GenerateTestData {
					if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(golden, png, 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test -regen to create it)", err)
				}
				ok, err := cmpimg.EqualApprox("png", png, want, goldenDelta)
				if err != nil {
					t.Fatal(err)
				}
				if !ok {
					// Kept after the test, so that it can be looked at.
					out := filepath.Join(os.TempDir(), "dreamsim-plots-got-"+filepath.Base(golden))
					_ = os.WriteFile(out, png, 0o644)
					t.Errorf("%s differs from %s; the new drawing is %s (look at both; go test -regen accepts it)", f.Name, golden, out)
				}
			})
		}
	}
}
