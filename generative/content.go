package generative

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// Range is a closed interval [Min, Max] from which a pose parameter is drawn
// uniformly. Min == Max fixes the parameter.
type Range struct {
	Min, Max float64
}

// width returns Max - Min.
func (r Range) width() float64 { return r.Max - r.Min }

// contains reports whether x lies in the interval.
func (r Range) contains(x float64) bool { return x >= r.Min && x <= r.Max }

// draw returns a uniform draw from r.
func (r Range) draw(rng *rand.Rand) float64 { return r.Min + rng.Float64()*r.width() }

// narrowed returns the interval of fraction f of r's width centred on r's centre.
func (r Range) narrowed(f float64) Range {
	c, h := (r.Min+r.Max)/2, f*r.width()/2
	return Range{Min: c - h, Max: c + h}
}

// drawOutside returns a uniform draw from world minus day (both flanks,
// chosen in proportion to their widths). It returns a draw from world if the
// difference is empty.
func drawOutside(world, day Range, rng *rand.Rand) float64 {
	lo := math.Max(0, day.Min-world.Min)
	hi := math.Max(0, world.Max-day.Max)
	if lo+hi == 0 {
		return world.draw(rng)
	}
	x := rng.Float64() * (lo + hi)
	if x < lo {
		return world.Min + x
	}
	return day.Max + (x - lo)
}

// Pose is where and how a shape is drawn in an image.
type Pose struct {
	ShiftX, ShiftY float64 // displacement of the shape centre from the image centre, in pixels (x right, y down)
	Scale          float64 // shape size relative to the standard size (0.3 of the image side per shape unit)
	Rotation       float64 // rotation about the shape centre, in radians (clockwise on screen)
	Width          float64 // stroke width, in pixels (dots have radius 0.75 Width)
}

// Variation is the range of poses episodes are drawn from.
type Variation struct {
	Shift    Range // displacement of the shape centre along each axis, in pixels
	Scale    Range // relative size, dimensionless
	Rotation Range // rotation, in radians
	Width    Range // stroke width, in pixels
}

// DefaultVariation returns the full range of poses of the default world:
// shifts in [-1, 1] px, scales in [0.7, 1.1], rotations in [-15°, 15°] and
// stroke widths in [1, 2] px. Rotations are kept within ±15° so that a
// rotated horizontal bar (at most 15°) stays 15° away from a diagonal (45°),
// and a rotated cross away from an X. Shifts are kept within ±1 px because
// on a 16-pixel image a shift of a few pixels moves a stroke off itself
// entirely: with ±2 px, an 8-dimensional VAE trained on 2,000 replays codes
// position more than shape, and a linear readout of its latents falls from
// about 95% to about 65% (measured while writing this package).
func DefaultVariation() Variation {
	return Variation{
		Shift:    Range{Min: -1, Max: 1},
		Scale:    Range{Min: 0.7, Max: 1.1},
		Rotation: Range{Min: -math.Pi / 12, Max: math.Pi / 12},
		Width:    Range{Min: 1, Max: 2},
	}
}

// Narrowed returns v with every range shrunk about its centre to fraction f
// of its width, with f in [0, 1]: a "narrow day" whose episodes vary little.
func (v Variation) Narrowed(f float64) Variation {
	return Variation{
		Shift:    v.Shift.narrowed(f),
		Scale:    v.Scale.narrowed(f),
		Rotation: v.Rotation.narrowed(f),
		Width:    v.Width.narrowed(f),
	}
}

// within reports whether every range of v lies inside the same range of w.
func (v Variation) within(w Variation) bool {
	in := func(a, b Range) bool { return a.Min >= b.Min && a.Max <= b.Max }
	return in(v.Shift, w.Shift) && in(v.Scale, w.Scale) && in(v.Rotation, w.Rotation) && in(v.Width, w.Width)
}

// draw returns a pose drawn uniformly from v.
func (v Variation) draw(rng *rand.Rand) Pose {
	return Pose{
		ShiftX:   v.Shift.draw(rng),
		ShiftY:   v.Shift.draw(rng),
		Scale:    v.Scale.draw(rng),
		Rotation: v.Rotation.draw(rng),
		Width:    v.Width.draw(rng),
	}
}

