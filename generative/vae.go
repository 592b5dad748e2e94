package generative

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Likelihood is the output distribution of the decoder, p(x | z).
type Likelihood int

const (
	// Bernoulli treats every pixel as an independent Bernoulli variable
	// whose mean is the sigmoid of the decoder output; its negative
	// log-likelihood is the binary cross-entropy, which also accepts
	// intensities in [0, 1] as targets. It is the default.
	Bernoulli Likelihood = iota
	// Gaussian treats every pixel as Gaussian with mean the sigmoid of the
	// decoder output (so images stay in [0, 1]) and a fixed standard
	// deviation Settings.OutputSD.
	Gaussian
)

// String returns "bernoulli" or "gaussian".
func (l Likelihood) String() string {
	switch l {
	case Bernoulli:
		return "bernoulli"
	case Gaussian:
		return "gaussian"
	}
	return fmt.Sprintf("Likelihood(%d)", int(l))
}

// Settings configures a VAE. Use DefaultSettings and change what you need;
// the zero value is not valid.
type Settings struct {
	// Inputs is the number of pixels of an image. Default 256 (16×16).
	Inputs int
	// Hidden lists the widths of the encoder's tanh hidden layers, from the
	// input side; the decoder mirrors them (its hidden widths are Hidden
	// reversed). Default [128]. Empty gives linear encoder and decoder maps.
	Hidden []int
	// Latent is the number of latent dimensions. Default 8.
	Latent int
	// Likelihood is the decoder's output distribution. Default Bernoulli.
	Likelihood Likelihood
	// OutputSD is the standard deviation of the Gaussian likelihood, in
	// intensity units. Default 0.1. Unused by the Bernoulli likelihood.
	OutputSD float64
	// Beta weighs the KL term of the training loss (Higgins et al. 2017,
	// β-VAE, ICLR). Default 1, the true evidence lower bound. Zero trains a
	// plain autoencoder with a noisy code.
	Beta float64
	// Adam are the optimiser's hyperparameters. Default DefaultAdamSettings()
	// with the learning rate raised to 2e-3: trained one replay at a time on
	// the default content, 2e-3 gave the lowest held-out NegELBO after 2,000
	// replays of 1e-3, 2e-3 and 3e-3 (about 69.8, 68.6 and 69.6 nats, three
	// seeds, measured while writing this package).
	Adam AdamSettings
}

// DefaultSettings returns a VAE for 16×16 images: 256 inputs, one hidden
// layer of 128 tanh units in encoder and decoder, 8 latent dimensions, a
// Bernoulli likelihood, β = 1 and Adam with learning rate 2e-3.
//
// tanh is chosen over ReLU because it is smooth, so finite-difference
// gradient checks hold to rounding error everywhere (ReLU's kink breaks
// them near zero pre-activations), and because Glorot initialisation, used
// here, was derived for it.
func DefaultSettings() Settings {
	adam := DefaultAdamSettings()
	adam.LearningRate = 2e-3
	return Settings{
		Inputs:     256,
		Hidden:     []int{128},
		Latent:     8,
		Likelihood: Bernoulli,
		OutputSD:   0.1,
		Beta:       1,
		Adam:       adam,
	}
}

// validate returns an error if s cannot build a VAE.
func (s Settings) validate() error {
	if s.Inputs < 1 {
		return fmt.Errorf("inputs %d is below 1", s.Inputs)
	}
	for i, h := range s.Hidden {
		if h < 1 {
			return fmt.Errorf("hidden layer %d has width %d", i, h)
		}
	}
	if s.Latent < 1 {
		return fmt.Errorf("latent size %d is below 1", s.Latent)
	}
	switch s.Likelihood {
	case Bernoulli:
	case Gaussian:
		if !(s.OutputSD > 0) || math.IsInf(s.OutputSD, 0) {
			return fmt.Errorf("gaussian output sd %v is not positive", s.OutputSD)
		}
	default:
		return fmt.Errorf("unknown likelihood %v", s.Likelihood)
	}
	if !(s.Beta >= 0) || math.IsInf(s.Beta, 0) {
		return fmt.Errorf("KL weight beta %v is not a non-negative number", s.Beta)
	}
	return s.Adam.validate()
}

