package sleep

import (
	"errors"
	"fmt"
	"math"
)

// ModelParams are the parameters of the model clock (Generate): one night of
// a healthy young adult from a two-process model of sleep timing, an
// ultradian NREM-REM oscillator, slow-wave activity that follows Process S,
// and stochastic brief awakenings. Every field has a unit and a default
// (DefaultModelParams); Validate gives the allowed range of each. The zero
// value is not a usable parameter set (time constants and durations must be
// positive): start from DefaultModelParams and change what you need. Where a
// zero is allowed it switches the mechanism off, as noted on the field.
type ModelParams struct {
	// Schedule.

	// LightsOffH is the clock time of lights-off in hours after midnight.
	// Default 23 (23:00). Range [0, 24).
	LightsOffH float64
	// TimeInBedMin is the time from lights-off to lights-on in minutes, a
	// multiple of 0.5 (one epoch). Default 480 (8 h in bed, the usual
	// laboratory night). Range [30, 1440].
	TimeInBedMin float64
	// PriorWakeH is the time awake before lights-off in hours; the previous
	// night is taken to have ended on the lower threshold of the
	// two-process model. Default 16. Range [0, 48] (beyond 24 is sleep
	// deprivation).
	PriorWakeH float64

	// Two-process model: Daan, Beersma & Borbely 1984 (see twoProcess).

	// TauRiseH is the time constant of the rise of Process S in wake, in
	// hours. Default 18.2 (Daan et al. 1984). Range (0, 100].
	TauRiseH float64
	// TauDecayH is the time constant of the decay of Process S in sleep, in
	// hours. Default 4.2 (Daan et al. 1984). Range (0, 100].
	TauDecayH float64
	// UpperThreshold is the mean upper threshold of Process S (sleep onset),
	// dimensionless. Default 0.67 (Daan et al. 1984). Range (0, 1).
	UpperThreshold float64
	// LowerThreshold is the mean lower threshold of Process S (spontaneous
	// awakening), dimensionless. Default 0.17 (Daan et al. 1984). Range
	// (0, UpperThreshold).
	LowerThreshold float64
	// CircadianAmp is the amplitude of Process C, dimensionless; 0 removes
	// circadian modulation. Default 0.12 (Daan et al. 1984). Range [0, 0.5].
	CircadianAmp float64
	// CircadianPhaseH is the clock time, in hours after midnight, at which
	// Process C crosses zero rising; it sets the chronotype. Daan et al.
	// quote a phase of 8.6 h for their skewed C; with the pure sine used
	// here 8.6 h gives an entrained steady state asleep from about 22:05 to
	// 06:00. Default 9.0, asleep from about 22:30 to 06:25 in the steady
	// state: the default sleeper is ready for sleep at a 23:00 lights-off
	// and, having fallen asleep later, brings Process S to the lower
	// threshold around a 07:00 lights-on, like young adults in 8-h
	// laboratory nights, who sleep longer when allowed (Klerman & Dijk
	// 2008, Curr Biol 18:1118). Range [0, 24).
	CircadianPhaseH float64

	// Sleep onset.

	// SOLMedianMin is the median sleep onset latency in minutes when, at
	// lights-off, Process S is exactly at the upper threshold; healthy young
	// adults fall asleep in about 10-20 min (Carskadon & Dement 2011,
	// "Normal human sleep: an overview"). Default 12. Range [0.5, 120].
	SOLMedianMin float64
	// SOLSpread is the log-normal standard deviation of the sleep onset
	// latency, dimensionless; 0 makes it deterministic. Default 0.4. Range
	// [0, 2].
	SOLSpread float64
	// SleepinessScale is the excess of Process S over the upper threshold,
	// in S units, that shortens the onset latency e-fold: sleep-deprived
	// sleepers fall asleep in minutes (Carskadon & Dement 1981, multiple
	// sleep latency test). Default 0.05. Range (0, 1].
	SleepinessScale float64
	// OnsetN1Min is the median duration of the N1 that opens sleep, in
	// minutes, drawn log-normal with spread 0.5; N1 lasts 1-7 min at sleep
	// onset (Carskadon & Dement 2011). Default 3. Range [0.5, 30].
	OnsetN1Min float64

	// Ultradian NREM-REM oscillator: a REM-pressure relaxation oscillator
	// (Benington & Heller 1994, Am J Physiol 266:R1992) with REM episodes
	// lengthened by sleep-dependent disinhibition and circadian phase
	// (Dijk & Czeisler 1995, J Neurosci 15:3526; in the spirit of the
	// reciprocal-interaction model, McCarley & Hobson 1975, Science 189:58,
	// and its circadian extension, Massaquoi & McCarley 1992, J Sleep Res
	// 1:138).

	// REMPressureMin is the NREM sleep, in minutes, over which REM pressure
	// builds from 0 to the REM-onset level when slow-wave activity is nil;
	// with SWAREMDelay it sets the NREM periods (about 76 min in the first
	// cycle, 65 min in the fifth) and so the cycle length (Kurth et al.
	// 2010, J Neurosci 30:13211: 95.4 +/- 3.4 min in young adults).
	// Default 58. Range [10, 300].
	REMPressureMin float64
	// SWAREMDelay is how much slow-wave activity slows the build-up of REM
	// pressure, dimensionless: the build-up rate is divided by
	// 1 + SWAREMDelay*SWA (SWA in Process S units). Deep slow-wave sleep
	// postpones REM, so the first NREM period, the deepest, is the longest
	// (Carskadon & Dement 2011: REM latency 60-100 min against 90-min
	// cycles) and NREM periods shorten across the night (Barbato & Wehr
	// 1998, Sleep 21:267); 0 removes the effect. Default 1. Range [0, 10].
	SWAREMDelay float64
	// CycleJitter is the log-normal standard deviation of each cycle's
	// REMPressureMin, dimensionless; 0 makes cycles regular. Default 0.06.
	// Range [0, 1].
	CycleJitter float64
	// PreREMFrac is the fraction of the REM-pressure build-up after which
	// slow-wave activity fades, so that a NREM period ends in N2 before
	// REM. Default 0.85. Range [0.5, 1].
	PreREMFrac float64
	// REMMaxMin is the length in minutes of a REM episode at full REM
	// propensity; with the defaults REM episodes run from about 8 min in
	// the first cycle to about 30 min in the fourth and fifth (Carskadon &
	// Dement 2011). Default 35. Range [1, 120].
	REMMaxMin float64
	// REMHomeostaticWeight is the weight, in [0, 1], of sleep-dependent
	// disinhibition (1 - S/S at sleep onset) against circadian phase in REM
	// propensity; Dijk & Czeisler (1995) found both, interacting. Default
	// 0.5.
	REMHomeostaticWeight float64
	// REMCircadianPeakH is the clock time, in hours after midnight, of the
	// circadian maximum of REM propensity, shortly after the minimum of core
	// body temperature (Dijk & Czeisler 1995). Default 6. Range [0, 24).
	REMCircadianPeakH float64
	// REMCircadianSharpness is the concentration, dimensionless, of the
	// circadian REM rhythm, exp(k*(cos(2*pi*(t - peak)/24) - 1)): 0 makes
	// it flat, larger values narrow it around the peak; Dijk & Czeisler
	// (1995) found a robust rhythm confined to the late biological night.
	// Default 2. Range [0, 20].
	REMCircadianSharpness float64
	// REMJitter is the log-normal standard deviation of each REM episode's
	// length, dimensionless; 0 makes it deterministic. Default 0.07. Range
	// [0, 1].
	REMJitter float64

	// Slow-wave activity (SWA), in Process S units: it builds up
	// logistically in NREM towards a ceiling set by Process S, in the spirit
	// of the SWA model of Achermann, Dijk, Brunner & Borbely (1993, Brain
	// Res Bull 31:97), so N3 is deep early and fades across the night.

	// SWARisePerMin is the logistic growth rate of SWA in NREM sleep, per
	// minute; it sets the 10-20 min from N2 onset to N3. Default 0.25.
	// Range (0, 10].
	SWARisePerMin float64
	// SWAFallMin is the time constant in minutes of the fall of SWA in REM,
	// wake and the pre-REM part of a NREM period. Default 2. Range (0, 60].
	SWAFallMin float64
	// N3Threshold is the SWA, in Process S units, above which an epoch is
	// scored N3 (the AASM 20% of an epoch in slow waves). With S about 0.6
	// at sleep onset it gives about 20% N3, nearly all in the first two
	// cycles. Default 0.31. Range (0, 1).
	N3Threshold float64
	// SWANoise is the log-normal standard deviation, dimensionless, of the
	// epoch-to-epoch fluctuation of the SWA that scoring sees (the state
	// itself evolves smoothly): it makes N2 and N3 alternate near the
	// threshold; 0 removes it. Default 0.2. Range [0, 1].
	SWANoise float64

	// Brief awakenings: W epochs after sleep onset. Healthy young adults
	// wake briefly a few times per hour of sleep (SCIENCE.md allows up to
	// about 10 short arousals per hour; Carskadon & Dement 2011), more often
	// late in the night, as sleep pressure is discharged, and at the end of
	// REM episodes, and least from N3, whose arousal threshold is highest
	// (Akerstedt et al. 2002, "Awakening from sleep", Sleep Med Rev 6:267;
	// Rechtschaffen, Hauri & Zeitlin 1966, Percept Mot Skills 22:927).

	// AwakeningsPerH is the hazard of an awakening from N1 or N2 at sleep
	// onset, per hour of sleep; 0 removes spontaneous brief awakenings.
	// Default 1.3. Range [0, 30].
	AwakeningsPerH float64
	// AwakeningLateGain is the relative increase of the awakening hazard as
	// Process S is discharged: the hazard is multiplied by
	// 1 + AwakeningLateGain*(1 - S/S at sleep onset). Default 1. Range
	// [0, 10].
	AwakeningLateGain float64
	// AwakeningN3Gain multiplies the awakening hazard in N3, where the
	// arousal threshold is highest. Default 0.2. Range [0, 10].
	AwakeningN3Gain float64
	// AwakeningREMGain multiplies the awakening hazard in REM. Default 1.2.
	// Range [0, 10].
	AwakeningREMGain float64
	// WakeAfterREMProb is the probability that a REM episode ends in a brief
	// awakening. Default 0.3. Range [0, 1].
	WakeAfterREMProb float64
	// WakeContinueProb is the probability that a short awakening lasts one
	// more 30-s epoch (up to 2 min), so most awakenings last 30-60 s.
	// Default 0.3. Range [0, 0.95].
	WakeContinueProb float64
	// LongWakeProb is the probability that an awakening is a long one, 2 to
	// 5 min. Default 0.06. Range [0, 1].
	LongWakeProb float64

	// N1 at transitions.

	// N1AfterWakeProb is the probability that sleep resumes through one
	// epoch of N1 after an awakening or a REM episode. Default 0.7. Range
	// [0, 1].
	N1AfterWakeProb float64
	// N1PerH is the rate of isolated N1 epochs within N2, per hour of N2
	// (brief lightenings of sleep). With the transitions it gives N1 about
	// 4% of sleep (2-5% in young adults, Carskadon & Dement 2011). Default
	// 4.5. Range [0, 60].
	N1PerH float64
}

