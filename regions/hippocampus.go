package regions

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/dreamsim/dreamsim/sim"
	"github.com/dreamsim/dreamsim/sim/sleep"
)

// StageRates is a rate per minute in each sleep stage.
type StageRates struct {
	W  float64 `toml:"W"`
	N1 float64 `toml:"N1"`
	N2 float64 `toml:"N2"`
	N3 float64 `toml:"N3"`
	R  float64 `toml:"R"`
}

// At returns the rate in stage s.
func (r StageRates) At(s sleep.Stage) float64 {
	return StageDrive(r).At(s)
}

// HippocampusParams sets up the hippocampus, the episodic store.
type HippocampusParams struct {
	// ForgettingRule names the hypothesis by which MCH activity erases
	// traces (see ForgettingRule); default "uniform", the null hypothesis.
	ForgettingRule string `toml:"forgetting_rule"`
	// DGUnits is the number of dentate-gyrus-like units of the sparse code;
	// default 512.
	DGUnits int `toml:"dg_units"`
	// Sparsity is the fraction of units active in a code; default 0.05.
	// Sparse, pattern-separated codes let similar episodes be stored apart
	// (Marr 1971; Rolls 2013, Front Syst Neurosci 7:74).
	Sparsity float64 `toml:"sparsity"`
	// EncodingWindowS is how long a new episode trace keeps gaining
	// strength after it arrives, in seconds; default 10 s. During it the
	// trace grows as dS/dt = EncodingRate * NE * (0.5 + 0.5*PFC) *
	// (1 + TagBoost*tag) * (1 - S): NE gates plasticity (Sara 2009, Nat Rev
	// Neurosci 10:211), PFC attention helps (Simons & Spiers 2003), the
	// amygdala's tag enhances emotional encoding (McGaugh 2004).
	EncodingWindowS float64 `toml:"encoding_window_s"`
	// EncodingRate is the encoding rate at full NE and attention, 1/s;
	// default 0.12.
	EncodingRate float64 `toml:"encoding_rate"`
	// TagBoost multiplies encoding for emotionally tagged episodes;
	// default 1.5.
	TagBoost float64 `toml:"tag_boost"`
	// RippleRate is the rate of sharp-wave ripples (replay events) by stage,
	// per minute: human hippocampal ripples occur about 9/min in N2, 15/min
	// in N3 and under 2/min in wake and REM (Jiang et al. 2020, Hippocampus).
	// Default W 1, N1 3, N2 9, N3 15, R 1.
	RippleRate StageRates `toml:"ripple_rate"`
	// ReplayBoost is the fraction of the gap to full strength a replay
	// restores, S += ReplayBoost*(1 - S); default 0.003, small because a
	// memory is replayed about a hundred times a night. Disrupting ripples
	// impairs memory (Girardeau et al. 2009, Nat Neurosci 12:1222).
	ReplayBoost float64 `toml:"replay_boost"`
	// RecencyMin is the time constant of the recency term of the replay
	// priority, minutes; default 240. Replay favours recent experience
	// (Kudrimoti, Barnes & McNaughton 1999, J Neurosci 19:4090).
	RecencyMin float64 `toml:"recency_min"`
	// RecencyWeight scales the recency term; default 1.
	RecencyWeight float64 `toml:"recency_weight"`
	// AmygdalaBias scales how much emotional tags, times the amygdala's
	// activity, raise a trace's replay priority; default 2 (emotional
	// memories are preferentially reactivated in sleep: Payne & Kensinger
	// 2010; Cairney et al. 2014).
	AmygdalaBias float64 `toml:"amygdala_bias"`
	// The replay priority of trace i is S_i * (1 + RecencyWeight *
	// exp(-age/RecencyMin)) * (1 + AmygdalaBias * amygdala * tag_i).

	// EraseRate is the erasure rate per second at full MCH activity and
	// mean vulnerability; default 1e-4 /s, so a night of REM with the MCH
	// population near 0.7 removes about a third of an average trace's
	// strength. dS/dt = -EraseRate * MCH * vulnerability * S (Izawa et al.
	// 2019).
	EraseRate float64 `toml:"erase_rate"`
	// PassiveDecayH is the time constant of passive trace decay in hours,
	// at all times; default 72 h. Zero turns it off.
	PassiveDecayH float64 `toml:"passive_decay_h"`
	// DreamWindowMin is how long a new dream trace stays labile, in minutes:
	// a dream is kept only if NE rises (an awakening) within a few minutes
	// of it, the arousal-retrieval model of Koulack & Goodenough (1976,
	// Sleep 1:39). Default 2.
	DreamWindowMin float64 `toml:"dream_window_min"`
	// DreamEncodingRate is the encoding rate of a dream at full NE, 1/s;
	// default 0.01, so that a brief arousal of 30 s barely keeps a dream and
	// an awakening of a few minutes does. Scaled by the dream's salience (emotional dreams are
	// remembered more: Schredl 2003) and by a gate on NE that opens only at
	// wake-like tone: the sleeping brain does not store what it experiences
	// unless it wakes (Wyatt et al. 1994, Sleep 17:502: material presented
	// in the minutes before sleep onset is forgotten; Koulack & Goodenough
	// 1976). The gate is 1/(1 + exp(-(NE - DreamNEThreshold)/0.05)).
	DreamEncodingRate float64 `toml:"dream_encoding_rate"`
	// DreamNEThreshold is the NE tone at which the dream-encoding gate is
	// half open; default 0.6, between NREM (about 0.35) and wake (about
	// 0.85) tone.
	DreamNEThreshold float64 `toml:"dream_ne_threshold"`
	// RecallThreshold is the retrieval strength a cued episode needs to
	// count as recalled at test, and a dream to be recalled; default 0.2.
	RecallThreshold float64 `toml:"recall_threshold"`
	// CueFraction is the fraction of an episode's image a test cue shows;
	// default 0.5 (the rest is blanked, so recall is pattern completion).
	CueFraction float64 `toml:"cue_fraction"`
}

