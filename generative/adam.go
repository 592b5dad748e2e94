package generative

import (
	"fmt"
	"math"
)

// AdamSettings are the hyperparameters of the Adam optimiser (Kingma & Ba
// 2015, "Adam: a method for stochastic optimization", ICLR).
type AdamSettings struct {
	LearningRate float64 // step size, in parameter units per step; default 1e-3 (Kingma & Ba's default)
	Beta1        float64 // decay rate of the first-moment (mean) estimate per step, in [0, 1); default 0.9
	Beta2        float64 // decay rate of the second-moment estimate per step, in [0, 1); default 0.999
	Epsilon      float64 // added to the root second moment to avoid division by zero; default 1e-8
}

// DefaultAdamSettings returns the defaults of Kingma & Ba (2015):
// learning rate 1e-3, β1 0.9, β2 0.999, ε 1e-8.
func DefaultAdamSettings() AdamSettings {
	return AdamSettings{LearningRate: 1e-3, Beta1: 0.9, Beta2: 0.999, Epsilon: 1e-8}
}

// validate returns an error if a cannot drive an optimiser.
func (a AdamSettings) validate() error {
	switch {
	case !(a.LearningRate > 0) || math.IsInf(a.LearningRate, 0):
		return fmt.Errorf("adam learning rate %v is not positive", a.LearningRate)
	case !(a.Beta1 >= 0 && a.Beta1 < 1):
		return fmt.Errorf("adam beta1 %v is outside [0, 1)", a.Beta1)
	case !(a.Beta2 >= 0 && a.Beta2 < 1):
		return fmt.Errorf("adam beta2 %v is outside [0, 1)", a.Beta2)
	case !(a.Epsilon > 0) || math.IsInf(a.Epsilon, 0):
		return fmt.Errorf("adam epsilon %v is not positive", a.Epsilon)
	}
	return nil
}

// adam is the state of an Adam optimiser over one flat parameter vector.
type adam struct {
	s    AdamSettings
	m, v []float64 // first and second moment estimates, one per parameter
	t    uint64    // steps taken
}

// newAdam returns an optimiser for n parameters with zero moments.
func newAdam(s AdamSettings, n int) *adam {
	return &adam{s: s, m: make([]float64, n), v: make([]float64, n)}
}

// step moves params against grad by one bias-corrected Adam step:
//
//	m ← β1 m + (1-β1) g,  v ← β2 v + (1-β2) g²,
//	θ ← θ - lr (m / (1-β1ᵗ)) / (sqrt(v / (1-β2ᵗ)) + ε).
func (a *adam) step(params, grad []float64) {
	a.t++
	b1, b2 := a.s.Beta1, a.s.Beta2
	c1 := 1 - math.Pow(b1, float64(a.t))
	c2 := 1 - math.Pow(b2, float64(a.t))
	lr, eps := a.s.LearningRate/c1, a.s.Epsilon
	rc2 := 1 / math.Sqrt(c2)
	m, v := a.m[:len(params)], a.v[:len(params)]
	grad = grad[:len(params)]
	for i, g := range grad {
		mi := b1*m[i] + (1-b1)*g
		vi := b2*v[i] + (1-b2)*g*g
		m[i], v[i] = mi, vi
		params[i] -= lr * mi / (math.Sqrt(vi)*rc2 + eps)
	}
}