// DefaultModelParams returns the parameters of a healthy young adult in an
// 8-h laboratory night from 23:00 to 07:00 after 16 h awake.
func DefaultModelParams() ModelParams {
	return ModelParams{
		LightsOffH:   23,
		TimeInBedMin: 480,
		PriorWakeH:   16,

		TauRiseH:        18.2,
		TauDecayH:       4.2,
		UpperThreshold:  0.67,
		LowerThreshold:  0.17,
		CircadianAmp:    0.12,
		CircadianPhaseH: 9.0,

		SOLMedianMin:    12,
		SOLSpread:       0.4,
		SleepinessScale: 0.05,
		OnsetN1Min:      3,

		REMPressureMin:        58,
		SWAREMDelay:           1,
		CycleJitter:           0.06,
		PreREMFrac:            0.85,
		REMMaxMin:             35,
		REMHomeostaticWeight:  0.5,
		REMCircadianPeakH:     6,
		REMCircadianSharpness: 2,
		REMJitter:             0.07,

		SWARisePerMin: 0.25,
		SWAFallMin:    2,
		N3Threshold:   0.31,
		SWANoise:      0.2,

		AwakeningsPerH:    1.3,
		AwakeningLateGain: 1,
		AwakeningN3Gain:   0.2,
		AwakeningREMGain:  1.2,
		WakeAfterREMProb:  0.3,
		WakeContinueProb:  0.3,
		LongWakeProb:      0.06,

		N1AfterWakeProb: 0.7,
		N1PerH:          4.5,
	}
}