// VAE is a variational autoencoder (Kingma & Welling 2014, "Auto-encoding
// variational Bayes", ICLR) with MLP encoder and decoder, trained online by
// Adam on the negative evidence lower bound
//
//	L(x) = -E_q[log p(x | z)] + β KL(q(z | x) || N(0, I)),
//
// with q(z | x) = N(μ(x), diag(exp(logvar(x)))) and the reparameterisation
// z = μ + exp(logvar/2) ⊙ ε, ε ~ N(0, I). Gradients are derived by hand
// and computed with gonum's BLAS-backed matrix products.
//
// A VAE is not safe for concurrent use: its methods share preallocated
// buffers. Its random numbers come from the *rand.Rand passed to each call.
type VAE struct {
	s      Settings
	params []float64 // every weight and bias, layer by layer (weights row-major, then biases)
	grads  []float64 // gradient of the last training batch, laid out as params
	layers []layer   // encoder hidden, encoder head, decoder hidden, decoder output
	head   int       // index of the encoder head, whose outputs are [μ | logvar]
	opt    *adam
	spaces map[int]*workspace // buffers by batch size
	mix    []float64          // scratch of DreamInto: the sources' mixing weights
}

// NewVAE returns a VAE with settings s whose weights are drawn from rng by
// Glorot uniform initialisation (Glorot & Bengio 2010, AISTATS) and whose
// biases are zero, or an error if s is not valid.
func NewVAE(s Settings, rng *rand.Rand) (*VAE, error) {
	v, err := newVAE(s)
	if err != nil {
		return nil, err
	}
	for _, l := range v.layers {
		limit := math.Sqrt(6 / float64(l.in+l.out))
		raw := l.w.RawMatrix()
		for i := range raw.Data {
			raw.Data[i] = limit * (2*rng.Float64() - 1)
		}
	}
	return v, nil
}

// newVAE returns a VAE with settings s and all parameters zero.
func newVAE(s Settings) (*VAE, error) {
	if err := s.validate(); err != nil {
		return nil, fmt.Errorf("generative: %w", err)
	}
	s.Hidden = append([]int(nil), s.Hidden...)
	type spec struct {
		in, out int
		tanh    bool
	}
	var specs []spec
	in := s.Inputs
	for _, h := range s.Hidden {
		specs = append(specs, spec{in, h, true})
		in = h
	}
	head := len(specs)
	specs = append(specs, spec{in, 2 * s.Latent, false})
	in = s.Latent
	for i := len(s.Hidden) - 1; i >= 0; i-- {
		specs = append(specs, spec{in, s.Hidden[i], true})
		in = s.Hidden[i]
	}
	specs = append(specs, spec{in, s.Inputs, false})

	n := 0
	for _, sp := range specs {
		n += layerSize(sp.in, sp.out)
	}
	v := &VAE{
		s:      s,
		params: make([]float64, n),
		grads:  make([]float64, n),
		head:   head,
		opt:    newAdam(s.Adam, n),
		spaces: make(map[int]*workspace),
	}
	off := 0
	for _, sp := range specs {
		v.layers = append(v.layers, newLayer(sp.in, sp.out, sp.tanh, v.params, v.grads, off))
		off += layerSize(sp.in, sp.out)
	}
	return v, nil
}

// Settings returns the VAE's settings.
func (v *VAE) Settings() Settings {
	s := v.s
	s.Hidden = append([]int(nil), v.s.Hidden...)
	return s
}

// Steps returns the number of training steps taken.
func (v *VAE) Steps() uint64 { return v.opt.t }

