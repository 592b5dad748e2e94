package plots_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dreamsim/dreamsim/plots"
)

// TestWriteReport checks the content of the report of each fixture: the
// experiment's text, one verdict row per expectation, one statistics row per
// stats.csv row, one inlined image per figure, the provenance, and nothing
// that would load from the network.
func TestWriteReport(t *testing.T) {
	t.Parallel()
	for _, fixture := range []string{"mch-forgetting", "pfc-dose"} {
		t.Run(fixture, func(t *testing.T) {
			t.Parallel()
			dir := copyFixture(t, fixture)
			if err := plots.WriteReportWith(dir, plots.Options{ReportDPI: testDPI}); err != nil {
				t.Fatal(err)
			}
			page, err := os.ReadFile(filepath.Join(dir, "report.html"))
			if err != nil {
				t.Fatal(err)
			}
			html := string(page)
			exp, err := plots.ReadExperiment(dir)
			if err != nil {
				t.Fatal(err)
			}
			figs, _, _ := plots.BuildFigures(exp)
			m := exp.Manifest
			for _, s := range []string{m.Name, m.Description, m.Citation, m.ConfigHash, m.Version, string(m.Command)} {
				if !strings.Contains(html, htmlEscape(s)) {
					t.Errorf("report lacks %q", s)
				}
			}
			for _, s := range []string{`id="verdict-table"`, `id="stats-table"`, `id="provenance"`} {
				if !strings.Contains(html, s) {
					t.Errorf("report lacks %s", s)
				}
			}
			if got := strings.Count(html, "<tr data-verdict="); got != len(exp.Expectations) {
				t.Errorf("%d verdict rows, want %d", got, len(exp.Expectations))
			}
			stats := html[strings.Index(html, `id="stats-table"`):]
			stats = stats[:strings.Index(stats, "</table>")]
			if got := strings.Count(stats, "<tr") - 1; got != len(exp.Stats) { // minus the header row
				t.Errorf("%d statistics rows, want %d", got, len(exp.Stats))
			}
			if got := strings.Count(html, `<img src="data:image/png;base64,`); got != len(figs) {
				t.Errorf("%d inlined images, want %d", got, len(figs))
			}
			for _, bad := range []string{`src="http`, `href="http`, `<script src`, `<link`, `@import`} {
				if strings.Contains(html, bad) {
					t.Errorf("report is not self-contained: it has %q", bad)
				}
			}
			if fixture == "pfc-dose" && !strings.Contains(html, "pfc-0.8, seed 3: regions.cortex") {
				t.Error("report does not list the failed run")
			}
			if fixture == "mch-forgetting" && !strings.Contains(html, "dose-response (the manifest gives no dose sweep)") {
				t.Error("report does not say why the dose-response figure is missing")
			}
		})
	}
}

// htmlEscape escapes the characters html/template escapes in text.
func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;", "+", "&#43;").Replace(s)
}

// TestReportInBrowser opens the report in headless Chromium and checks that
// the page renders (a non-trivial screenshot), that the DOM after loading
// holds the tables, and that every image decoded (the page's inline script
// sets data-images-loaded once every <img> has a natural width).
func TestReportInBrowser(t *testing.T) {
	t.Parallel()
	browser, err := exec.LookPath("chromium")
	if err != nil {
		if ci := strings.ToLower(os.Getenv("CI")); ci != "" && ci != "false" && ci != "0" {
			t.Fatalf("CI=%s but chromium is not installed: install it (apt-get install -y chromium)", os.Getenv("CI"))
		}
		t.Skip("chromium is not installed and CI is not set; skipping the browser check (apt-get install -y chromium)")
	}
	dir := copyFixture(t, "pfc-dose")
	if err := plots.WriteReportWith(dir, plots.Options{ReportDPI: 60}); err != nil {
		t.Fatal(err)
	}
	exp, err := plots.ReadExperiment(dir)
	if err != nil {
		t.Fatal(err)
	}
	figs, _, _ := plots.BuildFigures(exp)
	shot := filepath.Join(t.TempDir(), "report.png")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser,
		"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+t.TempDir(),
		"--screenshot="+shot, "--window-size=1200,3000", "--dump-dom",
		"file://"+filepath.Join(dir, "report.html"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	dom := stdout.String()
	if !strings.Contains(dom, `data-images-loaded="true"`) {
		m := regexp.MustCompile(`data-images="[^"]*"`).FindString(dom)
		t.Errorf("not every image loaded (%s)", m)
	}
	if want := `data-images="` + strconv.Itoa(len(figs)) + "/" + strconv.Itoa(len(figs)) + `"`; !strings.Contains(dom, want) {
		t.Errorf("DOM lacks %s", want)
	}
	for _, s := range []string{`id="verdict-table"`, `id="stats-table"`, "pfc-gate-dose", "inconclusive", "dream_bizarreness"} {
		if !strings.Contains(dom, s) {
			t.Errorf("DOM lacks %q", s)
		}
	}

	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v\n%s", err, stderr.String())
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 1200 || b.Dy() != 3000 {
		t.Errorf("screenshot is %v, want 1200x3000", b)
	}
	// A rendered report has text, tables and figures: many non-white pixels
	// and many distinct colours; a blank or error page has neither.
	inked, colours := screenshotStats(img)
	if inked < 0.03 || colours < 200 {
		t.Errorf("screenshot looks empty: %.1f%% non-white pixels, %d colours", 100*inked, colours)
	}
	t.Logf("screenshot %s: %.1f%% non-white pixels, %d colours", shot, 100*inked, colours)
}

// screenshotStats returns the fraction of non-white pixels and the number of
// distinct colours of an image (sampled on every second pixel).
func screenshotStats(img image.Image) (inked float64, colours int) {
	seen := make(map[color.RGBA]bool)
	n, k := 0, 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			c := color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), 255}
			seen[c] = true
			n++
			if c.R < 245 || c.G < 245 || c.B < 245 {
				k++
			}
		}
	}
	return float64(k) / float64(n), len(seen)
}
