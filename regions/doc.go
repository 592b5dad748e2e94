// Package regions provides the brain regions of dreamsim as engine agents:
// the locus coeruleus (norepinephrine tone), the MCH neuron population, the
// prefrontal cortex, the amygdala, the hippocampus (the episodic store) and
// the cortex (which wraps the generative network), plus the sensory source
// that presents the day's episodes. Each region is a sim.Region: it owns its
// state and talks to the others only through messages.
//
// # Who does what
//
//   - lc: norepinephrine tone by stage, high awake, lower in NREM with an
//     infraslow oscillation, near zero in REM, descending before REM, with
//     phasic bursts on arousing events. NE scales the encoding of anything
//     new, dreams included.
//   - mch: a rate population silent in wake, occasional in NREM and maximal
//     in REM; its activity erases hippocampal traces by a pluggable
//     ForgettingRule.
//   - amygdala: tags valence and arousal at encoding, is more active in REM,
//     biases replay and dreams towards emotional memories, gives dreams their
//     affect and depotentiates the affect of memories reactivated in REM.
//   - hippocampus: encodes episodes in wake, replays them in NREM sharp-wave
//     ripples, loses traces under MCH, recalls them from partial cues.
//   - pfc: activity by stage, attention at encoding, the gate on dreaming.
//   - cortex: learns from replays, dreams in REM under the PFC gate and the
//     amygdala bias, and offers a second recall route.
//
// Experiments reach into a region only through Manipulations (ablate,
// stimulate, silence, clamp), restricted to stages and time windows, and
// through the forgetting rule they choose. Researchers can register a
// forgetting rule or a whole region of their own (RegisterForgettingRule,
// RegisterRegion) and select it by name from an experiment file.
package regions
