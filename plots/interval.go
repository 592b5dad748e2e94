package plots

import (
	"math"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// interval is an estimate with a 95% confidence interval.
type interval struct {
	N           int     // N is the number of observations.
	Est, Lo, Hi float64 // Est is the estimate; Lo and Hi bound its 95% CI (NaN when undefined).
}

// meanCI returns the mean of the finite values of x with the 95% t interval
// mean ± t(0.975, n-1)·s/√n (Student 1908). The interval is NaN for n < 2
// and the estimate is NaN for n = 0.
func meanCI(x []float64) interval {
	var v []float64
	for _, xi := range x {
		if !math.IsNaN(xi) && !math.IsInf(xi, 0) {
			v = append(v, xi)
		}
	}
	iv := interval{N: len(v), Est: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
	if len(v) == 0 {
		return iv
	}
	iv.Est = stat.Mean(v, nil)
	if len(v) < 2 {
		return iv
	}
	sd := stat.StdDev(v, nil)
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(v) - 1)}.Quantile(0.975)
	half := t * sd / math.Sqrt(float64(len(v)))
	iv.Lo, iv.Hi = iv.Est-half, iv.Est+half
	return iv
}

// z975 is the 0.975 quantile of the standard normal distribution.
const z975 = 1.959963984540054

// wilson returns the proportion k/n with its 95% Wilson score interval
// (Wilson 1927, JASA 22:209), which stays inside [0, 1] and behaves well for
// the small bins of a survival curve. All fields are NaN for n = 0.
func wilson(k, n int) interval {
	if n == 0 {
		return interval{Est: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
	}
	p := float64(k) / float64(n)
	nf := float64(n)
	z2 := z975 * z975
	den := 1 + z2/nf
	centre := (p + z2/(2*nf)) / den
	half := z975 * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf)) / den
	return interval{N: n, Est: p, Lo: math.Max(0, centre-half), Hi: math.Min(1, centre+half)}
}
