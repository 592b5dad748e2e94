package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// welchTest is the result of Welch's unequal-variance t test.
type welchTest struct {
	se, t, df, p float64 // standard error of the difference, t statistic, degrees of freedom, two-sided p
	lo, hi       float64 // t interval of the difference
}

// welch runs Welch's t test (Welch 1947) on a difference of means diff of
// groups with unbiased variances va, vb and sizes na, nb >= 2:
//
//	SE² = va/na + vb/nb,  t = diff/SE,
//	df  = SE⁴ / ((va/na)²/(na-1) + (vb/nb)²/(nb-1))   (Satterthwaite 1946),
//	p   = 2·P(T_df > |t|),  interval diff ± t(1-α/2; df)·SE.
//
// When both variances are zero the test degenerates: see Compare. Non-finite
// inputs give NaN results.
func welch(diff, va, vb float64, na, nb int, level float64) welchTest {
	nan := math.NaN()
	w := welchTest{se: nan, t: nan, df: nan, p: nan, lo: nan, hi: nan}
	qa, qb := va/float64(na), vb/float64(nb)
	se2 := qa + qb
	if !isFinite(diff) || !isFinite(se2) {
		return w
	}
	if se2 == 0 {
		w.se, w.df, w.lo, w.hi = 0, float64(na+nb-2), diff, diff
		if diff == 0 {
			w.t, w.p = 0, 1
		} else {
			w.t, w.p = math.Copysign(math.Inf(1), diff), 0
		}
		return w
	}
	w.se = math.Sqrt(se2)
	w.t = diff / w.se
	w.df = se2 * se2 / (qa*qa/float64(na-1) + qb*qb/float64(nb-1))
	if !(w.df > 0) || math.IsInf(w.df, 0) {
		// Only reachable when the variances underflow when squared
		// (below about 1e-154); the degrees of freedom are then unknown.
		w.df, w.p, w.lo, w.hi = nan, nan, nan, nan
		return w
	}
	st := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: w.df}
	if math.IsInf(w.t, 0) {
		w.p = 0
	} else {
		w.p = math.Min(1, 2*st.Survival(math.Abs(w.t)))
	}
	half := st.Quantile(upperQuantile(level)) * w.se
	w.lo, w.hi = diff-half, diff+half
	return w
}
