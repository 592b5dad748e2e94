package generative_test

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/dreamsim/dreamsim/generative"
)

// This example generates a day of episodic content and draws one clean
// image as text.
func ExampleContent() {
	s := generative.DefaultContentSettings()
	c, err := generative.NewContent(s)
	if err != nil {
		fmt.Println(err)
		return
	}
	day := c.Day(16, rand.New(rand.NewPCG(1, 2)))
	for _, e := range day[:8] {
		fmt.Printf("%s, ", c.ClassName(e.Class))
	}
	fmt.Printf("... %d episodes of %d pixels\n", len(day), len(day[0].Image))

	ring := c.Render(4, generative.Pose{Scale: 1, Width: 1.5})
	for r := 2; r < 14; r++ {
		var b strings.Builder
		for _, x := range ring[r*16 : (r+1)*16] {
			b.WriteByte(" .:#"[min(int(x*4), 3)])
		}
		fmt.Println(strings.TrimRight(b.String(), " "))
	}
	// Output:
	// horizontal bar, vertical bar, diagonal, cross, ring, filled square, triangle, dot grid, ... 16 episodes of 256 pixels
	//
	//        ..
	//      :####:
	//     :#:  :#:
	//     #:    :#
	//    .#      #.
	//    .#      #.
	//     #:    :#
	//     :#:  :#:
	//      :####:
	//        ..
}

// train returns a default VAE trained on 2,000 replays of 400 episodes,
// with the episodes.
func train() (*generative.VAE, *generative.Content, []generative.Episode) {
	c, err := generative.NewContent(generative.DefaultContentSettings())
	if err != nil {
		panic(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	day := c.Day(400, rng)
	v, err := generative.NewVAE(generative.DefaultSettings(), rng)
	if err != nil {
		panic(err)
	}
	images := generative.Images(day)
	batch := make([][]float64, 1) // one replay per step
	for range 2000 {
		batch[0] = images[rng.IntN(len(images))]
		v.Train(batch, rng)
	}
	return v, c, day
}

// This example trains a VAE on replays of the day's episodes, measures its
// held-out negative ELBO and fits a linear readout to its latents.
func ExampleVAE_Train() {
	c, err := generative.NewContent(generative.DefaultContentSettings())
	if err != nil {
		fmt.Println(err)
		return
	}
	rng := rand.New(rand.NewPCG(1, 2))
	day := c.Day(400, rng)
	heldOut := c.HeldOut(400, rand.New(rand.NewPCG(3, 4)))
	v, err := generative.NewVAE(generative.DefaultSettings(), rng)
	if err != nil {
		fmt.Println(err)
		return
	}
	images := generative.Images(day)
	before := v.NegELBO(generative.Images(heldOut), nil)
	batch := make([][]float64, 1)
	for range 2000 {
		batch[0] = images[rng.IntN(len(images))]
		v.Train(batch, rng)
	}
	after := v.NegELBO(generative.Images(heldOut), nil)
	fmt.Println("held-out negative ELBO more than halved:", after < before/2)

	ro, err := generative.TrainReadout(v.Latents(images), generative.Labels(day), c.Classes(), generative.DefaultReadoutSettings())
	if err != nil {
		fmt.Println(err)
		return
	}
	acc := ro.Accuracy(v.Latents(generative.Images(heldOut)), generative.Labels(heldOut))
	fmt.Println("held-out readout accuracy above 80%:", acc > 0.8)
	// Output:
	// held-out negative ELBO more than halved: true
	// held-out readout accuracy above 80%: true
}

// This example dreams from five memories, one of them emotional, under a
// strong amygdala bias, first with the PFC gate open and then closed.
func ExampleVAE_Dream() {
	v, _, day := train()
	memories := generative.Images(day[:5])
	emotion := []float64{0, 0, 0, 1, 0} // memory 3 is emotional
	s := generative.DefaultDreamSettings()
	rng := rand.New(rand.NewPCG(5, 6))
	for _, gate := range []float64{1, 0} {
		sources := generative.PickSources(emotion, 20, s.Sources, rng)
		d := v.Dream(memories, sources, gate, s, rng)
		fmt.Printf("gate %.0f: sources %v, weights %.2f, %d pixels\n", d.Gate, d.Sources, d.Weights, len(d.Image))
	}
	// Output:
	// gate 1: sources [3], weights [1.00], 256 pixels
	// gate 0: sources [3 2 4], weights [0.33 0.33 0.33], 256 pixels
}

// This example replays a memory with a patch blanked, as in NREM, and
// scores how well the network recalls the memory from the partial cue.
func ExampleVAE_Replay() {
	v, _, day := train()
	memory := day[7].Image
	r := v.Replay(memory, 6, rand.New(rand.NewPCG(7, 8)))
	fmt.Printf("latent of %d values, reconstruction of %d pixels\n", len(r.Latent), len(r.Reconstruction))
	intact, partial := v.RecallScore(memory, memory), v.RecallScore(r.Cue, memory)
	fmt.Println("recall from the intact memory beats recall from the partial cue:", intact > partial)
	// Output:
	// latent of 8 values, reconstruction of 256 pixels
	// recall from the intact memory beats recall from the partial cue: true
}
