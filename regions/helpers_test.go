package regions_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dreamsim/dreamsim/regions"
	"github.com/dreamsim/dreamsim/sim"
	"github.com/dreamsim/dreamsim/sim/sleep"
)

// night returns a timeline of one sleep phase made of schedule blocks
// (stage, minutes), at a tick of dt seconds.
func night(t testing.TB, dt float64, blocks ...sleep.ScheduleBlock) *sim.Timeline {
	t.Helper()
	h, err := sleep.FromSchedule(blocks)
	require.NoError(t, err)
	tl, err := sim.NewTimeline(dt, sim.Segment{Phase: sim.Sleep, Day: 1, Night: h})
	require.NoError(t, err)
	return tl
}

// block is a schedule block.
func block(s sleep.Stage, min float64) sleep.ScheduleBlock {
	return sleep.ScheduleBlock{Stage: s, Minutes: min}
}

// row is one recorder row: the mean of every recorded signal over one
// sampling interval.
type row struct {
	Min   float64 // start of the interval, minutes from lights-off
	Stage sleep.Stage
	V     []float64 // in the order of the recorded signals
}

// neuromodulatory returns the four population regions and the connections
// of the default wiring among them (NE from the LC to the others, arousal
// from the amygdala to the LC), with manipulations.
func neuromodulatory(t testing.TB, ms []regions.Manipulation) ([]sim.Region, []sim.Connection) {
	t.Helper()
	by := map[string][]regions.Manipulation{}
	for _, m := range ms {
		by[m.Region] = append(by[m.Region], m)
	}
	lc, err := regions.NewLC(regions.DefaultLC(), by["lc"])
	require.NoError(t, err)
	mch, err := regions.NewMCH(regions.DefaultMCH(), by["mch"])
	require.NoError(t, err)
	pfc, err := regions.NewPFC(regions.DefaultPFC(), by["pfc"])
	require.NoError(t, err)
	amy, err := regions.NewAmygdala(regions.DefaultAmygdala(), by["amygdala"])
	require.NoError(t, err)
	rs := []sim.Region{lc, mch, pfc, amy}
	names := map[string]bool{"lc": true, "mch": true, "pfc": true, "amygdala": true}
	var cs []sim.Connection
	for _, c := range regions.DefaultConnections(5) {
		if names[c.From] && names[c.To] {
			cs = append(cs, c)
		}
	}
	return rs, cs
}

// neuromodulatorySignals are the main signals of the four regions, in the
// column order of record's rows.
var neuromodulatorySignals = []sim.SignalRef{
	{Region: "lc", Signal: "ne"}, {Region: "mch", Signal: "activity"},
	{Region: "pfc", Signal: "activity"}, {Region: "amygdala", Signal: "activity"},
}

// record runs a wiring along a timeline and returns the rows of a recorder
// of the given signals, one row per interval ticks.
func record(t testing.TB, w sim.Wiring, tl *sim.Timeline, seed uint64, interval sim.Tick, signals []sim.SignalRef) []row {
	t.Helper()
	var buf bytes.Buffer
	e, err := sim.New(w, sim.Config{Seed: seed, Timeline: tl, Executor: sim.Sequential,
		Recorders: []sim.RecorderSpec{{Interval: interval, Signals: signals, Out: &buf}}})
	require.NoError(t, err)
	require.NoError(t, e.Run(context.Background(), tl.Ticks()))
	recs, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	rows := make([]row, 0, len(recs)-1)
	for _, r := range recs[1:] {
		min, err := strconv.ParseFloat(r[0], 64)
		require.NoError(t, err)
		st, err := sleep.ParseStage(r[1])
		require.NoError(t, err)
		v := make([]float64, len(r)-2)
		for i, s := range r[2:] {
			v[i], err = strconv.ParseFloat(s, 64)
			require.NoError(t, err)
		}
		rows = append(rows, row{Min: min, Stage: st, V: v})
	}
	return rows
}

// stageClass groups stages as the orderings of SCIENCE.md do.
type stageClass int

const (
	wake stageClass = iota
	nrem
	rem
)

func classOf(s sleep.Stage) stageClass {
	switch {
	case s == sleep.R:
		return rem
	case s.IsNREM():
		return nrem
	}
	return wake
}

// meansByClass returns the mean of column col over the rows of each stage
// class.
func meansByClass(rows []row, col int) [3]float64 {
	var sum, n [3]float64
	for _, r := range rows {
		c := classOf(r.Stage)
		sum[c] += r.V[col]
		n[c]++
	}
	for i := range sum {
		sum[i] /= n[i]
	}
	return sum
}

// meanWhere returns the mean of column col over the rows that satisfy keep,
// and how many there were.
func meanWhere(rows []row, col int, keep func(row) bool) (float64, int) {
	s, n := 0.0, 0
	for _, r := range rows {
		if keep(r) {
			s += r.V[col]
			n++
		}
	}
	return s / float64(n), n
}