// DefaultHippocampus returns the defaults documented on HippocampusParams.
func DefaultHippocampus() HippocampusParams {
	return HippocampusParams{
		ForgettingRule: "uniform", DGUnits: 512, Sparsity: 0.05,
		EncodingWindowS: 10, EncodingRate: 0.12, TagBoost: 1.5,
		RippleRate:  StageRates{W: 1, N1: 3, N2: 9, N3: 15, R: 1},
		ReplayBoost: 0.003, RecencyMin: 240, RecencyWeight: 1, AmygdalaBias: 2,
		EraseRate: 1e-4, PassiveDecayH: 72,
		DreamWindowMin: 2, DreamEncodingRate: 0.01, DreamNEThreshold: 0.6,
		RecallThreshold: 0.2, CueFraction: 0.5,
	}
}

// Validate reports out-of-range parameters.
func (p HippocampusParams) Validate(dt float64) error {
	var errs fieldErrors
	if _, err := NewForgettingRule(p.ForgettingRule); err != nil {
		errs.add("forgetting_rule: %w", err)
	}
	if p.DGUnits < 16 || p.DGUnits > 100000 {
		errs.add("dg_units = %d out of range [16, 100000]", p.DGUnits)
	}
	if bad(p.Sparsity) || p.Sparsity <= 0 || p.Sparsity > 0.5 {
		errs.add("sparsity = %v out of range (0, 0.5]", p.Sparsity)
	}
	errs.atLeast("encoding_window_s", p.EncodingWindowS, dt)
	errs.nonNeg("encoding_rate", p.EncodingRate)
	errs.nonNeg("tag_boost", p.TagBoost)
	for _, r := range []float64{p.RippleRate.W, p.RippleRate.N1, p.RippleRate.N2, p.RippleRate.N3, p.RippleRate.R} {
		if bad(r) || r < 0 || r*dt/60 > 1 {
			errs.add("ripple_rate = %v per min, want >= 0 and at most one per tick (%v per min)", r, 60/dt)
			break
		}
	}
	errs.unit("replay_boost", p.ReplayBoost)
	errs.positive("recency_min", p.RecencyMin)
	errs.nonNeg("recency_weight", p.RecencyWeight)
	errs.nonNeg("amygdala_bias", p.AmygdalaBias)
	errs.nonNeg("erase_rate", p.EraseRate)
	errs.nonNeg("passive_decay_h", p.PassiveDecayH)
	errs.positive("dream_window_min", p.DreamWindowMin)
	errs.nonNeg("dream_encoding_rate", p.DreamEncodingRate)
	errs.unit("dream_ne_threshold", p.DreamNEThreshold)
	errs.unit("recall_threshold", p.RecallThreshold)
	if bad(p.CueFraction) || p.CueFraction <= 0 || p.CueFraction > 1 {
		errs.add("cue_fraction = %v out of range (0, 1]", p.CueFraction)
	}
	return errs.join("hippocampus")
}

