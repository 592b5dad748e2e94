package generative

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"
)

// benchVAE returns a default VAE and a batch of default content images.
func benchVAE(b *testing.B, batch int) (*VAE, [][]float64, *rand.Rand) {
	b.Helper()
	rng := rand.New(rand.NewPCG(1, 1))
	v, err := NewVAE(DefaultSettings(), rng)
	if err != nil {
		b.Fatal(err)
	}
	c, err := NewContent(DefaultContentSettings())
	if err != nil {
		b.Fatal(err)
	}
	return v, Images(c.Day(batch, rng)), rng
}

// BenchmarkTrain measures training throughput of the default VAE, in
// samples (replayed images) per second, at batch sizes 1 and 64.
func BenchmarkTrain(b *testing.B) {
	for _, batch := range []int{1, 64} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			v, x, rng := benchVAE(b, batch)
			v.Train(x, rng)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				v.Train(x, rng)
			}
			b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "samples/s")
		})
	}
}

// trainFLOPs returns the floating-point operations of the matrix products
// of one training step on a batch of the given size: 2·rows·in·out for each
// layer's forward product, its weight gradient and, except for the first
// layer, its input gradient. Elementwise work is not counted, so the
// achieved rate is a lower bound of the arithmetic done.
func trainFLOPs(v *VAE, rows int) float64 {
	var f float64
	for i, l := range v.layers {
		n := 2 * float64(rows*l.in*l.out)
		f += 2 * n
		if i > 0 {
			f += n
		}
	}
	return f
}

// BenchmarkTrainFLOPRatio measures the achieved GFLOP/s of a training step
// at batch 64 and the GFLOP/s of plain gonum mat.Dense.Mul computing the
// same products (same shapes and transpositions, preallocated receivers),
// and reports their ratio. A ratio near 1 means the step costs little
// beyond its matrix products. The two are timed alternately, step then
// products, so that both see the same machine load. The reference
// multiplies the batch's images where the step does (gonum's kernels skip
// zero entries of the left operand, and a third of the content's pixels
// are exactly 0) and dense random operands elsewhere. Plain Mul may use
// several goroutines for the larger products (gonum goes parallel from
// four 64×64 output blocks) while the VAE tiles its products to stay on
// one core (see layer.go); run with -cpu=1 for like-for-like kernels.
func BenchmarkTrainFLOPRatio(b *testing.B) {
	const batch = 64
	v, x, rng := benchVAE(b, batch)
	flops := trainFLOPs(v, batch)

	random := func(r, c int) *mat.Dense {
		d := make([]float64, r*c)
		for i := range d {
			d[i] = rng.Float64() - 0.5
		}
		return mat.NewDense(r, c, d)
	}
	images := mat.NewDense(batch, v.s.Inputs, nil)
	for i, img := range x {
		images.SetRow(i, img)
	}
	type job struct {
		c    *mat.Dense
		a, b mat.Matrix
	}
	var jobs []job
	for i, l := range v.layers {
		in, w, g := random(batch, l.in), random(l.in, l.out), random(batch, l.out)
		if i == 0 {
			in = images
		}
		jobs = append(jobs,
			job{mat.NewDense(batch, l.out, nil), in, w},
			job{mat.NewDense(l.in, l.out, nil), in.T(), g},
		)
		if i > 0 {
			jobs = append(jobs, job{mat.NewDense(batch, l.in, nil), g, w.T()})
		}
	}
	mulAll := func() {
		for _, j := range jobs {
			j.c.Mul(j.a, j.b)
		}
	}
	mulAll()
	v.Train(x, rng)
	var trainTime, mulTime time.Duration
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		v.Train(x, rng)
		t1 := time.Now()
		mulAll()
		mulTime += time.Since(t1)
		trainTime += t1.Sub(t0)
	}
	trainRate := flops * float64(b.N) / trainTime.Seconds()
	mulRate := flops * float64(b.N) / mulTime.Seconds()
	b.ReportMetric(trainRate/1e9, "GFLOP/s")
	b.ReportMetric(mulRate/1e9, "mul-GFLOP/s")
	b.ReportMetric(trainRate/mulRate, "ratio")
}

// BenchmarkDream measures REM dream generation with the default settings
// (three sources from forty memories, gate 0.5), in dreams per second.
func BenchmarkDream(b *testing.B) {
	v, x, rng := benchVAE(b, 40)
	s := DefaultDreamSettings()
	emotion := make([]float64, len(x))
	b.ResetTimer()
	for b.Loop() {
		v.Dream(x, PickSources(emotion, 0, s.Sources, rng), 0.5, s, rng)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "dreams/s")
}
