package regions

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/dreamsim/dreamsim/generative"
	"github.com/dreamsim/dreamsim/sim"
)

// Model holds the parameters of every built-in region.
type Model struct {
	LC          LCParams          `toml:"lc"`
	MCH         MCHParams         `toml:"mch"`
	PFC         PFCParams         `toml:"pfc"`
	Amygdala    AmygdalaParams    `toml:"amygdala"`
	Hippocampus HippocampusParams `toml:"hippocampus"`
	Cortex      CortexParams      `toml:"cortex"`
}

// DefaultModel returns every region's defaults.
func DefaultModel() Model {
	return Model{LC: DefaultLC(), MCH: DefaultMCH(), PFC: DefaultPFC(), Amygdala: DefaultAmygdala(), Hippocampus: DefaultHippocampus(), Cortex: DefaultCortex()}
}

// Validate reports every out-of-range parameter of every region for a tick
// of dt seconds.
func (m Model) Validate(dt float64) error {
	return errors.Join(m.LC.Validate(dt), m.MCH.Validate(dt), m.PFC.Validate(dt), m.Amygdala.Validate(dt), m.Hippocampus.Validate(dt), m.Cortex.Validate(dt))
}

// Brain is the built-in regions of one run, for reading results after it.
type Brain struct {
	Senses      *Senses
	LC          *LC
	MCH         *MCH
	PFC         *PFC
	Amygdala    *Amygdala
	Hippocampus *Hippocampus
	Cortex      *Cortex
}

// BuiltinRegions lists the names of the built-in regions.
var BuiltinRegions = []string{"amygdala", "cortex", "hippocampus", "lc", "mch", "pfc", "senses"}

// DefaultConnections returns the wiring of the built-in regions, every
// connection with the given delay.
func DefaultConnections(delay sim.Tick) []sim.Connection {
	c := func(from, out, to, in string) sim.Connection {
		return sim.Connection{From: from, Output: out, To: to, Input: in, Delay: delay}
	}
	return []sim.Connection{
		c("senses", "episode", "hippocampus", "episode"),
		c("senses", "episode", "amygdala", "episode"),
		c("senses", "episode", "cortex", "episode"),
		c("lc", "ne", "hippocampus", "ne"),
		c("lc", "ne", "mch", "ne"),
		c("lc", "ne", "pfc", "ne"),
		c("lc", "ne", "amygdala", "ne"),
		c("pfc", "activity", "hippocampus", "pfc"),
		c("pfc", "activity", "cortex", "pfc"),
		c("amygdala", "activity", "hippocampus", "amygdala"),
		c("amygdala", "activity", "cortex", "amygdala"),
		c("amygdala", "tag", "hippocampus", "tag"),
		c("amygdala", "tag", "cortex", "tag"),
		c("amygdala", "arousal", "lc", "arousal"),
		c("mch", "activity", "hippocampus", "mch"),
		c("hippocampus", "replay", "cortex", "replay"),
		c("hippocampus", "reactivation", "amygdala", "reactivation"),
		c("cortex", "dream", "hippocampus", "dream"),
		c("cortex", "reactivation", "amygdala", "reactivation"),
	}
}

// Build makes the built-in regions of a run. Manipulations are handed to
// the region they name; those naming other regions are ignored here.
func Build(m Model, content *generative.Content, plans []DayPlan, ms []Manipulation) (*Brain, error) {
	by := map[string][]Manipulation{}
	for _, x := range ms {
		by[x.Region] = append(by[x.Region], x)
	}
	var b Brain
	var err error
	var errs []error
	keep := func(e error) {
		if e != nil {
			errs = append(errs, e)
		}
	}
	b.Senses, err = NewSenses(content, plans, by["senses"])
	keep(err)
	b.LC, err = NewLC(m.LC, by["lc"])
	keep(err)
	b.MCH, err = NewMCH(m.MCH, by["mch"])
	keep(err)
	b.PFC, err = NewPFC(m.PFC, by["pfc"])
	keep(err)
	b.Amygdala, err = NewAmygdala(m.Amygdala, by["amygdala"])
	keep(err)
	b.Hippocampus, err = NewHippocampus(m.Hippocampus, content.Pixels(), by["hippocampus"])
	keep(err)
	b.Cortex, err = NewCortex(m.Cortex, content.Classes(), content.Pixels(), by["cortex"])
	keep(err)
	if b.Cortex != nil {
		b.Cortex.content = content
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	// The hippocampus stores every episode and every dream scene: tell it
	// how many to expect, so that it reserves their room at Reset.
	for _, p := range plans {
		b.Hippocampus.hint.episodes += p.Episodes
	}
	b.Hippocampus.hint.context = content.Settings().ContextSize
	b.Hippocampus.hint.dreams = b.Cortex.expectedScenes
	return &b, nil
}

// Regions returns the built-in regions as engine regions.
func (b *Brain) Regions() []sim.Region {
	return []sim.Region{b.Senses, b.LC, b.MCH, b.PFC, b.Amygdala, b.Hippocampus, b.Cortex}
}

// RegionFactory makes a region of a registered kind. decode fills a
// parameter struct of the factory's choice from the experiment file's
// params table, reporting unknown keys and wrong types.
type RegionFactory func(name string, decode func(params any) error) (sim.Region, error)

var (
	kindsMu sync.RWMutex
	kinds   = map[string]RegionFactory{}
)

// RegisterRegion makes a region kind of your own available to experiment
// files ([[region]] with kind = "..."). It returns an error if the kind is
// empty or taken.
func RegisterRegion(kind string, f RegionFactory) error {
	kindsMu.Lock()
	defer kindsMu.Unlock()
	if kind == "" || f == nil {
		return errors.New("regions: a region kind needs a name and a factory")
	}
	if _, ok := kinds[kind]; ok || slices.Contains(BuiltinRegions, kind) {
		return fmt.Errorf("regions: region kind %q is already registered", kind)
	}
	kinds[kind] = f
	return nil
}

// NewRegion makes a region of a registered kind.
func NewRegion(kind, name string, decode func(params any) error) (sim.Region, error) {
	kindsMu.RLock()
	f, ok := kinds[kind]
	names := make([]string, 0, len(kinds))
	for k := range kinds {
		names = append(names, k)
	}
	kindsMu.RUnlock()
	if !ok {
		sort.Strings(names)
		valid := "none registered"
		if len(names) > 0 {
			valid = strings.Join(names, ", ")
		}
		return nil, fmt.Errorf("unknown region kind %q (registered kinds: %s)", kind, valid)
	}
	return f(name, decode)
}