// Trace is one memory in the hippocampal store.
type Trace struct {
	ID       int64
	Day      int
	Dream    bool
	Class    int
	Image    []float64 // content as stored
	Context  []float64 // place/time code
	code     []int32   // active units of the sparse code, sorted
	vec      []float64 // image followed by context, as replay sends it; Image and Context are views of it
	Valence  float64   // as the amygdala last tagged it
	Arousal  float64
	Tag      float64
	Salience float64 // dreams: how strongly the dream drives encoding
	// Encoding is the strength at the end of the encoding window.
	Encoding float64
	// Strength is the current hippocampal strength, 0-1.
	Strength   float64
	Replays    int
	EncodedMin float64 // minutes from the first lights-off
	windowEnd  float64 // minutes; encoding (or dream lability) ends here
}

// REMAwakening records a dream report at an awakening out of REM.
type REMAwakening struct {
	Min      float64 // minutes from the first lights-off the awakening ended at
	DreamID  int64   // the last dream before it, 0 if none
	Reported bool
}

// Hippocampus is the episodic store. Inputs: "episode" (content in Vec,
// context appended), "ne", "pfc", "amygdala", "tag", "mch", "dream".
// Outputs: "replay" (to the cortex: ID, Class, the stored image in Vec),
// "reactivation" (to the amygdala). Signals: "ripples_per_min",
// "mean_strength", "replay" (1 on a tick with a ripple; manipulate it to
// block replay).
type Hippocampus struct {
	name    string
	p       HippocampusParams
	rule    ForgettingRule
	hs      map[string]handles
	lesion  handles
	rng     *rand.Rand
	proj    []float64 // DGUnits x inputs random projection, row-major
	inputs  int
	traces  []*Trace
	byID    map[int64]*Trace
	pending map[int64]sim.Event // tags that arrived before their episode

	ne, pfc, amygdala, mch float64
	ripple                 float64 // 1 on a ripple tick
	meanStrength           float64

	views      []TraceView
	weights    []float64
	replayW    []float64
	lastStep   sleep.Stage
	lastDream  int64
	wakeFrom   float64 // minutes; start of the current W bout after REM, NaN if none
	awakenings []REMAwakening
	ripples    [5]int // ripple count per stage
	stageTicks [5]int // ticks per stage
	stepDt     float64
	seed       uint64
	pixels     int
	decay      float64   // passive decay factor per tick
	driveBuf   []float64 // scratch of sparseCode
	idxBuf     []int32
	// hint, set by Build, says how many traces a run will store, so that
	// Reset reserves room for them; without it the stores grow as needed.
	hint storeHint
	// The storage of the traces, reserved at Reset (see slab): the Trace
	// records, their contents (image followed by context) and their codes.
	records slab[Trace]
	vecs    slab[float64]
	codes   slab[int32]
}

// storeHint is what the hippocampus is told at Build of the traces a run
// will store.
type storeHint struct {
	episodes int // distinct episodes the senses present
	context  int // length of an episode's context code
	// dreams returns how many dream scenes the cortex may send in a run of
	// the timeline; nil if none is expected.
	dreams func(tl *sim.Timeline) int
}

