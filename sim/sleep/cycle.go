package sleep

// Feinberg & Floyd (1979, Psychophysiology 16:283) rules for NREM-REM cycles,
// in epochs.
const (
	minNREMPeriodEpochs = 30 // a NREM period lasts at least 15 min
	minREMPeriodEpochs  = 10 // a REM period holds at least 5 min of REM, except the first
	remMergeGapEpochs   = 30 // REM separated by less than 15 min belongs to one REM period
)

// Cycle is one NREM-REM sleep cycle: a NREM period and the REM period that
// ends it. Times are in minutes after lights-off; EndMin - StartMin equals
// NREMMin + REMMin.
type Cycle struct {
	StartMin float64 // min, start of the NREM period (sleep onset, or the end of the previous REM period)
	EndMin   float64 // min, end of the last R epoch of the REM period
	NREMMin  float64 // min, length of the NREM period, wake and N1 inside it included
	REMMin   float64 // min, length of the REM period from its first to its last R epoch, interruptions included
	// Truncated reports that the REM period runs into the last epoch of the
	// record: lights-on cut it, so REMMin and the cycle length are lower
	// bounds.
	Truncated bool
}

// remPeriod is a REM period as a half-open range of epochs [start, end) and
// the number of R epochs in it.
type remPeriod struct{ start, end, rem int }

// findCycles splits the sleep period [onset, last] (epoch indices, last
// included) of e into cycles by the rules of Feinberg & Floyd (1979):
//
//  1. Runs of R epochs separated by less than 15 min are merged into one REM
//     period, which spans the interruptions.
//  2. A REM period holding less than 5 min of R is not a REM period (its
//     epochs count as NREM), except the first of the night, which may be
//     shorter.
//  3. A NREM period runs from sleep onset, or from the end of a REM period,
//     to the start of the next REM period, and must last at least 15 min.
//     Merging guarantees that for all but the first; a first REM period
//     that starts less than 15 min after sleep onset (a sleep-onset REM
//     period) does not close a cycle, and its epochs count as NREM.
//  4. A cycle is a NREM period and the REM period that follows it. Sleep
//     after the last REM period (a NREM period that no REM period ends) is
//     an incomplete cycle; findCycles returns its length as trailing
//     minutes and no cycle for it.
func findCycles(e []Stage, onset, last int) (cycles []Cycle, trailingMin float64) {
	var runs []remPeriod
	for i := onset; i <= last; i++ {
		if e[i] != R {
			continue
		}
		if k := len(runs) - 1; k >= 0 && i-runs[k].end < remMergeGapEpochs {
			runs[k].end = i + 1
			runs[k].rem++
			continue
		}
		runs = append(runs, remPeriod{start: i, end: i + 1, rem: 1})
	}
	prevEnd := onset
	for k, r := range runs {
		if r.rem < minREMPeriodEpochs && k > 0 {
			continue
		}
		if r.start-prevEnd < minNREMPeriodEpochs {
			continue // only possible for a sleep-onset REM period
		}
		cycles = append(cycles, Cycle{
			StartMin:  float64(prevEnd) * EpochMin,
			EndMin:    float64(r.end) * EpochMin,
			NREMMin:   float64(r.start-prevEnd) * EpochMin,
			REMMin:    float64(r.end-r.start) * EpochMin,
			Truncated: r.end == len(e),
		})
		prevEnd = r.end
	}
	return cycles, float64(last+1-prevEnd) * EpochMin
}
