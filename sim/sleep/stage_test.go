package sleep

import (
	"strings"
	"testing"
)

func TestParseStage(t *testing.T) {
	t.Parallel()
	cases := []struct {
		label string
		want  Stage
	}{
		// AASM labels and words.
		{"W", W}, {"N1", N1}, {"N2", N2}, {"N3", N3}, {"R", R},
		{"w", W}, {" n2 ", N2}, {"Wake", W}, {"WAKE", W}, {"REM", R}, {"rem", R},
		// Rechtschaffen & Kales labels: stages 3 and 4 are both N3.
		{"S1", N1}, {"S2", N2}, {"S3", N3}, {"S4", N3},
		// Integer coding 0-4 = W, N1, N2, N3, R.
		{"0", W}, {"1", N1}, {"2", N2}, {"3", N3}, {"4", R},
		// Sleep-EDF annotations (R&K stage 4 -> N3).
		{"Sleep stage W", W}, {"Sleep stage 1", N1}, {"Sleep stage 2", N2},
		{"Sleep stage 3", N3}, {"Sleep stage 4", N3}, {"Sleep stage R", R},
		{"sleep stage r", R}, {"Sleep stage N2", N2}, {"Sleep stage REM", R},
	}
	for _, c := range cases {
		got, err := ParseStage(c.label)
		if err != nil || got != c.want {
			t.Errorf("ParseStage(%q) = %v, %v; want %v, nil", c.label, got, err, c.want)
		}
	}
}

func TestParseStageErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		label string
		want  string // substring of the error
	}{
		{"X", `unknown stage label "X" (valid: W, N1, N2, N3, R`},
		{"", `unknown stage label ""`},
		{"N4", `unknown stage label "N4"`},
		{"Sleep stage ?", `unknown stage label "Sleep stage ?"`},
		{"Movement time", `unknown stage label "Movement time"`},
		{"5", "5 is REM in R&K exports"},
		{"-1", `unknown stage label "-1"`},
		{strings.Repeat("x", 100), `"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"...`},
	}
	for _, c := range cases {
		_, err := ParseStage(c.label)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseStage(%q) error = %v, want it to contain %q", c.label, err, c.want)
		}
	}
}

func TestStageString(t *testing.T) {
	t.Parallel()
	for s, want := range []string{"W", "N1", "N2", "N3", "R"} {
		if got := Stage(s).String(); got != want {
			t.Errorf("Stage(%d).String() = %q, want %q", s, got, want)
		}
		if back, err := ParseStage(want); err != nil || back != Stage(s) {
			t.Errorf("ParseStage(%q) = %v, %v; want %v", want, back, err, Stage(s))
		}
	}
	if got := Stage(7).String(); got != "Stage(7)" {
		t.Errorf("Stage(7).String() = %q, want Stage(7)", got)
	}
}

func TestStageClasses(t *testing.T) {
	t.Parallel()
	cases := []struct {
		s                    Stage
		valid, sleep, isNREM bool
	}{
		{W, true, false, false},
		{N1, true, true, true},
		{N2, true, true, true},
		{N3, true, true, true},
		{R, true, true, false},
		{Stage(5), false, false, false},
	}
	for _, c := range cases {
		if c.s.Valid() != c.valid || c.s.IsSleep() != c.sleep || c.s.IsNREM() != c.isNREM {
			t.Errorf("%v: Valid, IsSleep, IsNREM = %v, %v, %v; want %v, %v, %v",
				c.s, c.s.Valid(), c.s.IsSleep(), c.s.IsNREM(), c.valid, c.sleep, c.isNREM)
		}
	}
}