// NewHippocampus returns a hippocampus with the given parameters and manipulations.
// Images have the given number of pixels; an event's Vec holds the image
// followed by its context code.
func NewHippocampus(p HippocampusParams, pixels int, ms []Manipulation) (*Hippocampus, error) {
	rule, err := NewForgettingRule(p.ForgettingRule)
	if err != nil {
		return nil, fmt.Errorf("regions.hippocampus: %w", err)
	}
	h := &Hippocampus{name: "hippocampus", p: p, pixels: pixels, rule: rule, hs: split(ms, "replay")}
	h.lesion = lesions(ms)
	return h, nil
}

func (h *Hippocampus) Name() string      { return h.name }
func (h *Hippocampus) Outputs() []string { return []string{"replay", "reactivation"} }
func (h *Hippocampus) Signals() []string {
	return []string{"ripples_per_min", "mean_strength", "replay"}
}

func (h *Hippocampus) Signal(i int) float64 {
	switch i {
	case 0, 2:
		return h.ripple * 60 / h.dt()
	}
	return h.meanStrength
}

func (h *Hippocampus) dt() float64 { return h.stepDt }

func (h *Hippocampus) Reset(env sim.Env) error {
	h.rng = env.RNG
	h.stepDt = env.Dt
	h.seed = env.Seed
	h.decay = 1
	if h.p.PassiveDecayH > 0 {
		h.decay = math.Exp(-env.Dt / (h.p.PassiveDecayH * 3600))
	}
	h.pending = map[int64]sim.Event{}
	h.proj, h.inputs = nil, 0
	h.ne, h.pfc, h.amygdala, h.mch, h.ripple, h.meanStrength = 0, 0, 0, 0, 0, 0
	h.lastDream, h.wakeFrom = 0, math.NaN()
	h.ripples, h.stageTicks = [5]int{}, [5]int{}
	h.lastStep = sleep.W
	h.reserve(env.Timeline)
	return nil
}

// reserve allocates, once per run, room for the traces the run is expected
// to store and for the buffers that grow with their number, so that steady
// stepping allocates nothing.
func (h *Hippocampus) reserve(tl *sim.Timeline) {
	dreams := 0
	if h.hint.dreams != nil {
		dreams = h.hint.dreams(tl)
	}
	n := h.hint.episodes + dreams
	h.traces, h.byID = make([]*Trace, 0, n), make(map[int64]*Trace, n)
	h.views = slices.Grow(h.views[:0], n)
	h.weights = slices.Grow(h.weights[:0], n)
	h.replayW = slices.Grow(h.replayW[:0], n)
	h.awakenings = make([]REMAwakening, 0, remAwakenings(tl))
	h.records.reserve(n)
	h.vecs.reserve(h.hint.episodes*(h.pixels+h.hint.context) + dreams*h.pixels)
	h.codes.reserve(n * h.codeSize())
}

// Step encodes new episodes and dreams, replays in ripples, and erases
// under MCH activity.
func (h *Hippocampus) Step(s *sim.Step) error {
	if err := checkInbox(s.Inbox); err != nil {
		return fmt.Errorf("regions.hippocampus: %w", err)
	}
	lesion := h.lesion.lesioned(s.Moment)
	for i := range s.Inbox {
		m := &s.Inbox[i]
		switch m.Input {
		case "ne":
			h.ne = m.Value
		case "pfc":
			h.pfc = m.Value
		case "amygdala":
			h.amygdala = m.Value
		case "mch":
			h.mch = m.Value
		case "tag":
			if t, ok := h.byID[m.Event.ID]; ok {
				t.Valence, t.Arousal, t.Tag = m.Event.Valence, m.Event.Arousal, m.Event.Strength
			} else {
				h.pending[m.Event.ID] = m.Event
			}
		case "episode":
			if !lesion {
				h.store(&m.Event, s, false)
			}
		case "dream":
			if !lesion {
				h.store(&m.Event, s, true)
				h.lastDream = m.Event.ID
			}
		}
	}
	h.stageTicks[s.Stage]++
	h.encode(s)
	h.erase(s)
	h.ripple = 0
	if !lesion {
		h.replay(s)
	}
	h.trackAwakenings(s)
	n, sum := 0, 0.0
	for _, t := range h.traces {
		if !t.Dream {
			n++
			sum += t.Strength
		}
	}
	h.meanStrength = 0
	if n > 0 {
		h.meanStrength = sum / float64(n)
	}
	return nil
}

