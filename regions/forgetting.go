package regions

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
)

// TraceView is what a forgetting rule may know about a hippocampal trace.
type TraceView struct {
	ID       int64
	Strength float64 // hippocampal strength, 0-1
	Replays  int     // sharp-wave ripple replays so far
	Arousal  float64 // current arousal the amygdala holds for it, 0-1
	Tag      float64 // the amygdala's emotional tag, 0-1
	AgeMin   float64 // minutes since encoding
	Dream    bool    // a trace of a dream rather than of an episode
}

// ForgettingRule is a hypothesis about which memories MCH neurons erase.
// Izawa et al. (2019, Science 365:1308) showed that MCH neurons active in
// REM sleep drive forgetting of hippocampus-dependent memories; nobody knows
// by which criterion they choose. A rule answers that question: it gives
// each trace a vulnerability, and the hippocampus erases traces in
// proportion to MCH activity times vulnerability times strength. The
// hippocampus rescales the vulnerabilities so that every rule removes the
// same total strength, and rules differ only in which memories they hit.
type ForgettingRule interface {
	// Name is the name experiment files select the rule by.
	Name() string
	// Vulnerability writes each trace's relative vulnerability (>= 0) into
	// w, given the amygdala's current activity (0-1).
	Vulnerability(traces []TraceView, amygdala float64, w []float64)
}

// The built-in rules.
type (
	// Uniform erases every trace alike: MCH activity as unselective
	// downscaling (the null hypothesis).
	Uniform struct{}
	// WeakestFirst erases weak traces first: vulnerability exp(-Strength /
	// Scale), the hypothesis that MCH forgetting prunes what was poorly
	// encoded, like synaptic downscaling that spares strong synapses
	// (Tononi & Cirelli 2014, Neuron 81:12).
	WeakestFirst struct{ Scale float64 }
	// LeastReplayedFirst erases traces that NREM replay did not select:
	// vulnerability exp(-Replays / mean Replays over the traces), the
	// hypothesis that replay tags a memory as worth keeping and MCH clears
	// the rest (Izawa et al. 2019, discussion; Girardeau et al. 2009 on
	// replay's role). Replay counts are taken relative to their mean, since
	// every memory is replayed many times a night.
	LeastReplayedFirst struct{}
	// EmotionProtected spares emotional memories: vulnerability 1 -
	// Protection*Arousal, the hypothesis that arousal at encoding protects
	// a memory from sleep-dependent forgetting (Payne et al. 2008, Psychol
	// Sci 19:781: emotional memories are selectively preserved over sleep).
	EmotionProtected struct{ Protection float64 }
	// AmygdalaCoupled spares tagged traces in proportion to the amygdala's
	// current activity: vulnerability 1 - Coupling*amygdala*Tag, the seed
	// paper's suggestion that the amygdala, more active in REM, tells MCH
	// neurons which memories to keep (Kong & Aarabi 2023).
	AmygdalaCoupled struct{ Coupling float64 }
)

func (Uniform) Name() string { return "uniform" }
func (Uniform) Vulnerability(ts []TraceView, _ float64, w []float64) {
	for i := range ts {
		w[i] = 1
	}
}

func (WeakestFirst) Name() string { return "weakest-first" }
func (r WeakestFirst) Vulnerability(ts []TraceView, _ float64, w []float64) {
	for i, t := range ts {
		w[i] = math.Exp(-t.Strength / r.Scale)
	}
}

func (LeastReplayedFirst) Name() string { return "least-replayed-first" }
func (LeastReplayedFirst) Vulnerability(ts []TraceView, _ float64, w []float64) {
	mean := 0.0
	for _, t := range ts {
		mean += float64(t.Replays)
	}
	mean /= float64(len(ts))
	for i, t := range ts {
		w[i] = 1
		if mean > 0 {
			w[i] = math.Exp(-float64(t.Replays) / mean)
		}
	}
}

func (EmotionProtected) Name() string { return "emotion-protected" }
func (r EmotionProtected) Vulnerability(ts []TraceView, _ float64, w []float64) {
	for i, t := range ts {
		w[i] = math.Max(0, 1-r.Protection*t.Arousal)
	}
}

func (AmygdalaCoupled) Name() string { return "amygdala-coupled" }
func (r AmygdalaCoupled) Vulnerability(ts []TraceView, amygdala float64, w []float64) {
	for i, t := range ts {
		w[i] = math.Max(0, 1-r.Coupling*amygdala*t.Tag)
	}
}

var (
	rulesMu sync.RWMutex
	rules   = map[string]func() ForgettingRule{
		"uniform":              func() ForgettingRule { return Uniform{} },
		"weakest-first":        func() ForgettingRule { return WeakestFirst{Scale: 0.25} },
		"least-replayed-first": func() ForgettingRule { return LeastReplayedFirst{} },
		"emotion-protected":    func() ForgettingRule { return EmotionProtected{Protection: 0.9} },
		"amygdala-coupled":     func() ForgettingRule { return AmygdalaCoupled{Coupling: 1} },
	}
)

// RegisterForgettingRule makes a rule selectable by name from experiment
// files (hippocampus.forgetting_rule). It returns an error if the name is
// taken or empty.
func RegisterForgettingRule(name string, rule func() ForgettingRule) error {
	rulesMu.Lock()
	defer rulesMu.Unlock()
	if name == "" || rule == nil {
		return fmt.Errorf("regions: a forgetting rule needs a name and a constructor")
	}
	if _, ok := rules[name]; ok {
		return fmt.Errorf("regions: forgetting rule %q is already registered", name)
	}
	rules[name] = rule
	return nil
}

// NewForgettingRule returns the rule registered under name.
func NewForgettingRule(name string) (ForgettingRule, error) {
	rulesMu.RLock()
	defer rulesMu.RUnlock()
	if f, ok := rules[name]; ok {
		return f(), nil
	}
	return nil, fmt.Errorf("unknown forgetting rule %q (valid: %s)", name, strings.Join(ruleNames(), ", "))
}

// ForgettingRuleNames lists the registered rules, sorted.
func ForgettingRuleNames() []string {
	rulesMu.RLock()
	defer rulesMu.RUnlock()
	return ruleNames()
}

func ruleNames() []string {
	names := make([]string, 0, len(rules))
	for n := range rules {
		names = append(names, n)
	}
	sort.Strings(names)
	return slices.Clip(names)
}
