package plots

import (
	"math"
	"strconv"
	"strings"
)

// Nightmare thresholds: a dream is a nightmare when its affect is below
// NightmareAffect and its arousal above NightmareArousal (the output contract's
// operational definition of a strongly negative, highly arousing dream).
const (
	NightmareAffect  = -0.5
	NightmareArousal = 0.7
)

// Dream is one generated dream of a run (a row of dreams.csv).
type Dream struct {
	ID          int     // ID is the dream identifier.
	StartMin    float64 // StartMin is when the dream began, minutes from the first night's lights-off.
	Stage       Stage   // Stage is the stage the dream was made in.
	Sources     []int   // Sources are the ids of the memories the dream mixed.
	Novelty     float64 // Novelty is the latent distance to the nearest memory (1 ~ typical within-class distance).
	Bizarreness float64 // Bizarreness is in [0, 1].
	Affect      float64 // Affect is the dream valence in [-1, 1].
	Recalled    bool    // Recalled reports whether the dream was remembered at waking.
	Gate        float64 // Gate is the PFC gate value in [0, 1] when the dream was made; NaN if absent.
	Class       string  // Class is the readout's most likely content class.
	Arousal     float64 // Arousal is the dream arousal in [0, 1]; NaN if absent.
}

// Nightmare reports whether d is a nightmare (affect < -0.5 and arousal > 0.7).
func (d Dream) Nightmare() bool {
	return d.Affect < NightmareAffect && d.Arousal > NightmareArousal
}

// ReadDreams reads a dreams.csv file. The columns gate, class and arousal are
// optional (NaN or empty when absent).
func ReadDreams(path string) ([]Dream, error) {
	t, err := readTable(path, "id", "start_min", "stage", "sources", "novelty", "bizarreness", "affect", "recalled")
	if err != nil {
		return nil, err
	}
	out := make([]Dream, len(t.rows))
	for i := range t.rows {
		c := t.row(i)
		d := Dream{
			ID:          c.integer("id"),
			StartMin:    c.number("start_min"),
			Stage:       c.stage("stage"),
			Novelty:     c.inRange("novelty", 0, math.MaxFloat64),
			Bizarreness: c.inRange("bizarreness", 0, 1),
			Affect:      c.inRange("affect", -1, 1),
			Recalled:    c.flag("recalled"),
			Gate:        c.inRange("gate", 0, 1),
			Class:       c.str("class"),
			Arousal:     c.inRange("arousal", 0, 1),
		}
		if s := c.str("sources"); s != "" {
			for _, f := range strings.Split(s, ";") {
				id, err := strconv.Atoi(strings.TrimSpace(f))
				if err != nil {
					c.fail("sources", "%q is not a list of memory ids joined by ';'", s)
					break
				}
				d.Sources = append(d.Sources, id)
			}
		}
		if c.err != nil {
			return nil, c.err
		}
		out[i] = d
	}
	return out, nil
}
