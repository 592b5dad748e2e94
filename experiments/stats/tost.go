package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// TOST returns the p value of the two one-sided tests of equivalence
// (Schuirmann 1987) of the difference in c within ±margin, using Welch's
// standard error and degrees of freedom from c: the larger of the p values of
// H0: Diff <= -margin, from t = (Diff + margin)/SE, and H0: Diff >= margin,
// from t = (Diff - margin)/SE. Equivalence is shown at level α when the
// result is below α, which is the same as the 1-2α Welch interval lying
// inside (-margin, margin). A zero margin can never be shown. When SE is 0
// (both groups constant) TOST returns 0 if |Diff| < margin and 1 otherwise.
// It returns NaN when c lacks a standard error (fewer than two runs in a
// group) or margin is negative or NaN.
func TOST(c Comparison, margin float64) float64 {
	if !(margin >= 0) || !isFinite(c.Diff) || !(c.SE >= 0) || math.IsInf(c.SE, 0) {
		return math.NaN()
	}
	if c.SE == 0 {
		if math.Abs(c.Diff) < margin {
			return 0
		}
		return 1
	}
	if !(c.DF > 0) || math.IsInf(margin, 0) {
		return math.NaN()
	}
	st := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: c.DF}
	pLower := st.Survival((c.Diff + margin) / c.SE)
	pUpper := st.CDF((c.Diff - margin) / c.SE)
	return math.Max(pLower, pUpper)
}
