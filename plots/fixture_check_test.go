package plots_test

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// regenFixtures rewrites the fixtures. It is separate from -regen (which
// rewrites the golden images) because the golden test reads the fixtures
// while it runs.
var regenFixtures = flag.Bool("regen-fixtures", false, "rewrite the fixture experiment folders under testdata/")

// TestFixturesUpToDate checks that the committed fixtures under testdata/ are
// byte for byte what the generator writes, so that the generator is
// deterministic and the fixtures are reproducible. With -regen-fixtures it
// rewrites them (then run -regen for the golden images).
func TestFixturesUpToDate(t *testing.T) {
	t.Parallel()
	if *regenFixtures {
		for _, spec := range fixtureSpecs() {
			if err := os.RemoveAll(filepath.Join("testdata", spec.dir)); err != nil {
				t.Fatal(err)
			}
		}
		if err := writeFixtures("testdata"); err != nil {
			t.Fatal(err)
		}
		return
	}
	if runtime.GOARCH != "amd64" {
		// Fused multiply-add on other architectures may change the last
		// printed digit of a generated value.
		t.Skipf("fixtures were generated on amd64; skipping byte comparison on %s", runtime.GOARCH)
	}
	tmp := t.TempDir()
	if err := writeFixtures(tmp); err != nil {
		t.Fatal(err)
	}
	for _, spec := range fixtureSpecs() {
		got := filepath.Join(tmp, spec.dir)
		want := filepath.Join("testdata", spec.dir)
		n := 0
		err := filepath.WalkDir(got, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(got, path)
			g, _ := os.ReadFile(path)
			w, err := os.ReadFile(filepath.Join(want, rel))
			if err != nil {
				t.Errorf("%s: %v (run go test -regen-fixtures)", rel, err)
				return nil
			}
			if !bytes.Equal(g, w) {
				t.Errorf("testdata/%s/%s differs from the generator output (run go test -regen-fixtures)", spec.dir, rel)
			}
			n++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Errorf("generator wrote no files for %s", spec.dir)
		}
	}
}
