package regions

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/dreamsim/dreamsim/sim"
	"github.com/dreamsim/dreamsim/sim/sleep"
)

// ManipulationKind is an experimental handle on a region.
type ManipulationKind string

const (
	// Ablate removes the region's output for the whole window it applies to
	// (a lesion; Izawa et al. 2019 used diphtheria-toxin ablation of MCH
	// neurons). The population still runs, but nothing leaves it.
	Ablate ManipulationKind = "ablate"
	// Stimulate adds Value to the drive of the region's population
	// (optogenetic excitation): its activity rises as far as its dynamics
	// allow.
	Stimulate ManipulationKind = "stimulate"
	// Silence sets the region's output to zero in the chosen stages
	// (optogenetic inhibition, e.g. Izawa 2019's REM-locked silencing of MCH
	// neurons is silence mch in R).
	Silence ManipulationKind = "silence"
	// Clamp holds the region's output at Value.
	Clamp ManipulationKind = "clamp"
)

// ManipulationKinds lists the valid kinds.
var ManipulationKinds = []ManipulationKind{Ablate, Stimulate, Silence, Clamp}

// Manipulation is one experimental intervention on one region's signal.
type Manipulation struct {
	Kind   ManipulationKind `toml:"kind"`   // ablate, stimulate, silence or clamp
	Region string           `toml:"region"` // lc, mch, pfc, amygdala, hippocampus, cortex, senses, or a custom region
	// Signal names the output to act on; empty means the region's main
	// output (lc: ne, mch: activity, pfc: activity, amygdala: activity,
	// hippocampus: replay, cortex: dreaming).
	Signal string `toml:"signal"`
	// Stages restricts the manipulation to these stages (W, N1, N2, N3, R);
	// empty means every stage.
	Stages []string `toml:"stages"`
	// FromMin and ToMin restrict it to a time window in minutes from the
	// first lights-off (negative times are the day before). Both zero means
	// the whole run.
	FromMin float64 `toml:"from_min"`
	ToMin   float64 `toml:"to_min"`
	// Value is the added drive for stimulate (input units; default 1) and the
	// held value for clamp (output units, 0-1).
	Value float64 `toml:"value"`
}

// active reports whether m applies at the moment.
func (m *Manipulation) active(at sim.Moment, stages uint8) bool {
	if stages != 0 && stages&(1<<at.Stage) == 0 {
		return false
	}
	if m.FromMin != 0 || m.ToMin != 0 {
		return at.Min >= m.FromMin && at.Min < m.ToMin
	}
	return true
}

// Validate reports the problems of m given the signals of the region it
// names.
func (m *Manipulation) Validate(signals []string) error {
	var errs []string
	if !slices.Contains(ManipulationKinds, m.Kind) {
		errs = append(errs, fmt.Sprintf("unknown manipulation kind %q (valid: %s)", m.Kind, joinKinds()))
	}
	if m.Signal != "" && signals != nil && !slices.Contains(signals, m.Signal) {
		errs = append(errs, fmt.Sprintf("region %q has no signal %q (signals: %s)", m.Region, m.Signal, strings.Join(signals, ", ")))
	}
	for _, s := range m.Stages {
		if _, err := sleep.ParseStage(s); err != nil {
			errs = append(errs, fmt.Sprintf("unknown stage %q (valid: W, N1, N2, N3, R)", s))
		}
	}
	if math.IsNaN(m.Value) || math.IsInf(m.Value, 0) {
		errs = append(errs, fmt.Sprintf("value %v must be finite", m.Value))
	}
	if m.Kind == Clamp && (m.Value < 0 || m.Value > 1) {
		errs = append(errs, fmt.Sprintf("clamp value %v out of range [0, 1]", m.Value))
	}
	if (m.FromMin != 0 || m.ToMin != 0) && !(m.ToMin > m.FromMin) {
		errs = append(errs, fmt.Sprintf("time window [%v, %v) min is empty", m.FromMin, m.ToMin))
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s %s: %s", m.Kind, m.Region, strings.Join(errs, "; "))
	}
	return nil
}

func joinKinds() string {
	s := make([]string, len(ManipulationKinds))
	for i, k := range ManipulationKinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

// handles holds the manipulations acting on one signal of a region.
type handles struct {
	ms     []Manipulation
	stages []uint8 // bit set of stages per manipulation
}

func newHandles(ms []Manipulation) handles {
	h := handles{ms: ms}
	for _, m := range ms {
		var set uint8
		for _, s := range m.Stages {
			st, _ := sleep.ParseStage(s)
			set |= 1 << st
		}
		h.stages = append(h.stages, set)
	}
	return h
}

// drive returns the extra drive stimulation adds at the moment.
func (h *handles) drive(at sim.Moment) float64 {
	d := 0.0
	for i := range h.ms {
		if h.ms[i].Kind == Stimulate && h.ms[i].active(at, h.stages[i]) {
			d += h.ms[i].Value
		}
	}
	return d
}

// output applies ablation, silencing and clamping to a raw output value.
func (h *handles) output(at sim.Moment, raw float64) float64 {
	for i := range h.ms {
		m := &h.ms[i]
		if !m.active(at, h.stages[i]) {
			continue
		}
		switch m.Kind {
		case Ablate, Silence:
			raw = 0
		case Clamp:
			raw = m.Value
		}
	}
	return raw
}

// split sorts manipulations of one region by signal, the empty signal
// standing for main.
func split(ms []Manipulation, main string) map[string]handles {
	by := map[string][]Manipulation{}
	for _, m := range ms {
		s := m.Signal
		if s == "" {
			s = main
		}
		by[s] = append(by[s], m)
	}
	out := map[string]handles{}
	for s, list := range by {
		out[s] = newHandles(list)
	}
	return out
}

// lesions returns the handles of the ablations among ms, which silence
// every output of a region.
func lesions(ms []Manipulation) handles {
	var ab []Manipulation
	for _, m := range ms {
		if m.Kind == Ablate {
			ab = append(ab, m)
		}
	}
	return newHandles(ab)
}

// lesioned reports whether an ablation removes the region at the moment.
func (h *handles) lesioned(at sim.Moment) bool {
	return len(h.ms) > 0 && h.output(at, 1) == 0
}
