package experiments

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/dreamsim/dreamsim/generative"
	"github.com/dreamsim/dreamsim/regions"
	"github.com/dreamsim/dreamsim/sim/sleep"
)

// Config is everything one run needs besides its seed: the engine, the
// sleep-stage clock, the day-night protocol, what to record, the episodic
// content, the regions and the manipulations. DefaultConfig is the single
// source of its defaults; an experiment file overrides what it names.
type Config struct {
	Sim           SimParams              `toml:"sim"`
	Clock         ClockParams            `toml:"clock"`
	Phases        []PhaseParams          `toml:"phase"`
	Record        RecordParams           `toml:"record"`
	Content       ContentParams          `toml:"content"`
	Regions       regions.Model          `toml:"regions"`
	Manipulations []regions.Manipulation `toml:"manipulation"`
	Custom        []CustomRegion         `toml:"region"`
	Connections   []ConnectionParams     `toml:"connection"`

	night sleep.Hypnogram // the hypnogram clock's night, read at load
}

// SimParams sets up the engine.
type SimParams struct {
	// DtS is the tick length in seconds; default 0.1. It must divide the
	// 30-s epoch and be no larger than any region's time constant.
	DtS float64 `toml:"dt_s"`
	// DelayS is the delay of every built-in connection in seconds; default
	// 0.5 s, the time scale of neuromodulatory volume transmission. The
	// engine's window is the smallest delay, so longer delays run faster.
	DelayS float64 `toml:"delay_s"`
	// Executor is "auto" (default: concurrent for a single run, sequential
	// when several runs fill the cores), "concurrent" or "sequential".
	// Both give the same bytes.
	Executor string `toml:"executor"`
}

// ClockParams chooses the sleep-stage clock.
type ClockParams struct {
	// Source is "model" (default: a generated night), "schedule" (the
	// stages listed in Schedule) or "hypnogram" (a scored night read from
	// the file Hypnogram).
	Source string `toml:"source"`
	// Model holds the parameters of the model clock (package sim/sleep).
	Model sleep.ModelParams `toml:"model"`
	// Schedule lists stages and minutes for the schedule clock.
	Schedule []ScheduleBlock `toml:"schedule"`
	// Hypnogram is the path of a hypnogram file (30-s epochs; W/N1/N2/N3/R
	// labels, 0-4 integers, or "Sleep stage ..." labels), relative to the
	// experiment file.
	Hypnogram string `toml:"hypnogram"`
}

// ScheduleBlock is one block of the schedule clock.
type ScheduleBlock struct {
	Stage   string  `toml:"stage"`   // W, N1, N2, N3 or R
	Minutes float64 `toml:"minutes"` // a positive multiple of 0.5
}

// PhaseParams is one phase of the protocol.
type PhaseParams struct {
	// Kind is "wake" (episodes arrive), "sleep" (a night of the clock) or
	// "test" (cued recall of every episode, and dream recall).
	Kind string `toml:"kind"`
	// Minutes is the length of a wake phase; default 60. The day is
	// compressed: what matters is the order and spacing of episodes.
	Minutes float64 `toml:"minutes"`
	// Episodes is the number of distinct episodes of a wake phase; default 32.
	Episodes int `toml:"episodes"`
	// EmotionalFraction of the episodes are emotional; default 0.5.
	EmotionalFraction float64 `toml:"emotional_fraction"`
	// NegativeFraction of the emotional episodes are negative; default 0.5.
	NegativeFraction float64 `toml:"negative_fraction"`
	// Repetitions is how often each episode is presented; default 1.
	Repetitions int `toml:"repetitions"`
	// Variation is the fraction of the world's range of poses the day
	// draws from; default 1. Small values make a narrow, repetitive day.
	Variation float64 `toml:"variation"`
}