// store lays down a new trace with a sparse code of its content and context.
func (h *Hippocampus) store(e *sim.Event, s *sim.Step, dream bool) {
	if t, dup := h.byID[e.ID]; dup {
		// A repeated presentation restarts the encoding window.
		if !dream {
			t.windowEnd = s.Min + h.p.EncodingWindowS/60
		}
		return
	}
	px, n := min(h.pixels, len(e.Vec)), len(e.Vec)
	vec := h.vecs.take(n)
	copy(vec, e.Vec)
	t := &h.records.take(1)[0]
	*t = Trace{
		ID: e.ID, Day: s.Day, Dream: dream, Class: e.Class,
		Image:   vec[:px:px],
		Context: vec[px:n:n],
		vec:     vec,
		Valence: e.Valence, Arousal: e.Arousal, Salience: e.Strength,
		EncodedMin: s.Min,
	}
	if dream {
		t.windowEnd = s.Min + h.p.DreamWindowMin
	} else {
		t.windowEnd = s.Min + h.p.EncodingWindowS/60
	}
	if pe, ok := h.pending[e.ID]; ok {
		t.Valence, t.Arousal, t.Tag = pe.Valence, pe.Arousal, pe.Strength
		delete(h.pending, e.ID)
	}
	t.code = h.sparseCode(h.codes.take(h.codeSize()), e.Vec)
	h.traces = append(h.traces, t)
	h.byID[e.ID] = t
}

// codeSize returns k, the number of active units of a sparse code.
func (h *Hippocampus) codeSize() int {
	return max(1, int(math.Round(h.p.Sparsity*float64(h.p.DGUnits))))
}

// sparseCode returns the k most driven of DGUnits units under a fixed
// random projection of the input: a k-winners-take-all code, the
// dentate gyrus's pattern separation (Marr 1971; O'Reilly & McClelland 1994,
// Hippocampus 4:661). The code is written into dst, which must hold k
// values, or into a new slice if dst is nil.
func (h *Hippocampus) sparseCode(dst []int32, x []float64) []int32 {
	if h.proj == nil || h.inputs != len(x) {
		rng := sim.Stream(h.seed, "hippocampus/dentate-gyrus")
		h.inputs = len(x)
		h.proj = make([]float64, h.p.DGUnits*len(x))
		for i := range h.proj {
			h.proj[i] = rng.NormFloat64()
		}
	}
	h.driveBuf = slices.Grow(h.driveBuf[:0], h.p.DGUnits)[:h.p.DGUnits]
	drive := h.driveBuf
	for u := range drive {
		row := h.proj[u*h.inputs : (u+1)*h.inputs]
		d := 0.0
		for i, v := range x {
			d += row[i] * v
		}
		drive[u] = d
	}
	k := h.codeSize()
	h.idxBuf = slices.Grow(h.idxBuf[:0], len(drive))[:len(drive)]
	idx := h.idxBuf
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortStableFunc(idx, func(a, b int32) int {
		switch {
		case drive[a] > drive[b]:
			return -1
		case drive[a] < drive[b]:
			return 1
		}
		return 0
	})
	if dst == nil {
		dst = make([]int32, k)
	}
	code := dst[:k]
	copy(code, idx[:k])
	slices.Sort(code)
	return code
}

// overlap returns the fraction of a's active units also active in b.
func overlap(a, b []int32) float64 {
	i, j, n := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			n++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	if len(a) == 0 {
		return 0
	}
	return float64(n) / float64(len(a))
}

