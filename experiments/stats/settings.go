package stats

import (
	"fmt"
	"math"
)

// CIMethod selects how Describe computes the confidence interval of a mean.
type CIMethod int

const (
	// TInterval is the Student t interval mean ± t(1-α/2; n-1)·SD/√n
	// (Student 1908). It is the default and the zero value: for roughly
	// normal run-level metrics its coverage is nominal at any n >= 2.
	TInterval CIMethod = iota

	// PercentileBootstrap is the percentile bootstrap interval of the mean
	// (Efron 1979; Efron & Tibshirani 1993, ch. 13): the α/2 and 1-α/2
	// quantiles of the means of resamples drawn with replacement. It makes no
	// normality assumption but is too narrow at small n, covering about 93%
	// instead of 95% at n = 20 (Hesterberg 2015).
	PercentileBootstrap
)

// String returns the name of the method.
func (m CIMethod) String() string {
	switch m {
	case TInterval:
		return "t-interval"
	case PercentileBootstrap:
		return "percentile-bootstrap"
	}
	return fmt.Sprintf("CIMethod(%d)", int(m))
}

// Defaults of Settings, used for zero-valued fields.
const (
	DefaultLevel                 = 0.95    // confidence level of every interval
	DefaultBootstrapResamples    = 10_000  // resamples of the percentile bootstrap
	DefaultPermutationResamples  = 9_999   // random splits of the Monte Carlo permutation test
	DefaultExactPermutationLimit = 200_000 // most group splits enumerated by the exact permutation test
)

// Settings holds the choices behind Describe and Compare. The zero value is
// usable and behaves as DefaultSettings.
type Settings struct {
	// Level is the confidence level of every interval, in (0, 1).
	// Default 0.95; zero means 0.95.
	Level float64

	// CI is the interval method of Describe. Default and zero value TInterval.
	CI CIMethod

	// BootstrapResamples is the number of bootstrap resamples drawn by
	// PercentileBootstrap. Default 10,000 (Monte Carlo error of a 2.5%
	// quantile well below the interval width); zero means 10,000.
	BootstrapResamples int

	// PermutationResamples is the number of random group splits of the Monte
	// Carlo permutation test, used when the exact test would enumerate more
	// than ExactPermutationLimit splits. Default 9,999, so p = (b+1)/10,000
	// has a Monte Carlo standard error of at most 0.005; zero means 9,999.
	PermutationResamples int

	// ExactPermutationLimit is the largest number of group splits
	// C(NA+NB, NA) that the permutation test enumerates exactly. Default
	// 200,000, which keeps 10 vs 10 runs (184,756 splits) exact; zero means
	// 200,000.
	ExactPermutationLimit int

	// SkipPermutation, when true, leaves Comparison.PPermutation NaN and
	// draws nothing from the random source. Default false.
	SkipPermutation bool
}

// DefaultSettings returns the settings used by Describe and Compare.
func DefaultSettings() Settings {
	return Settings{
		Level:                 DefaultLevel,
		CI:                    TInterval,
		BootstrapResamples:    DefaultBootstrapResamples,
		PermutationResamples:  DefaultPermutationResamples,
		ExactPermutationLimit: DefaultExactPermutationLimit,
	}
}

// Validate returns an error naming the first field of s that is out of range.
func (s Settings) Validate() error {
	switch {
	case s.Level != 0 && !(s.Level > 0 && s.Level < 1):
		return fmt.Errorf("stats: Settings.Level %v is not in (0, 1)", s.Level)
	case s.CI != TInterval && s.CI != PercentileBootstrap:
		return fmt.Errorf("stats: Settings.CI %v is not a known method", s.CI)
	case s.BootstrapResamples < 0:
		return fmt.Errorf("stats: Settings.BootstrapResamples %d is negative", s.BootstrapResamples)
	case s.PermutationResamples < 0:
		return fmt.Errorf("stats: Settings.PermutationResamples %d is negative", s.PermutationResamples)
	case s.ExactPermutationLimit < 0:
		return fmt.Errorf("stats: Settings.ExactPermutationLimit %d is negative", s.ExactPermutationLimit)
	}
	return nil
}

// resolved returns s with zero fields replaced by their defaults. It panics
// on invalid settings: they are a programming error, which Validate reports
// as an error for settings read from a file.
func (s Settings) resolved() Settings {
	if err := s.Validate(); err != nil {
		panic(err.Error())
	}
	if s.Level == 0 {
		s.Level = DefaultLevel
	}
	if s.BootstrapResamples == 0 {
		s.BootstrapResamples = DefaultBootstrapResamples
	}
	if s.PermutationResamples == 0 {
		s.PermutationResamples = DefaultPermutationResamples
	}
	if s.ExactPermutationLimit == 0 {
		s.ExactPermutationLimit = DefaultExactPermutationLimit
	}
	return s
}

// upperQuantile returns the 1-α/2 probability of a two-sided interval at
// confidence level.
func upperQuantile(level float64) float64 {
	return 1 - (1-level)/2
}

// isFinite reports whether v is neither NaN nor ±Inf.
func isFinite(v float64) bool {
	return !math.IsNaN(v) && !math.IsInf(v, 0)
}
