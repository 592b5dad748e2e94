package plots

import "math"

// Cycle is one NREM-REM sleep cycle (a row of cycles.csv), delimited by the
// runner with the rules of Feinberg & Floyd (1979, Psychophysiology 16:283).
type Cycle struct {
	Night    int     // Night is the 1-based night.
	Number   int     // Number is the 1-based cycle number within the night.
	StartMin float64 // StartMin is the cycle start in minutes (hypnogram clock).
	EndMin   float64 // EndMin is the cycle end in minutes (hypnogram clock).
	NREMMin  float64 // NREMMin is the NREM time in the cycle in minutes.
	REMMin   float64 // REMMin is the REM time in the cycle in minutes.
}

// Length returns the cycle length in minutes.
func (c Cycle) Length() float64 { return c.EndMin - c.StartMin }

// ReadCycles reads a cycles.csv file: columns night, cycle, start_min,
// end_min, nrem_min, rem_min.
func ReadCycles(path string) ([]Cycle, error) {
	t, err := readTable(path, "night", "cycle", "start_min", "end_min", "nrem_min", "rem_min")
	if err != nil {
		return nil, err
	}
	out := make([]Cycle, len(t.rows))
	for i := range t.rows {
		c := t.row(i)
		cy := Cycle{
			Night:    c.integer("night"),
			Number:   c.integer("cycle"),
			StartMin: c.number("start_min"),
			EndMin:   c.number("end_min"),
			NREMMin:  c.inRange("nrem_min", 0, math.MaxFloat64),
			REMMin:   c.inRange("rem_min", 0, math.MaxFloat64),
		}
		if c.err == nil && cy.EndMin < cy.StartMin {
			c.fail("end_min", "cycle [%v, %v] is not an interval", cy.StartMin, cy.EndMin)
		}
		if c.err != nil {
			return nil, c.err
		}
		out[i] = cy
	}
	return out, nil
}

// nightCycles returns the cycles of one night.
func nightCycles(cycles []Cycle, night int) []Cycle {
	var out []Cycle
	for _, c := range cycles {
		if c.Night == night {
			out = append(out, c)
		}
	}
	return out
}
