// Package sim is dreamsim's engine: brain regions stepped in lock-step
// min-delay windows, a message bus with per-connection delays, the
// sleep-stage timeline every region sees, per-region random streams and
// streaming recorders.
//
// # The update loop
//
// Every region owns its state and talks to other regions only through
// [Message] values sent on named outputs. The [Wiring] connects an output of
// one region to an input of another with a delay of at least one tick. The
// engine advances all regions in windows whose length is the smallest delay
// in the wiring, the communication scheme of NEST (Morrison et al. 2005,
// Neural Comput 17:1776; Plesser et al. 2007, Euro-Par): a message sent at
// tick t with delay d arrives at tick t+d, which is never inside the window
// that sent it, so inside a window every region steps without waiting for
// anybody, and messages move between regions only at window boundaries.
// Larger delays make longer windows and fewer synchronisations.
//
// Within a window a region reads, at each tick, the messages that arrive at
// that tick, in a canonical order: by sender name, then by send tick, then
// by the order the sender sent them. That order, and a random stream per
// region derived from the run seed and the region name, make a run
// byte-for-byte reproducible whatever GOMAXPROCS is and whichever executor
// (one goroutine per region, or one goroutine for all) steps the regions.
//
// A run can be advanced in chunks ([Engine.Run] up to a tick, then again):
// the bytes written are the same as for one call. A run stops at a window
// boundary when its context is cancelled, with every recorder flushed up
// to that boundary. A NaN or Inf in any region's state stops the run with
// an error that names the region, the variable and the tick.
package sim
