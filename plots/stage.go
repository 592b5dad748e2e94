package plots

import "fmt"

// Stage is a sleep stage in the AASM scoring labels used by every result file.
// The zero value is Wake.
type Stage int8

// The stages, in the order of the clinical hypnogram from top to bottom
// (wake, REM, then NREM by depth).
const (
	Wake Stage = iota // W: wakefulness.
	REM               // R: rapid-eye-movement sleep.
	N1                // N1: NREM stage 1.
	N2                // N2: NREM stage 2.
	N3                // N3: NREM stage 3, slow-wave sleep.
)

// stageLabels are the labels written in the result files, indexed by Stage.
var stageLabels = [...]string{Wake: "W", REM: "R", N1: "N1", N2: "N2", N3: "N3"}

// String returns the file label of s: W, R, N1, N2 or N3.
func (s Stage) String() string {
	if s < 0 || int(s) >= len(stageLabels) {
		return fmt.Sprintf("Stage(%d)", int8(s))
	}
	return stageLabels[s]
}

// Sleep reports whether s is a sleep stage (anything but Wake).
func (s Stage) Sleep() bool { return s != Wake }

// ParseStage returns the Stage of a file label (W, R, N1, N2 or N3).
func ParseStage(label string) (Stage, error) {
	for s, l := range stageLabels {
		if l == label {
			return Stage(s), nil
		}
	}
	return Wake, fmt.Errorf("unknown stage %q (valid: W, N1, N2, N3, R)", label)
}

// stage reads the cell of col as a Stage.
func (c *cursor) stage(col string) Stage {
	s, err := ParseStage(c.str(col))
	if err != nil {
		c.fail(col, "%v", err)
	}
	return s
}
