package regions

import (
	"errors"
	"fmt"
	"math"
)

// fieldErrors collects every problem of a parameter set, so that a user
// sees them all at once.
type fieldErrors []error

func (e *fieldErrors) add(format string, args ...any) {
	*e = append(*e, fmt.Errorf(format, args...))
}

func (e *fieldErrors) check(err error, field string) {
	if err != nil {
		e.add("%s: %w", field, err)
	}
}

func bad(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }

func (e *fieldErrors) nonNeg(field string, v float64) {
	if bad(v) || v < 0 {
		e.add("%s = %v, want a finite value >= 0", field, v)
	}
}

func (e *fieldErrors) positive(field string, v float64) {
	if bad(v) || v <= 0 {
		e.add("%s = %v, want a finite value > 0", field, v)
	}
}

func (e *fieldErrors) unit(field string, v float64) {
	if bad(v) || v < 0 || v > 1 {
		e.add("%s = %v, want a value in [0, 1]", field, v)
	}
}

func (e *fieldErrors) finite(field string, v float64) {
	if bad(v) {
		e.add("%s = %v, want a finite value", field, v)
	}
}

func (e *fieldErrors) atLeast(field string, v, min float64) {
	if bad(v) || v < min {
		e.add("%s = %v, want a finite value >= %v (the tick length)", field, v, min)
	}
}

func (e *fieldErrors) finiteDrive(field string, d StageDrive) {
	for _, x := range []struct {
		s string
		v float64
	}{{"W", d.W}, {"N1", d.N1}, {"N2", d.N2}, {"N3", d.N3}, {"R", d.R}} {
		if bad(x.v) || math.Abs(x.v) > 100 {
			e.add("%s.%s = %v, want a finite value in [-100, 100]", field, x.s, x.v)
		}
	}
}

func (e fieldErrors) join(region string) error {
	if len(e) == 0 {
		return nil
	}
	return fmt.Errorf("regions.%s: %w", region, errors.Join(e...))
}