// encode grows the traces still in their encoding window.
func (h *Hippocampus) encode(s *sim.Step) {
	for _, t := range h.traces {
		if s.Min >= t.windowEnd {
			continue
		}
		var rate float64
		if t.Dream {
			gate := 1 / (1 + math.Exp(-(h.ne-h.p.DreamNEThreshold)/0.05))
			rate = h.p.DreamEncodingRate * h.ne * gate * t.Salience
		} else {
			rate = h.p.EncodingRate * h.ne * (0.5 + 0.5*h.pfc) * (1 + h.p.TagBoost*t.Tag)
		}
		// Exact integration of dS/dt = rate*(1-S) over the tick: stable
		// for any rate.
		t.Strength = 1 - (1-t.Strength)*math.Exp(-math.Max(0, rate)*s.Dt)
		// The strength reached by the end of the window is the encoding
		// strength; recording it every tick of the window avoids missing
		// the last tick to rounding.
		t.Encoding = t.Strength
	}
}

// erase applies MCH-driven forgetting through the rule, and passive decay.
func (h *Hippocampus) erase(s *sim.Step) {
	if len(h.traces) == 0 {
		return
	}
	k := h.p.EraseRate * h.mch * s.Dt
	if k <= 0 {
		for _, t := range h.traces {
			t.Strength *= h.decay
		}
		return
	}
	h.views = h.views[:0]
	for _, t := range h.traces {
		h.views = append(h.views, TraceView{ID: t.ID, Strength: t.Strength, Replays: t.Replays,
			Arousal: t.Arousal, Tag: t.Tag, AgeMin: s.Min - t.EncodedMin, Dream: t.Dream})
	}
	h.weights = slices.Grow(h.weights[:0], len(h.views))[:len(h.views)]
	h.rule.Vulnerability(h.views, h.amygdala, h.weights)
	// Normalise so that every rule removes the same total strength per
	// tick, sum_i k*w_i*S_i = k*sum_i S_i: rules differ in whom they hit,
	// not in how much they erase.
	var sw, ss float64
	for i, t := range h.traces {
		sw += h.weights[i] * t.Strength
		ss += t.Strength
	}
	for i, t := range h.traces {
		f := 0.0
		if sw > 0 {
			f = k * h.weights[i] * ss / sw
		}
		t.Strength *= h.decay * math.Max(0, 1-f)
	}
}

// replay fires sharp-wave ripples at the stage's rate; each replays one
// episode trace chosen by priority, sends it to the cortex (systems
// consolidation, McClelland, McNaughton & O'Reilly 1995) and to the
// amygdala, and slightly strengthens it.
func (h *Hippocampus) replay(s *sim.Step) {
	hs := h.hs["replay"]
	rate := h.p.RippleRate.At(s.Stage) + hs.drive(s.Moment)
	if h.rng.Float64() >= rate*s.Dt/60 || hs.output(s.Moment, 1) == 0 {
		return
	}
	h.replayW = h.replayW[:0]
	total := 0.0
	for _, t := range h.traces {
		w := 0.0
		if !t.Dream {
			age := s.Min - t.EncodedMin
			w = t.Strength * (1 + h.p.RecencyWeight*math.Exp(-age/h.p.RecencyMin)) * (1 + h.p.AmygdalaBias*h.amygdala*t.Tag)
		}
		h.replayW = append(h.replayW, w)
		total += w
	}
	h.ripple = 1
	h.ripples[s.Stage]++
	if total <= 0 {
		return
	}
	x := h.rng.Float64() * total
	pick := len(h.traces) - 1
	for i, w := range h.replayW {
		if x < w {
			pick = i
			break
		}
		x -= w
	}
	t := h.traces[pick]
	t.Replays++
	t.Strength += h.p.ReplayBoost * (1 - t.Strength)
	s.Send("replay", sim.Message{Event: sim.Event{ID: t.ID, Class: t.Class, Valence: t.Valence, Arousal: t.Arousal, Strength: t.Strength, Vec: t.vec}})
	s.Send("reactivation", sim.Message{Event: sim.Event{ID: t.ID, Class: t.Class}})
}

