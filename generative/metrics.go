package generative

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/floats"
)

// Reference holds the training items that dreams are compared with to
// measure their novelty.
type Reference struct {
	items [][]float64
	scale float64 // median within-class nearest-neighbour distance, in pixel intensity units
}

// NewReference returns a Reference of training items (images) with their
// class labels. Its scale is the typical within-class nearest-neighbour
// distance: the median, over items with at least one other item of the
// same class, of the Euclidean distance to the nearest such item. It
// returns an error if no class has two items or the scale is zero.
func NewReference(items [][]float64, labels []int) (*Reference, error) {
	if len(items) != len(labels) {
		return nil, fmt.Errorf("generative: reference has %d items and %d labels", len(items), len(labels))
	}
	byClass := make(map[int][]int)
	for i, k := range labels {
		byClass[k] = append(byClass[k], i)
	}
	var nn []float64
	for i, k := range labels {
		best := math.Inf(1)
		for _, j := range byClass[k] {
			if j != i {
				best = math.Min(best, floats.Distance(items[i], items[j], 2))
			}
		}
		if !math.IsInf(best, 1) {
			nn = append(nn, best)
		}
	}
	if len(nn) == 0 {
		return nil, errors.New("generative: reference needs a class with at least two items")
	}
	slices.Sort(nn)
	scale := nn[len(nn)/2]
	if len(nn)%2 == 0 {
		scale = (nn[len(nn)/2-1] + nn[len(nn)/2]) / 2
	}
	if !(scale > 0) {
		return nil, errors.New("generative: reference items coincide within their classes: zero distance scale")
	}
	return &Reference{items: items, scale: scale}, nil
}

// Scale returns the median within-class nearest-neighbour distance of the
// reference items, in pixel intensity units (Euclidean norm).
func (r *Reference) Scale() float64 { return r.scale }

// Novelty returns how far image lies from everything the network was
// trained on, in units of the typical distance between an item and its
// closest same-class neighbour:
//
//	novelty(x) = min_j ||x - x_j||₂ / Scale().
//
// An image as close to some training item as same-class items are to each
// other scores about 1; a replay of a training item scores below 1; a
// hybrid far from every item scores above 1.
func (r *Reference) Novelty(image []float64) float64 {
	best := math.Inf(1)
	for _, x := range r.items {
		best = math.Min(best, floats.Distance(image, x, 2))
	}
	return best / r.scale
}

// Bizarreness returns the normalised entropy of class probabilities p, for
// example a Readout's probabilities for a dream's latent:
//
//	bizarreness(p) = -Σ_k p_k ln p_k / ln K,
//
// in [0, 1]: 0 when the readout is certain of one class, 1 when the dream
// is an even hybrid of all K classes. Terms with p_k = 0 contribute 0. It
// returns 0 for fewer than two classes.
func Bizarreness(p []float64) float64 {
	if len(p) < 2 {
		return 0
	}
	var h float64
	for _, pk := range p {
		if pk > 0 {
			h -= pk * math.Log(pk)
		}
	}
	return clamp01(h / math.Log(float64(len(p))))
}

// RecallScore returns how well the network recalls a stored item from a
// cue (for example the item with a patch blanked, see Occlude): the
// coefficient of determination of the reconstruction r = Reconstruct(cue)
// as a prediction of the stored item s, clipped to [0, 1],
//
//	score = max(0, 1 - Σ_i (r_i - s_i)² / Σ_i (s_i - s̄)²),
//
// where s̄ is the mean intensity of s. A perfect reconstruction scores 1; a
// flat image at the item's mean intensity, or anything worse, scores 0. A
// flat stored item (zero variance) scores 1 if reconstructed exactly and
// 0 otherwise.
func (v *VAE) RecallScore(cue, stored []float64) float64 {
	r := v.Reconstruct(cue)
	mean := floats.Sum(stored) / float64(len(stored))
	var sse, sst float64
	for i, s := range stored {
		sse += (r[i] - s) * (r[i] - s)
		sst += (s - mean) * (s - mean)
	}
	if sst == 0 {
		if sse == 0 {
			return 1
		}
		return 0
	}
	return clamp01(1 - sse/sst)
}

// GeneralizationError returns the relative generalisation gap of the
// network's evidence bound,
//
//	(NegELBO(heldOut) - NegELBO(train)) / NegELBO(train),
//
// a lower-is-better, dimensionless number: about 0 when held-out items are
// modelled as well as the training items, 0.5 when they cost 50% more
// nats. It measures overfitting, which is what Hoel (2021, Patterns
// 2:100244) predicts dreams prevent: without dreams memorisation holds
// (train stays low) while generalisation suffers (held-out rises). It is
// chosen over 1 - held-out readout accuracy because it needs no labels or
// second model, uses the quantity the network is trained on, and, being a
// ratio, compares across image sizes. Both bounds are estimated as in
// NegELBO with rng (nil evaluates at the posterior means). It returns NaN
// if either set is empty.
func GeneralizationError(v *VAE, train, heldOut [][]float64, rng *rand.Rand) float64 {
	tr := v.NegELBO(train, rng)
	return (v.NegELBO(heldOut, rng) - tr) / tr
}
