package plots

// Memory is one episodic memory of a run and its fate at test (a row of
// memories.csv).
type Memory struct {
	ID                  int     // ID is the memory identifier.
	Day                 int     // Day is the day the episode was encoded (1-based).
	Kind                string  // Kind is "neutral" or "emotional".
	Valence             float64 // Valence is the episode valence in [-1, 1].
	Arousal             float64 // Arousal is the episode arousal in [0, 1].
	EncodingStrength    float64 // EncodingStrength is the trace strength at encoding in [0, 1].
	ReplayCount         int     // ReplayCount is how often the memory was replayed in NREM.
	HippocampalStrength float64 // HippocampalStrength is the hippocampal trace at test in [0, 1].
	CorticalStrength    float64 // CorticalStrength is the cortical (consolidated) trace at test in [0, 1].
	Recalled            bool    // Recalled reports whether cued recall succeeded.
	RecallScore         float64 // RecallScore is the cued-recall quality in [0, 1].
	Class               string  // Class is the content class name.
}

// Memory kinds.
const (
	Neutral   = "neutral"
	Emotional = "emotional"
)

// ReadMemories reads a memories.csv file. The class column is optional.
func ReadMemories(path string) ([]Memory, error) {
	t, err := readTable(path, "id", "day", "kind", "valence", "arousal", "encoding_strength",
		"replay_count", "hippocampal_strength", "cortical_strength", "recalled", "recall_score")
	if err != nil {
		return nil, err
	}
	out := make([]Memory, len(t.rows))
	for i := range t.rows {
		c := t.row(i)
		m := Memory{
			ID:                  c.integer("id"),
			Day:                 c.integer("day"),
			Kind:                c.oneOf("kind", Neutral, Emotional),
			Valence:             c.inRange("valence", -1, 1),
			Arousal:             c.inRange("arousal", 0, 1),
			EncodingStrength:    c.inRange("encoding_strength", 0, 1),
			ReplayCount:         c.integer("replay_count"),
			HippocampalStrength: c.inRange("hippocampal_strength", 0, 1),
			CorticalStrength:    c.inRange("cortical_strength", 0, 1),
			Recalled:            c.flag("recalled"),
			RecallScore:         c.inRange("recall_score", 0, 1),
			Class:               c.str("class"),
		}
		if c.err == nil && m.ReplayCount < 0 {
			c.fail("replay_count", "%d is negative", m.ReplayCount)
		}
		if c.err != nil {
			return nil, c.err
		}
		out[i] = m
	}
	return out, nil
}
