package regions_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dreamsim/dreamsim/regions"
	"github.com/dreamsim/dreamsim/sim"
	"github.com/dreamsim/dreamsim/sim/sleep"
)

// StrongestFirst is a forgetting rule of the test's own: vulnerability
// equal to strength, the opposite of weakest-first. It shows that a
// registered rule is selected by name and acts as written.
type StrongestFirst struct{}

func (StrongestFirst) Name() string { return "strongest-first" }
func (StrongestFirst) Vulnerability(ts []regions.TraceView, _ float64, w []float64) {
	for i, t := range ts {
		w[i] = t.Strength
	}
}

func init() {
	if err := regions.RegisterForgettingRule("strongest-first", func() regions.ForgettingRule { return StrongestFirst{} }); err != nil {
		panic(err)
	}
}

// The forgetting protocol, in minutes from lights-off: a day in which the
// eight "replayed" episodes are encoded, 20 min of N3 in which only they
// can be replayed, 4 min of wake in which the eight "unreplayed" episodes
// are encoded and every episode is tagged, then 30 min of REM with MCH
// activity held at mchLevel. Encoding, replay and erasure are kept apart so
// that each trace's strength, replay count and affect are set by design.
const (
	dayMin      = 4
	n3Min       = 20
	wakeMin     = 4
	remMin      = 30
	mchLevel    = 0.8
	eraseRate   = 5e-4 // 1/s, five times the default
	episodeGapS = 15   // s between episodes: longer than the 10-s encoding window
)

// traceDesign is the design of the 16 traces: replayed (encoded before N3)
// or not, weak (NE 0.25 at encoding) or strong (NE 1), calm (arousal 0.1,
// tag 0.05) or emotional (arousal 0.9, tag 0.9), two of each.
type traceDesign struct {
	id                   int64
	replayed, strong     bool
	emotional            bool
	ne, arousal, tag, at float64 // at: presentation time, min
}

func forgettingDesign() []traceDesign {
	var ds []traceDesign
	for i := range 16 {
		d := traceDesign{id: int64(i + 1), replayed: i < 8, strong: i%2 == 1, emotional: (i/2)%2 == 1}
		d.ne, d.arousal, d.tag = 0.25, 0.1, 0.05
		if d.strong {
			d.ne = 1
		}
		if d.emotional {
			d.arousal, d.tag = 0.9, 0.9
		}
		k := float64(i % 8)
		d.at = -dayMin + 0.05 + k*episodeGapS/60
		if !d.replayed {
			d.at = n3Min + 0.05 + k*episodeGapS/60
		}
		ds = append(ds, d)
	}
	return ds
}

// lab drives the hippocampus through the forgetting protocol: episodes
// with NE at their design level while they are encoded, tags once every
// encoding window has closed, full PFC attention, and MCH and amygdala
// activity at fixed levels in REM (zero before).
type lab struct {
	design   []traceDesign
	amygdala float64 // amygdala activity in REM
	next     int
	tagged   bool
	ne       float64
	vec      [][]float64
}

func (l *lab) Name() string              { return "lab" }
func (l *lab) Outputs() []string         { return []string{"episode", "tag", "ne", "pfc", "mch", "amygdala"} }
func (l *lab) Signals() []string         { return []string{"ne"} }
func (l *lab) Signal(int) float64        { return l.ne }
func (l *lab) NonFinite() (string, bool) { return "", false }

func (l *lab) Reset(sim.Env) error {
	l.next, l.tagged, l.ne = 0, false, 0
	rng := rand.New(rand.NewPCG(11, 11))
	l.vec = make([][]float64, len(l.design))
	for i := range l.vec {
		l.vec[i] = make([]float64, 20)
		for k := range l.vec[i] {
			l.vec[i][k] = rng.Float64()
		}
	}
	return nil
}

func (l *lab) Step(s *sim.Step) error {
	// Episodes are sent in design order, which is not time order: the
	// unreplayed ones come after N3.
	for i, d := range l.design {
		if d.at <= s.Min && d.at > s.Min-s.Dt/60 {
			l.ne = d.ne
			s.Send("episode", sim.Message{Event: sim.Event{ID: d.id, Class: 0, Valence: 0, Arousal: d.arousal, Strength: 1, Vec: l.vec[i]}})
		}
	}
	if !l.tagged && s.Min >= n3Min+wakeMin-1 {
		l.tagged = true
		for _, d := range l.design {
			s.Send("tag", sim.Message{Event: sim.Event{ID: d.id, Class: -1, Arousal: d.arousal, Strength: d.tag}})
		}
	}
	mch, amy := 0.0, 0.0
	if s.Stage == sleep.R {
		mch, amy = mchLevel, l.amygdala
	}
	s.Send("ne", sim.Message{Value: l.ne})
	s.Send("pfc", sim.Message{Value: 1})
	s.Send("mch", sim.Message{Value: mch})
	s.Send("amygdala", sim.Message{Value: amy})
	return nil
}

