package sleep

import (
	"math"
	"math/rand/v2"
)

// swaFloor is the slow-wave activity, in Process S units, from which SWA
// grows at the start of a NREM period: logistic growth needs a seed above 0.
const swaFloor = 0.01

// longWakeMin and longWakeMax are the shortest and longest long awakenings,
// in epochs (2-5 min); short awakenings are cut at longWakeMin epochs.
const longWakeMin, longWakeMax = 4, 10

// Generate returns one night of the model clock for the parameters p,
// drawing every random number from rng; the same p and the same rng state
// give the same hypnogram. It returns an error if p is not valid.
//
// The night is built epoch by epoch from four mechanisms:
//
//  1. Sleep timing, from the two-process model (Daan, Beersma & Borbely
//     1984): Process S starts on the lower threshold at the wake-up that
//     preceded lights-off by PriorWakeH and rises in wake. Sleep is possible
//     once S reaches the circadian upper threshold; the sleeper then falls
//     asleep after a log-normal latency whose median SOLMedianMin shrinks
//     e-fold per SleepinessScale of S above the threshold. If S never
//     reaches the threshold before lights-on, the night is all wake. During
//     sleep S decays (and rises again in each awakening); once it reaches
//     the lower threshold, the next awakening or the next end of a REM
//     episode is the final awakening (spontaneous awakenings come mostly
//     out of REM or light sleep, Akerstedt et al. 2002), and the sleeper
//     stays awake until lights-on. Otherwise lights-on ends the night.
//  2. The ultradian NREM-REM cycle, a relaxation oscillator of REM pressure
//     (Benington & Heller 1994): pressure builds up in NREM sleep over
//     REMPressureMin, slowed by slow-wave activity (so the deep first NREM
//     period is the longest), and a REM episode starts when it reaches 1.
//     REM then discharges it over an episode length REMMaxMin times the REM
//     propensity, which combines sleep-dependent disinhibition (1 - S/S at
//     sleep onset) and the circadian REM rhythm peaking after the core body
//     temperature minimum (Dijk & Czeisler 1995); both rise across the
//     night, so REM episodes lengthen from about 8 min to about 30 min.
//  3. NREM depth, from slow-wave activity (SWA), which grows logistically
//     in NREM sleep towards a ceiling equal to Process S (in the spirit of
//     the SWA model of Achermann et al. 1993, where S sets the level SWA
//     can reach) and falls in REM, wake and the last part of each NREM
//     period. Epochs whose SWA (with epoch-to-epoch noise SWANoise) exceeds
//     N3Threshold are N3, the others N2: N3 dominates the first cycles and
//     fades as S is discharged.
//  4. Transitions and awakenings: sleep opens with N1 (median OnsetN1Min);
//     brief awakenings (mostly 30-60 s of W) occur with a hazard that
//     grows as S is discharged, is highest in REM and lowest in N3, and
//     follows a REM episode with probability WakeAfterREMProb; sleep
//     resumes through an N1 epoch with probability N1AfterWakeProb; and
//     isolated N1 epochs interrupt N2 at N1PerH.
//
// With the defaults the night lands in the healthy young-adult norms of
// Carskadon & Dement (2011) and Ohayon et al. (2004) on about 96% of seeds;
// the tests measure this on seeds 1..50 and 1..1000.
func Generate(p ModelParams, rng *rand.Rand) (Hypnogram, error) {
	if err := p.Validate(); err != nil {
		return Hypnogram{}, err
	}
	if rng == nil {
		panic("sleep: Generate called with a nil *rand.Rand")
	}
	n := int(math.Round(p.TimeInBedMin / EpochMin))
	g := generator{p: p, rng: rng, tp: newTwoProcess(p), epochs: make([]Stage, n)}
	g.run()
	return Hypnogram{Epochs: g.epochs}, nil
}

// generator is the state of one night being generated.
type generator struct {
	p      ModelParams
	rng    *rand.Rand
	tp     twoProcess
	epochs []Stage

	s       float64 // Process S
	sOnset  float64 // Process S at sleep onset
	swa     float64 // slow-wave activity, Process S units
	press   float64 // REM pressure, 0 at the end of a REM episode, 1 at REM onset
	tauP    float64 // min, this cycle's REM-pressure build-up time
	inREM   bool
	remLen  float64 // min, planned length of the current REM episode
	wake    int     // W epochs left in the current awakening
	n1      int     // N1 epochs left before NREM resumes
	crossed bool    // S has reached the lower threshold
	final   bool    // the final awakening has happened
}

const dtH = EpochMin / 60 // h per epoch

// clock returns the clock time in hours at the start of epoch i.
func (g *generator) clock(i int) float64 { return g.p.LightsOffH + float64(i)*dtH }

// lognormal returns median*exp(sigma*z), z ~ N(0, 1).
func (g *generator) lognormal(median, sigma float64) float64 {
	return median * math.Exp(sigma*g.rng.NormFloat64())
}

// epochsOf converts minutes to a whole number of epochs, at least 1.
func epochsOf(min float64) int { return max(1, int(math.Round(min/EpochMin))) }