// RecordParams chooses what activity.csv holds.
type RecordParams struct {
	// IntervalS is the sampling interval in seconds; each row holds the
	// mean of every signal over one interval. Default 30 (one epoch).
	IntervalS float64 `toml:"interval_s"`
	// Signals lists "region.signal" columns; default lc.ne, mch.activity,
	// pfc.activity, amygdala.activity, hippocampus.ripples_per_min,
	// cortex.dreaming.
	Signals []string `toml:"signals"`
}

// ContentParams sets up the episodic content (package generative).
type ContentParams struct {
	Side        int      `toml:"side"`         // image side in pixels; default 16
	Noise       float64  `toml:"noise"`        // pixel noise SD; default 0.05
	ContextSize int      `toml:"context_size"` // length of the context code; default 4
	Classes     []string `toml:"classes"`      // shape names; default the eight default shapes
}

// CustomRegion adds a region of a registered kind (regions.RegisterRegion).
type CustomRegion struct {
	Name   string         `toml:"name"`
	Kind   string         `toml:"kind"`
	Params map[string]any `toml:"params"`
}

// ConnectionParams adds a connection, or changes the delay of a built-in one.
type ConnectionParams struct {
	From   string  `toml:"from"`
	Output string  `toml:"output"`
	To     string  `toml:"to"`
	Input  string  `toml:"input"`   // default: the output's name
	DelayS float64 `toml:"delay_s"` // default: sim.delay_s
}

// DefaultSignals are the columns of activity.csv by default.
var DefaultSignals = []string{"lc.ne", "mch.activity", "pfc.activity", "amygdala.activity", "hippocampus.ripples_per_min", "cortex.dreaming"}

// DefaultConfig returns the default configuration: one 60-min day of 32
// episodes, one 8-h night of the model clock, a morning test.
func DefaultConfig() Config {
	return Config{
		Sim:     SimParams{DtS: 0.1, DelayS: 0.5, Executor: "auto"},
		Clock:   ClockParams{Source: "model", Model: sleep.DefaultModelParams()},
		Phases:  []PhaseParams{DefaultPhase("wake"), DefaultPhase("sleep"), DefaultPhase("test")},
		Record:  RecordParams{IntervalS: 30, Signals: slices.Clone(DefaultSignals)},
		Content: ContentParams{Side: 16, Noise: 0.05, ContextSize: 4, Classes: defaultClassNames()},
		Regions: regions.DefaultModel(),
	}
}

// DefaultPhase returns a phase of the given kind with every default.
func DefaultPhase(kind string) PhaseParams {
	return PhaseParams{Kind: kind, Minutes: 60, Episodes: 32, EmotionalFraction: 0.5, NegativeFraction: 0.5, Repetitions: 1, Variation: 1}
}

func defaultClassNames() []string {
	var names []string
	for _, s := range generative.DefaultShapes() {
		names = append(names, s.String())
	}
	return names
}

// allShapes lists every shape the content generator can draw.
func allShapes() []generative.Shape {
	var out []generative.Shape
	for s := generative.Shape(0); ; s++ {
		if strings.HasPrefix(s.String(), "Shape(") {
			return out
		}
		out = append(out, s)
	}
}

// ContentSettings returns the generator settings.
func (c ContentParams) ContentSettings() (generative.ContentSettings, error) {
	s := generative.DefaultContentSettings()
	s.Side, s.Noise, s.ContextSize = c.Side, c.Noise, c.ContextSize
	s.Shapes = nil
	var valid []string
	for _, sh := range allShapes() {
		valid = append(valid, sh.String())
	}
	for _, name := range c.Classes {
		i := slices.Index(valid, name)
		if i < 0 {
			return s, fmt.Errorf("unknown content class %q (valid: %s)", name, strings.Join(valid, ", "))
		}
		s.Shapes = append(s.Shapes, allShapes()[i])
	}
	return s, nil
}

// minTickS is the shortest tick allowed, 0.1 ms, NEST's usual resolution:
// region-level models have nothing to resolve below it, and a protocol of
// shorter ticks would run for days.
const minTickS = 1e-4

