package sleep

import "math"

// Stats is the sleep architecture of a hypnogram, in the terms of the AASM
// scoring manual (Iber et al. 2007) and of sleep-cycle analysis (Feinberg &
// Floyd 1979). Times are in minutes. The sleep period runs from sleep onset,
// the first epoch of any sleep stage (N1, N2, N3 or R), to the end of the
// last sleep epoch; the wake after it is the final awakening.
type Stats struct {
	TIBMin          float64 // min, time in bed: lights-off to lights-on
	TSTMin          float64 // min, total sleep time: N1 + N2 + N3 + R
	SPTMin          float64 // min, sleep period time: sleep onset to the end of the last sleep epoch
	SleepEfficiency float64 // TST/TIB, in [0, 1]; 0 for an empty hypnogram
	SOLMin          float64 // min, sleep onset latency: lights-off to the first sleep epoch; NaN if there is no sleep
	REMLatencyMin   float64 // min, sleep onset to the first R epoch; NaN if there is no REM
	WASOMin         float64 // min, wake after sleep onset: W within the sleep period
	FinalWakeMin    float64 // min, wake from the end of the last sleep epoch to lights-on
	Awakenings      int     // W bouts within the sleep period (the final awakening is not counted)

	// StageMin is the time in each stage within the sleep period, indexed by
	// Stage; StageMin[W] equals WASOMin.
	StageMin [NumStages]float64
	// StageFrac is StageMin as a fraction of TST; StageFrac[W] is thus WASO
	// relative to TST. All are 0 when TST is 0.
	StageFrac [NumStages]float64

	// Cycles are the NREM-REM cycles by the rules of Feinberg & Floyd
	// (1979); see Cycle and Analyze.
	Cycles []Cycle
	// MeanCycleMin is the mean length of the cycles not truncated by
	// lights-on; NaN if there is none.
	MeanCycleMin float64
	// TrailingMin is the sleep period after the end of the last cycle: an
	// incomplete cycle (NREM that no REM period ended), or the whole sleep
	// period if there is no cycle.
	TrailingMin float64

	// N3ThirdMin and REMThirdMin are the N3 and R minutes in the first,
	// middle and last thirds of the sleep period; an epoch belongs to the
	// third that holds its midpoint.
	N3ThirdMin  [3]float64
	REMThirdMin [3]float64
}

// Analyze returns the sleep architecture of h. Sleep onset is the first
// epoch of N1, N2, N3 or R (AASM). Cycles follow Feinberg & Floyd (1979):
// REM separated by less than 15 min is one REM period; a REM period needs
// 5 min of REM except the first of the night; a cycle is a NREM period of at
// least 15 min (from sleep onset or the end of the previous REM period) and
// the REM period that ends it; sleep after the last REM period is an
// incomplete cycle, reported as TrailingMin and not counted. A REM period cut
// by the end of the record is kept as a cycle but marked Truncated and left
// out of MeanCycleMin. Analyze does not check that the stages are valid;
// invalid ones count as neither wake nor sleep.
func Analyze(h Hypnogram) Stats {
	e := h.Epochs
	st := Stats{
		TIBMin:        h.DurationMin(),
		SOLMin:        math.NaN(),
		REMLatencyMin: math.NaN(),
		MeanCycleMin:  math.NaN(),
	}
	onset, last := -1, -1
	for i, s := range e {
		if s.IsSleep() {
			if onset < 0 {
				onset = i
			}
			last = i
		}
	}
	if onset < 0 {
		st.FinalWakeMin = st.TIBMin
		return st
	}
	st.SOLMin = float64(onset) * EpochMin
	st.SPTMin = float64(last+1-onset) * EpochMin
	st.FinalWakeMin = float64(len(e)-1-last) * EpochMin
	sptStart := st.SOLMin
	for i := onset; i <= last; i++ {
		s := e[i]
		if !s.Valid() {
			continue
		}
		st.StageMin[s] += EpochMin
		if s == W && e[i-1] != W {
			st.Awakenings++
		}
		if s == R && math.IsNaN(st.REMLatencyMin) {
			st.REMLatencyMin = float64(i-onset) * EpochMin
		}
		if s == N3 || s == R {
			mid := (float64(i)+0.5)*EpochMin - sptStart
			third := min(2, int(3*mid/st.SPTMin))
			if s == N3 {
				st.N3ThirdMin[third] += EpochMin
			} else {
				st.REMThirdMin[third] += EpochMin
			}
		}
	}
	st.WASOMin = st.StageMin[W]
	st.TSTMin = st.StageMin[N1] + st.StageMin[N2] + st.StageMin[N3] + st.StageMin[R]
	st.SleepEfficiency = st.TSTMin / st.TIBMin
	for s := range st.StageMin {
		st.StageFrac[s] = st.StageMin[s] / st.TSTMin
	}
	st.Cycles, st.TrailingMin = findCycles(e, onset, last)
	sum, k := 0.0, 0
	for _, c := range st.Cycles {
		if !c.Truncated {
			sum += c.EndMin - c.StartMin
			k++
		}
	}
	if k > 0 {
		st.MeanCycleMin = sum / float64(k)
	}
	return st
}
