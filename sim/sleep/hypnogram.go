package sleep

import (
	"errors"
	"fmt"
	"math"
)

// EpochSec is the length of a scored epoch in seconds (AASM scoring manual,
// Iber et al. 2007; Rechtschaffen & Kales 1968).
const EpochSec = 30.0

// EpochMin is the length of a scored epoch in minutes.
const EpochMin = EpochSec / 60

// MaxEpochs is the longest hypnogram this package builds or reads: seven
// days of 30-s epochs. Anything longer is taken to be a mistake (a file of
// the wrong kind, or minutes typed as seconds) rather than a night.
const MaxEpochs = 7 * 24 * 60 * 60 / int(EpochSec)

// Hypnogram is a night as consecutive 30-s epochs, from lights-off (the start
// of epoch 0) to lights-on (the end of the last epoch). Its zero value is an
// empty night.
type Hypnogram struct {
	Epochs []Stage // stage of each 30-s epoch, in time order
}

// DurationMin returns the time from lights-off to lights-on in minutes.
func (h Hypnogram) DurationMin() float64 { return float64(len(h.Epochs)) * EpochMin }

// StageAt returns the stage at min minutes after lights-off: the stage of the
// epoch that contains that time. Epoch k covers [k*0.5, (k+1)*0.5) min; a
// time within 1e-9 epochs below a boundary is taken to be on it, so that
// times accumulated in floating point from tick lengths land in the intended
// epoch. Before lights-off, from lights-on on, and for NaN, StageAt returns
// W: the sleeper is out of bed and awake.
func (h Hypnogram) StageAt(min float64) Stage {
	if !(min >= 0) {
		return W
	}
	e := math.Floor(min/EpochMin + 1e-9)
	if e >= float64(len(h.Epochs)) {
		return W
	}
	return h.Epochs[int(e)]
}

// Validate returns an error if h has no epochs, more than MaxEpochs epochs,
// or an invalid stage (the first one is named with its epoch).
func (h Hypnogram) Validate() error {
	switch {
	case len(h.Epochs) == 0:
		return errors.New("sleep: empty hypnogram (no epochs)")
	case len(h.Epochs) > MaxEpochs:
		return fmt.Errorf("sleep: hypnogram of %d epochs is longer than 7 days (%d epochs)", len(h.Epochs), MaxEpochs)
	}
	for i, s := range h.Epochs {
		if !s.Valid() {
			return fmt.Errorf("sleep: epoch %d: invalid stage %d (valid: 0-4 = W, N1, N2, N3, R)", i, uint8(s))
		}
	}
	return nil
}

// ScheduleBlock is one entry of a stage schedule: a stage held for a number of
// minutes.
type ScheduleBlock struct {
	Stage   Stage   // stage held throughout the block
	Minutes float64 // min, duration; a positive multiple of 0.5 (one epoch)
}

// FromSchedule builds the hypnogram of a schedule: the blocks laid end to end
// from lights-off, each filling Minutes/0.5 epochs. It returns an error naming
// the first bad block (1-based) if a stage is invalid or a duration is not a
// positive multiple of 0.5 min, and an error if there are no blocks or the
// total exceeds MaxEpochs.
func FromSchedule(blocks []ScheduleBlock) (Hypnogram, error) {
	if len(blocks) == 0 {
		return Hypnogram{}, errors.New("sleep: empty schedule (no blocks)")
	}
	total := 0
	counts := make([]int, len(blocks))
	for i, b := range blocks {
		if !b.Stage.Valid() {
			return Hypnogram{}, fmt.Errorf("sleep: schedule block %d: invalid stage %d (valid: 0-4 = W, N1, N2, N3, R)", i+1, uint8(b.Stage))
		}
		n := b.Minutes / EpochMin
		k := math.Round(n)
		if !(b.Minutes > 0) || math.IsInf(n, 0) || math.Abs(n-k) > 1e-9*math.Max(1, k) {
			return Hypnogram{}, fmt.Errorf("sleep: schedule block %d (%v): minutes %v is not a positive multiple of 0.5 (one 30-s epoch)", i+1, b.Stage, b.Minutes)
		}
		if k > float64(MaxEpochs-total) {
			return Hypnogram{}, fmt.Errorf("sleep: schedule block %d: schedule is longer than 7 days (%d epochs)", i+1, MaxEpochs)
		}
		counts[i] = int(k)
		total += int(k)
	}
	h := Hypnogram{Epochs: make([]Stage, 0, total)}
	for i, b := range blocks {
		for range counts[i] {
			h.Epochs = append(h.Epochs, b.Stage)
		}
	}
	return h, nil
}