// phaseKinds are the valid phase kinds.
var phaseKinds = []string{"wake", "sleep", "test"}

// Validate reports every problem of the configuration at once, each with
// the key it concerns.
func (c *Config) Validate() []problem {
	var ps []problem
	add := func(key, format string, args ...any) {
		ps = append(ps, problem{key: key, msg: fmt.Sprintf(format, args...)})
	}
	dt := c.Sim.DtS
	if !(dt >= minTickS) || dt > 30 || math.Abs(30/dt-math.Round(30/dt)) > 1e-9 {
		add("sim.dt_s", "%v s out of range: want a tick in [%g, 30] s that divides the 30-s epoch (e.g. 0.01, 0.1, 0.5, 1)", dt, minTickS)
		dt = 0.1
	}
	if !(c.Sim.DelayS > 0) || c.Sim.DelayS > 3600 {
		add("sim.delay_s", "%v s out of range (0, 3600]", c.Sim.DelayS)
	} else if c.Sim.DelayS < dt*(1-1e-9) {
		add("sim.delay_s", "%v s is shorter than the tick dt_s = %v s: every connection needs a delay of at least one tick", c.Sim.DelayS, dt)
	}
	if !slices.Contains([]string{"auto", "concurrent", "sequential"}, c.Sim.Executor) {
		add("sim.executor", "unknown executor %q (valid: auto, concurrent, sequential)", c.Sim.Executor)
	}
	switch c.Clock.Source {
	case "model":
		if err := c.Clock.Model.Validate(); err != nil {
			for _, e := range splitErr(err) {
				add("clock.model", "%s", e)
			}
		}
	case "schedule":
		if len(c.Clock.Schedule) == 0 {
			add("clock.schedule", "the schedule clock needs at least one [[clock.schedule]] block")
		}
		for i, b := range c.Clock.Schedule {
			key := fmt.Sprintf("clock.schedule[%d]", i)
			if _, err := sleep.ParseStage(b.Stage); err != nil {
				add(key+".stage", "unknown stage %q (valid: W, N1, N2, N3, R)", b.Stage)
			}
			if !(b.Minutes > 0) || b.Minutes > 7*24*60 || math.Abs(b.Minutes*2-math.Round(b.Minutes*2)) > 1e-9 {
				add(key+".minutes", "%v out of range: want a positive multiple of 0.5 (one 30-s epoch), at most a week", b.Minutes)
			}
		}
	case "hypnogram":
		if c.Clock.Hypnogram == "" {
			add("clock.hypnogram", "the hypnogram clock needs a file: clock.hypnogram = \"night.csv\"")
		}
	default:
		add("clock.source", "unknown clock source %q (valid: model, schedule, hypnogram)", c.Clock.Source)
	}
	ps = append(ps, c.validatePhases(dt)...)
	if !(c.Record.IntervalS >= dt) || c.Record.IntervalS > 24*3600 || math.Abs(c.Record.IntervalS/dt-math.Round(c.Record.IntervalS/dt)) > 1e-6 {
		add("record.interval_s", "%v s out of range: want a multiple of dt_s = %v s, at most a day", c.Record.IntervalS, dt)
	}
	for i, s := range c.Record.Signals {
		if r, _, ok := strings.Cut(s, "."); !ok || r == "" {
			add(fmt.Sprintf("record.signals[%d]", i), "%q is not of the form region.signal", s)
		}
	}
	if c.Content.Side < 4 || c.Content.Side > 128 {
		add("content.side", "%d out of range [4, 128] pixels", c.Content.Side)
	}
	if !(c.Content.Noise >= 0) || c.Content.Noise > 1 {
		add("content.noise", "%v out of range [0, 1]", c.Content.Noise)
	}
	if c.Content.ContextSize < 0 || c.Content.ContextSize > 1024 {
		add("content.context_size", "%d out of range [0, 1024]", c.Content.ContextSize)
	}
	if c.Regions.Cortex.ReplayOcclusion > c.Content.Side {
		add("regions.cortex.replay_occlusion", "%d is larger than the image side content.side = %d", c.Regions.Cortex.ReplayOcclusion, c.Content.Side)
	}
	if _, err := c.Content.ContentSettings(); err != nil {
		add("content.classes", "%v", err)
	} else if len(c.Content.Classes) < 2 {
		add("content.classes", "want at least two classes, got %d", len(c.Content.Classes))
	}
	if err := c.Regions.Validate(dt); err != nil {
		for _, e := range splitErr(err) {
			region, rest, _ := strings.Cut(strings.TrimPrefix(e, "regions."), ": ")
			add("regions."+region, "%s", rest)
		}
	}
	names := slices.Clone(regions.BuiltinRegions)
	for i, r := range c.Custom {
		key := fmt.Sprintf("region[%d]", i)
		if r.Name == "" {
			add(key+".name", "a custom region needs a name")
		} else if slices.Contains(names, r.Name) {
			add(key+".name", "region name %q is already taken", r.Name)
		}
		names = append(names, r.Name)
	}
	for i, m := range c.Manipulations {
		key := fmt.Sprintf("manipulation[%d]", i)
		if !slices.Contains(names, m.Region) {
			add(key+".region", "unknown region %q (valid: %s)", m.Region, strings.Join(names, ", "))
			continue
		}
		if err := m.Validate(signalsOf(m.Region)); err != nil {
			add(key, "%v", err)
		}
	}
	for i, cn := range c.Connections {
		key := fmt.Sprintf("connection[%d]", i)
		if !slices.Contains(names, cn.From) {
			add(key+".from", "unknown region %q (valid: %s)", cn.From, strings.Join(names, ", "))
		}
		if !slices.Contains(names, cn.To) {
			add(key+".to", "unknown region %q (valid: %s)", cn.To, strings.Join(names, ", "))
		}
		if cn.DelayS != 0 && cn.DelayS < dt*(1-1e-9) {
			add(key+".delay_s", "%v s is shorter than the tick dt_s = %v s", cn.DelayS, dt)
		}
	}
	return ps
}

