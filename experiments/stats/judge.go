package stats

import (
	"fmt"
	"math"
)

// Direction is the pre-registered sign of mean(condition) - mean(control).
type Direction string

const (
	Greater Direction = ">" // the condition's mean is above the control's
	Less    Direction = "<" // the condition's mean is below the control's
	Equal   Direction = "=" // the means are equivalent within a margin
)

// Verdict is the outcome of judging one pre-registered expectation.
type Verdict string

const (
	Pass         Verdict = "pass"         // the data support the expectation
	Fail         Verdict = "fail"         // the data significantly contradict it
	Inconclusive Verdict = "inconclusive" // neither, e.g. too few runs or too small an effect
)

// Defaults of Expectation, used for zero-valued fields.
const (
	DefaultAlpha               = 0.05 // significance level of every verdict
	DefaultEquivalenceMarginSD = 0.5  // TOST margin in pooled SDs, a "medium" effect (Cohen 1988)
)

// Expectation is one pre-registered prediction about a metric of a
// condition compared with its control. See the package documentation for the
// verdict rules.
type Expectation struct {
	// Direction is the predicted relation of the condition to the control.
	// It has no default; the zero value "" is invalid.
	Direction Direction

	// Alpha is the significance level, in (0, 1), compared with the
	// Holm-adjusted p of the difference and with the TOST p. Default 0.05;
	// zero means 0.05.
	Alpha float64

	// MinEffect is the smallest |Hedges g| (dimensionless) that lets a ">"
	// or "<" expectation pass. Default and zero value 0: no minimum. It is
	// ignored by "=".
	MinEffect float64

	// EquivalenceMargin is the margin Δ of an "=" expectation in the metric's
	// own units: equivalence means |true difference| < Δ. Zero means
	// EquivalenceMarginSD pooled SDs. It is ignored by ">" and "<".
	EquivalenceMargin float64

	// EquivalenceMarginSD is the margin in units of the pooled SD of the two
	// groups, used when EquivalenceMargin is zero. Default 0.5; zero means
	// 0.5. A margin set from the observed SD is itself estimated, which makes
	// the TOST approximate; prefer a raw EquivalenceMargin when the metric has
	// a natural scale (Lakens 2017).
	EquivalenceMarginSD float64
}

// Validate returns an error naming the first field of e that is out of range.
func (e Expectation) Validate() error {
	switch {
	case e.Direction != Greater && e.Direction != Less && e.Direction != Equal:
		return fmt.Errorf("stats: expectation direction %q is not one of \">\", \"<\", \"=\"", e.Direction)
	case e.Alpha != 0 && !(e.Alpha > 0 && e.Alpha < 1):
		return fmt.Errorf("stats: expectation alpha %v is not in (0, 1)", e.Alpha)
	case !(e.MinEffect >= 0) || math.IsInf(e.MinEffect, 0):
		return fmt.Errorf("stats: expectation min effect %v is not a finite value >= 0", e.MinEffect)
	case !(e.EquivalenceMargin >= 0) || math.IsInf(e.EquivalenceMargin, 0):
		return fmt.Errorf("stats: expectation equivalence margin %v is not a finite value >= 0", e.EquivalenceMargin)
	case !(e.EquivalenceMarginSD >= 0) || math.IsInf(e.EquivalenceMarginSD, 0):
		return fmt.Errorf("stats: expectation equivalence margin in SD %v is not a finite value >= 0", e.EquivalenceMarginSD)
	}
	return nil
}

// Margin returns the equivalence margin Δ of e for comparison c, in the
// metric's units: EquivalenceMargin if set, otherwise EquivalenceMarginSD
// (default 0.5) times c.PooledSD.
func (e Expectation) Margin(c Comparison) float64 {
	if e.EquivalenceMargin > 0 {
		return e.EquivalenceMargin
	}
	k := e.EquivalenceMarginSD
	if k == 0 {
		k = DefaultEquivalenceMarginSD
	}
	return k * c.PooledSD
}

// Judge returns the verdict on expectation e given the comparison c of the
// condition (group a of Compare) with its control (group b), and the
// Holm-adjusted p value of that comparison (usually from c.PWelch). The rules
// are those of the package documentation:
//
//   - ">": Pass when c.Diff > 0, pAdjusted < Alpha and |c.HedgesG| >=
//     MinEffect; Fail when c.Diff < 0 and pAdjusted < Alpha; otherwise
//     Inconclusive.
//   - "<": the mirror image.
//   - "=": Pass when TOST(c, Δ) < Alpha with Δ = e.Margin(c); Fail when
//     pAdjusted < Alpha and |c.Diff| > Δ; otherwise Inconclusive.
//
// A NaN p or effect never passes or fails. Judge panics if e is invalid;
// expectations read from a file should be checked with Validate first.
func Judge(e Expectation, c Comparison, pAdjusted float64) Verdict {
	if err := e.Validate(); err != nil {
		panic(err.Error())
	}
	alpha := e.Alpha
	if alpha == 0 {
		alpha = DefaultAlpha
	}
	significant := pAdjusted < alpha
	switch e.Direction {
	case Greater, Less:
		sign := 1.0
		if e.Direction == Less {
			sign = -1
		}
		d := sign * c.Diff
		large := e.MinEffect == 0 || math.Abs(c.HedgesG) >= e.MinEffect
		switch {
		case significant && d > 0 && large:
			return Pass
		case significant && d < 0:
			return Fail
		}
		return Inconclusive
	default: // Equal
		margin := e.Margin(c)
		if TOST(c, margin) < alpha {
			return Pass
		}
		if significant && math.Abs(c.Diff) > margin {
			return Fail
		}
		return Inconclusive
	}
}
