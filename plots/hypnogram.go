package plots

import (
	"fmt"
	"math"
	"slices"
)

// EpochMin is the length of a scored epoch in minutes (30 s, AASM).
const EpochMin = 0.5

// Epoch is one scored 30-s epoch of a hypnogram (a row of hypnogram.csv).
type Epoch struct {
	Night    int     // Night is the 1-based night; 1 when the file has no night column.
	Index    int     // Index is the epoch number as written in the file.
	StartMin float64 // StartMin is the epoch start in minutes (file clock).
	Stage    Stage   // Stage is the scored stage.
}

// ReadHypnogram reads a hypnogram.csv file: columns epoch, start_min, stage and
// optionally night (1-based; a missing column means night 1). Rows are returned
// in file order.
func ReadHypnogram(path string) ([]Epoch, error) {
	t, err := readTable(path, "epoch", "start_min", "stage")
	if err != nil {
		return nil, err
	}
	hasNight := t.has("night")
	out := make([]Epoch, len(t.rows))
	for i := range t.rows {
		c := t.row(i)
		e := Epoch{Night: 1, Index: c.integer("epoch"), StartMin: c.number("start_min"), Stage: c.stage("stage")}
		if hasNight {
			e.Night = c.integer("night")
			if c.err == nil && e.Night < 1 {
				c.fail("night", "%d is not a 1-based night", e.Night)
			}
		}
		if c.err != nil {
			return nil, c.err
		}
		out[i] = e
	}
	return out, nil
}

// Nights returns the distinct nights of a hypnogram in increasing order.
func Nights(epochs []Epoch) []int {
	var ns []int
	for _, e := range epochs {
		if !slices.Contains(ns, e.Night) {
			ns = append(ns, e.Night)
		}
	}
	slices.Sort(ns)
	return ns
}

// NightEpochs returns the epochs of one night, sorted by start time.
func NightEpochs(epochs []Epoch, night int) []Epoch {
	var out []Epoch
	for _, e := range epochs {
		if e.Night == night {
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b Epoch) int {
		switch {
		case a.StartMin < b.StartMin:
			return -1
		case a.StartMin > b.StartMin:
			return 1
		}
		return 0
	})
	return out
}

// StageFractions returns the fraction of total sleep time (epochs scored N1,
// N2, N3 or R; wake excluded, as in sleep-medicine reports) spent in each sleep
// stage. It returns NaN fractions when there is no sleep.
func StageFractions(epochs []Epoch) map[Stage]float64 {
	var n [N3 + 1]int
	tst := 0
	for _, e := range epochs {
		if e.Stage.Sleep() {
			n[e.Stage]++
			tst++
		}
	}
	out := make(map[Stage]float64, 4)
	for _, s := range []Stage{REM, N1, N2, N3} {
		if tst == 0 {
			out[s] = math.NaN()
			continue
		}
		out[s] = float64(n[s]) / float64(tst)
	}
	return out
}

// stageRun is a maximal run of consecutive epochs in one stage.
type stageRun struct {
	Stage            Stage
	StartMin, EndMin float64 // StartMin and EndMin bound the run in minutes.
}

// stageRuns merges consecutive epochs of the same stage; the epochs must be
// sorted by start time. An epoch lasts EpochMin, or up to the next epoch when
// the gap is shorter.
func stageRuns(epochs []Epoch) []stageRun {
	var runs []stageRun
	for i, e := range epochs {
		end := e.StartMin + EpochMin
		if i+1 < len(epochs) && epochs[i+1].StartMin < end {
			end = epochs[i+1].StartMin
		}
		if n := len(runs); n > 0 && runs[n-1].Stage == e.Stage && math.Abs(runs[n-1].EndMin-e.StartMin) < 1e-9 {
			runs[n-1].EndMin = end
			continue
		}
		runs = append(runs, stageRun{Stage: e.Stage, StartMin: e.StartMin, EndMin: end})
	}
	return runs
}

// String formats a run for debugging.
func (r stageRun) String() string {
	return fmt.Sprintf("%v[%g,%g)", r.Stage, r.StartMin, r.EndMin)
}