// workspace holds the buffers of a forward and backward pass over a batch
// of a fixed number of rows, and the matrix products prepared on them.
type workspace struct {
	rows      int
	x         *mat.Dense   // rows×Inputs input images
	t         *mat.Dense   // rows×Inputs target images, when they differ from the inputs
	target    *mat.Dense   // the images the likelihood scores: x or t
	out       []*mat.Dense // per layer: activations (μ|logvar for the head, logits for the last layer)
	grad      []*mat.Dense // per layer: gradient of the loss with respect to the pre-activation
	z, eps    *mat.Dense   // rows×Latent latent samples and the noise that drew them
	dz        *mat.Dense   // rows×Latent gradient with respect to z
	fwd       [][]product  // per layer: out = in W
	dW        [][]product  // per layer: dW = inᵀ grad
	dIn       [][]product  // per layer except the first: gradient of the layer's input
	recon, kl []float64    // per row: negative log-likelihood and KL divergence, in nats
}

// maxSpaces bounds how many batch sizes keep their buffers.
const maxSpaces = 8

// workspace returns the buffers for batches of the given number of rows.
func (v *VAE) workspace(rows int) *workspace {
	if ws, ok := v.spaces[rows]; ok {
		return ws
	}
	if len(v.spaces) >= maxSpaces {
		clear(v.spaces)
	}
	ws := v.newWorkspace(rows)
	v.spaces[rows] = ws
	return ws
}

// newWorkspace allocates the buffers and prepares the products of a batch.
func (v *VAE) newWorkspace(rows int) *workspace {
	n := len(v.layers)
	ws := &workspace{
		rows:  rows,
		x:     mat.NewDense(rows, v.s.Inputs, nil),
		t:     mat.NewDense(rows, v.s.Inputs, nil),
		out:   make([]*mat.Dense, n),
		grad:  make([]*mat.Dense, n),
		z:     mat.NewDense(rows, v.s.Latent, nil),
		eps:   mat.NewDense(rows, v.s.Latent, nil),
		dz:    mat.NewDense(rows, v.s.Latent, nil),
		fwd:   make([][]product, n),
		dW:    make([][]product, n),
		dIn:   make([][]product, n),
		recon: make([]float64, rows),
		kl:    make([]float64, rows),
	}
	for i, l := range v.layers {
		ws.out[i] = mat.NewDense(rows, l.out, nil)
		ws.grad[i] = mat.NewDense(rows, l.out, nil)
	}
	for i, l := range v.layers {
		in := v.input(ws, i)
		ws.fwd[i] = prepare(ws.out[i], operand{m: in}, operand{m: l.w})
		ws.dW[i] = prepare(l.dw, operand{m: in, trans: true}, operand{m: ws.grad[i]})
		switch {
		case i == v.head+1:
			ws.dIn[i] = prepare(ws.dz, operand{m: ws.grad[i]}, operand{m: l.w, trans: true})
		case i > 0:
			ws.dIn[i] = prepare(ws.grad[i-1], operand{m: ws.grad[i]}, operand{m: l.w, trans: true})
		}
	}
	return ws
}

// input returns the matrix layer i reads.
func (v *VAE) input(ws *workspace, i int) *mat.Dense {
	switch i {
	case 0:
		return ws.x
	case v.head + 1:
		return ws.z
	}
	return ws.out[i-1]
}

// load copies images into the rows of ws.x and makes them the targets.
func (v *VAE) load(ws *workspace, images [][]float64) {
	v.fill(ws.x, images)
	ws.target = ws.x
}

// fill copies images into the rows of m. It panics if an image has the
// wrong length, a programmer error.
func (v *VAE) fill(m *mat.Dense, images [][]float64) {
	for r, img := range images {
		v.fillRow(m, r, img)
	}
}

// fillRow copies img into row r of m, panicking if it has the wrong length.
func (v *VAE) fillRow(m *mat.Dense, r int, img []float64) {
	if len(img) != v.s.Inputs {
		panic(fmt.Sprintf("generative: image %d has %d pixels, the VAE takes %d", r, len(img), v.s.Inputs))
	}
	raw := m.RawMatrix()
	copy(raw.Data[r*raw.Stride:r*raw.Stride+v.s.Inputs], img)
}

// drawNoise fills ws.eps with standard normal draws, or zeros if rng is nil.
func drawNoise(ws *workspace, rng *rand.Rand) {
	eps := ws.eps.RawMatrix().Data
	if rng == nil {
		clear(eps)
		return
	}
	for i := range eps {
		eps[i] = rng.NormFloat64()
	}
}

