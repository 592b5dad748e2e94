// Package simtest provides a conformance suite that every sim.Region
// implementation should pass, as gonum's graph/testgraph does for graph
// implementations.
//
// A test describes the region under test (a constructor, what to feed its
// inputs, and variants built with extreme parameters) as a Subject and calls
// Conformance:
//
//	func TestMyRegionConformance(t *testing.T) {
//		simtest.Conformance(t, simtest.Subject{
//			New: func() sim.Region { return newMyRegion(defaultParams()) },
//			Inputs: []simtest.Input{
//				{Name: "ne", Every: 5, Min: 0, Max: 1},
//			},
//		})
//	}
//
// The suite wires the region between one driver region per input and a
// probe that receives every output, runs it along a short protocol that
// visits every sleep stage, and checks, each in a subtest:
//
//   - Names: the region's name, outputs and signals are non-empty, unique,
//     usable as CSV column names, and stable across calls, Reset and runs.
//   - Determinism: the same inbox, delivered in canonical order, gives
//     bit-identical signals, outputs and recorder bytes across fresh
//     instances, the Sequential and Concurrent executors, reversed wiring
//     order, runs advanced in uneven chunks and two instances running at
//     the same time; and the region does not keep message vectors after
//     the Step they arrived in (messages are values, DESIGN.md rule 1).
//   - Delays: every message reaches the probe exactly its connection's
//     delay after it was sent, and a change of an input at tick T changes
//     nothing the region shows before the message could have arrived, nor
//     anything the probe receives before that plus the output delay.
//   - Reset: Reset after a run, even one with another seed, then a rerun
//     gives the same bytes as a fresh instance.
//   - Extreme: with inputs of huge magnitude and either sign, and for every
//     variant built with extreme parameters, the run finishes and every
//     signal and every message stays finite.
//   - NonFinite: when an input carries NaN or Inf, the region either
//     ignores it or reports the bad state through NonFinite (so the engine
//     stops with a RunError naming it); a non-finite signal that
//     NonFinite does not report, or a non-finite message that leaves the
//     region, is a failure.
package simtest