// forgettingOutcome is each trace's strength at REM onset and at the end.
type forgettingOutcome struct {
	design        []traceDesign
	before, after []regions.Trace
}

// relLoss returns the relative strength loss in REM of the traces that
// satisfy keep, averaged.
func (o forgettingOutcome) relLoss(keep func(traceDesign) bool) float64 {
	s, n := 0.0, 0
	for i, d := range o.design {
		if keep(d) {
			s += 1 - o.after[i].Strength/o.before[i].Strength
			n++
		}
	}
	return s / float64(n)
}

// erased returns the total strength lost in REM.
func (o forgettingOutcome) erased() float64 {
	s := 0.0
	for i := range o.design {
		s += o.before[i].Strength - o.after[i].Strength
	}
	return s
}

// runForgetting runs the protocol with a rule and the amygdala's activity
// in REM. Ripples happen only in N3 and do not strengthen traces, so that
// the replay counts are the only trace of replay; erasure is five times the
// default, so that 30 min of REM remove about half of a uniform trace
// (1 - exp(-5e-4/s * 0.8 * 1800 s) = 0.51).
func runForgetting(t testing.TB, rule string, amygdala float64) forgettingOutcome {
	t.Helper()
	p := regions.DefaultHippocampus()
	p.ForgettingRule = rule
	p.RippleRate = regions.StageRates{N3: 15}
	p.ReplayBoost = 0
	p.EraseRate = eraseRate
	const dt = 0.5
	require.NoError(t, p.Validate(dt))
	h, err := regions.NewHippocampus(p, 16, nil)
	require.NoError(t, err)
	design := forgettingDesign()
	l := &lab{design: design, amygdala: amygdala}
	day, err := sleep.FromSchedule([]sleep.ScheduleBlock{{Stage: sleep.W, Minutes: dayMin}})
	require.NoError(t, err)
	nightH, err := sleep.FromSchedule([]sleep.ScheduleBlock{block(sleep.N3, n3Min), block(sleep.W, wakeMin), block(sleep.R, remMin)})
	require.NoError(t, err)
	tl, err := sim.NewTimeline(dt, sim.Segment{Phase: sim.Wake, Day: 1, Night: day}, sim.Segment{Phase: sim.Sleep, Day: 1, Night: nightH})
	require.NoError(t, err)
	var cs []sim.Connection
	for _, out := range l.Outputs() {
		cs = append(cs, sim.Connection{From: "lab", Output: out, To: "hippocampus", Delay: 1})
	}
	e, err := sim.New(sim.Wiring{Regions: []sim.Region{h, l}, Connections: cs}, sim.Config{Seed: 1, Timeline: tl})
	require.NoError(t, err)
	// The lab's REM messages arrive one tick after REM begins.
	remStart := tl.TickAtMin(n3Min+wakeMin) + 1
	require.NoError(t, e.Run(context.Background(), remStart))
	o := forgettingOutcome{design: design, before: h.Traces()}
	require.NoError(t, e.Run(context.Background(), tl.Ticks()))
	o.after = h.Traces()
	require.Len(t, o.before, len(design))
	for i, d := range design {
		tr := o.before[i]
		require.Equal(t, d.id, tr.ID)
		require.Equal(t, d.tag, tr.Tag, "trace %d tag", d.id)
		if d.replayed {
			require.Positive(t, tr.Replays, "trace %d was encoded before N3", d.id)
		} else {
			require.Zero(t, tr.Replays, "trace %d was encoded after N3", d.id)
		}
	}
	return o
}

