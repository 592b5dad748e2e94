package regions_test

import (
	"fmt"
	"math/cmplx"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/dsp/fourier"
	"gonum.org/v1/gonum/stat"

	"github.com/dreamsim/dreamsim/sim"
	"github.com/dreamsim/dreamsim/sim/sleep"
)

// stageNight is a 123-min schedule night with two NREM-REM cycles: every
// stage, a 20-min N3 bout followed by N2 (not REM, so without the pre-REM
// descent) for the NE oscillation, and REM entered from a 10-min and from a
// 5-min N2 bout.
func stageNight(t testing.TB) *sim.Timeline {
	return night(t, 0.1,
		block(sleep.W, 10), block(sleep.N1, 3), block(sleep.N2, 15), block(sleep.N3, 20), block(sleep.N2, 10),
		block(sleep.R, 15), block(sleep.N2, 10), block(sleep.N3, 10), block(sleep.N2, 5), block(sleep.R, 20), block(sleep.W, 5))
}

// remOnsetsMin are the REM onsets of stageNight, minutes from lights-off.
var remOnsetsMin = []float64{58, 98}

// stageSeeds are the seeds every stage test runs; each seed must pass.
var stageSeeds = []uint64{1, 2, 3}

// runStageNight runs the LC, MCH, PFC and amygdala, wired as by default,
// through stageNight and returns 1-s means of their main signals (columns:
// lc.ne, mch.activity, pfc.activity, amygdala.activity).
func runStageNight(t testing.TB, seed uint64) []row {
	rs, cs := neuromodulatory(t, nil)
	return record(t, sim.Wiring{Regions: rs, Connections: cs}, stageNight(t), seed, 10, neuromodulatorySignals)
}

// TestStageProfiles checks the orderings of mean activity by stage that
// SCIENCE.md lists: NE wake > NREM > REM with REM near zero (Aston-Jones &
// Bloom 1981), MCH silent in wake and REM > NREM > wake (Hassani, Lee &
// Jones 2009), PFC wake > NREM > REM and amygdala REM above wake and NREM
// (Maquet et al. 1996).
func TestStageProfiles(t *testing.T) {
	t.Parallel()
	for _, seed := range stageSeeds {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			t.Parallel()
			rows := runStageNight(t, seed)
			ne, mch, pfc, amy := meansByClass(rows, 0), meansByClass(rows, 1), meansByClass(rows, 2), meansByClass(rows, 3)
			t.Logf("mean by W/NREM/R: ne %.3f  mch %.3f  pfc %.3f  amygdala %.3f", ne, mch, pfc, amy)
			require.Greater(t, ne[wake], ne[nrem], "NE: wake > NREM")
			require.Greater(t, ne[nrem], ne[rem], "NE: NREM > REM")
			require.Less(t, ne[rem], 0.1, "NE near zero in REM")
			require.Less(t, mch[wake], 0.05, "MCH silent in wake")
			require.Greater(t, mch[rem], mch[nrem], "MCH: REM > NREM")
			require.Greater(t, mch[nrem], mch[wake], "MCH: NREM > wake")
			require.Greater(t, pfc[wake], pfc[nrem], "PFC: wake > NREM")
			require.Greater(t, pfc[nrem], pfc[rem], "PFC: NREM > REM")
			require.Greater(t, amy[rem], amy[wake], "amygdala: REM > wake")
			require.Greater(t, amy[rem], amy[nrem], "amygdala: REM > NREM")
		})
	}
}

// periodogram returns the frequencies (Hz) and power of x sampled at fs
// Hz, after removing its mean, excluding the zero frequency.
func periodogram(x []float64, fs float64) (freq, power []float64) {
	m := stat.Mean(x, nil)
	y := make([]float64, len(x))
	for i, v := range x {
		y[i] = v - m
	}
	fft := fourier.NewFFT(len(y))
	c := fft.Coefficients(nil, y)
	for i := 1; i < len(c); i++ {
		freq = append(freq, fft.Freq(i)*fs)
		a := cmplx.Abs(c[i])
		power = append(power, a*a)
	}
	return freq, power
}

// TestLCInfraslowOscillation checks that NE oscillates with a period near
// 50 s in NREM (Kjaerby et al. 2022, Nat Neurosci 25:1059: about 0.02 Hz):
// the periodogram of NE over an 18-min N3 bout peaks at 40-60 s, well above
// the rest of the infraslow band (5-300 s).
func TestLCInfraslowOscillation(t *testing.T) {
	t.Parallel()
	for _, seed := range stageSeeds {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			t.Parallel()
			rows := runStageNight(t, seed)
			var x []float64
			for _, r := range rows {
				// The N3 bout is [28, 48) min; its first and last minute hold
				// the transitions.
				if r.Min >= 29 && r.Min < 47 {
					require.Equal(t, sleep.N3, r.Stage)
					x = append(x, r.V[0])
				}
			}
			freq, power := periodogram(x, 1)
			var band []float64
			peak, peakF := 0.0, 0.0
			for i, f := range freq {
				if f < 1.0/300 || f > 1.0/5 {
					continue
				}
				band = append(band, power[i])
				if power[i] > peak {
					peak, peakF = power[i], f
				}
			}
			slices.Sort(band)
			median := band[len(band)/2]
			t.Logf("peak period %.1f s, peak/median power %.0f", 1/peakF, peak/median)
			require.InDelta(t, 50, 1/peakF, 10, "period of the NREM NE oscillation, s")
			require.Greater(t, peak/median, 100.0, "the peak must stand out of the infraslow band")
		})
	}
}

// TestLCDescentBeforeREM checks the long NE descent that precedes REM
// (Kjaerby et al. 2022): NE in the last 30 s of NREM is far below NE 3-5
// min before REM, it falls from the second-to-last minute to the last, and
// it was not already falling 3-5 min before REM.
func TestLCDescentBeforeREM(t *testing.T) {
	t.Parallel()
	for _, seed := range stageSeeds {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			t.Parallel()
			rows := runStageNight(t, seed)
			for _, onset := range remOnsetsMin {
				win := func(from, to float64) float64 {
					m, n := meanWhere(rows, 0, func(r row) bool { return r.Min >= onset+from && r.Min < onset+to })
					require.Positive(t, n)
					return m
				}
				early, earlier := win(-4, -3), win(-5, -4)
				before2, before1, last := win(-2, -1), win(-1, 0), win(-0.5, 0)
				t.Logf("REM at %g min: NE -5..-4 %.3f, -4..-3 %.3f, -2..-1 %.3f, -1..0 %.3f, last 30 s %.3f", onset, earlier, early, before2, before1, last)
				require.Less(t, last, 0.5*early, "NE in the last 30 s of NREM vs 3-4 min before REM")
				require.Less(t, before1, before2, "NE falls through the last 2 min before REM")
				require.Less(t, before2, early, "the descent starts within the last 2 min")
				// Before the descent, NE is at its NREM level: the 1-min means differ
				// only by the oscillation's residue.
				require.InDelta(t, earlier, early, 0.1, "no descent 3-5 min before REM")
			}
		})
	}
}
