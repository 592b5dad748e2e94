package stats

import "math"

// hedgesG returns the pooled SD of two groups with unbiased variances va, vb
// and sizes na, nb >= 2, and Hedges' g, the bias-corrected standardised mean
// difference (Hedges 1981; Hedges & Olkin 1985):
//
//	sp = √(((na-1)va + (nb-1)vb)/m),  m = na+nb-2,
//	g  = J(m)·diff/sp,  J(m) = Γ(m/2) / (√(m/2)·Γ((m-1)/2)).
//
// J is computed exactly through log-gamma rather than by the approximation
// 1 - 3/(4m-1). With sp = 0 (both groups constant) g is 0 for diff = 0 and
// ±Inf otherwise.
func hedgesG(diff, va, vb float64, na, nb int) (sp, g float64) {
	m := float64(na + nb - 2)
	sp = math.Sqrt((float64(na-1)*va + float64(nb-1)*vb) / m)
	switch {
	case !isFinite(diff) || !isFinite(sp):
		return sp, math.NaN()
	case sp == 0 && diff == 0:
		return 0, 0
	case sp == 0:
		return 0, math.Copysign(math.Inf(1), diff)
	}
	return sp, hedgesJ(m) * diff / sp
}

// hedgesJ returns the exact small-sample correction factor J(m) of Hedges &
// Olkin (1985) for m >= 2 degrees of freedom, which makes g an unbiased
// estimate of the population standardised difference under normality.
func hedgesJ(m float64) float64 {
	lg1, _ := math.Lgamma(m / 2)
	lg2, _ := math.Lgamma((m - 1) / 2)
	return math.Exp(lg1 - lg2 - 0.5*math.Log(m/2))
}
