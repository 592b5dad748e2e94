package neurons

import (
	"math/rand/v2"
	"testing"
)

func benchmarkPopulationStep(b *testing.B, n int) {
	pop, err := NewPopulation(n, DefaultRateParams())
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	pop.Reset(rng)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		pop.Step(0.001, 0.6, rng)
	}
}

func BenchmarkPopulationStepSmall(b *testing.B) { benchmarkPopulationStep(b, 16) }
func BenchmarkPopulationStepMed(b *testing.B)   { benchmarkPopulationStep(b, 64) }
func BenchmarkPopulationStepLarge(b *testing.B) { benchmarkPopulationStep(b, 256) }

// BenchmarkPopulationStepQuietMed measures a step without noise, which draws
// no random numbers.
func BenchmarkPopulationStepQuietMed(b *testing.B) {
	p := DefaultRateParams()
	p.NoiseSD = 0
	pop, err := NewPopulation(64, p)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		pop.Step(0.001, 0.6, nil)
	}
}

func BenchmarkPopulationStepInputsMed(b *testing.B) {
	pop, err := NewPopulation(64, DefaultRateParams())
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	drives := make([]float64, 64)
	for i := range drives {
		drives[i] = rng.Float64()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		pop.StepInputs(0.001, drives, rng)
	}
}

func BenchmarkOUStep(b *testing.B) {
	o := OU{Tau: 0.01, SD: 1}
	rng := rand.New(rand.NewPCG(1, 2))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		o.Step(0.001, rng)
	}
}

// BenchmarkWilsonCowanStep measures one step of the five-population peer
// benchmark model; the full benchmark is 600,000 steps.
func BenchmarkWilsonCowanStep(b *testing.B) {
	w, err := NewWilsonCowan(DefaultWilsonCowanParams())
	if err != nil {
		b.Fatal(err)
	}
	w.SetState([]float64{0.05, 0.01, 0.08, 0.02, 0.04}, make([]float64, 5))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		w.Step(0.0001)
	}
}

func BenchmarkLIFStepMed(b *testing.B) {
	p := DefaultLIFParams()
	p.NoiseSD = 3
	l, err := NewLIF(64, p)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	l.Reset(rng)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		l.Step(0.0001, 18, rng)
	}
}
