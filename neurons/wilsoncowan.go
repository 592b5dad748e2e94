package neurons

import (
	"errors"
	"fmt"
	"math"
	"strconv"
)

// WilsonCowanParams holds the parameters of N coupled Wilson-Cowan
// excitatory-inhibitory populations (Wilson & Cowan 1972, Biophys J 12:1),
// in the form used by dreamsim's peer benchmark against Brian2
// (shared/bench-wilson-cowan.md). For i = 0..N-1:
//
//	TauE dE_i/dt = -E_i + S_E(WEE*E_i - WEI*I_i + P[i] + C*inE_i)
//	TauI dI_i/dt = -I_i + S_I(WIE*E_i - WII*I_i + Q)
//	inE_i = sum over j != i of W*E_j
//	S_X(x) = 1 / (1 + exp(-AX*(x - ThX)))
//
// This is the simplified form without the refractory factor (1 - r*E) and
// without the S(0) offset of the original paper. The defaults are the
// limit-cycle parameters of Wilson & Cowan (1972) for one population, with
// five populations coupled all-to-all.
//
// The zero value is not valid; start from DefaultWilsonCowanParams.
type WilsonCowanParams struct {
	AE  float64 // 1/(input unit), slope of S_E; default 1.3, must be > 0
	ThE float64 // input units, threshold of S_E; default 4
	AI  float64 // 1/(input unit), slope of S_I; default 2, must be > 0
	ThI float64 // input units, threshold of S_I; default 3.7

	WEE float64 // E -> E weight within a population; default 16, must be >= 0
	WEI float64 // I -> E weight (inhibitory, subtracted); default 12, must be >= 0
	WIE float64 // E -> I weight; default 15, must be >= 0
	WII float64 // I -> I weight (inhibitory, subtracted); default 3, must be >= 0

	Q float64   // input units, external input to every I population; default 0
	C float64   // gain of the input from the other populations; default 0.5
	W float64   // weight of each connection E_j -> E_i, i != j; default 0.25
	P []float64 // input units, external input to E_i; len(P) is the number of populations N >= 1; default 1 + 0.25*i for N = 5

	TauE float64 // s, time constant of E; default 0.008 s, must be > 0
	TauI float64 // s, time constant of I; default 0.008 s, must be > 0
}

// DefaultWilsonCowanParams returns the parameters of the peer benchmark: five
// populations with P[i] = 1 + 0.25*i.
func DefaultWilsonCowanParams() WilsonCowanParams {
	p := make([]float64, 5)
	for i := range p {
		p[i] = 1 + 0.25*float64(i)
	}
	return WilsonCowanParams{
		AE: 1.3, ThE: 4, AI: 2, ThI: 3.7,
		WEE: 16, WEI: 12, WIE: 15, WII: 3,
		Q: 0, C: 0.5, W: 0.25, P: p,
		TauE: 0.008, TauI: 0.008,
	}
}

// Validate returns an error describing every invalid field of p, naming the
// field, its value and the allowed range, or nil if p is valid.
func (p WilsonCowanParams) Validate() error {
	f := fieldProblems{typ: "WilsonCowanParams"}
	bad := f.bad
	for _, f := range []struct {
		name string
		v    float64
		min  float64 // lower bound
		open bool    // the bound itself is excluded
	}{
		{"AE", p.AE, 0, true}, {"AI", p.AI, 0, true},
		{"WEE", p.WEE, 0, false}, {"WEI", p.WEI, 0, false},
		{"WIE", p.WIE, 0, false}, {"WII", p.WII, 0, false},
		{"TauE", p.TauE, 0, true}, {"TauI", p.TauI, 0, true},
	} {
		switch {
		case f.open && !(finite(f.v) && f.v > f.min):
			bad(f.name, f.v, "finite and > 0")
		case !f.open && !(finite(f.v) && f.v >= f.min):
			bad(f.name, f.v, "finite and >= 0")
		}
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"ThE", p.ThE}, {"ThI", p.ThI}, {"Q", p.Q}, {"C", p.C}, {"W", p.W}} {
		if !finite(f.v) {
			bad(f.name, f.v, "a finite value")
		}
	}
	if len(p.P) == 0 {
		f.errs = append(f.errs, errors.New("neurons: WilsonCowanParams.P is empty, want one input per population (at least one)"))
	}
	for i, v := range p.P {
		if !finite(v) {
			bad("P["+strconv.Itoa(i)+"]", v, "a finite value")
		}
	}
	return f.err()
}