func (c *Config) validatePhases(dt float64) []problem {
	var ps []problem
	add := func(key, format string, args ...any) {
		ps = append(ps, problem{key: key, msg: fmt.Sprintf(format, args...)})
	}
	if len(c.Phases) == 0 {
		add("phase", "the protocol needs at least one phase")
	}
	wake, sleeps, tests := 0, 0, 0
	for i, p := range c.Phases {
		key := fmt.Sprintf("phase[%d]", i)
		switch p.Kind {
		case "wake":
			wake++
			if !(p.Minutes >= 0.5) || p.Minutes > 7*24*60 || math.Abs(p.Minutes*2-math.Round(p.Minutes*2)) > 1e-9 {
				add(key+".minutes", "%v out of range: want a multiple of 0.5 min between 0.5 and a week", p.Minutes)
			}
			if p.Episodes < 0 || p.Episodes > 10000 {
				add(key+".episodes", "%d out of range [0, 10000]", p.Episodes)
			}
			if p.Repetitions < 1 || p.Repetitions > 1000 {
				add(key+".repetitions", "%d out of range [1, 1000]", p.Repetitions)
			}
			if !(p.EmotionalFraction >= 0 && p.EmotionalFraction <= 1) {
				add(key+".emotional_fraction", "%v out of range [0, 1]", p.EmotionalFraction)
			}
			if !(p.NegativeFraction >= 0 && p.NegativeFraction <= 1) {
				add(key+".negative_fraction", "%v out of range [0, 1]", p.NegativeFraction)
			}
			if !(p.Variation > 0 && p.Variation <= 1) {
				add(key+".variation", "%v out of range (0, 1]", p.Variation)
			}
			if n := float64(p.Episodes * p.Repetitions); n > 0 && p.Minutes*60/n < dt {
				add(key+".episodes", "%d presentations do not fit in %v min at one per tick", p.Episodes*p.Repetitions, p.Minutes)
			}
		case "sleep":
			sleeps++
			if wake == 0 {
				add(key+".kind", "a sleep phase needs a wake phase before it: nothing would have been encoded")
			}
		case "test":
			tests++
			if i != len(c.Phases)-1 {
				add(key+".kind", "the test phase must come last")
			}
		default:
			add(key+".kind", "unknown phase kind %q (valid: %s)", p.Kind, strings.Join(phaseKinds, ", "))
		}
	}
	if tests > 1 {
		add("phase", "only one test phase is allowed")
	}
	_ = sleeps
	return ps
}

