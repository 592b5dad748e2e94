package generative

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"
)

// ReadoutSettings configures the training of a Readout.
type ReadoutSettings struct {
	// Epochs is the number of full-batch Adam steps. Default 400.
	Epochs int
	// Adam are the optimiser's hyperparameters. Default: learning rate 0.05
	// (the features are standardised, so the loss is well conditioned and
	// tolerates a larger step than a network), β1 0.9, β2 0.999, ε 1e-8.
	Adam AdamSettings
	// L2 is the weight of the ridge penalty (L2/2)·Σ W² added to the mean
	// cross-entropy, per unit of squared weight. Default 1e-3. Zero gives
	// plain maximum likelihood, whose weights grow without bound on
	// separable data.
	L2 float64
}

// DefaultReadoutSettings returns 400 full-batch Adam steps at learning rate
// 0.05 with an L2 penalty of 1e-3.
func DefaultReadoutSettings() ReadoutSettings {
	a := DefaultAdamSettings()
	a.LearningRate = 0.05
	return ReadoutSettings{Epochs: 400, Adam: a, L2: 1e-3}
}

// Readout is a linear readout of latent codes: multinomial logistic
// (softmax) regression on standardised features,
//
//	p(k | z) = softmax_k(Σ_j W_jk (z_j - m_j)/s_j + b_k),
//
// with m and s the mean and standard deviation of each feature over the
// training set. Its accuracy on held-out codes measures how linearly
// separable the learned representation is, the measure of PAD (Deperrois
// et al. 2022, eLife 11:e76384); its probabilities label dreams.
type Readout struct {
	classes, dims int
	mean, sd      []float64 // feature standardisation, per latent dimension
	params        []float64 // W (dims×classes, row-major), then b (classes)
}

// TrainReadout fits a Readout to features (one latent code per item, for
// example VAE.Latents of labelled images) and labels in [0, classes) by
// full-batch Adam on the mean cross-entropy plus the L2 penalty, from zero
// weights; the result is deterministic. It returns an error if the inputs
// are inconsistent or the settings invalid.
func TrainReadout(features [][]float64, labels []int, classes int, s ReadoutSettings) (*Readout, error) {
	switch {
	case len(features) == 0:
		return nil, errors.New("generative: readout needs at least one item")
	case len(features) != len(labels):
		return nil, fmt.Errorf("generative: readout has %d feature rows and %d labels", len(features), len(labels))
	case classes < 2:
		return nil, fmt.Errorf("generative: readout needs at least 2 classes, got %d", classes)
	case s.Epochs < 0:
		return nil, fmt.Errorf("generative: negative readout epochs %d", s.Epochs)
	case !(s.L2 >= 0):
		return nil, fmt.Errorf("generative: readout L2 %v is not a non-negative number", s.L2)
	}
	if err := s.Adam.validate(); err != nil {
		return nil, fmt.Errorf("generative: readout: %w", err)
	}
	dims := len(features[0])
	for i, f := range features {
		if len(f) != dims {
			return nil, fmt.Errorf("generative: readout feature row %d has %d values, row 0 has %d", i, len(f), dims)
		}
		if labels[i] < 0 || labels[i] >= classes {
			return nil, fmt.Errorf("generative: readout label %d of item %d is outside [0, %d)", labels[i], i, classes)
		}
	}
	r := &Readout{
		classes: classes, dims: dims,
		mean:   make([]float64, dims),
		sd:     make([]float64, dims),
		params: make([]float64, dims*classes+classes),
	}
	n := float64(len(features))
	for _, f := range features {
		floats.Add(r.mean, f)
	}
	floats.Scale(1/n, r.mean)
	for _, f := range features {
		for j, x := range f {
			d := x - r.mean[j]
			r.sd[j] += d * d
		}
	}
	for j := range r.sd {
		r.sd[j] = math.Sqrt(r.sd[j] / n)
		if r.sd[j] == 0 {
			r.sd[j] = 1 // a constant feature carries no information; leave it centred
		}
	}
	x := make([][]float64, len(features))
	for i, f := range features {
		x[i] = r.standardise(make([]float64, dims), f)
	}
	grad := make([]float64, len(r.params))
	p := make([]float64, classes)
	opt := newAdam(s.Adam, len(r.params))
	nw := dims * classes
	for range s.Epochs {
		clear(grad)
		for i, xi := range x {
			r.logits(p, xi)
			softmax(p)
			p[labels[i]]--
			// p now holds ∂CE/∂logits for item i.
			for j, xj := range xi {
				floats.AddScaled(grad[j*classes:(j+1)*classes], xj/n, p)
			}
			floats.AddScaled(grad[nw:], 1/n, p)
		}
		floats.AddScaled(grad[:nw], s.L2, r.params[:nw])
		opt.step(r.params, grad)
	}
	return r, nil
}

// standardise writes (z - mean)/sd into dst and returns it.
func (r *Readout) standardise(dst, z []float64) []float64 {
	for j, zj := range z {
		dst[j] = (zj - r.mean[j]) / r.sd[j]
	}
	return dst
}

// logits writes the class scores of standardised features x into dst.
func (r *Readout) logits(dst, x []float64) {
	copy(dst, r.params[r.dims*r.classes:])
	for j, xj := range x {
		floats.AddScaled(dst, xj, r.params[j*r.classes:(j+1)*r.classes])
	}
}

// softmax replaces x by softmax(x), shifted by the maximum for stability.
func softmax(x []float64) {
	m := floats.Max(x)
	var sum float64
	for i, v := range x {
		x[i] = math.Exp(v - m)
		sum += x[i]
	}
	floats.Scale(1/sum, x)
}

// Classes returns the number of classes.
func (r *Readout) Classes() int { return r.classes }

// Probabilities returns the class probabilities of latent code z. It panics
// if z does not have the length of the training features.
func (r *Readout) Probabilities(z []float64) []float64 {
	return r.ProbabilitiesInto(make([]float64, r.classes), z)
}

// ProbabilitiesInto is Probabilities writing the probabilities into dst,
// which must hold Classes values, and returning dst. It allocates nothing.
// It panics if dst or z has the wrong length.
func (r *Readout) ProbabilitiesInto(dst, z []float64) []float64 {
	if len(z) != r.dims {
		panic(fmt.Sprintf("generative: readout takes %d values, got %d", r.dims, len(z)))
	}
	if len(dst) != r.classes {
		panic(fmt.Sprintf("generative: readout has %d classes, the buffer %d values", r.classes, len(dst)))
	}
	// The logits of the standardised features, as logits computes them,
	// each feature standardised as it is used.
	copy(dst, r.params[r.dims*r.classes:])
	for j, zj := range z {
		xj := (zj - r.mean[j]) / r.sd[j]
		floats.AddScaled(dst, xj, r.params[j*r.classes:(j+1)*r.classes])
	}
	softmax(dst)
	return dst
}

// Predict returns the most probable class of latent code z.
func (r *Readout) Predict(z []float64) int { return floats.MaxIdx(r.Probabilities(z)) }

// Accuracy returns the fraction of features whose predicted class equals
// the label, in [0, 1]; NaN for an empty set.
func (r *Readout) Accuracy(features [][]float64, labels []int) float64 {
	if len(features) == 0 {
		return math.NaN()
	}
	hits := 0
	for i, f := range features {
		if r.Predict(f) == labels[i] {
			hits++
		}
	}
	return float64(hits) / float64(len(features))
}