// WilsonCowan is a network of coupled Wilson-Cowan populations (see
// WilsonCowanParams), integrated with forward Euler. It is not safe for
// concurrent use.
type WilsonCowan struct {
	p    WilsonCowanParams
	e, i []float64 // E_i and I_i, dimensionless activities in [0, 1]
	z    []float64 // scratch: the 2N exponentials of a step
}

// NewWilsonCowan returns the network for p with every E_i and I_i zero. It
// copies p.P, so later changes to the caller's slice have no effect. It
// returns an error if p is invalid.
func NewWilsonCowan(p WilsonCowanParams) (*WilsonCowan, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	p.P = append([]float64(nil), p.P...)
	n := len(p.P)
	return &WilsonCowan{p: p, e: make([]float64, n), i: make([]float64, n), z: make([]float64, 2*n)}, nil
}

// Len returns the number of populations N.
func (w *WilsonCowan) Len() int { return len(w.e) }

// Params returns the parameters of the network (with its own copy of P).
func (w *WilsonCowan) Params() WilsonCowanParams {
	p := w.p
	p.P = append([]float64(nil), w.p.P...)
	return p
}

// E returns the excitatory activities E_i. The slice is a read-only view of
// the state, overwritten by the next Step or SetState; copy it to keep it.
func (w *WilsonCowan) E() []float64 { return w.e }

// I returns the inhibitory activities I_i, as a read-only view like E.
func (w *WilsonCowan) I() []float64 { return w.i }

// SetState copies e and i into the state. It panics if either length differs
// from Len.
func (w *WilsonCowan) SetState(e, i []float64) {
	if len(e) != len(w.e) || len(i) != len(w.i) {
		panic(fmt.Sprintf("neurons: WilsonCowan.SetState got %d E and %d I values for %d populations", len(e), len(i), len(w.e)))
	}
	copy(w.e, e)
	copy(w.i, i)
}

// Step advances the network by dt seconds with forward Euler: every
// right-hand side, including the coupling inE_i = W*(sum_j E_j - E_i), is
// evaluated on the state at the start of the step, as Brian2's "euler" state
// updater does with a summed variable updated before the group. Step does not
// allocate. It panics if dt is not a finite time > 0.
//
// The coupling uses the all-to-all sum once per step, so a step costs O(N),
// not O(N^2), and the 2N exponentials of the sigmoids are computed together
// in one tight loop (see expSlice).
func (w *WilsonCowan) Step(dt float64) {
	if !(dt > 0) || math.IsInf(dt, 0) {
		panic(fmt.Sprintf("neurons: WilsonCowan.Step dt = %v, want a finite time > 0 s", dt))
	}
	p := &w.p
	e, in, drive := w.e, w.i[:len(w.e)], p.P[:len(w.e)]
	z := w.z[:2*len(e)]
	sum := 0.0
	for _, v := range e {
		sum += v
	}
	cw := p.C * p.W
	aE, thE, aI, thI := p.AE, p.ThE, p.AI, p.ThI
	wEE, wEI, wIE, wII, q := p.WEE, p.WEI, p.WIE, p.WII, p.Q
	for k, ek := range e {
		ik := in[k]
		xE := wEE*ek - wEI*ik + drive[k] + cw*(sum-ek)
		xI := wIE*ek - wII*ik + q
		z[2*k] = -aE * (xE - thE)
		z[2*k+1] = -aI * (xI - thI)
	}
	expSlice(z)
	ke, ki := dt/p.TauE, dt/p.TauI
	for k, ek := range e {
		ik := in[k]
		e[k] = ek + ke*(1/(1+z[2*k])-ek)
		in[k] = ik + ki*(1/(1+z[2*k+1])-ik)
	}
}

// NonFinite reports the first state variable that is NaN or infinite, named
// as "E[i]" or "I[i]", and whether there is one.
func (w *WilsonCowan) NonFinite() (variable string, bad bool) {
	if k := firstNonFinite(w.e); k >= 0 {
		return "E[" + strconv.Itoa(k) + "]", true
	}
	if k := firstNonFinite(w.i); k >= 0 {
		return "I[" + strconv.Itoa(k) + "]", true
	}
	return "", false
}
