package stats

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestHolm(t *testing.T) {
	t.Parallel()
	nan := math.NaN()
	for _, tc := range []struct {
		name string
		p    []float64
		want []float64
	}{
		{
			// m = 4, sorted: 0.005 (4th), 0.01 (1st), 0.03 (3rd), 0.04 (2nd).
			// Step-down multipliers 4, 3, 2, 1:
			//   0.005·4 = 0.02
			//   0.01·3  = 0.03, max(0.02, 0.03) = 0.03
			//   0.03·2  = 0.06, max(0.03, 0.06) = 0.06
			//   0.04·1  = 0.04, max(0.06, 0.04) = 0.06 (monotonicity)
			// In input order: 0.03, 0.06, 0.06, 0.02.
			name: "textbook",
			p:    []float64{0.01, 0.04, 0.03, 0.005},
			want: []float64{0.03, 0.06, 0.06, 0.02},
		},
		{
			// 0.2·3 = 0.6, 0.5·2 = 1.0, 0.9·1 = 0.9 -> max 1.0; all capped at 1.
			name: "capped",
			p:    []float64{0.9, 0.2, 0.5},
			want: []float64{1, 0.6, 1},
		},
		{
			// Ties: 0.01·3 = 0.03, 0.01·2 = 0.02 -> 0.03, 0.5·1 -> 0.5.
			name: "ties",
			p:    []float64{0.01, 0.5, 0.01},
			want: []float64{0.03, 0.5, 0.03},
		},
		{
			// NaN entries stay NaN and m = 2: 0.02·2 = 0.04, 0.04·1 -> 0.04.
			name: "NaN",
			p:    []float64{nan, 0.04, 0.02, nan},
			want: []float64{nan, 0.04, 0.04, nan},
		},
		{name: "single", p: []float64{0.3}, want: []float64{0.3}},
		{name: "empty", p: []float64{}, want: []float64{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := slices.Clone(tc.p)
			got := Holm(tc.p)
			if len(got) != len(tc.want) {
				t.Fatalf("Holm(%v) has %d values, want %d", tc.p, len(got), len(tc.want))
			}
			for i := range got {
				if !near(got[i], tc.want[i], 1e-15) {
					t.Errorf("Holm(%v) = %v, want %v", tc.p, got, tc.want)
					break
				}
			}
			for i := range in {
				if !near(tc.p[i], in[i], 0) {
					t.Fatalf("Holm modified its input: %v -> %v", in, tc.p)
				}
			}
		})
	}
}

func TestHolmProperties(t *testing.T) {
	t.Parallel()
	// Over random families: adjusted >= raw, adjusted <= min(1, m·raw)
	// (Bonferroni), order of the adjusted values follows the raw ones, and
	// permuting the family permutes the adjusted values the same way.
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 500 {
		m := 1 + rng.IntN(12)
		p := make([]float64, m)
		for i := range p {
			p[i] = math.Pow(rng.Float64(), 3) // many small p values
		}
		adj := Holm(p)
		for i := range p {
			if adj[i] < p[i] || adj[i] > math.Min(1, float64(m)*p[i]) {
				t.Fatalf("trial %d: adjusted %g outside [raw %g, Bonferroni %g]", trial, adj[i], p[i], math.Min(1, float64(m)*p[i]))
			}
			for j := range p {
				if p[i] < p[j] && adj[i] > adj[j] {
					t.Fatalf("trial %d: not monotone: p %g < %g but adjusted %g > %g", trial, p[i], p[j], adj[i], adj[j])
				}
			}
		}
		perm := rng.Perm(m)
		q := make([]float64, m)
		for i, j := range perm {
			q[i] = p[j]
		}
		adjQ := Holm(q)
		for i, j := range perm {
			if adjQ[i] != adj[j] {
				t.Fatalf("trial %d: order not preserved: Holm(permuted)[%d] = %g, want %g", trial, i, adjQ[i], adj[j])
			}
		}
	}
}