// ContentSettings configures a Content generator. Use DefaultContentSettings
// and change what you need; the zero value is not valid.
type ContentSettings struct {
	// Side is the image side in pixels; images have Side×Side pixels in
	// row-major order. Default 16.
	Side int
	// Shapes lists the classes in class-index order. Default DefaultShapes()
	// (eight classes). It must hold at least two distinct shapes.
	Shapes []Shape
	// ContextSize is the length of each episode's context code. Default 4.
	// Zero gives episodes without context.
	ContextSize int
	// Noise is the standard deviation of the Gaussian noise added to every
	// pixel before clipping to [0, 1], in intensity units. Default 0.05.
	// Zero gives clean images.
	Noise float64
	// World is the full range of poses that exist. Default DefaultVariation().
	World Variation
	// Day is the range of poses the day's episodes are drawn from; it must lie
	// inside World. Default World (a broad day). A narrow day is
	// World.Narrowed(f) with f < 1; OutOfDay then draws from the rest.
	Day Variation
}

// DefaultContentSettings returns the default settings: 16×16 images of the
// eight default shapes, a 4-value context, pixel noise 0.05 and a day as
// broad as the world.
func DefaultContentSettings() ContentSettings {
	w := DefaultVariation()
	return ContentSettings{
		Side:        16,
		Shapes:      DefaultShapes(),
		ContextSize: 4,
		Noise:       0.05,
		World:       w,
		Day:         w,
	}
}

// Episode is one piece of episodic content: an image of a shape and the
// context (place and time) it was experienced in.
type Episode struct {
	Class   int       // index into ContentSettings.Shapes
	Image   []float64 // Side×Side pixel intensities in [0, 1], row-major
	Context []float64 // context code in [0, 1): the first half codes place, the rest time
	Pose    Pose      // the pose the shape was drawn in
}

// Content is a procedural generator of episodic content: small grayscale
// images of simple shapes in varied poses. It is deterministic given the
// *rand.Rand passed to each call, and safe for concurrent use with distinct
// random sources.
type Content struct {
	s ContentSettings
}

// NewContent returns a generator with settings s, or an error if s is not valid.
func NewContent(s ContentSettings) (*Content, error) {
	switch {
	case s.Side < 4:
		return nil, fmt.Errorf("generative: content side %d px is below 4", s.Side)
	case len(s.Shapes) < 2:
		return nil, fmt.Errorf("generative: content needs at least 2 shapes, got %d", len(s.Shapes))
	case s.ContextSize < 0:
		return nil, fmt.Errorf("generative: negative context size %d", s.ContextSize)
	case s.Noise < 0 || math.IsNaN(s.Noise):
		return nil, fmt.Errorf("generative: pixel noise %v is not a non-negative number", s.Noise)
	}
	seen := make(map[Shape]bool)
	for _, sh := range s.Shapes {
		if !sh.valid() {
			return nil, fmt.Errorf("generative: unknown shape %v", sh)
		}
		if seen[sh] {
			return nil, fmt.Errorf("generative: shape %v listed twice", sh)
		}
		seen[sh] = true
	}
	for _, v := range []struct {
		name string
		v    Variation
	}{{"world", s.World}, {"day", s.Day}} {
		for _, r := range []struct {
			name     string
			r        Range
			positive bool
		}{{"shift", v.v.Shift, false}, {"scale", v.v.Scale, true}, {"rotation", v.v.Rotation, false}, {"width", v.v.Width, true}} {
			if !(r.r.Min <= r.r.Max) || math.IsInf(r.r.Min, 0) || math.IsInf(r.r.Max, 0) {
				return nil, fmt.Errorf("generative: %s %s range [%v, %v] is not a finite interval", v.name, r.name, r.r.Min, r.r.Max)
			}
			if r.positive && r.r.Min <= 0 {
				return nil, fmt.Errorf("generative: %s %s range [%v, %v] must be positive", v.name, r.name, r.r.Min, r.r.Max)
			}
		}
	}
	if !s.Day.within(s.World) {
		return nil, errors.New("generative: the day's variation does not lie inside the world's")
	}
	s.Shapes = append([]Shape(nil), s.Shapes...)
	return &Content{s: s}, nil
}

// Settings returns the generator's settings.
func (c *Content) Settings() ContentSettings {
	s := c.s
	s.Shapes = append([]Shape(nil), c.s.Shapes...)
	return s
}

// Classes returns the number of classes.
func (c *Content) Classes() int { return len(c.s.Shapes) }

// Pixels returns the number of pixels of an image, Side×Side.
func (c *Content) Pixels() int { return c.s.Side * c.s.Side }

// ClassName returns the name of class k, for example "ring".
func (c *Content) ClassName(k int) string { return c.s.Shapes[k].String() }

// Render returns the noise-free image of class k in pose p.
func (c *Content) Render(k int, p Pose) []float64 {
	img := make([]float64, c.Pixels())
	c.render(img, c.s.Shapes[k], p)
	return img
}

