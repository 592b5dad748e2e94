package sleep

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestMaxEpochs(t *testing.T) {
	t.Parallel()
	// Seven days of 30-s epochs: 7 * 24 * 120.
	if MaxEpochs != 20160 {
		t.Errorf("MaxEpochs = %d, want 20160", MaxEpochs)
	}
}

func TestStageAt(t *testing.T) {
	t.Parallel()
	h := Hypnogram{Epochs: []Stage{N1, N2, N3, R}} // 2 min
	if got := h.DurationMin(); got != 2 {
		t.Fatalf("DurationMin = %v, want 2", got)
	}
	cases := []struct {
		min  float64
		want Stage
	}{
		{0, N1}, {0.25, N1}, {0.4999, N1},
		{0.5, N2}, {0.5 - 1e-12, N2}, // within rounding of the boundary
		{1.0, N3}, {1.75, R}, {1.9999, R},
		{2, W}, {100, W}, {-0.1, W}, {math.NaN(), W}, {math.Inf(1), W}, {math.Inf(-1), W},
	}
	for _, c := range cases {
		if got := h.StageAt(c.min); got != c.want {
			t.Errorf("StageAt(%v) = %v, want %v", c.min, got, c.want)
		}
	}
	// Tick times accumulated in floating point land in the intended epoch.
	long := Hypnogram{Epochs: make([]Stage, 1000)}
	for i := range long.Epochs {
		long.Epochs[i] = Stage(i % 5)
	}
	tick := 0.1 / 60 // 100-ms ticks, in minutes
	for k := 0; k < 300*1000; k += 7 {
		m := float64(k) * tick
		want := Stage((k / 300) % 5)
		if got := long.StageAt(m); got != want {
			t.Fatalf("StageAt(tick %d = %v min) = %v, want %v", k, m, got, want)
		}
	}
}

func TestHypnogramValidate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		h    Hypnogram
		want string // "" for valid
	}{
		{Hypnogram{Epochs: []Stage{W, N1, R}}, ""},
		{Hypnogram{}, "empty hypnogram"},
		{Hypnogram{Epochs: []Stage{W, 9}}, "epoch 1: invalid stage 9"},
		{Hypnogram{Epochs: make([]Stage, MaxEpochs)}, ""},
		{Hypnogram{Epochs: make([]Stage, MaxEpochs+1)}, "longer than 7 days"},
	}
	for i, c := range cases {
		err := c.h.Validate()
		if (err == nil) != (c.want == "") || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("case %d: Validate() = %v, want %q", i, err, c.want)
		}
	}
}

func TestFromSchedule(t *testing.T) {
	t.Parallel()
	h, err := FromSchedule([]ScheduleBlock{{W, 1}, {N2, 1.5}, {R, 0.5}})
	if err != nil {
		t.Fatal(err)
	}
	want := []Stage{W, W, N2, N2, N2, R}
	if !slices.Equal(h.Epochs, want) {
		t.Errorf("FromSchedule = %v, want %v", h.Epochs, want)
	}
	// An 8-h schedule has 960 epochs.
	h, err = FromSchedule([]ScheduleBlock{{N2, 240}, {R, 240}})
	if err != nil || len(h.Epochs) != 960 || h.DurationMin() != 480 {
		t.Errorf("8-h schedule: %d epochs, %v", len(h.Epochs), err)
	}
}

func TestFromScheduleErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		blocks []ScheduleBlock
		want   string
	}{
		{nil, "empty schedule"},
		{[]ScheduleBlock{{W, 1}, {N2, 0.7}}, "block 2 (N2): minutes 0.7 is not a positive multiple of 0.5"},
		{[]ScheduleBlock{{W, 0}}, "block 1 (W): minutes 0 is not"},
		{[]ScheduleBlock{{W, -1}}, "minutes -1 is not"},
		{[]ScheduleBlock{{W, math.NaN()}}, "minutes NaN is not"},
		{[]ScheduleBlock{{W, math.Inf(1)}}, "minutes +Inf is not"},
		{[]ScheduleBlock{{Stage(5), 1}}, "block 1: invalid stage 5"},
		{[]ScheduleBlock{{W, 5000}, {N2, 5080}, {N3, 1}}, "block 3: schedule is longer than 7 days"},
		{[]ScheduleBlock{{W, 1e300}}, "block 1: schedule is longer than 7 days"},
	}
	for i, c := range cases {
		_, err := FromSchedule(c.blocks)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("case %d: FromSchedule error = %v, want it to contain %q", i, err, c.want)
		}
	}
}
