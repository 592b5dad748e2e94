package generative

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/floats"
)

func TestContentEpisodes(t *testing.T) {
	t.Parallel()
	s := DefaultContentSettings()
	c, err := NewContent(s)
	if err != nil {
		t.Fatal(err)
	}
	eps := c.Day(160, rand.New(rand.NewPCG(1, 1)))
	counts := make([]int, c.Classes())
	for i, e := range eps {
		counts[e.Class]++
		if e.Class != i%c.Classes() {
			t.Errorf("episode %d has class %d, want %d", i, e.Class, i%c.Classes())
		}
		if len(e.Image) != 256 || len(e.Context) != s.ContextSize {
			t.Fatalf("episode %d: %d pixels, %d context values", i, len(e.Image), len(e.Context))
		}
		if floats.Min(e.Image) < 0 || floats.Max(e.Image) > 1 {
			t.Errorf("episode %d: pixels outside [0, 1]", i)
		}
		if len(e.Context) > 0 && (floats.Min(e.Context) < 0 || floats.Max(e.Context) >= 1) {
			t.Errorf("episode %d: context outside [0, 1)", i)
		}
		p, d := e.Pose, s.Day
		if !d.Shift.contains(p.ShiftX) || !d.Shift.contains(p.ShiftY) || !d.Scale.contains(p.Scale) ||
			!d.Rotation.contains(p.Rotation) || !d.Width.contains(p.Width) {
			t.Errorf("episode %d: pose %+v outside the day's variation", i, p)
		}
		// Every shape leaves ink on the image.
		if clean := c.Render(e.Class, e.Pose); floats.Sum(clean) < 5 {
			t.Errorf("episode %d (%s): only %.1f pixels of ink", i, c.ClassName(e.Class), floats.Sum(clean))
		}
	}
	for k, n := range counts {
		if n != 20 {
			t.Errorf("class %d has %d episodes, want 20", k, n)
		}
	}
	// Same seed, same episodes; another seed, other episodes.
	again := c.Day(160, rand.New(rand.NewPCG(1, 1)))
	other := c.HeldOut(160, rand.New(rand.NewPCG(2, 1)))
	for i := range eps {
		if !slices.Equal(eps[i].Image, again[i].Image) || !slices.Equal(eps[i].Context, again[i].Context) {
			t.Fatalf("episode %d differs under the same seed", i)
		}
		if slices.Equal(eps[i].Image, other[i].Image) {
			t.Fatalf("episode %d repeats under another seed", i)
		}
	}
}

// TestShapesDistinct checks that the classes are told apart without any
// learning: a nearest-class-mean classifier on raw pixels, fitted to 400
// day episodes, labels held-out episodes far above chance (12.5%).
func TestShapesDistinct(t *testing.T) {
	t.Parallel()
	c, err := NewContent(DefaultContentSettings())
	if err != nil {
		t.Fatal(err)
	}
	train := c.Day(400, rand.New(rand.NewPCG(1, 2)))
	means := make([][]float64, c.Classes())
	for k := range means {
		means[k] = make([]float64, c.Pixels())
	}
	for _, e := range train {
		floats.AddScaled(means[e.Class], 1/50.0, e.Image)
	}
	test := c.HeldOut(400, rand.New(rand.NewPCG(3, 2)))
	hits := 0
	for _, e := range test {
		best, bestD := -1, math.Inf(1)
		for k, m := range means {
			if d := floats.Distance(e.Image, m, 2); d < bestD {
				best, bestD = k, d
			}
		}
		if best == e.Class {
			hits++
		}
	}
	acc := float64(hits) / float64(len(test))
	t.Logf("nearest-class-mean accuracy on raw pixels: %.3f", acc)
	if acc < 0.8 {
		t.Errorf("nearest-class-mean accuracy %.3f, want at least 0.8", acc)
	}
	names := make(map[string]bool)
	for k := range c.Classes() {
		names[c.ClassName(k)] = true
	}
	if len(names) != c.Classes() || !names["ring"] || XCross.String() != "X" || Shape(42).String() != "Shape(42)" {
		t.Errorf("class names %v", names)
	}
}

func TestOutOfDay(t *testing.T) {
	t.Parallel()
	s := DefaultContentSettings()
	s.Day = s.World.Narrowed(0.3)
	c, err := NewContent(s)
	if err != nil {
		t.Fatal(err)
	}
	eps, err := c.OutOfDay(200, rand.New(rand.NewPCG(4, 4)))
	if err != nil {
		t.Fatal(err)
	}
	w, d := s.World, s.Day
	for i, e := range eps {
		p := e.Pose
		if d.Shift.contains(p.ShiftX) && d.Shift.contains(p.ShiftY) {
			t.Errorf("out-of-day episode %d: shift (%v, %v) inside the day's square", i, p.ShiftX, p.ShiftY)
		}
		for _, q := range []struct {
			name      string
			x         float64
			world, in Range
		}{{"scale", p.Scale, w.Scale, d.Scale}, {"rotation", p.Rotation, w.Rotation, d.Rotation}, {"width", p.Width, w.Width, d.Width}} {
			if q.in.contains(q.x) || !q.world.contains(q.x) {
				t.Errorf("out-of-day episode %d: %s %v not in the world minus the day", i, q.name, q.x)
			}
		}
	}
	broad, err := NewContent(DefaultContentSettings())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := broad.OutOfDay(10, rand.New(rand.NewPCG(1, 1))); err == nil {
		t.Errorf("no error for out-of-day episodes of a day as broad as the world")
	}
}

func TestNewContentErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		modify func(*ContentSettings)
	}{
		{"tiny side", func(s *ContentSettings) { s.Side = 3 }},
		{"one shape", func(s *ContentSettings) { s.Shapes = []Shape{Ring} }},
		{"repeated shape", func(s *ContentSettings) { s.Shapes = []Shape{Ring, Ring} }},
		{"unknown shape", func(s *ContentSettings) { s.Shapes = []Shape{Ring, 99} }},
		{"negative context", func(s *ContentSettings) { s.ContextSize = -1 }},
		{"negative noise", func(s *ContentSettings) { s.Noise = -0.1 }},
		{"inverted range", func(s *ContentSettings) { s.World.Shift = Range{Min: 1, Max: -1} }},
		{"zero scale", func(s *ContentSettings) { s.World.Scale.Min, s.Day.Scale.Min = 0, 0 }},
		{"day outside world", func(s *ContentSettings) { s.Day.Rotation.Max = 1 }},
	}
	for _, c := range cases {
		s := DefaultContentSettings()
		c.modify(&s)
		if _, err := NewContent(s); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}