// render draws shape sh in pose p into img, sampling each pixel at its centre.
func (c *Content) render(img []float64, sh Shape, p Pose) {
	side := c.s.Side
	radius := radiusFraction * float64(side) * p.Scale // pixels per shape unit
	cx := float64(side)/2 + p.ShiftX
	cy := float64(side)/2 + p.ShiftY
	sin, cos := math.Sincos(p.Rotation)
	for i := range side {
		for j := range side {
			// Undo the placement: translate, rotate back, scale to shape units.
			dx, dy := float64(j)+0.5-cx, float64(i)+0.5-cy
			u := (cos*dx + sin*dy) / radius
			v := (-sin*dx + cos*dy) / radius
			img[i*side+j] = sh.ink(u, v, radius, p.Width)
		}
	}
}

// radiusFraction is the size of one shape unit as a fraction of the image
// side at Scale 1.
const radiusFraction = 0.3

// episode draws an episode of class k in pose p: the rendered shape with
// pixel noise, and a context code.
func (c *Content) episode(k int, p Pose, rng *rand.Rand) Episode {
	img := c.Render(k, p)
	if c.s.Noise > 0 {
		for i, x := range img {
			img[i] = math.Max(0, math.Min(1, x+c.s.Noise*rng.NormFloat64()))
		}
	}
	ctx := make([]float64, c.s.ContextSize)
	for i := range ctx {
		ctx[i] = rng.Float64()
	}
	return Episode{Class: k, Image: img, Context: ctx, Pose: p}
}

// Episode returns one episode of class k with a pose from the day's variation.
func (c *Content) Episode(k int, rng *rand.Rand) Episode {
	if k < 0 || k >= len(c.s.Shapes) {
		panic(fmt.Sprintf("generative: class %d out of range [0, %d)", k, len(c.s.Shapes)))
	}
	return c.episode(k, c.s.Day.draw(rng), rng)
}

// Day returns n episodes of the day: episode i has class i mod Classes(), so
// classes are balanced, and a pose drawn from the day's variation.
func (c *Content) Day(n int, rng *rand.Rand) []Episode {
	eps := make([]Episode, n)
	for i := range eps {
		eps[i] = c.Episode(i%len(c.s.Shapes), rng)
	}
	return eps
}

// HeldOut returns n held-out episodes: new draws from the same classes and
// the same variation as the day, for measuring generalisation. It is Day
// under another name; pass a random source that is not the day's.
func (c *Content) HeldOut(n int, rng *rand.Rand) []Episode { return c.Day(n, rng) }

// OutOfDay returns n episodes of unseen variations: classes are balanced as
// in Day, and every pose parameter whose day range is narrower than the
// world's is drawn from the rest of the world's range (the shift from the
// world's square of positions minus the day's square). It returns an error
// if the day is as broad as the world, since nothing lies outside it.
func (c *Content) OutOfDay(n int, rng *rand.Rand) ([]Episode, error) {
	w, d := c.s.World, c.s.Day
	if w == d {
		return nil, errors.New("generative: no out-of-day variation: the day is as broad as the world")
	}
	shiftOut := d.Shift != w.Shift
	eps := make([]Episode, n)
	for i := range eps {
		var p Pose
		if shiftOut {
			// Rejection sampling of the square minus the inner square; the
			// acceptance rate is 1 - (day/world)² in area.
			for {
				p.ShiftX, p.ShiftY = w.Shift.draw(rng), w.Shift.draw(rng)
				if !d.Shift.contains(p.ShiftX) || !d.Shift.contains(p.ShiftY) {
					break
				}
			}
		} else {
			p.ShiftX, p.ShiftY = d.Shift.draw(rng), d.Shift.draw(rng)
		}
		p.Scale = drawOutside(w.Scale, d.Scale, rng)
		p.Rotation = drawOutside(w.Rotation, d.Rotation, rng)
		p.Width = drawOutside(w.Width, d.Width, rng)
		eps[i] = c.episode(i%len(c.s.Shapes), p, rng)
	}
	return eps, nil
}

// Images returns the images of eps, sharing their backing arrays.
func Images(eps []Episode) [][]float64 {
	x := make([][]float64, len(eps))
	for i, e := range eps {
		x[i] = e.Image
	}
	return x
}

// Labels returns the classes of eps.
func Labels(eps []Episode) []int {
	y := make([]int, len(eps))
	for i, e := range eps {
		y[i] = e.Class
	}
	return y
}