func (g *generator) run() {
	p := g.p
	n := len(g.epochs)
	// Process S at lights-off: the previous wake-up was on the lower
	// threshold, then PriorWakeH of wake.
	g.s = g.tp.wake(g.tp.lowerAt(p.LightsOffH-p.PriorWakeH), p.PriorWakeH)

	// Sleep onset: wait for S to reach the upper threshold, then settle.
	i := 0
	for ; i < n && g.s < g.tp.upperAt(g.clock(i)); i++ {
		g.epochs[i] = W
		g.s = g.tp.wake(g.s, dtH)
	}
	if i == n {
		return
	}
	excess := g.s - g.tp.upperAt(g.clock(i))
	latency := g.lognormal(p.SOLMedianMin*math.Exp(-excess/p.SleepinessScale), p.SOLSpread)
	// At least one epoch of wake: even a sleep-deprived sleeper takes
	// about a minute to fall asleep (Carskadon & Dement 1981).
	for k := epochsOf(latency); k > 0 && i < n; k-- {
		g.epochs[i] = W
		g.s = g.tp.wake(g.s, dtH)
		i++
	}
	g.sOnset = g.s
	g.n1 = epochsOf(g.lognormal(p.OnsetN1Min, 0.5))
	g.newCycle()
	for ; i < n; i++ {
		st := g.step(i)
		g.epochs[i] = st
		if st == W {
			g.s = g.tp.wake(g.s, dtH)
		} else {
			g.s = g.tp.sleep(g.s, dtH)
		}
		if !g.crossed && g.s <= g.tp.lowerAt(g.clock(i+1)) {
			g.crossed = true
		}
	}
}

// newCycle starts the NREM part of a cycle.
func (g *generator) newCycle() {
	g.inREM = false
	g.press = 0
	g.tauP = g.lognormal(g.p.REMPressureMin, g.p.CycleJitter)
	g.swa = math.Max(g.swa, swaFloor)
}

// disinhibition returns the sleep-dependent part of REM propensity and of the
// awakening hazard: the fraction of Process S discharged since sleep onset.
func (g *generator) disinhibition() float64 {
	return math.Min(1, math.Max(0, 1-g.s/g.sOnset))
}

// step returns the stage of epoch i and advances the oscillator, SWA and the
// awakening process by one epoch.
func (g *generator) step(i int) Stage {
	p := g.p
	const dt = EpochMin
	fall := math.Exp(-dt / p.SWAFallMin)
	if g.final {
		return W
	}
	var st Stage
	switch {
	case g.wake > 0:
		st = W
		g.wake--
		g.swa *= fall
		if g.wake == 0 && g.rng.Float64() < p.N1AfterWakeProb {
			g.n1 = 1
		}
	case g.inREM:
		st = R
		g.swa *= fall
		g.press -= dt / g.remLen
		if g.press <= 0 {
			g.newCycle()
			if g.crossed || g.rng.Float64() < p.WakeAfterREMProb {
				g.startWake()
			} else if g.rng.Float64() < p.N1AfterWakeProb {
				g.n1 = 1
			}
			return st
		}
	default:
		if g.n1 > 0 {
			st = N1
			g.n1--
		} else {
			if g.press < p.PreREMFrac {
				g.swa += p.SWARisePerMin * g.swa * (1 - g.swa/g.s) * dt
			} else {
				g.swa *= fall
			}
			g.swa = math.Max(g.swa, swaFloor)
			scored := g.swa
			if p.SWANoise > 0 {
				scored *= math.Exp(p.SWANoise * g.rng.NormFloat64())
			}
			st = N2
			if scored >= p.N3Threshold {
				st = N3
			} else if g.rng.Float64() < p.N1PerH*dt/60 {
				st = N1
			}
		}
		g.press += dt / (g.tauP * (1 + p.SWAREMDelay*g.swa))
		if g.press >= 1 {
			g.inREM = true
			g.press = 1
			g.remLen = math.Max(EpochMin, g.lognormal(p.REMMaxMin*g.remPropensity(i+1), p.REMJitter))
		}
	}
	if st.IsSleep() {
		gain := 1.0
		switch st {
		case N3:
			gain = p.AwakeningN3Gain
		case R:
			gain = p.AwakeningREMGain
		}
		hazard := p.AwakeningsPerH * dt / 60 * gain * (1 + p.AwakeningLateGain*g.disinhibition())
		if g.rng.Float64() < hazard {
			g.startWake()
		}
	}
	return st
}

// remPropensity returns the REM propensity, in [0, 1], at the start of epoch
// i: a weighted mean of sleep-dependent disinhibition and the circadian REM
// rhythm (Dijk & Czeisler 1995).
func (g *generator) remPropensity(i int) float64 {
	w := g.p.REMHomeostaticWeight
	phase := 2 * math.Pi * (g.clock(i) - g.p.REMCircadianPeakH) / CircadianPeriodH
	circ := math.Exp(g.p.REMCircadianSharpness * (math.Cos(phase) - 1))
	return w*g.disinhibition() + (1-w)*circ
}

// startWake begins an awakening at the next epoch. After S has reached the
// lower threshold, an awakening outside REM is the final awakening; one
// inside REM stays brief, so that the final awakening comes at the end of
// the REM episode.
func (g *generator) startWake() {
	if g.crossed && !g.inREM {
		g.final = true
		return
	}
	if g.rng.Float64() < g.p.LongWakeProb {
		g.wake = longWakeMin + g.rng.IntN(longWakeMax-longWakeMin+1)
		return
	}
	g.wake = 1
	for g.wake < longWakeMin && g.rng.Float64() < g.p.WakeContinueProb {
		g.wake++
	}
}
