package plots

import (
	"math"
	"testing"
)

func TestMeanCI(t *testing.T) {
	t.Parallel()
	nan := math.NaN()
	cases := []struct {
		name        string
		x           []float64
		n           int
		est, lo, hi float64
	}{
		// mean 3, s = sqrt(2.5) = 1.58114, t(0.975, 4) = 2.776445:
		// half width 2.776445 * 1.58114 / sqrt(5) = 1.963243.
		{"five", []float64{1, 2, 3, 4, 5}, 5, 3, 3 - 1.963243, 3 + 1.963243},
		// NaN and Inf are dropped: mean 3, s = sqrt(2), t(0.975, 1) =
		// 12.706205: half width 12.706205 * 1.414214 / 1.414214.
		{"non-finite dropped", []float64{2, nan, 4, math.Inf(1)}, 2, 3, 3 - 12.706205, 3 + 12.706205},
		{"one", []float64{7}, 1, 7, nan, nan},
		{"none", nil, 0, nan, nan, nan},
		{"constant", []float64{2, 2, 2}, 3, 2, 2, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := meanCI(tc.x)
			if got.N != tc.n || !close(got.Est, tc.est, 1e-9) || !close(got.Lo, tc.lo, 1e-5) || !close(got.Hi, tc.hi, 1e-5) {
				t.Errorf("meanCI(%v) = %+v, want n %d est %v [%v, %v]", tc.x, got, tc.n, tc.est, tc.lo, tc.hi)
			}
		})
	}
}

func TestWilson(t *testing.T) {
	t.Parallel()
	cases := []struct {
		k, n        int
		est, lo, hi float64
	}{
		// p = 0.5, n = 10, z = 1.959964: centre 0.5, half width
		// 1.959964*sqrt(0.025 + 0.0096036)/1.3841459 = 0.263407
		// (the textbook [0.2366, 0.7634]).
		{5, 10, 0.5, 0.236593, 0.763407},
		// p = 0: centre = half width = 0.192073/1.384146 = 0.138767.
		{0, 10, 0, 0, 0.277533},
		{10, 10, 1, 0.722467, 1},
	}
	for _, tc := range cases {
		got := wilson(tc.k, tc.n)
		if !close(got.Est, tc.est, 1e-12) || !close(got.Lo, tc.lo, 1e-5) || !close(got.Hi, tc.hi, 1e-5) {
			t.Errorf("wilson(%d, %d) = %+v, want %v [%v, %v]", tc.k, tc.n, got, tc.est, tc.lo, tc.hi)
		}
	}
	if got := wilson(0, 0); !math.IsNaN(got.Est) || !math.IsNaN(got.Lo) {
		t.Errorf("wilson(0, 0) = %+v, want NaN", got)
	}
}

// close reports whether a and b agree within tol, treating NaN as equal to
// NaN.
func close(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= tol
}