// paramRange is the allowed interval of one field.
type paramRange struct {
	name           string
	v              float64
	lo, hi         float64
	loOpen, hiOpen bool
	unit           string
}

func (r paramRange) check() error {
	ok := !math.IsNaN(r.v) &&
		(r.v > r.lo || (!r.loOpen && r.v == r.lo)) &&
		(r.v < r.hi || (!r.hiOpen && r.v == r.hi))
	if ok {
		return nil
	}
	lb, rb := "[", "]"
	if r.loOpen {
		lb = "("
	}
	if r.hiOpen {
		rb = ")"
	}
	unit := ""
	if r.unit != "" {
		unit = " " + r.unit
	}
	return fmt.Errorf("sleep: ModelParams.%s = %v, want in %s%v, %v%s%s", r.name, r.v, lb, r.lo, r.hi, rb, unit)
}

// Validate returns an error listing every field of p outside its allowed
// range, each with its name, value and range, or nil if p is usable.
func (p ModelParams) Validate() error {
	closed := func(name string, v, lo, hi float64, unit string) paramRange {
		return paramRange{name: name, v: v, lo: lo, hi: hi, unit: unit}
	}
	openLo := func(name string, v, lo, hi float64, unit string) paramRange {
		return paramRange{name: name, v: v, lo: lo, hi: hi, loOpen: true, unit: unit}
	}
	openHi := func(name string, v, lo, hi float64, unit string) paramRange {
		return paramRange{name: name, v: v, lo: lo, hi: hi, hiOpen: true, unit: unit}
	}
	open := func(name string, v, lo, hi float64, unit string) paramRange {
		return paramRange{name: name, v: v, lo: lo, hi: hi, loOpen: true, hiOpen: true, unit: unit}
	}
	ranges := []paramRange{
		openHi("LightsOffH", p.LightsOffH, 0, 24, "h"),
		closed("TimeInBedMin", p.TimeInBedMin, 30, 1440, "min"),
		closed("PriorWakeH", p.PriorWakeH, 0, 48, "h"),
		openLo("TauRiseH", p.TauRiseH, 0, 100, "h"),
		openLo("TauDecayH", p.TauDecayH, 0, 100, "h"),
		open("UpperThreshold", p.UpperThreshold, 0, 1, ""),
		open("LowerThreshold", p.LowerThreshold, 0, math.Max(p.UpperThreshold, 0), "(UpperThreshold)"),
		closed("CircadianAmp", p.CircadianAmp, 0, 0.5, ""),
		openHi("CircadianPhaseH", p.CircadianPhaseH, 0, 24, "h"),
		closed("SOLMedianMin", p.SOLMedianMin, 0.5, 120, "min"),
		closed("SOLSpread", p.SOLSpread, 0, 2, ""),
		openLo("SleepinessScale", p.SleepinessScale, 0, 1, ""),
		closed("OnsetN1Min", p.OnsetN1Min, 0.5, 30, "min"),
		closed("REMPressureMin", p.REMPressureMin, 10, 300, "min"),
		closed("SWAREMDelay", p.SWAREMDelay, 0, 10, ""),
		closed("CycleJitter", p.CycleJitter, 0, 1, ""),
		closed("PreREMFrac", p.PreREMFrac, 0.5, 1, ""),
		closed("REMMaxMin", p.REMMaxMin, 1, 120, "min"),
		closed("REMHomeostaticWeight", p.REMHomeostaticWeight, 0, 1, ""),
		openHi("REMCircadianPeakH", p.REMCircadianPeakH, 0, 24, "h"),
		closed("REMCircadianSharpness", p.REMCircadianSharpness, 0, 20, ""),
		closed("REMJitter", p.REMJitter, 0, 1, ""),
		openLo("SWARisePerMin", p.SWARisePerMin, 0, 10, "1/min"),
		openLo("SWAFallMin", p.SWAFallMin, 0, 60, "min"),
		open("N3Threshold", p.N3Threshold, 0, 1, ""),
		closed("SWANoise", p.SWANoise, 0, 1, ""),
		closed("AwakeningsPerH", p.AwakeningsPerH, 0, 30, "1/h"),
		closed("AwakeningLateGain", p.AwakeningLateGain, 0, 10, ""),
		closed("AwakeningN3Gain", p.AwakeningN3Gain, 0, 10, ""),
		closed("AwakeningREMGain", p.AwakeningREMGain, 0, 10, ""),
		closed("WakeAfterREMProb", p.WakeAfterREMProb, 0, 1, ""),
		closed("WakeContinueProb", p.WakeContinueProb, 0, 0.95, ""),
		closed("LongWakeProb", p.LongWakeProb, 0, 1, ""),
		closed("N1AfterWakeProb", p.N1AfterWakeProb, 0, 1, ""),
		closed("N1PerH", p.N1PerH, 0, 60, "1/h"),
	}
	var errs []error
	for _, r := range ranges {
		if err := r.check(); err != nil {
			errs = append(errs, err)
		}
	}
	if n := p.TimeInBedMin / EpochMin; !math.IsNaN(n) && n != math.Round(n) {
		errs = append(errs, fmt.Errorf("sleep: ModelParams.TimeInBedMin = %v, want a multiple of 0.5 min (one epoch)", p.TimeInBedMin))
	}
	return errors.Join(errs...)
}