// forwardLayers runs layers from..to inclusive.
func (v *VAE) forwardLayers(ws *workspace, from, to int) {
	for i := from; i <= to; i++ {
		l := v.layers[i]
		mul(ws.fwd[i])
		addBias(ws.out[i], l.b)
		if l.tanh {
			applyTanh(ws.out[i])
		}
	}
}

// encode runs the encoder on ws.x; μ and logvar are then the two halves of
// the columns of ws.out[v.head].
func (v *VAE) encode(ws *workspace) { v.forwardLayers(ws, 0, v.head) }

// sample sets z = μ + exp(logvar/2) ⊙ ε from the encoder output and ws.eps.
func (v *VAE) sample(ws *workspace) {
	L := v.s.Latent
	h, z, eps := ws.out[v.head].RawMatrix(), ws.z.RawMatrix(), ws.eps.RawMatrix()
	for r := range ws.rows {
		hr := h.Data[r*h.Stride:]
		zr := z.Data[r*z.Stride : r*z.Stride+L]
		er := eps.Data[r*eps.Stride:]
		for j := range zr {
			zr[j] = hr[j] + math.Exp(0.5*hr[L+j])*er[j]
		}
	}
}

// decode runs the decoder on ws.z; the logits are then ws.out[last].
func (v *VAE) decode(ws *workspace) { v.forwardLayers(ws, v.head+1, len(v.layers)-1) }

// forward runs the whole network on ws.x with noise ws.eps and fills the
// per-row reconstruction loss (of ws.target) and KL divergence. If grad is set it also
// leaves in ws.grad[last] the gradient of the batch loss
// (1/rows) Σ (recon + β KL) with respect to the logits.
func (v *VAE) forward(ws *workspace, grad bool) {
	v.encode(ws)
	v.sample(ws)
	v.decode(ws)
	last := len(v.layers) - 1
	logits, x, g := ws.out[last].RawMatrix(), ws.target.RawMatrix(), ws.grad[last].RawMatrix()
	scale := 1 / float64(ws.rows)
	D := v.s.Inputs
	gauss := v.s.Likelihood == Gaussian
	var ivar, logNorm float64
	if gauss {
		ivar = 1 / (v.s.OutputSD * v.s.OutputSD)
		logNorm = 0.5 * math.Log(2*math.Pi*v.s.OutputSD*v.s.OutputSD)
	}
	for r := range ws.rows {
		lr := logits.Data[r*logits.Stride : r*logits.Stride+D]
		xr := x.Data[r*x.Stride : r*x.Stride+D]
		gr := g.Data[r*g.Stride : r*g.Stride+D]
		var nll float64
		for j, l := range lr {
			// e = exp(-|l|) gives a stable sigmoid and softplus for either sign.
			e := math.Exp(-math.Abs(l))
			p := 1 / (1 + e)
			if l < 0 {
				p = e / (1 + e)
			}
			xj := xr[j]
			if gauss {
				d := p - xj
				nll += 0.5*d*d*ivar + logNorm
				if grad {
					gr[j] = scale * d * ivar * p * (1 - p)
				}
				continue
			}
			// Binary cross-entropy: softplus(l) - x l.
			nll += math.Max(l, 0) + math.Log1p(e) - xj*l
			if grad {
				gr[j] = scale * (p - xj)
			}
		}
		ws.recon[r] = nll
	}
	L := v.s.Latent
	h := ws.out[v.head].RawMatrix()
	for r := range ws.rows {
		hr := h.Data[r*h.Stride : r*h.Stride+2*L]
		var kl float64
		for j := range L {
			mu, lv := hr[j], hr[L+j]
			kl += mu*mu + math.Exp(lv) - 1 - lv
		}
		ws.kl[r] = 0.5 * kl
	}
}

// backward computes the gradient of the batch loss with respect to every
// parameter into v.grads, after forward(ws, true).
func (v *VAE) backward(ws *workspace) {
	for i := len(v.layers) - 1; i >= 0; i-- {
		l := v.layers[i]
		mul(ws.dW[i])
		sumRows(l.db, ws.grad[i])
		switch {
		case i == v.head+1:
			mul(ws.dIn[i])
			v.headGradient(ws)
		case i > 0:
			mul(ws.dIn[i])
			if v.layers[i-1].tanh {
				tanhBackward(ws.grad[i-1], ws.out[i-1])
			}
		}
	}
}

