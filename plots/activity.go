package plots

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// Activity is the downsampled region activity of one run (activity.csv). Each
// sample is the mean over its sampling interval.
type Activity struct {
	TMin    []float64   // TMin is the sample time in minutes from the first night's lights-off (negative before it).
	Stage   []Stage     // Stage is the sleep stage at each sample.
	Signals []string    // Signals are the signal column names ("region.signal") in file order.
	Values  [][]float64 // Values[k][i] is signal k at sample i; NaN where the cell is empty.
}

// LightsOff returns the lights-off of a night on the activity clock: the
// time t, at or after the minute after, from which the activity's stage
// column repeats the night's epochs (whose StartMin count from the night's
// own lights-off, as hypnogram.csv writes them for every night), compared
// at every epoch that starts on a sample time. The stage sequence of a
// night places it uniquely. It returns an error when no time matches.
func (a *Activity) LightsOff(epochs []Epoch, after float64) (float64, error) {
	if len(epochs) == 0 {
		return 0, errors.New("plots: activity: a night without epochs")
	}
	const res = 1e4 // sample times are matched to 1e-4 min (6 ms)
	key := func(t float64) int64 { return int64(math.Round(t * res)) }
	at := make(map[int64]int, len(a.TMin))
	for i, t := range a.TMin {
		at[key(t)] = i
	}
	first := epochs[0].StartMin
	for _, t0 := range a.TMin {
		if t0 < after-1e-9 {
			continue
		}
		compared, ok := 0, true
		for _, e := range epochs {
			i, found := at[key(t0+e.StartMin-first)]
			if !found {
				continue
			}
			if a.Stage[i] != e.Stage {
				ok = false
				break
			}
			compared++
		}
		if ok && compared >= min(len(epochs), 10) {
			return t0, nil
		}
	}
	return 0, fmt.Errorf("plots: activity: no stretch of the stage column matches the night's %d epochs", len(epochs))
}

// Signal returns the samples of the named signal and whether it exists.
func (a *Activity) Signal(name string) ([]float64, bool) {
	for k, s := range a.Signals {
		if s == name {
			return a.Values[k], true
		}
	}
	return nil, false
}

// ReadActivity reads an activity.csv file: columns t_min, stage, then one
// column per signal named region.signal.
func ReadActivity(path string) (*Activity, error) {
	t, err := readTable(path, "t_min", "stage")
	if err != nil {
		return nil, err
	}
	a := &Activity{}
	for _, h := range t.header {
		if h == "t_min" || h == "stage" {
			continue
		}
		if !strings.Contains(h, ".") {
			return nil, fmt.Errorf("plots: %s:1: column %q is not named region.signal", path, h)
		}
		a.Signals = append(a.Signals, h)
	}
	a.TMin = make([]float64, len(t.rows))
	a.Stage = make([]Stage, len(t.rows))
	a.Values = make([][]float64, len(a.Signals))
	for k := range a.Values {
		a.Values[k] = make([]float64, len(t.rows))
	}
	for i := range t.rows {
		c := t.row(i)
		a.TMin[i] = c.number("t_min")
		a.Stage[i] = c.stage("stage")
		if c.err == nil && i > 0 && a.TMin[i] <= a.TMin[i-1] {
			c.fail("t_min", "%v does not increase (previous %v)", a.TMin[i], a.TMin[i-1])
		}
		for k, s := range a.Signals {
			a.Values[k][i] = c.float(s)
		}
		if c.err != nil {
			return nil, c.err
		}
	}
	return a, nil
}
