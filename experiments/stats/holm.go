package stats

import (
	"math"
	"slices"
)

// Holm returns the Holm-Bonferroni adjusted p values of the family p (Holm
// 1979), in the order of p. With the m non-NaN p values sorted ascending,
// p(1) <= ... <= p(m), the adjusted value of the i-th smallest is
//
//	min(1, max over j <= i of (m - j + 1)·p(j)),
//
// so adjusted values are monotone in the raw ones and rejecting those below
// α controls the family-wise error rate at α under any dependence. NaN
// entries (comparisons that could not be made) stay NaN and do not count
// towards m. Ties get equal adjusted values. Holm returns an empty slice for
// an empty family.
func Holm(p []float64) []float64 {
	adj := make([]float64, len(p))
	order := make([]int, 0, len(p))
	for i, pi := range p {
		if math.IsNaN(pi) {
			adj[i] = math.NaN()
			continue
		}
		order = append(order, i)
	}
	slices.SortStableFunc(order, func(i, j int) int {
		switch {
		case p[i] < p[j]:
			return -1
		case p[i] > p[j]:
			return 1
		}
		return 0
	})
	m := len(order)
	var running float64
	for rank, i := range order {
		running = math.Max(running, float64(m-rank)*p[i])
		adj[i] = math.Min(1, running)
	}
	return adj
}