// headGradient sets the gradient with respect to the encoder head's output
// [μ | logvar] from dz, the noise and the KL term:
//
//	∂/∂μ      = dz + (β/B) μ,
//	∂/∂logvar = dz ε exp(logvar/2)/2 + (β/B)(exp(logvar) - 1)/2.
func (v *VAE) headGradient(ws *workspace) {
	L := v.s.Latent
	c := v.s.Beta / float64(ws.rows)
	h, g := ws.out[v.head].RawMatrix(), ws.grad[v.head].RawMatrix()
	dz, eps := ws.dz.RawMatrix(), ws.eps.RawMatrix()
	for r := range ws.rows {
		hr := h.Data[r*h.Stride : r*h.Stride+2*L]
		gr := g.Data[r*g.Stride : r*g.Stride+2*L]
		dzr := dz.Data[r*dz.Stride : r*dz.Stride+L]
		er := eps.Data[r*eps.Stride : r*eps.Stride+L]
		for j, d := range dzr {
			mu, lv := hr[j], hr[L+j]
			sd := math.Exp(0.5 * lv)
			gr[j] = d + c*mu
			gr[L+j] = 0.5*d*er[j]*sd + 0.5*c*(sd*sd-1)
		}
	}
}

// batchLoss returns the mean over rows of recon + β KL.
func (v *VAE) batchLoss(ws *workspace) float64 {
	var sum float64
	for r := range ws.rows {
		sum += ws.recon[r] + v.s.Beta*ws.kl[r]
	}
	return sum / float64(ws.rows)
}

// Train takes one Adam step on the batch of images (each of Inputs pixels
// in [0, 1]) and returns the batch's mean training loss before the step,
// recon + β KL per item, in nats. The noise ε of the reparameterisation is
// drawn from rng. At a fixed batch size a step allocates nothing. Train
// panics if the batch is empty or an image has the wrong length.
func (v *VAE) Train(batch [][]float64, rng *rand.Rand) float64 {
	if len(batch) == 0 {
		panic("generative: empty training batch")
	}
	ws := v.workspace(len(batch))
	v.load(ws, batch)
	return v.step(ws, rng)
}

// TrainDenoising is Train for a denoising autoencoder (Vincent et al. 2008,
// ICML): the encoder sees cues[i], for example a memory with a patch
// blanked (see Occlude), and the likelihood scores the reconstruction
// against targets[i], the intact memory, so that the network learns to
// complete partial cues. It panics if the slices differ in length.
func (v *VAE) TrainDenoising(cues, targets [][]float64, rng *rand.Rand) float64 {
	if len(cues) == 0 || len(cues) != len(targets) {
		panic(fmt.Sprintf("generative: %d cues and %d targets", len(cues), len(targets)))
	}
	ws := v.workspace(len(cues))
	v.fill(ws.x, cues)
	v.fill(ws.t, targets)
	ws.target = ws.t
	return v.step(ws, rng)
}

// step takes one Adam step on the batch loaded in ws and returns its loss.
func (v *VAE) step(ws *workspace, rng *rand.Rand) float64 {
	drawNoise(ws, rng)
	v.forward(ws, true)
	v.backward(ws)
	v.opt.step(v.params, v.grads)
	return v.batchLoss(ws)
}

// evalRows is the number of images evaluated per pass by the set methods.
const evalRows = 64

// eachChunk calls f on consecutive chunks of at most evalRows images,
// loaded into a workspace, with the offset of the chunk's first image.
func (v *VAE) eachChunk(images [][]float64, f func(ws *workspace, off int)) {
	for off := 0; off < len(images); off += evalRows {
		chunk := images[off:min(off+evalRows, len(images))]
		ws := v.workspace(len(chunk))
		v.load(ws, chunk)
		f(ws, off)
	}
}

