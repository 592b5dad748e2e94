package sleep

import "math"

// CircadianPeriodH is the period of the circadian Process C in hours: the
// model describes a sleeper entrained to the 24-h day (Daan, Beersma &
// Borbely 1984).
const CircadianPeriodH = 24.0

// twoProcess is Borbely's two-process model of sleep regulation in the form
// with twin thresholds of Daan, Beersma & Borbely (1984, Am J Physiol
// 246:R161):
//
//   - Process S, the homeostatic sleep pressure (dimensionless, 0 to 1),
//     rises during wake towards 1 with time constant TauRiseH,
//     S(t) = 1 - (1 - S0) exp(-t/TauRiseH), and decays during sleep towards 0
//     with time constant TauDecayH, S(t) = S0 exp(-t/TauDecayH);
//   - Process C, the circadian modulation, shifts both thresholds by
//     C(t) = CircadianAmp sin(2 pi (t - CircadianPhaseH)/24) at clock time t;
//   - sleep begins when S reaches the upper threshold UpperThreshold + C(t)
//     and ends when S falls to the lower threshold LowerThreshold + C(t).
//
// The default parameters are those of Daan et al. (tabulated again by
// Skeldon, Dijk & Derks 2014, PLoS One 9:e103877): time constants 18.2 and
// 4.2 h, mean thresholds 0.67 and 0.17, circadian amplitude 0.12. We use a
// pure sine for C, a common simplification; Daan et al. used a skewed sine,
// which moves the threshold crossings by minutes, not the architecture of
// the night.
type twoProcess struct {
	tauRise, tauDecay float64 // h
	upper, lower      float64 // mean thresholds, S units
	amp, phase        float64 // S units; clock hour of the rising zero crossing
}

func newTwoProcess(p ModelParams) twoProcess {
	return twoProcess{
		tauRise: p.TauRiseH, tauDecay: p.TauDecayH,
		upper: p.UpperThreshold, lower: p.LowerThreshold,
		amp: p.CircadianAmp, phase: p.CircadianPhaseH,
	}
}

// c returns Process C at clock time h (hours after midnight of the first
// day; values past 24 continue into the next day).
func (m twoProcess) c(h float64) float64 {
	return m.amp * math.Sin(2*math.Pi*(h-m.phase)/CircadianPeriodH)
}

// upperAt and lowerAt return the thresholds at clock time h.
func (m twoProcess) upperAt(h float64) float64 { return m.upper + m.c(h) }
func (m twoProcess) lowerAt(h float64) float64 { return m.lower + m.c(h) }

// wake returns S after dtH hours awake starting from s.
func (m twoProcess) wake(s, dtH float64) float64 {
	return 1 - (1-s)*math.Exp(-dtH/m.tauRise)
}

// sleep returns S after dtH hours asleep starting from s.
func (m twoProcess) sleep(s, dtH float64) float64 {
	return s * math.Exp(-dtH/m.tauDecay)
}
