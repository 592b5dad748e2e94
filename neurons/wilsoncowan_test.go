package neurons

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func logistic(a, th, x float64) float64 { return 1 / (1 + math.Exp(-a*(x-th))) }

// wcFixedPoints returns every symmetric fixed point (E, I) of n identical
// populations with input drive, in which each population receives
// C*W*(n-1)*E from the others. It solves I = S_I(WIE E - WII I + Q) by
// bisection (the right-hand side decreases in I, so the root is unique), then
// finds every root of g(E) = S_E(WEE E - WEI I(E) + P + C W (n-1) E) - E on
// [0, 1] by a fine sign scan refined by bisection.
func wcFixedPoints(p WilsonCowanParams, n int, drive float64) [][2]float64 {
	iOf := func(e float64) float64 {
		lo, hi := 0.0, 1.0
		for range 200 {
			mid := (lo + hi) / 2
			if mid-logistic(p.AI, p.ThI, p.WIE*e-p.WII*mid+p.Q) < 0 {
				lo = mid
			} else {
				hi = mid
			}
		}
		return (lo + hi) / 2
	}
	g := func(e float64) float64 {
		return logistic(p.AE, p.ThE, p.WEE*e-p.WEI*iOf(e)+drive+p.C*p.W*float64(n-1)*e) - e
	}
	var roots [][2]float64
	const grid = 20000
	prev := g(0)
	for k := 1; k <= grid; k++ {
		e := float64(k) / grid
		cur := g(e)
		if (prev < 0) != (cur < 0) {
			lo, hi := float64(k-1)/grid, e
			for range 200 {
				mid := (lo + hi) / 2
				if (g(mid) < 0) == (prev < 0) {
					lo = mid
				} else {
					hi = mid
				}
			}
			r := (lo + hi) / 2
			roots = append(roots, [2]float64{r, iOf(r)})
		}
		prev = cur
	}
	return roots
}

// TestWilsonCowanFixedPoint runs populations from rest at inputs where they
// settle (Wilson & Cowan's (1972) limit-cycle parameters oscillate only for P
// in about [1, 3]) and checks the final state against the fixed points found
// by solving the steady-state equations numerically. At P = 0 and 0.5 the
// fixed point is unique. At P = 4 and 5 there are three (the model is
// bistable); the run must land on one of them to 1e-9, and that one must be
// linearly stable (trace < 0 and determinant > 0 of the Jacobian of the
// symmetric mode). The coupled case checks the coupling term at the
// symmetric fixed point.
func TestWilsonCowanFixedPoint(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		n     int
		drive float64
		c     float64
		roots int // number of fixed points of the steady-state equations
	}{
		{"single, P = 0", 1, 0, 0.5, 1},
		{"single, P = 0.5", 1, 0.5, 0.5, 1},
		{"single, P = 4", 1, 4, 0.5, 3},
		{"single, P = 5", 1, 5, 0.5, 3},
		{"three uncoupled, P = 0.5", 3, 0.5, 0, 1},
		{"three coupled, P = 0", 3, 0, 0.5, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p := DefaultWilsonCowanParams()
			p.C = c.c
			p.P = make([]float64, c.n)
			for i := range p.P {
				p.P[i] = c.drive
			}
			roots := wcFixedPoints(p, c.n, c.drive)
			if len(roots) != c.roots {
				t.Fatalf("steady-state equations have %d roots %v, want %d", len(roots), roots, c.roots)
			}
			w, err := NewWilsonCowan(p)
			if err != nil {
				t.Fatal(err)
			}
			for range 20000 { // 2 s = 250 time constants
				w.Step(0.0001)
			}
			e, in := w.E()[0], w.I()[0]
			match := -1
			for k, r := range roots {
				if math.Abs(e-r[0]) <= 1e-9 && math.Abs(in-r[1]) <= 1e-9 {
					match = k
				}
			}
			if match < 0 {
				t.Fatalf("final state (E, I) = (%v, %v), want one of the fixed points %v", e, in, roots)
			}
			for k := 1; k < c.n; k++ {
				if w.E()[k] != e || w.I()[k] != in {
					t.Errorf("population %d at (%v, %v), want the symmetric state (%v, %v)", k, w.E()[k], w.I()[k], e, in)
				}
			}
			// Jacobian of the symmetric mode at the fixed point.
			fe, fi := roots[match][0], roots[match][1]
			wEE := p.WEE + p.C*p.W*float64(c.n-1)
			sE := logistic(p.AE, p.ThE, wEE*fe-p.WEI*fi+c.drive)
			sI := logistic(p.AI, p.ThI, p.WIE*fe-p.WII*fi+p.Q)
			dE, dI := p.AE*sE*(1-sE), p.AI*sI*(1-sI)
			j11, j12 := (-1+dE*wEE)/p.TauE, -dE*p.WEI/p.TauE
			j21, j22 := dI*p.WIE/p.TauI, (-1-dI*p.WII)/p.TauI
			if tr, det := j11+j22, j11*j22-j12*j21; !(tr < 0 && det > 0) {
				t.Errorf("reached fixed point %v has trace %v, determinant %v: not stable", roots[match], tr, det)
			}
		})
	}
}

