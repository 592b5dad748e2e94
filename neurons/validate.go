package neurons

import (
	"errors"
	"fmt"
	"math"
)

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// fieldProblems collects what is wrong with the fields of one parameter
// type, each problem naming the type, the field, its value and what it
// should be, so that Validate reports every problem at once.
type fieldProblems struct {
	typ  string // e.g. "RateParams"
	errs []error
}

// bad records that field has value v where want describes what it should be.
func (f *fieldProblems) bad(field string, v float64, want string) {
	f.errs = append(f.errs, fmt.Errorf("neurons: %s.%s = %v, want %s", f.typ, field, v, want))
}

// inputNoise checks the Ornstein-Uhlenbeck input noise that rate and LIF
// units share: NoiseSD (in unit, "" for the dimensionless drive) finite and
// >= 0, and NoiseTau a finite time >= 0 s, > 0 when there is noise.
func (f *fieldProblems) inputNoise(sd, tau float64, unit string) {
	if !(sd >= 0) || !finite(sd) {
		want := "finite and >= 0 (0 = no noise)"
		if unit != "" {
			want = "finite and >= 0 " + unit + " (0 = no noise)"
		}
		f.bad("NoiseSD", sd, want)
	}
	switch {
	case !(tau >= 0) || !finite(tau):
		f.bad("NoiseTau", tau, "a finite time >= 0 s")
	case sd > 0 && tau == 0:
		f.bad("NoiseTau", tau, "a time > 0 s when NoiseSD > 0")
	}
}

// err returns the problems joined, or nil if there are none.
func (f *fieldProblems) err() error { return errors.Join(f.errs...) }
