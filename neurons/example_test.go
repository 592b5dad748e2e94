package neurons_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/dreamsim/dreamsim/neurons"
)

// ExamplePopulation drives a population with a step of input and shows the
// rate rising and then sagging as adaptation builds up, toward the steady
// state that RateParams.SteadyState predicts.
func ExamplePopulation() {
	p := neurons.DefaultRateParams()
	pop, err := neurons.NewPopulation(64, p)
	if err != nil {
		fmt.Println(err)
		return
	}
	rng := rand.New(rand.NewPCG(1, 2))
	pop.Reset(rng)
	const dt = 0.001 // s
	for k := 1; k <= 3000; k++ {
		pop.Step(dt, 0.7, rng)
		if k == 100 || k == 200 || k == 3000 {
			fmt.Printf("t = %.1f s: mean rate %.2f\n", float64(k)*dt, pop.Mean())
		}
	}
	fmt.Printf("noise-free steady state %.2f (unadapted %.2f)\n", p.SteadyState(0.7), p.Transfer(0.7))
	_, bad := pop.NonFinite()
	fmt.Println("non-finite state:", bad)
	// Output:
	// t = 0.1 s: mean rate 0.70
	// t = 0.2 s: mean rate 0.75
	// t = 3.0 s: mean rate 0.63
	// noise-free steady state 0.64 (unadapted 0.83)
	// non-finite state: false
}

// ExampleWilsonCowan runs the five coupled populations of the peer benchmark
// for one simulated second.
func ExampleWilsonCowan() {
	w, err := neurons.NewWilsonCowan(neurons.DefaultWilsonCowanParams())
	if err != nil {
		fmt.Println(err)
		return
	}
	w.SetState([]float64{0.05, 0.01, 0.08, 0.02, 0.04}, make([]float64, 5))
	for range 10000 {
		w.Step(0.0001) // dt = 0.1 ms
	}
	fmt.Printf("%d populations, E(1 s) = %.3f\n", w.Len(), w.E())
	// Output:
	// 5 populations, E(1 s) = [0.044 0.391 0.316 0.515 0.118]
}

// ExampleOU samples an Ornstein-Uhlenbeck process with a step longer than
// its correlation time, which the exact update allows.
func ExampleOU() {
	o := neurons.OU{Tau: 0.01, SD: 2}
	rng := rand.New(rand.NewPCG(3, 4))
	o.Stationary(rng)
	var sum, sumSq float64
	const n = 100000
	for range n {
		x := o.Step(0.05, rng)
		sum += x
		sumSq += x * x
	}
	mean := sum / n
	fmt.Printf("SD %.1f\n", sumSq/n-mean*mean)
	// Output:
	// SD 4.0
}

// ExampleLIF compares a simulated leaky integrate-and-fire neuron's firing
// rate with the analytic rate for a constant drive.
func ExampleLIF() {
	p := neurons.DefaultLIFParams()
	l, err := neurons.NewLIF(1, p)
	if err != nil {
		fmt.Println(err)
		return
	}
	spikes := 0
	for range 100000 { // 10 s at dt = 0.1 ms
		spikes += l.Step(0.0001, 30, nil) // 30 mV drive: 10 mV above threshold at rest
	}
	fmt.Printf("simulated %.1f Hz, analytic %.1f Hz\n", float64(spikes)/10, p.Rate(30))
	// Output:
	// simulated 62.8 Hz, analytic 63.0 Hz
}
