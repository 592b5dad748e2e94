package generative

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestBizarreness(t *testing.T) {
	t.Parallel()
	cases := []struct {
		p    []float64
		want float64
	}{
		{[]float64{1, 0, 0, 0}, 0},
		{[]float64{0.25, 0.25, 0.25, 0.25}, 1},
		// An even hybrid of two of eight classes: ln 2 / ln 8 = 1/3.
		{[]float64{0.5, 0.5, 0, 0, 0, 0, 0, 0}, 1.0 / 3},
		{[]float64{1}, 0},
	}
	for _, c := range cases {
		if got := Bizarreness(c.p); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("Bizarreness(%v) = %v, want %v", c.p, got, c.want)
		}
	}
}

func TestReference(t *testing.T) {
	t.Parallel()
	// Class 0 at 0, 1 and 3 on a line; class 1 alone. Nearest same-class
	// distances: 1, 1, 2; their median is 1.
	items := [][]float64{{0, 0}, {1, 0}, {3, 0}, {10, 10}}
	r, err := NewReference(items, []int{0, 0, 0, 1})
	if err != nil {
		t.Fatal(err)
	}
	if r.Scale() != 1 {
		t.Errorf("scale %v, want 1", r.Scale())
	}
	cases := []struct {
		image []float64
		want  float64
	}{
		{[]float64{1, 0}, 0},
		{[]float64{5, 0}, 2},
		{[]float64{10, 7}, 3},
	}
	for _, c := range cases {
		if got := r.Novelty(c.image); got != c.want {
			t.Errorf("Novelty(%v) = %v, want %v", c.image, got, c.want)
		}
	}
	if _, err := NewReference(items[:2], []int{0, 1}); err == nil {
		t.Errorf("no error without a class of two items")
	}
	if _, err := NewReference([][]float64{{1}, {1}}, []int{0, 0}); err == nil {
		t.Errorf("no error for coinciding items")
	}
	if _, err := NewReference(items, []int{0}); err == nil {
		t.Errorf("no error for mismatched labels")
	}
}

// TestRecallScore checks the recall score's bounds and that it falls as the
// cue loses more of the memory.
func TestRecallScore(t *testing.T) {
	t.Parallel()
	f, v := trained(t)
	rng := rand.New(rand.NewPCG(3, 1))
	patches := []int{0, 4, 8, 12}
	mean := make([]float64, len(patches))
	for _, e := range f.day[:80] {
		for i, p := range patches {
			s := v.RecallScore(Occlude(e.Image, p, rng), e.Image)
			if s < 0 || s > 1 {
				t.Fatalf("recall score %v outside [0, 1]", s)
			}
			mean[i] += s / 80
		}
	}
	t.Logf("mean recall score for occlusion patches %v: %.3f", patches, mean)
	for i := 1; i < len(mean); i++ {
		if !(mean[i] < mean[i-1]) {
			t.Errorf("recall did not fall from patch %d to %d: %.3f then %.3f", patches[i-1], patches[i], mean[i-1], mean[i])
		}
	}
	if mean[0] < 0.5 {
		t.Errorf("intact cues recalled with mean score %.3f, want above 0.5", mean[0])
	}
	flat := make([]float64, 256)
	if s := v.RecallScore(flat, flat); s != 0 && s != 1 {
		t.Errorf("flat item scored %v, want 0 or 1", s)
	}
}

func TestGeneralizationError(t *testing.T) {
	t.Parallel()
	f, v := trained(t)
	train, held := Images(f.day), Images(f.heldOut)
	got := GeneralizationError(v, train, held, nil)
	tr, he := v.NegELBO(train, nil), v.NegELBO(held, nil)
	if want := (he - tr) / tr; got != want {
		t.Errorf("GeneralizationError = %v, want %v", got, want)
	}
	t.Logf("generalisation error of the fixture: %.4f (train %.1f, held out %.1f nats)", got, tr, he)
	if !math.IsNaN(GeneralizationError(v, nil, held, nil)) {
		t.Errorf("no NaN for an empty training set")
	}
}
