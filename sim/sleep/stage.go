package sleep

import (
	"fmt"
	"strconv"
	"strings"
)

// Stage is a sleep stage of the American Academy of Sleep Medicine (AASM)
// scoring manual: wake, NREM stages 1 to 3, and REM. Its zero value is W.
type Stage uint8

// The five AASM stages, in the order of the usual integer coding of scored
// sleep exports (0 = W, 1 = N1, 2 = N2, 3 = N3, 4 = R).
const (
	W  Stage = iota // W is wakefulness.
	N1              // N1 is NREM stage 1, the transitional light sleep.
	N2              // N2 is NREM stage 2 (spindles and K-complexes).
	N3              // N3 is NREM stage 3, slow-wave sleep (R&K stages 3 and 4).
	R               // R is rapid-eye-movement (REM) sleep.
)

// NumStages is the number of valid stages; valid stages are < NumStages, so
// arrays indexed by Stage have length NumStages.
const NumStages = 5

var stageNames = [NumStages]string{"W", "N1", "N2", "N3", "R"}

// String returns the AASM label "W", "N1", "N2", "N3" or "R", or "Stage(k)"
// for an invalid value k.
func (s Stage) String() string {
	if s.Valid() {
		return stageNames[s]
	}
	return "Stage(" + strconv.Itoa(int(s)) + ")"
}

// Valid reports whether s is one of W, N1, N2, N3 and R.
func (s Stage) Valid() bool { return s < NumStages }

// IsSleep reports whether s is a sleep stage (N1, N2, N3 or R).
func (s Stage) IsSleep() bool { return s >= N1 && s <= R }

// IsNREM reports whether s is a non-REM sleep stage (N1, N2 or N3).
func (s Stage) IsNREM() bool { return s >= N1 && s <= N3 }

// ValidLabels lists, for error messages, the labels ParseStage accepts.
const ValidLabels = `W, N1, N2, N3, R (also Wake, REM, S1-S4, the integers 0-4 = W, N1, N2, N3, R, and "Sleep stage W/1/2/3/4/R")`

// ParseStage parses a stage label. It accepts, ignoring case and surrounding
// space:
//
//   - the AASM labels W, N1, N2, N3, R and the words Wake and REM;
//   - Rechtschaffen & Kales (1968) labels S1, S2, S3, S4, where S3 and S4 both
//     map to N3 (the AASM merged the two slow-wave stages, Iber et al. 2007);
//   - the integers 0-4, read as 0 = W, 1 = N1, 2 = N2, 3 = N3, 4 = R, the
//     common coding of AASM-scored exports;
//   - the Sleep-EDF annotation labels "Sleep stage W", "Sleep stage 1" ...
//     "Sleep stage 4" (R&K; stage 4 maps to N3), "Sleep stage R", and
//     "Sleep stage N1" ... "Sleep stage N3".
//
// The integer 5 is rejected with an explanation: some R&K exports code
// 4 = stage 4 and 5 = REM, and reading such a file with the AASM coding
// would silently turn slow-wave sleep into REM.
func ParseStage(label string) (Stage, error) {
	l := strings.ToUpper(strings.TrimSpace(label))
	if rest, ok := strings.CutPrefix(l, "SLEEP STAGE"); ok {
		switch strings.TrimSpace(rest) {
		case "W", "WAKE":
			return W, nil
		case "1", "N1":
			return N1, nil
		case "2", "N2":
			return N2, nil
		case "3", "4", "N3":
			return N3, nil
		case "R", "REM":
			return R, nil
		}
		return W, fmt.Errorf("unknown stage label %s (valid: %s)", quoteShort(label), ValidLabels)
	}
	switch l {
	case "W", "WAKE", "0":
		return W, nil
	case "N1", "S1", "1":
		return N1, nil
	case "N2", "S2", "2":
		return N2, nil
	case "N3", "S3", "S4", "3":
		return N3, nil
	case "R", "REM", "4":
		return R, nil
	case "5":
		return W, fmt.Errorf("stage %s: 5 is REM in R&K exports that code 4 = stage 4; this reader uses 0-4 = W, N1, N2, N3, R (recode 4 to 3 and 5 to 4)", quoteShort(label))
	}
	return W, fmt.Errorf("unknown stage label %s (valid: %s)", quoteShort(label), ValidLabels)
}

// quoteShort quotes s for an error message, cutting it to 40 bytes so that a
// line of garbage does not flood the message.
func quoteShort(s string) string {
	const limit = 40
	if len(s) > limit {
		return strconv.Quote(s[:limit]) + "..."
	}
	return strconv.Quote(s)
}