// TestWilsonCowanOscillates checks the classic result that a single
// population with Wilson & Cowan's (1972) parameters and P = 1.25 settles on
// a limit cycle rather than a fixed point.
func TestWilsonCowanOscillates(t *testing.T) {
	t.Parallel()
	p := DefaultWilsonCowanParams()
	p.P = []float64{1.25}
	w, err := NewWilsonCowan(p)
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := 1.0, 0.0
	for k := range 30000 {
		w.Step(0.0001)
		if k >= 20000 { // the last second
			lo, hi = math.Min(lo, w.E()[0]), math.Max(hi, w.E()[0])
		}
	}
	if hi-lo < 0.2 {
		t.Errorf("E range over the last second = [%v, %v], want an oscillation of amplitude >= 0.2", lo, hi)
	}
}

// TestWilsonCowanStepMatchesEquations compares one step from a random state
// with a direct transcription of the benchmark's equations, with the coupling
// summed over j != i.
func TestWilsonCowanStepMatchesEquations(t *testing.T) {
	t.Parallel()
	p := DefaultWilsonCowanParams()
	p.Q = 0.3 // exercise every term
	w, err := NewWilsonCowan(p)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	n := w.Len()
	e0, i0 := make([]float64, n), make([]float64, n)
	for k := range n {
		e0[k], i0[k] = rng.Float64(), rng.Float64()
	}
	w.SetState(e0, i0)
	const dt = 0.0001
	w.Step(dt)
	for i := range n {
		inE := 0.0
		for j := range n {
			if j != i {
				inE += p.W * e0[j]
			}
		}
		dE := (-e0[i] + logistic(p.AE, p.ThE, p.WEE*e0[i]-p.WEI*i0[i]+p.P[i]+p.C*inE)) / p.TauE
		dI := (-i0[i] + logistic(p.AI, p.ThI, p.WIE*e0[i]-p.WII*i0[i]+p.Q)) / p.TauI
		if want := e0[i] + dt*dE; math.Abs(w.E()[i]-want) > 1e-15 {
			t.Errorf("E[%d] = %v, want %v", i, w.E()[i], want)
		}
		if want := i0[i] + dt*dI; math.Abs(w.I()[i]-want) > 1e-15 {
			t.Errorf("I[%d] = %v, want %v", i, w.I()[i], want)
		}
	}
}

