package neurons

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// OU is an Ornstein-Uhlenbeck process with zero mean,
//
//	Tau dX = -X dt + SD*sqrt(2*Tau) dW,
//
// whose stationary distribution is normal with standard deviation SD and
// whose autocorrelation at lag s is exp(-|s|/Tau).
//
// Step uses the exact discretisation of Gillespie (1996, Phys Rev E 54:2084):
//
//	X(t+dt) = X(t)*mu + SD*sqrt(1 - mu^2)*z,  mu = exp(-dt/Tau),  z ~ N(0, 1),
//
// which has the process's exact transition law for every dt, so the
// stationary variance and the autocorrelation do not depend on the time step
// (the Euler-Maruyama update would inflate the variance by a factor
// 1/(1 - dt/(2*Tau))).
//
// The zero value is a silent process (SD = 0) whose Tau must still be set
// before stepping.
type OU struct {
	Tau float64 // s, correlation time; must be > 0
	SD  float64 // stationary standard deviation, in the units of X; 0 = silent
	X   float64 // current value, in the units of SD

	// Cached coefficients of the last step, valid while dt, Tau and SD are
	// unchanged; they keep math.Exp and math.Sqrt out of repeated steps.
	cDt, cTau, cSD float64
	mu, kick       float64
}

// Validate returns an error if Tau is not a finite time > 0 s or SD is not
// finite and >= 0.
func (o OU) Validate() error {
	var errs []error
	if !(o.Tau > 0) || math.IsInf(o.Tau, 0) {
		errs = append(errs, fmt.Errorf("neurons: OU.Tau = %v, want a finite time > 0 s", o.Tau))
	}
	if !(o.SD >= 0) || math.IsInf(o.SD, 0) {
		errs = append(errs, fmt.Errorf("neurons: OU.SD = %v, want finite and >= 0", o.SD))
	}
	return errors.Join(errs...)
}

// Step advances X by dt seconds with the exact update and returns the new
// value. It draws one normal number from rng, unless SD is zero, in which
// case rng may be nil. Step panics if dt is not a finite time > 0 or if
// Validate fails: both are programmer errors.
func (o *OU) Step(dt float64, rng *rand.Rand) float64 {
	if dt != o.cDt || o.Tau != o.cTau || o.SD != o.cSD {
		if !(dt > 0) || math.IsInf(dt, 0) {
			panic(fmt.Sprintf("neurons: OU.Step dt = %v, want a finite time > 0 s", dt))
		}
		if err := o.Validate(); err != nil {
			panic(err.Error())
		}
		o.mu, o.kick = ouCoefficients(dt, o.Tau, o.SD)
		o.cDt, o.cTau, o.cSD = dt, o.Tau, o.SD
	}
	if o.SD == 0 {
		o.X *= o.mu
		return o.X
	}
	o.X = o.mu*o.X + o.kick*rng.NormFloat64()
	return o.X
}

// Stationary draws X from the stationary distribution N(0, SD^2), so that the
// process is stationary from its first step. It draws nothing and sets X to
// zero when SD is zero.
func (o *OU) Stationary(rng *rand.Rand) {
	if o.SD == 0 {
		o.X = 0
		return
	}
	o.X = o.SD * rng.NormFloat64()
}

// ouCoefficients returns the decay mu = exp(-dt/tau) and the noise amplitude
// sd*sqrt(1 - mu^2) of the exact Ornstein-Uhlenbeck update (Gillespie 1996).
// 1 - mu^2 is computed as -expm1(-2*dt/tau) to keep its precision when dt is
// much smaller than tau.
func ouCoefficients(dt, tau, sd float64) (mu, kick float64) {
	return math.Exp(-dt / tau), sd * math.Sqrt(-math.Expm1(-2*dt/tau))
}