// signalsOf lists the manipulable signals of a built-in region (nil for a
// custom region, whose signals are checked when it is built).
func signalsOf(region string) []string {
	switch region {
	case "lc":
		return []string{"ne"}
	case "mch", "pfc", "amygdala":
		return []string{"activity"}
	case "hippocampus":
		return []string{"replay"}
	case "cortex":
		return []string{"dreaming", "learning"}
	case "senses":
		return []string{"episode"}
	}
	return nil
}

// splitErr flattens errors.Join trees into messages.
func splitErr(err error) []string {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []string
		for _, e := range j.Unwrap() {
			out = append(out, splitErr(e)...)
		}
		return out
	}
	var w interface{ Unwrap() error }
	if errors.As(err, &w) {
		msg := err.Error()
		inner := w.Unwrap()
		if j, ok := inner.(interface{ Unwrap() []error }); ok {
			prefix := strings.TrimSuffix(msg, inner.Error())
			var out []string
			for _, e := range j.Unwrap() {
				for _, s := range splitErr(e) {
					out = append(out, prefix+s)
				}
			}
			return out
		}
	}
	return strings.Split(err.Error(), "\n")
}

// maxRunBytes is the most memory one run may need; bigger configs are
// refused up front with an estimate.
const maxRunBytes = 4 << 30

// estimateBytes estimates the memory one run needs: the network with its
// gradients and optimiser state, the dentate-gyrus projection, the stored
// traces and dreams, and the timeline. Recorders stream to disk and do not
// count.
func (c *Config) estimateBytes() float64 {
	px := float64(c.Content.Side * c.Content.Side)
	in := px + float64(c.Content.ContextSize)
	net := 0.0
	prev := px
	for _, h := range c.Regions.Cortex.Hidden {
		net += 2 * (prev*float64(h) + float64(h))
		prev = float64(h)
	}
	net += 2 * prev * float64(c.Regions.Cortex.Latent) * 2
	bytes := net * 8 * 4
	bytes += float64(c.Regions.Hippocampus.DGUnits) * in * 8
	episodes, sleepMin, allMin := 0.0, 0.0, 0.0
	for _, p := range c.Phases {
		switch p.Kind {
		case "wake":
			episodes += float64(p.Episodes)
			allMin += p.Minutes
		case "sleep":
			n := c.Clock.Model.TimeInBedMin
			switch c.Clock.Source {
			case "schedule":
				n = 0
				for _, b := range c.Clock.Schedule {
					n += b.Minutes
				}
			case "hypnogram":
				n = c.night.DurationMin()
			}
			sleepMin += n
			allMin += n
		}
	}
	maxRate := math.Max(c.Regions.Cortex.DreamRate.R, math.Max(c.Regions.Cortex.DreamRate.N2, c.Regions.Cortex.DreamRate.N3))
	dreams := sleepMin * maxRate
	bytes += (episodes + dreams) * (in*8*4 + 256)
	bytes += allMin * 2 * 64
	return bytes
}