// TestWilsonCowanDeterminism checks bit-identical results for the same
// initial state, and that running in chunks equals one run.
func TestWilsonCowanDeterminism(t *testing.T) {
	t.Parallel()
	run := func(seed uint64, chunks int) []float64 {
		w, err := NewWilsonCowan(DefaultWilsonCowanParams())
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(seed, 0))
		e0 := make([]float64, w.Len())
		for k := range e0 {
			e0[k] = 0.1 * rng.Float64()
		}
		w.SetState(e0, make([]float64, w.Len()))
		for range chunks {
			for range 20000 / chunks {
				w.Step(0.0001)
			}
		}
		return append(append([]float64(nil), w.E()...), w.I()...)
	}
	a, b, c, d := run(1, 1), run(1, 1), run(1, 10), run(2, 1)
	for k := range a {
		if math.Float64bits(a[k]) != math.Float64bits(b[k]) || math.Float64bits(a[k]) != math.Float64bits(c[k]) {
			t.Errorf("state %d: runs gave %v, %v, %v (chunked), want identical bits", k, a[k], b[k], c[k])
		}
	}
	if a[0] == d[0] && a[1] == d[1] {
		t.Errorf("different initial states gave the same E %v", a[:2])
	}
}

func TestWilsonCowanParamsValidate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		mutate func(*WilsonCowanParams)
		want   []string
	}{
		{"default", func(*WilsonCowanParams) {}, nil},
		{"zero value", func(p *WilsonCowanParams) { *p = WilsonCowanParams{} }, []string{"AE = 0, want finite and > 0", "TauE = 0", "P is empty"}},
		{"negative weight", func(p *WilsonCowanParams) { p.WEI = -12 }, []string{"WEI = -12, want finite and >= 0"}},
		{"zero weight allowed", func(p *WilsonCowanParams) { p.WII = 0 }, nil},
		{"NaN threshold", func(p *WilsonCowanParams) { p.ThI = math.NaN() }, []string{"ThI = NaN, want a finite value"}},
		{"infinite tau", func(p *WilsonCowanParams) { p.TauI = math.Inf(1) }, []string{"TauI = +Inf"}},
		{"bad input", func(p *WilsonCowanParams) { p.P = []float64{1, math.Inf(-1)} }, []string{"P[1] = -Inf"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p := DefaultWilsonCowanParams()
			c.mutate(&p)
			err := p.Validate()
			if c.want == nil {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want errors %q", c.want)
			}
			for _, s := range c.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("Validate() = %q, want it to contain %q", err, s)
				}
			}
			if _, err := NewWilsonCowan(p); err == nil {
				t.Errorf("NewWilsonCowan accepted invalid params")
			}
		})
	}
}

func TestWilsonCowanNonFiniteAndState(t *testing.T) {
	t.Parallel()
	p := DefaultWilsonCowanParams()
	w, err := NewWilsonCowan(p)
	if err != nil {
		t.Fatal(err)
	}
	p.P[0] = 100 // NewWilsonCowan copied P
	if got := w.Params().P[0]; got != 1 {
		t.Errorf("P[0] = %v after changing the caller's slice, want 1", got)
	}
	if v, bad := w.NonFinite(); bad {
		t.Errorf("NonFinite() = %q on a zero state", v)
	}
	w.I()[3] = math.Inf(1)
	if v, _ := w.NonFinite(); v != "I[3]" {
		t.Errorf("NonFinite() = %q, want I[3]", v)
	}
	e := []float64{0, 0, math.NaN(), 0, 0}
	w.SetState(e, make([]float64, 5))
	w.Step(0.0001) // the NaN reaches every E through the coupling
	if v, _ := w.NonFinite(); v != "E[0]" {
		t.Errorf("NonFinite() = %q after a NaN in E[2] and a step, want E[0]", v)
	}
	mustPanic(t, "SetState with wrong length", func() { w.SetState(make([]float64, 4), make([]float64, 5)) })
	mustPanic(t, "Step with dt 0", func() { w.Step(0) })
}

func TestWilsonCowanStepDoesNotAllocate(t *testing.T) {
	w, err := NewWilsonCowan(DefaultWilsonCowanParams())
	if err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() { w.Step(0.0001) }); n != 0 {
		t.Errorf("Step allocates %v times per call, want 0", n)
	}
}