// NegELBO returns the negative evidence lower bound of images, averaged
// per item, in nats: -E_q[log p(x | z)] + KL(q(z | x) || N(0, I)), always
// with the KL weight 1 whatever Beta is, so that it bounds -log p(x). The
// expectation is estimated with one draw of ε per image from rng; if rng is
// nil it is evaluated at z = μ (a deterministic, slightly optimistic
// estimate). It returns NaN for an empty set.
func (v *VAE) NegELBO(images [][]float64, rng *rand.Rand) float64 {
	if len(images) == 0 {
		return math.NaN()
	}
	var sum float64
	v.eachChunk(images, func(ws *workspace, _ int) {
		drawNoise(ws, rng)
		v.forward(ws, false)
		for r := range ws.rows {
			sum += ws.recon[r] + ws.kl[r]
		}
	})
	return sum / float64(len(images))
}

// Latents returns the posterior means μ(x) of images, one row per image.
func (v *VAE) Latents(images [][]float64) [][]float64 {
	L := v.s.Latent
	z := make([][]float64, len(images))
	flat := make([]float64, len(images)*L)
	v.eachChunk(images, func(ws *workspace, off int) {
		v.encode(ws)
		h := ws.out[v.head].RawMatrix()
		for r := range ws.rows {
			row := flat[(off+r)*L : (off+r+1)*L : (off+r+1)*L]
			copy(row, h.Data[r*h.Stride:r*h.Stride+L])
			z[off+r] = row
		}
	})
	return z
}

// Encode returns the posterior mean μ and log-variance logvar (natural
// log, per latent dimension) of one image.
func (v *VAE) Encode(image []float64) (mu, logvar []float64) {
	mu, logvar = make([]float64, v.s.Latent), make([]float64, v.s.Latent)
	v.EncodeInto(mu, logvar, image)
	return mu, logvar
}

// EncodeInto is Encode writing μ into mu and logvar into logvar, each of
// Latent values; either may be nil to skip it. It allocates nothing. It
// panics if a buffer or the image has the wrong length.
func (v *VAE) EncodeInto(mu, logvar, image []float64) {
	L := v.s.Latent
	if (mu != nil && len(mu) != L) || (logvar != nil && len(logvar) != L) {
		panic(fmt.Sprintf("generative: encoding into %d and %d values, the VAE has %d latents", len(mu), len(logvar), L))
	}
	h := v.encodeOne(image)
	copy(mu, h[:L])
	copy(logvar, h[L:2*L])
}

// encodeMean returns the posterior mean μ of one image, a view of the
// encoder's output that the next pass over the one-row workspace
// overwrites.
func (v *VAE) encodeMean(image []float64) []float64 {
	return v.encodeOne(image)[:v.s.Latent]
}

// encodeOne runs the encoder on one image and returns its output
// [μ | logvar], a view into the one-row workspace.
func (v *VAE) encodeOne(image []float64) []float64 {
	ws := v.workspace(1)
	v.fillRow(ws.x, 0, image)
	ws.target = ws.x
	v.encode(ws)
	return ws.out[v.head].RawMatrix().Data[:2*v.s.Latent]
}

// Decode returns the image the decoder produces from latent z: the mean of
// p(x | z), pixel intensities in [0, 1]. It panics if len(z) is not Latent.
func (v *VAE) Decode(z []float64) []float64 {
	if len(z) != v.s.Latent {
		panic(fmt.Sprintf("generative: latent has %d values, the VAE takes %d", len(z), v.s.Latent))
	}
	ws := v.workspace(1)
	copy(ws.z.RawMatrix().Data, z)
	v.decode(ws)
	img := make([]float64, v.s.Inputs)
	copy(img, ws.out[len(v.layers)-1].RawMatrix().Data)
	for i, l := range img {
		img[i] = sigmoid(l)
	}
	return img
}

// Reconstruct returns the decoder's image of the image's posterior mean,
// Decode(μ(image)).
func (v *VAE) Reconstruct(image []float64) []float64 {
	mu, _ := v.Encode(image)
	return v.Decode(mu)
}

// sigmoid returns 1 / (1 + exp(-x)) without overflow.
func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}
