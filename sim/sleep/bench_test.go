package sleep

import (
	"bytes"
	"testing"
)

func benchmarkGenerate(b *testing.B, tibMin float64) {
	p := DefaultModelParams()
	p.TimeInBedMin = tibMin
	rng := newRand(1)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Generate(p, rng); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGenerateNight generates the default 8-h night (960 epochs).
func BenchmarkGenerateNight(b *testing.B) { benchmarkGenerate(b, 480) }

// BenchmarkGenerateDay generates 24 h in bed (2880 epochs).
func BenchmarkGenerateDay(b *testing.B) { benchmarkGenerate(b, 1440) }

func BenchmarkAnalyze(b *testing.B) {
	h, err := Generate(DefaultModelParams(), newRand(1))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		Analyze(h)
	}
}

func BenchmarkReadHypnogram(b *testing.B) {
	h, err := Generate(DefaultModelParams(), newRand(1))
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, h); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := ReadHypnogram(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteCSV(b *testing.B) {
	h, err := Generate(DefaultModelParams(), newRand(1))
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		buf.Reset()
		if err := WriteCSV(&buf, h); err != nil {
			b.Fatal(err)
		}
	}
}
