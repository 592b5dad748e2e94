package generative

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/floats"
)

// TestReadoutBlobs fits the readout to Gaussian blobs whose separability is
// known: four classes centred at ±3 on two axes with unit noise, plus a
// constant feature. The Bayes-optimal accuracy is Φ(3)² ≈ 0.995 (each axis
// is misread with probability 1-Φ(3) ≈ 0.00135 per sign); a linear readout
// can reach it because the optimal boundaries are the axes.
func TestReadoutBlobs(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 1))
	blobs := func(n int) ([][]float64, []int) {
		x := make([][]float64, n)
		y := make([]int, n)
		for i := range x {
			k := i % 4
			sx, sy := float64(2*(k&1)-1), float64((k&2)-1)
			x[i] = []float64{3*sx + rng.NormFloat64(), 3*sy + rng.NormFloat64(), 5}
			y[i] = k
		}
		return x, y
	}
	x, y := blobs(400)
	r, err := TrainReadout(x, y, 4, DefaultReadoutSettings())
	if err != nil {
		t.Fatal(err)
	}
	tx, ty := blobs(2000)
	if acc := r.Accuracy(tx, ty); acc < 0.98 {
		t.Errorf("held-out accuracy %.3f, want at least 0.98 (Bayes 0.995)", acc)
	}
	p := r.Probabilities([]float64{3, 3, 5})
	if math.Abs(floats.Sum(p)-1) > 1e-12 || r.Predict([]float64{3, 3, 5}) != 3 || r.Classes() != 4 {
		t.Errorf("probabilities %v at the centre of class 3", p)
	}
	// Equidistant from every centre, no class is preferred much.
	if b := Bizarreness(r.Probabilities([]float64{0, 0, 5})); b < 0.9 {
		t.Errorf("bizarreness %.3f at the centre of the four classes, want near 1", b)
	}
}

func TestTrainReadoutErrors(t *testing.T) {
	t.Parallel()
	x := [][]float64{{0, 1}, {1, 0}}
	cases := []struct {
		name    string
		x       [][]float64
		y       []int
		classes int
		s       func(*ReadoutSettings)
	}{
		{"empty", nil, nil, 2, nil},
		{"label count", x, []int{0}, 2, nil},
		{"one class", x, []int{0, 0}, 1, nil},
		{"label out of range", x, []int{0, 2}, 2, nil},
		{"ragged features", [][]float64{{0, 1}, {1}}, []int{0, 1}, 2, nil},
		{"negative epochs", x, []int{0, 1}, 2, func(s *ReadoutSettings) { s.Epochs = -1 }},
		{"negative L2", x, []int{0, 1}, 2, func(s *ReadoutSettings) { s.L2 = -1 }},
		{"zero learning rate", x, []int{0, 1}, 2, func(s *ReadoutSettings) { s.Adam.LearningRate = 0 }},
	}
	for _, c := range cases {
		s := DefaultReadoutSettings()
		if c.s != nil {
			c.s(&s)
		}
		if _, err := TrainReadout(c.x, c.y, c.classes, s); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}
