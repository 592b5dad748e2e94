package plots_test

import (
	"strings"
	"testing"

	"github.com/dreamsim/dreamsim/plots"
)

// TestActivityLightsOff finds nights of a multi-night activity clock from
// their hypnograms, whose times count from each night's own lights-off.
func TestActivityLightsOff(t *testing.T) {
	W, N2, N3, R := plots.Wake, plots.N2, plots.N3, plots.REM
	// Samples every 0.5 min from -2: a day (W), night 1 at 0 (W N2 N3 N2
	// R R), a day of 2 min (W), night 2 at 5 (N2 N3 R N2), a day (W).
	stages := []plots.Stage{W, W, W, W,
		W, N2, N3, N2, R, R,
		W, W, W, W,
		N2, N3, R, N2,
		W, W}
	act := &plots.Activity{}
	for i, s := range stages {
		act.TMin = append(act.TMin, -2+0.5*float64(i))
		act.Stage = append(act.Stage, s)
	}
	night := func(ss ...plots.Stage) []plots.Epoch {
		var e []plots.Epoch
		for i, s := range ss {
			e = append(e, plots.Epoch{Night: 2, Index: i, StartMin: 0.5 * float64(i), Stage: s})
		}
		return e
	}
	tests := []struct {
		name    string
		epochs  []plots.Epoch
		after   float64
		want    float64
		wantErr string
	}{
		{"night 1 from the start", night(W, N2, N3, N2, R, R), -2, 0, ""},
		{"night 2 after night 1", night(N2, N3, R, N2), 3, 5, ""},
		{"night 2 found from the start too: its stages place it", night(N2, N3, R, N2), -2, 5, ""},
		{"a night that is not there", night(N3, N3, R, R), -2, 0, "no stretch"},
		{"searching past the night", night(N2, N3, R, N2), 6, 0, "no stretch"},
		{"no epochs", nil, 0, 0, "without epochs"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := act.LightsOff(tc.epochs, tc.after)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("LightsOff = %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}
