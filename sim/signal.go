package sim

import (
	"runtime"
	"sync/atomic"
	"time"
)

// signal is a reusable one-way wake-up between two goroutines: the poster
// advances a sequence number, the waiter returns once it has moved. The
// waiter spins briefly before it parks on a channel, because at a window
// boundary the other side is usually a few microseconds away, and waking a
// parked goroutine costs about as much as a whole tick of the brain.
// Atomic operations order the poster's writes before the waiter's reads
// (the Go memory model's synchronising atomics).
type signal struct {
	seq    atomic.Uint64
	parked atomic.Bool
	wake   chan struct{} // holds at most one token; stale tokens are harmless
}

func newSignal() *signal { return &signal{wake: make(chan struct{}, 1)} }

// minSpin is the shortest busy wait before parking. The engine spins for
// longer when its windows are longer (see runConcurrent): the goroutines
// of a run each have a core of their own, and waking a parked goroutine
// costs tens of microseconds on a virtual machine, more than the
// imbalance between groups it would save.
const minSpin = 10 * time.Microsecond

// post advances the sequence and wakes the waiter if it parked.
func (s *signal) post() {
	s.seq.Add(1)
	if s.parked.Load() {
		select {
		case s.wake <- struct{}{}:
		default:
		}
	}
}

// wait returns the sequence number once it differs from seen. It spins for
// about spin (at least minSpin) before it parks.
func (s *signal) wait(seen uint64, spin time.Duration) uint64 {
	var deadline time.Time
	for i := 0; ; i++ {
		if v := s.seq.Load(); v != seen {
			return v
		}
		if i%64 == 63 {
			now := time.Now()
			if deadline.IsZero() {
				deadline = now.Add(max(spin, minSpin))
			} else if now.After(deadline) {
				break
			}
			runtime.Gosched()
		}
	}
	for {
		s.parked.Store(true)
		if v := s.seq.Load(); v != seen {
			s.parked.Store(false)
			return v
		}
		<-s.wake
		s.parked.Store(false)
		if v := s.seq.Load(); v != seen {
			return v
		}
	}
}
