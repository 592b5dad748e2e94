package regions

import (
	"math"

	"github.com/dreamsim/dreamsim/sim"
	"github.com/dreamsim/dreamsim/sim/sleep"
)

// slab hands out short slices carved from large blocks, so that records
// kept for the whole run (dream images, trace codes) cost one allocation
// per block rather than one per record. A region reserves, at Reset, a
// block as large as it expects to need, which keeps stepping free of
// allocations; a run that needs more gets a new block twice as large as
// the last, so the cost stays amortised. Slices already handed out are
// never moved or reused.
type slab[T any] struct {
	free []T // what is left of the current block
	last int // length of the last block
}

// reserve starts a new block of n elements. Slices handed out before stay
// valid.
func (s *slab[T]) reserve(n int) {
	s.free, s.last = make([]T, n), n
}

// take returns n zero elements, with capacity n.
func (s *slab[T]) take(n int) []T {
	if n > len(s.free) {
		s.reserve(max(n, 2*s.last, 16))
	}
	out := s.free[:n:n]
	s.free = s.free[n:]
	return out
}

// withMargin returns a count to reserve room for when expected is the
// mean of a Poisson count: four standard deviations above it, plus a few,
// so that a run needs more only by a rare chance.
func withMargin(expected float64) int {
	if !(expected > 0) {
		return 0
	}
	return int(math.Ceil(expected+4*math.Sqrt(expected))) + 4
}

// sleepEpochs calls f with the moment at the middle of every 30-s epoch of
// the sleep phases of the timeline.
func sleepEpochs(tl *sim.Timeline, f func(m sim.Moment)) {
	if tl == nil {
		return
	}
	per := sleep.EpochSec / tl.Dt()
	epochs := int(math.Round(float64(tl.Ticks()) / per))
	for e := range epochs {
		m := tl.At(sim.Tick(math.Floor((float64(e) + 0.5) * per)))
		if m.Phase == sim.Sleep {
			f(m)
		}
	}
}

// remAwakenings returns the number of REM-to-wake transitions in the sleep
// phases of the timeline: the number of REM awakenings a run can record.
func remAwakenings(tl *sim.Timeline) int {
	n := 0
	prev := sleep.W
	sleepEpochs(tl, func(m sim.Moment) {
		if prev == sleep.R && m.Stage == sleep.W {
			n++
		}
		prev = m.Stage
	})
	return n
}