// trackAwakenings records, for every awakening out of REM, whether the last
// dream was strong enough to report when the sleeper falls asleep again or
// the night ends (the REM-awakening paradigm of Aserinsky & Kleitman 1953).
func (h *Hippocampus) trackAwakenings(s *sim.Step) {
	if s.Phase != sim.Sleep {
		h.lastStep = s.Stage
		return
	}
	if h.lastStep == sleep.R && s.Stage == sleep.W {
		h.wakeFrom = s.Min
	}
	last := s.PhaseLeftMin*60 <= s.Dt*1.0000001
	if !math.IsNaN(h.wakeFrom) && (s.Stage != sleep.W || last) {
		a := REMAwakening{Min: s.Min, DreamID: h.lastDream}
		if t, ok := h.byID[h.lastDream]; ok {
			a.Reported = t.Strength >= h.p.RecallThreshold
		}
		h.awakenings = append(h.awakenings, a)
		h.wakeFrom = math.NaN()
	}
	h.lastStep = s.Stage
}

func (h *Hippocampus) NonFinite() (string, bool) {
	for _, v := range []struct {
		n string
		x float64
	}{{"ne", h.ne}, {"pfc", h.pfc}, {"amygdala", h.amygdala}, {"mch", h.mch}, {"mean_strength", h.meanStrength}} {
		if bad(v.x) {
			return v.n, true
		}
	}
	for _, t := range h.traces {
		if bad(t.Strength) {
			return fmt.Sprintf("trace[%d].strength", t.ID), true
		}
	}
	return "", false
}

// Traces returns copies of the stored traces, episodes and dreams, in the
// order they were stored.
func (h *Hippocampus) Traces() []Trace {
	out := make([]Trace, len(h.traces))
	for i, t := range h.traces {
		out[i] = *t
		out[i].Image = slices.Clone(t.Image)
		out[i].Context = slices.Clone(t.Context)
		out[i].code, out[i].vec = nil, nil
	}
	return out
}

// Awakenings returns the REM awakenings of the run and whether each led to
// a dream report.
func (h *Hippocampus) Awakenings() []REMAwakening { return slices.Clone(h.awakenings) }

// RippleRates returns the ripple rate per minute observed in each stage
// (NaN for a stage the run never visited).
func (h *Hippocampus) RippleRates() [5]float64 {
	var r [5]float64
	for i := range r {
		r[i] = math.NaN()
		if h.stageTicks[i] > 0 {
			r[i] = float64(h.ripples[i]) / (float64(h.stageTicks[i]) * h.stepDt / 60)
		}
	}
	return r
}

// CuedRecall tries to recall episode id from a partial cue: the top
// CueFraction of its image rows plus its context. The cue's sparse code
// competes against every stored trace (episodes and dreams); the trace with
// the largest strength-weighted code overlap wins, as an attractor network
// completes a pattern (Hopfield 1982; Treves & Rolls 1994). The score is
// the winner's strength times overlap when the winner is the cued episode,
// else 0.
func (h *Hippocampus) CuedRecall(id int64) (score float64, winner int64) {
	t, ok := h.byID[id]
	if !ok {
		return 0, 0
	}
	cue := CueImage(t.Image, h.p.CueFraction)
	code := h.sparseCode(nil, append(cue, t.Context...))
	if len(t.Context) == 0 {
		code = h.sparseCode(nil, cue)
	}
	best, bestScore := int64(0), -1.0
	for _, c := range h.traces {
		sc := c.Strength * overlap(code, c.code)
		if sc > bestScore {
			best, bestScore = c.ID, sc
		}
	}
	if best != id {
		return 0, best
	}
	return bestScore, best
}

// CueImage returns a copy of a square image with all but the top fraction
// of rows blanked.
func CueImage(img []float64, fraction float64) []float64 {
	side := int(math.Round(math.Sqrt(float64(len(img)))))
	keep := int(math.Round(fraction * float64(side)))
	cue := slices.Clone(img)
	for i := keep * side; i < len(cue); i++ {
		cue[i] = 0
	}
	return cue
}

// RecallThreshold returns the retrieval strength recall needs.
func (h *Hippocampus) RecallThreshold() float64 { return h.p.RecallThreshold }
