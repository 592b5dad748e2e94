// Package neurons provides the population models that dreamsim's brain regions are built from.
//
// Four models live here, all stepped with an explicit time step dt in seconds
// and all free of allocation while stepping:
//
//   - Population: N firing-rate units with a sigmoid transfer function, a rate
//     time constant, spike-frequency adaptation (Benda & Herz 2003) and
//     Ornstein-Uhlenbeck input noise. Regions such as the MCH or locus coeruleus
//     population are made of one or more of these.
//   - OU: a single Ornstein-Uhlenbeck process advanced with the exact update of
//     Gillespie (1996), so its statistics do not depend on dt.
//   - LIF: N leaky integrate-and-fire neurons with a refractory period and
//     Ornstein-Uhlenbeck input noise, integrated exactly between spikes
//     (Rotter & Diesmann 1999), for regions that need spikes.
//   - WilsonCowan: coupled excitatory-inhibitory Wilson-Cowan (1972) populations,
//     the model of the peer benchmark against Brian2 (see bench/).
//
// Randomness is always injected as a *rand.Rand from math/rand/v2; the same
// generator state and the same sequence of calls give bit-identical results,
// and running a simulation in chunks gives the same bits as running it at once.
//
// A typical use inside a region:
//
//	p := neurons.DefaultRateParams()
//	pop, err := neurons.NewPopulation(64, p)
//	if err != nil {
//		return fmt.Errorf("regions.mch: %w", err)
//	}
//	pop.Reset(rng)
//	for tick := 0; tick < n; tick++ {
//		pop.Step(0.01, drive, rng) // dt = 10 ms, same drive to every unit
//		if v, bad := pop.NonFinite(); bad {
//			return fmt.Errorf("regions.mch: non-finite %s at tick %d", v, tick)
//		}
//	}
//	activity := pop.Mean()
//
// Units: time is in seconds everywhere (dt and every time constant). Input
// (drive, threshold, noise, adaptation) is in arbitrary "input units"; rates
// are in the units of RateParams.MaxRate, which is 1 by default so that rates
// are normalised activities in [0, 1]. LIF potentials and drives are in mV;
// Wilson-Cowan activities are dimensionless fractions in [0, 1].
package neurons
