package sleep

import (
	"math"
	"reflect"
	"testing"
)

// night builds a hypnogram from (stage, minutes) pairs.
func night(t *testing.T, blocks ...ScheduleBlock) Hypnogram {
	t.Helper()
	h, err := FromSchedule(blocks)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func sameFloat(a, b float64) bool {
	return a == b || (math.IsNaN(a) && math.IsNaN(b)) || math.Abs(a-b) < 1e-9
}

func TestAnalyze(t *testing.T) {
	t.Parallel()
	nan := math.NaN()
	cases := []struct {
		name string
		h    Hypnogram
		want Stats
	}{{
		// A textbook night: three cycles, then 20 min of NREM that no REM
		// ends, then the final awakening. The sleep period runs from 10 to
		// 280 min, so its thirds are [10, 100), [100, 190) and [190, 280).
		name: "three cycles and a trailing NREM period",
		h: night(t,
			ScheduleBlock{W, 10}, ScheduleBlock{N1, 2}, ScheduleBlock{N2, 20}, ScheduleBlock{N3, 40}, ScheduleBlock{N2, 8}, ScheduleBlock{R, 10},
			ScheduleBlock{N2, 30}, ScheduleBlock{N3, 20}, ScheduleBlock{N2, 20}, ScheduleBlock{R, 20},
			ScheduleBlock{N2, 50}, ScheduleBlock{R, 30},
			ScheduleBlock{N2, 20}, ScheduleBlock{W, 10}),
		want: Stats{
			TIBMin: 290, TSTMin: 270, SPTMin: 270, SleepEfficiency: 270.0 / 290,
			SOLMin: 10, REMLatencyMin: 70, WASOMin: 0, FinalWakeMin: 10, Awakenings: 0,
			StageMin:  [NumStages]float64{W: 0, N1: 2, N2: 148, N3: 60, R: 60},
			StageFrac: [NumStages]float64{W: 0, N1: 2.0 / 270, N2: 148.0 / 270, N3: 60.0 / 270, R: 60.0 / 270},
			Cycles: []Cycle{
				{StartMin: 10, EndMin: 90, NREMMin: 70, REMMin: 10},
				{StartMin: 90, EndMin: 180, NREMMin: 70, REMMin: 20},
				{StartMin: 180, EndMin: 260, NREMMin: 50, REMMin: 30},
			},
			MeanCycleMin: (80.0 + 90 + 80) / 3, TrailingMin: 20,
			N3ThirdMin: [3]float64{40, 20, 0}, REMThirdMin: [3]float64{10, 20, 30},
		},
	}, {
		// REM at 35-38, 39-43 and 53-59 min is one REM period (gaps under
		// 15 min); 2 min of REM at 99 min is too short to be a REM period
		// (not the first); 8 min at 121 min ends the second cycle.
		name: "merged REM, a short REM period and an awakening",
		h: night(t,
			ScheduleBlock{W, 5}, ScheduleBlock{N2, 30}, ScheduleBlock{R, 3}, ScheduleBlock{W, 1}, ScheduleBlock{R, 4}, ScheduleBlock{N2, 10}, ScheduleBlock{R, 6},
			ScheduleBlock{N2, 40}, ScheduleBlock{R, 2}, ScheduleBlock{N2, 20}, ScheduleBlock{R, 8}, ScheduleBlock{W, 2}),
		want: Stats{
			TIBMin: 131, TSTMin: 123, SPTMin: 124, SleepEfficiency: 123.0 / 131,
			SOLMin: 5, REMLatencyMin: 30, WASOMin: 1, FinalWakeMin: 2, Awakenings: 1,
			StageMin:  [NumStages]float64{W: 1, N2: 100, R: 23},
			StageFrac: [NumStages]float64{W: 1.0 / 123, N2: 100.0 / 123, R: 23.0 / 123},
			Cycles: []Cycle{
				{StartMin: 5, EndMin: 59, NREMMin: 30, REMMin: 24},
				{StartMin: 59, EndMin: 129, NREMMin: 62, REMMin: 8},
			},
			MeanCycleMin: (54.0 + 70) / 2, TrailingMin: 0,
			// Thirds of the 124-min sleep period from 5 min: [5, 46.33),
			// [46.33, 87.67), [87.67, 129).
			REMThirdMin: [3]float64{7, 6, 10},
		},
	}, {
		// A REM period 1 min after sleep onset (sleep-onset REM) does not
		// close a cycle; the first cycle's NREM period runs from onset.
		name: "sleep-onset REM period",
		h: night(t,
			ScheduleBlock{W, 2}, ScheduleBlock{N1, 1}, ScheduleBlock{R, 5}, ScheduleBlock{N2, 60}, ScheduleBlock{R, 10}, ScheduleBlock{N2, 20}),
		want: Stats{
			TIBMin: 98, TSTMin: 96, SPTMin: 96, SleepEfficiency: 96.0 / 98,
			SOLMin: 2, REMLatencyMin: 1,
			StageMin:  [NumStages]float64{N1: 1, N2: 80, R: 15},
			StageFrac: [NumStages]float64{N1: 1.0 / 96, N2: 80.0 / 96, R: 15.0 / 96},
			Cycles:    []Cycle{{StartMin: 2, EndMin: 78, NREMMin: 66, REMMin: 10}},
			// Thirds of [2, 98): [2, 34), [34, 66), [66, 98).
			MeanCycleMin: 76, TrailingMin: 20, REMThirdMin: [3]float64{5, 0, 10},
		},
	}, {
		// The first REM period of the night may be shorter than 5 min.
		name: "short first REM period",
		h:    night(t, ScheduleBlock{N2, 20}, ScheduleBlock{R, 1}, ScheduleBlock{N2, 60}, ScheduleBlock{R, 6}),
		want: Stats{
			TIBMin: 87, TSTMin: 87, SPTMin: 87, SleepEfficiency: 1,
			SOLMin: 0, REMLatencyMin: 20,
			StageMin:  [NumStages]float64{N2: 80, R: 7},
			StageFrac: [NumStages]float64{N2: 80.0 / 87, R: 7.0 / 87},
			Cycles: []Cycle{
				{StartMin: 0, EndMin: 21, NREMMin: 20, REMMin: 1},
				{StartMin: 21, EndMin: 87, NREMMin: 60, REMMin: 6, Truncated: true},
			},
			// The second cycle runs into lights-on: counted, not averaged.
			MeanCycleMin: 21, REMThirdMin: [3]float64{1, 0, 6},
		},
	}, {
		name: "lights-on during REM",
		h:    night(t, ScheduleBlock{N2, 80}, ScheduleBlock{R, 10}),
		want: Stats{
			TIBMin: 90, TSTMin: 90, SPTMin: 90, SleepEfficiency: 1, SOLMin: 0, REMLatencyMin: 80,
			StageMin: [NumStages]float64{N2: 80, R: 10}, StageFrac: [NumStages]float64{N2: 80.0 / 90, R: 10.0 / 90},
			Cycles:       []Cycle{{StartMin: 0, EndMin: 90, NREMMin: 80, REMMin: 10, Truncated: true}},
			MeanCycleMin: nan, REMThirdMin: [3]float64{0, 0, 10},
		},
	}, {
		name: "no REM",
		h:    night(t, ScheduleBlock{W, 10}, ScheduleBlock{N2, 30}, ScheduleBlock{W, 3}, ScheduleBlock{N3, 30}, ScheduleBlock{W, 1}, ScheduleBlock{N2, 30}),
		want: Stats{
			TIBMin: 104, TSTMin: 90, SPTMin: 94, SleepEfficiency: 90.0 / 104,
			SOLMin: 10, REMLatencyMin: nan, WASOMin: 4, Awakenings: 2,
			StageMin: [NumStages]float64{W: 4, N2: 60, N3: 30}, StageFrac: [NumStages]float64{W: 4.0 / 90, N2: 60.0 / 90, N3: 30.0 / 90},
			MeanCycleMin: nan, TrailingMin: 94,
			// Thirds of [10, 104): N3 at 43-73 min is split at 72.67 min.
			N3ThirdMin: [3]float64{0, 29.5, 0.5},
		},
	}, {
		name: "no sleep",
		h:    night(t, ScheduleBlock{W, 30}),
		want: Stats{
			TIBMin: 30, SOLMin: nan, REMLatencyMin: nan, FinalWakeMin: 30, MeanCycleMin: nan,
		},
	}, {
		name: "empty",
		h:    Hypnogram{},
		want: Stats{SOLMin: nan, REMLatencyMin: nan, MeanCycleMin: nan},
	}}
	for _, c := range cases {
		got := Analyze(c.h)
		g, w := reflect.ValueOf(got), reflect.ValueOf(c.want)
		for i := range g.NumField() {
			name := g.Type().Field(i).Name
			if !equalField(g.Field(i), w.Field(i)) {
				t.Errorf("%s: %s = %v, want %v", c.name, name, g.Field(i), w.Field(i))
			}
		}
	}
}

// equalField compares struct fields, floats with NaN = NaN and a 1e-9
// tolerance.
func equalField(a, b reflect.Value) bool {
	switch a.Kind() {
	case reflect.Float64:
		return sameFloat(a.Float(), b.Float())
	case reflect.Array, reflect.Slice:
		if a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !equalField(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Struct:
		for i := range a.NumField() {
			if !equalField(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	}
	return a.Interface() == b.Interface()
}

// TestAnalyzeConsistency checks identities that hold for any night, on
// model nights: TIB = SOL + SPT + final wake, SPT = TST + WASO, cycle
// lengths add up, and cycles tile the sleep period up to the trailing part.
func TestAnalyzeConsistency(t *testing.T) {
	t.Parallel()
	for seed := range uint64(20) {
		h, err := Generate(DefaultModelParams(), newRand(seed))
		if err != nil {
			t.Fatal(err)
		}
		s := Analyze(h)
		if !sameFloat(s.TIBMin, s.SOLMin+s.SPTMin+s.FinalWakeMin) || !sameFloat(s.SPTMin, s.TSTMin+s.WASOMin) {
			t.Errorf("seed %d: TIB %v, SOL %v, SPT %v, final wake %v, TST %v, WASO %v do not add up",
				seed, s.TIBMin, s.SOLMin, s.SPTMin, s.FinalWakeMin, s.TSTMin, s.WASOMin)
		}
		next := s.SOLMin
		for i, c := range s.Cycles {
			if c.StartMin != next || !sameFloat(c.EndMin-c.StartMin, c.NREMMin+c.REMMin) || c.NREMMin < 15 {
				t.Errorf("seed %d: cycle %d %+v does not follow %v or is malformed", seed, i, c, next)
			}
			next = c.EndMin
		}
		if !sameFloat(next+s.TrailingMin, s.SOLMin+s.SPTMin) {
			t.Errorf("seed %d: cycles end at %v + trailing %v, sleep period ends at %v", seed, next, s.TrailingMin, s.SOLMin+s.SPTMin)
		}
		sumN3 := s.N3ThirdMin[0] + s.N3ThirdMin[1] + s.N3ThirdMin[2]
		sumR := s.REMThirdMin[0] + s.REMThirdMin[1] + s.REMThirdMin[2]
		if sumN3 != s.StageMin[N3] || sumR != s.StageMin[R] {
			t.Errorf("seed %d: thirds hold %v N3 and %v R, want %v and %v", seed, sumN3, sumR, s.StageMin[N3], s.StageMin[R])
		}
	}
}
