package stats

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"testing"
)

// FuzzCompare checks that no data make Describe, Compare, Holm or Judge
// panic and that their outputs stay in range. The seed corpus runs as part
// of go test; go test -fuzz FuzzCompare explores further.
func FuzzCompare(f *testing.F) {
	enc := func(v ...float64) []byte {
		b := make([]byte, 8*len(v))
		for i, x := range v {
			binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(x))
		}
		return b
	}
	nan, inf := math.NaN(), math.Inf(1)
	f.Add(enc(), 0)
	f.Add(enc(1, 2, 3, 4), 2)
	f.Add(enc(1, 1, 1, 1), 2)
	f.Add(enc(nan, 1, nan, 2, 3), 1)
	f.Add(enc(inf, -inf, 1, 2), 2)
	f.Add(enc(1e308, -1e308, 1e-308, 0), 2)
	f.Add(enc(5e-324, 0, 5e-324, 0, 1e-300), 3)
	f.Fuzz(func(t *testing.T, data []byte, split int) {
		v := make([]float64, len(data)/8)
		for i := range v {
			v[i] = math.Float64frombits(binary.LittleEndian.Uint64(data[8*i:]))
		}
		if len(v) > 40 {
			v = v[:40]
		}
		k := 0
		if len(v) > 0 {
			k = ((split % (len(v) + 1)) + len(v) + 1) % (len(v) + 1)
		}
		a, b := v[:k], v[k:]
		rng := rand.New(rand.NewPCG(1, 2))
		s := Describe(a, rng)
		if s.N > len(a) || (s.N >= 2 && isFinite(s.SD) && s.SD < 0) {
			t.Fatalf("Describe(%v) = %+v", a, s)
		}
		c := Settings{PermutationResamples: 99}.Compare(a, b, rng)
		for _, p := range []float64{c.PWelch, c.PPermutation} {
			if !math.IsNaN(p) && (p < 0 || p > 1) {
				t.Fatalf("p value %v out of [0, 1] for %v vs %v", p, a, b)
			}
		}
		for _, p := range Holm([]float64{c.PWelch, c.PPermutation, 0.5}) {
			if !math.IsNaN(p) && (p < 0 || p > 1) {
				t.Fatalf("Holm p value %v out of [0, 1]", p)
			}
		}
		for _, d := range []Direction{Greater, Less, Equal} {
			switch Judge(Expectation{Direction: d}, c, c.PWelch) {
			case Pass, Fail, Inconclusive:
			default:
				t.Fatalf("unknown verdict")
			}
		}
	})
}
