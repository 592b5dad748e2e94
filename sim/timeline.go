package sim

import (
	"errors"
	"fmt"
	"math"

	"github.com/dreamsim/dreamsim/sim/sleep"
)

// Phase is a part of the day-night protocol.
type Phase uint8

const (
	// Wake is a day: episodes arrive and are encoded.
	Wake Phase = iota
	// Sleep is a night run by the sleep-stage clock.
	Sleep
)

// String returns "wake" or "sleep".
func (p Phase) String() string {
	if p == Sleep {
		return "sleep"
	}
	return "wake"
}

// Segment is one phase of the protocol: a day of wake or a night of sleep,
// both made of 30-s epochs.
type Segment struct {
	Phase Phase
	Day   int             // 1-based day (and night) number
	Night sleep.Hypnogram // the epochs; for a wake phase, all W
}

// Moment is what every region knows about the time at one tick.
type Moment struct {
	Tick  Tick
	Min   float64     // minutes from the first lights-off (negative before it)
	Phase Phase       // wake day or sleep night
	Day   int         // 1-based day (and night) number
	Stage sleep.Stage // stage of the sleep-stage clock (W throughout a wake phase)
	// StageMin is the time spent in the current stage bout, in minutes.
	StageMin float64
	// Next is the stage of the next bout and NextMin the minutes until it
	// starts; NextMin is +Inf when the phase ends first. The clock is the
	// conductor of the run: regions may anticipate a transition the way the
	// brainstem circuits that cause it do (for example the noradrenergic
	// descent before REM, Kjaerby et al. 2022).
	Next    sleep.Stage
	NextMin float64
	// PhaseMin is the time since the phase began and PhaseLeftMin the time
	// until it ends, in minutes.
	PhaseMin, PhaseLeftMin float64
}

// Timeline is the whole protocol of a run as a sequence of 30-s epochs,
// sampled at the run's tick length.
type Timeline struct {
	dt       float64 // s per tick
	origin   float64 // minutes from protocol start to the first lights-off
	epochs   []epochInfo
	segments []Segment
	ticks    Tick
}

type epochInfo struct {
	stage      sleep.Stage
	phase      Phase
	day        int
	boutStart  int // first epoch of the bout this epoch belongs to
	boutEnd    int // one past the last epoch of the bout
	phaseStart int
	phaseEnd   int
	next       sleep.Stage // stage of the bout after boutEnd, within the phase
}

// NewTimeline lays the segments end to end at a tick length of dt seconds.
// dt must divide the 30-s epoch so that every epoch holds whole ticks.
func NewTimeline(dt float64, segments ...Segment) (*Timeline, error) {
	if !(dt > 0) || dt > sleep.EpochSec {
		return nil, fmt.Errorf("sim: dt %g s out of range (0, %g]", dt, sleep.EpochSec)
	}
	per := sleep.EpochSec / dt
	if math.Abs(per-math.Round(per)) > 1e-9 {
		return nil, fmt.Errorf("sim: dt %g s does not divide the %g-s epoch", dt, sleep.EpochSec)
	}
	if len(segments) == 0 {
		return nil, errors.New("sim: a timeline needs at least one phase")
	}
	tl := &Timeline{dt: dt, segments: append([]Segment(nil), segments...), origin: math.NaN()}
	for _, s := range segments {
		if len(s.Night.Epochs) == 0 {
			return nil, fmt.Errorf("sim: %s phase of day %d has no epochs", s.Phase, s.Day)
		}
		start := len(tl.epochs)
		if s.Phase == Sleep && math.IsNaN(tl.origin) {
			tl.origin = float64(start) * sleep.EpochSec / 60
		}
		for _, st := range s.Night.Epochs {
			if s.Phase == Wake {
				st = sleep.W
			}
			tl.epochs = append(tl.epochs, epochInfo{stage: st, phase: s.Phase, day: s.Day, phaseStart: start})
		}
		end := len(tl.epochs)
		for i := start; i < end; i++ {
			tl.epochs[i].phaseEnd = end
		}
		// Bouts: runs of one stage inside the phase.
		for i := start; i < end; {
			j := i
			for j < end && tl.epochs[j].stage == tl.epochs[i].stage {
				j++
			}
			next := tl.epochs[i].stage
			if j < end {
				next = tl.epochs[j].stage
			}
			for k := i; k < j; k++ {
				tl.epochs[k].boutStart, tl.epochs[k].boutEnd, tl.epochs[k].next = i, j, next
			}
			i = j
		}
	}
	if math.IsNaN(tl.origin) {
		tl.origin = float64(len(tl.epochs)) * sleep.EpochSec / 60
	}
	tl.ticks = Tick(math.Round(float64(len(tl.epochs)) * per))
	return tl, nil
}

// Ticks returns the length of the timeline in ticks.
func (tl *Timeline) Ticks() Tick { return tl.ticks }

// Dt returns the tick length in seconds.
func (tl *Timeline) Dt() float64 { return tl.dt }

// Segments returns the phases the timeline was built from.
func (tl *Timeline) Segments() []Segment { return tl.segments }

// OriginMin returns the minutes from the start of the protocol to the first
// lights-off; Moment.Min counts from there.
func (tl *Timeline) OriginMin() float64 { return tl.origin }

// TickAtMin returns the tick at a time in minutes from the first lights-off.
func (tl *Timeline) TickAtMin(min float64) Tick {
	return Tick(math.Round((min + tl.origin) * 60 / tl.dt))
}

// PhaseStart returns the first tick of segment i.
func (tl *Timeline) PhaseStart(i int) Tick {
	n := 0
	for _, s := range tl.segments[:i] {
		n += len(s.Night.Epochs)
	}
	return Tick(math.Round(float64(n) * sleep.EpochSec / tl.dt))
}

// At returns the moment of tick t. Ticks past the end repeat the last epoch.
func (tl *Timeline) At(t Tick) Moment {
	sec := float64(t) * tl.dt
	e := int(sec / sleep.EpochSec)
	if e >= len(tl.epochs) {
		e = len(tl.epochs) - 1
	}
	if e < 0 {
		e = 0
	}
	ei := tl.epochs[e]
	min := sec / 60
	m := Moment{
		Tick:         t,
		Min:          min - tl.origin,
		Phase:        ei.phase,
		Day:          ei.day,
		Stage:        ei.stage,
		StageMin:     min - float64(ei.boutStart)*sleep.EpochSec/60,
		Next:         ei.next,
		NextMin:      float64(ei.boutEnd)*sleep.EpochSec/60 - min,
		PhaseMin:     min - float64(ei.phaseStart)*sleep.EpochSec/60,
		PhaseLeftMin: float64(ei.phaseEnd)*sleep.EpochSec/60 - min,
	}
	if ei.boutEnd >= ei.phaseEnd {
		m.NextMin = math.Inf(1)
	}
	return m
}