// TestForgettingRules runs the same 16 traces of designed strength,
// replay count and affect through REM under each rule, and checks that the
// rules leave measurably different survival patterns, each the one it
// names.
func TestForgettingRules(t *testing.T) {
	t.Parallel()
	weak := func(d traceDesign) bool { return !d.strong }
	strong := func(d traceDesign) bool { return d.strong }
	replayed := func(d traceDesign) bool { return d.replayed }
	unreplayed := func(d traceDesign) bool { return !d.replayed }
	calm := func(d traceDesign) bool { return !d.emotional }
	emotional := func(d traceDesign) bool { return d.emotional }
	cases := []struct {
		rule     string
		amygdala float64
		// spared and hit are the traces the rule should spare and hit; the
		// hit ones must lose at least ratio times as large a fraction.
		spared, hit func(traceDesign) bool
		ratio       float64
	}{
		// exp(-S/0.25): weak traces (S about 0.26) are about six times as
		// vulnerable as strong ones (S about 0.70).
		{"weakest-first", 0, strong, weak, 2},
		// exp(-replays/mean replays): the replayed half holds every replay
		// (tens each, about twice the mean over all 16), the other half none.
		{"least-replayed-first", 0, replayed, unreplayed, 2},
		// 1 - 0.9*arousal: 0.19 for arousal 0.9 against 0.91 for 0.1.
		{"emotion-protected", 0, emotional, calm, 2},
		// 1 - amygdala*tag: 0.19 for tag 0.9 against 0.955 for 0.05.
		{"amygdala-coupled", 0.9, emotional, calm, 2},
		{"strongest-first", 0, weak, strong, 1.5},
	}
	for _, c := range cases {
		t.Run(c.rule, func(t *testing.T) {
			t.Parallel()
			o := runForgetting(t, c.rule, c.amygdala)
			spared, hit := o.relLoss(c.spared), o.relLoss(c.hit)
			t.Logf("%s: relative loss in REM: spared %.3f, hit %.3f; total erased %.3f", c.rule, spared, hit, o.erased())
			require.Greater(t, hit, c.ratio*spared)
		})
	}
	// Rules that ignore a property lose the same fraction of every trace.
	uniformCases := []struct {
		rule     string
		amygdala float64
	}{
		{"uniform", 0},
		{"uniform", 0.9},
		// Without amygdala activity in REM, tags protect nothing.
		{"amygdala-coupled", 0},
	}
	for _, c := range uniformCases {
		t.Run(fmt.Sprintf("%s/amygdala=%g", c.rule, c.amygdala), func(t *testing.T) {
			t.Parallel()
			o := runForgetting(t, c.rule, c.amygdala)
			first := 1 - o.after[0].Strength/o.before[0].Strength
			t.Logf("%s, amygdala %g: relative loss in REM %.4f", c.rule, c.amygdala, first)
			// MCH erasure, 1 - exp(-5e-4/s * 0.8 * 1800 s) = 0.513, and passive
			// decay over 30 min (0.7% with the default 72-h time constant).
			decay := remMin / (60 * regions.DefaultHippocampus().PassiveDecayH)
			require.InDelta(t, 1-math.Exp(-eraseRate*mchLevel*remMin*60-decay), first, 0.01)
			for i := range o.design {
				require.InDelta(t, first, 1-o.after[i].Strength/o.before[i].Strength, 1e-9, "trace %d", o.design[i].id)
			}
		})
	}
}

// TestForgettingRulesEraseTheSameTotal checks the normalisation
// ForgettingRule documents: "every rule erases the same total amount and
// rules differ only in which memories they hit". The same traces lose the
// same total strength in REM under every rule, within 2%.
func TestForgettingRulesEraseTheSameTotal(t *testing.T) {
	t.Parallel()
	want := runForgetting(t, "uniform", 0.9).erased()
	for _, rule := range []string{"weakest-first", "least-replayed-first", "emotion-protected", "amygdala-coupled", "strongest-first"} {
		t.Run(rule, func(t *testing.T) {
			t.Parallel()
			o := runForgetting(t, rule, 0.9)
			t.Logf("%s: total erased %.4f, uniform %.4f", rule, o.erased(), want)
			require.InEpsilon(t, want, o.erased(), 0.02,
				"Hippocampus.erase must rescale vulnerabilities by sum(S)/sum(w*S), not by their mean, when vulnerability correlates with strength")
		})
	}
}

// TestRegisterForgettingRule checks the registry: a registered rule is
// listed and built by name, a name cannot be taken twice, and an unknown
// name is refused with the valid names.
func TestRegisterForgettingRule(t *testing.T) {
	t.Parallel()
	require.Contains(t, regions.ForgettingRuleNames(), "strongest-first")
	r, err := regions.NewForgettingRule("strongest-first")
	require.NoError(t, err)
	require.Equal(t, "strongest-first", r.Name())
	require.Error(t, regions.RegisterForgettingRule("strongest-first", func() regions.ForgettingRule { return StrongestFirst{} }))
	require.Error(t, regions.RegisterForgettingRule("uniform", func() regions.ForgettingRule { return regions.Uniform{} }))
	require.Error(t, regions.RegisterForgettingRule("", func() regions.ForgettingRule { return regions.Uniform{} }))
	_, err = regions.NewForgettingRule("no-such-rule")
	require.ErrorContains(t, err, "weakest-first")
	p := regions.DefaultHippocampus()
	p.ForgettingRule = "no-such-rule"
	require.ErrorContains(t, p.Validate(0.1), "forgetting_rule")
}
