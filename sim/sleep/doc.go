// Package sleep provides the sleep stages, hypnograms and sleep-stage clock of dreamsim.
//
// A night is a Hypnogram: consecutive 30-s epochs (EpochSec) from lights-off
// to lights-on, each scored with one of the five AASM stages W, N1, N2, N3
// and R (Stage). The engine asks a hypnogram for the stage at any time with
// Hypnogram.StageAt. A night comes from one of the three sources of the
// sleep-stage clock:
//
//   - model: Generate builds a night for a healthy young adult from a
//     physiological model: Borbely's two-process model (Daan, Beersma &
//     Borbely 1984) times sleep onset and the final awakening; an ultradian
//     NREM-REM oscillator of REM pressure (Benington & Heller 1994) makes
//     cycles of about 90 min whose REM episodes lengthen across the night
//     (Dijk & Czeisler 1995); slow-wave activity that follows Process S
//     (Achermann et al. 1993) makes N3 deep early and fading late; and brief
//     awakenings and N1 transitions are stochastic. ModelParams holds every
//     parameter with its unit, default and source.
//   - schedule: FromSchedule lays out a list of stages and minutes.
//   - hypnogram: ReadHypnogram reads a scored night from CSV or TSV, with
//     W/N1/N2/N3/R labels, 0-4 integers or "Sleep stage W/1/2/3/4/R"
//     labels, and reports bad files by line; WriteCSV writes the
//     "epoch,start_min,stage" layout of dreamsim's hypnogram.csv, which
//     ReadHypnogram reads back unchanged.
//
// Analyze measures a night's architecture (Stats): total sleep time, sleep
// efficiency, sleep onset and REM latencies, wake after sleep onset and
// awakenings, the share of each stage, NREM-REM cycles by the rules of
// Feinberg & Floyd (1979), and how N3 and REM spread over the thirds of the
// night. With the default parameters the model's nights meet the
// healthy young-adult norms of Carskadon & Dement (2011) and Ohayon et al.
// (2004); the package tests measure this on 50 and on 1000 seeds.
//
// Randomness is injected: Generate draws only from the *rand.Rand it is
// given, so the same parameters and seed give the same night.
//
//	rng := rand.New(rand.NewPCG(seed, 0))
//	night, err := sleep.Generate(sleep.DefaultModelParams(), rng)
//	if err != nil {
//		return fmt.Errorf("sim: %w", err)
//	}
//	stats := sleep.Analyze(night)
//	stage := night.StageAt(minutes)
package sleep
