package plots_test

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/dreamsim/dreamsim/plots"
)

// copyFixture copies a testdata fixture into a temporary folder, so that
// tests can write figures and reports without touching testdata.
func copyFixture(t testing.TB, name string) string {
	t.Helper()
	src := filepath.Join("testdata", name)
	dst := filepath.Join(t.TempDir(), name)
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// testDPI keeps rasterising cheap in tests of the file handling; the
// drawing itself is checked by the golden images.
const testDPI = 30

// TestDrawAll draws both fixtures and checks the files written: the stable
// names, PNG at the requested resolution, and no dose-response figure
// without a dose sweep.
func TestDrawAll(t *testing.T) {
	t.Parallel()
	cases := []struct {
		fixture string
		figures []string
	}{
		{"mch-forgetting", []string{"hypnogram", "activity", "memory-survival", "dream-gallery", "latent-map", "ablation-effects", "stage-architecture"}},
		{"pfc-dose", []string{"hypnogram", "activity", "memory-survival", "dream-gallery", "latent-map", "ablation-effects", "dose-response", "stage-architecture"}},
	}
	for _, tc := range cases {
		t.Run(tc.fixture, func(t *testing.T) {
			t.Parallel()
			dir := copyFixture(t, tc.fixture)
			files, err := plots.DrawAllWith(dir, plots.Options{DPI: testDPI})
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, f := range tc.figures {
				want = append(want, filepath.Join(dir, "figures", f+".png"), filepath.Join(dir, "figures", f+".svg"))
			}
			if !slices.Equal(files, want) {
				t.Fatalf("DrawAll wrote\n%v\nwant\n%v", files, want)
			}
			for _, f := range files {
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				if !strings.HasSuffix(f, ".png") {
					continue
				}
				cfg, err := png.DecodeConfig(bytes.NewReader(b))
				if err != nil {
					t.Fatalf("%s: %v", f, err)
				}
				// 7 in or 3.5 in.
				if cfg.Width != 7*testDPI && cfg.Width != 7*testDPI/2 {
					t.Errorf("%s is %d px wide, want %d or %d", f, cfg.Width, 7*testDPI, 7*testDPI/2)
				}
			}
		})
	}
}

// TestDrawAllMalformedRun corrupts one run's memories.csv: DrawAll must
// still write the figures that do not need it and return an error that
// names the file and line.
func TestDrawAllMalformedRun(t *testing.T) {
	t.Parallel()
	dir := copyFixture(t, "mch-forgetting")
	path := filepath.Join(dir, "runs", "mch-ablated", "seed-2", "memories.csv")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	lines[4] = strings.Replace(lines[4], "neutral", "boring", 1)
	lines[4] = strings.Replace(lines[4], "emotional", "boring", 1)
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	files, err := plots.DrawAllWith(dir, plots.Options{DPI: testDPI})
	if err == nil {
		t.Fatal("no error for a malformed memories.csv")
	}
	if msg := err.Error(); !strings.Contains(msg, "memory-survival") || !strings.Contains(msg, "memories.csv:5:") || !strings.Contains(msg, `"boring"`) {
		t.Errorf("error %q does not name the figure, file:line and value", msg)
	}
	if !slices.Contains(files, filepath.Join(dir, "figures", "hypnogram.png")) || slices.Contains(files, filepath.Join(dir, "figures", "memory-survival.png")) {
		t.Errorf("files written = %v", files)
	}
}

// TestDrawAllTopLevelOnly draws a folder that has only the manifest and the
// tables (for example a merged shard summary): figures that need run files
// are skipped with a reason, the others come from results.csv.
func TestDrawAllTopLevelOnly(t *testing.T) {
	t.Parallel()
	dir := copyFixture(t, "mch-forgetting")
	if err := os.RemoveAll(filepath.Join(dir, "runs")); err != nil {
		t.Fatal(err)
	}
	exp, err := plots.ReadExperiment(dir)
	if err != nil {
		t.Fatal(err)
	}
	figs, skipped, err := plots.BuildFigures(exp)
	if err != nil {
		t.Fatal(err)
	}
	var names, skippedNames []string
	for _, f := range figs {
		names = append(names, f.Name)
	}
	for _, s := range skipped {
		skippedNames = append(skippedNames, s.Figure)
		if s.Reason == "" {
			t.Errorf("%s skipped without a reason", s.Figure)
		}
	}
	if want := []string{"memory-survival", "ablation-effects", "stage-architecture"}; !slices.Equal(names, want) {
		t.Errorf("figures = %v, want %v", names, want)
	}
	if want := []string{"hypnogram", "activity", "dream-gallery", "latent-map", "dose-response"}; !slices.Equal(skippedNames, want) {
		t.Errorf("skipped = %v, want %v", skippedNames, want)
	}
}

// TestDrawAllNoManifest checks the error for a folder that is not an
// experiment.
func TestDrawAllNoManifest(t *testing.T) {
	t.Parallel()
	_, err := plots.DrawAll(t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "manifest.json") {
		t.Errorf("err = %v, want one naming manifest.json", err)
	}
}

// TestSaveDefaultDPI checks that Save writes print resolution by default:
// the 3.5-in stage-architecture figure is 1050 px wide at 300 dpi.
func TestSaveDefaultDPI(t *testing.T) {
	t.Parallel()
	var fig *plots.Figure
	for _, f := range fixtureFigures(t, "mch-forgetting") {
		if f.Name == "stage-architecture" {
			fig = f
		}
	}
	files, err := fig.Save(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Width != 1050 || filepath.Base(files[0]) != "stage-architecture.png" || filepath.Base(files[1]) != "stage-architecture.svg" {
		t.Errorf("Save wrote %v, %d px wide; want stage-architecture.png 1050 px and .svg", files, cfg.Width)
	}
}

// TestPublishEqualsDrawAllAndReport checks that Publish, which draws the
// figures in parallel, writes byte for byte what DrawAllWith and
// WriteReportWith write one after the other, whatever GOMAXPROCS is.
func TestPublishEqualsDrawAllAndReport(t *testing.T) {
	o := plots.Options{DPI: testDPI, ReportDPI: testDPI}
	ref := copyFixture(t, "pfc-dose")
	if _, err := plots.DrawAllWith(ref, o); err != nil {
		t.Fatal(err)
	}
	if err := plots.WriteReportWith(ref, o); err != nil {
		t.Fatal(err)
	}
	want := readTree(t, ref)
	for _, procs := range []int{1, 4} {
		old := runtime.GOMAXPROCS(procs)
		dir := copyFixture(t, "pfc-dose")
		files, err := plots.Publish(dir, o)
		runtime.GOMAXPROCS(old)
		if err != nil {
			t.Fatal(err)
		}
		if len(files) != 17 || files[len(files)-1] != filepath.Join(dir, "report.html") {
			t.Fatalf("GOMAXPROCS %d: Publish wrote %d files, last %s; want 8 figures x 2 and report.html last", procs, len(files), files[len(files)-1])
		}
		got := readTree(t, dir)
		if len(got) != len(want) {
			t.Fatalf("GOMAXPROCS %d: %d files, want %d", procs, len(got), len(want))
		}
		for name, b := range want {
			if !bytes.Equal(got[name], b) {
				t.Errorf("GOMAXPROCS %d: %s differs", procs, name)
			}
		}
	}
}

// readTree returns every file under dir by its path relative to dir.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		files[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestSVGEmbedsFonts checks every SVG DrawAll writes: well-formed XML whose
// text uses Liberation Sans embedded as a base64 TrueType @font-face (with
// metric-compatible fallbacks), so that it renders the same anywhere.
func TestSVGEmbedsFonts(t *testing.T) {
	t.Parallel()
	dir := copyFixture(t, "mch-forgetting")
	files, err := plots.DrawAllWith(dir, plots.Options{DPI: testDPI})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		if !strings.HasSuffix(f, ".svg") {
			continue
		}
		n++
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := xml.NewDecoder(bytes.NewReader(b))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s: not well-formed XML: %v", f, err)
			}
		}
		s := string(b)
		for _, want := range []string{
			"@font-face{",
			`font-family:"Liberation Sans";`,
			"src: url(data:font/ttf;charset=utf-8;base64,",
			"font-family:'Liberation Sans',Arial,Helvetica,sans-serif;",
		} {
			if !strings.Contains(s, want) {
				t.Errorf("%s lacks %q", f, want)
			}
		}
	}
	if n != 7 {
		t.Fatalf("%d SVG files, want 7", n)
	}
}
