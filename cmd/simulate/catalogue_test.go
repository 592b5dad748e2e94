package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The bad-input catalogue (GitHub issue 8): every way an experiment file,
// a hypnogram, a flag or an output folder can be wrong, each run through
// the real simulate binary, which must exit with the documented code, say
// what is wrong (and, for a problem in a file, on which line), and never
// show a Go stack trace. Each case is one file under testdata/bad/ (plus
// the hypnograms and includes it names); -check is enough for all but the
// cases about the output folder, so the whole catalogue takes a few
// seconds.

// badDir holds the input files of the catalogue.
var badDir = filepath.Join("testdata", "bad")

var binary struct {
	once sync.Once
	path string
	err  error
}

// simulateBinary builds the simulate command once for all tests of the
// package and returns its path.
func simulateBinary(t testing.TB) string {
	t.Helper()
	binary.once.Do(func() {
		dir := testTemp
		if dir == "" {
			dir, binary.err = os.MkdirTemp("", "simulate-catalogue-")
			if binary.err != nil {
				return
			}
		}
		goTool, err := exec.LookPath("go")
		if err != nil {
			goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
		}
		binary.path = filepath.Join(dir, "simulate")
		out, err := exec.Command(goTool, "build", "-o", binary.path, ".").CombinedOutput()
		if err != nil {
			binary.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	require.NoError(t, binary.err)
	return binary.path
}

// runBinary runs the simulate binary and returns its exit code, standard
// output and standard error.
func runBinary(t testing.TB, bin string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		require.True(t, ok, "simulate %s: %v", strings.Join(args, " "), err)
		code = ee.ExitCode()
	}
	return code, stdout.String(), stderr.String()
}

// noStackTrace fails the test if the output shows a Go panic or runtime
// error instead of a message.
func noStackTrace(t testing.TB, outputs ...string) {
	t.Helper()
	for _, s := range outputs {
		for _, bad := range []string{"goroutine ", "panic:", "runtime error", "runtime.gopanic"} {
			assert.NotContains(t, s, bad, "a Go stack trace instead of a message")
		}
	}
}

// badInput is one case of the catalogue.
type badInput struct {
	name   string
	config string   // file under testdata/bad given to -config; "" for none
	args   []string // further arguments, after -config and -check or -out
	// run makes a real run (into a fresh folder, unless args or setup name
	// another -out) instead of -check.
	run bool
	// raw passes args alone: for subcommands (merge, plot).
	raw bool
	// setup prepares the case in its own temporary folder and returns more
	// arguments.
	setup func(t *testing.T, bin, dir string) []string
	code  int      // expected exit code
	want  []string // substrings of standard error
	lines []int    // lines of config that standard error must name, as "config:line:"
	skip  string   // why the case cannot pass yet
}

// tooBig writes a file just over the 4-MiB limit of experiment files.
func tooBig(t *testing.T, _, dir string) []string {
	p := filepath.Join(dir, "too-big.toml")
	b := bytes.Repeat([]byte("# padding padding padding padding padding padding padding padding\n"), (5<<20)/66)
	require.NoError(t, os.WriteFile(p, append([]byte("[experiment]\nname = \"too-big\"\n"), b...), 0o644))
	return []string{"-config", p}
}

// unwritable returns a -out where the output folder cannot be made. A
// folder of mode 0500 stops anyone but root; root (as in CI containers)
// passes file permissions, so there the output goes under a regular file,
// which stops everyone.
func unwritable(t *testing.T, _, dir string) []string {
	ro := filepath.Join(dir, "read-only")
	require.NoError(t, os.Mkdir(ro, 0o500))
	t.Cleanup(func() { os.Chmod(ro, 0o700) })
	probe := filepath.Join(ro, "probe")
	if err := os.WriteFile(probe, nil, 0o644); err == nil {
		os.Remove(probe)
		f := filepath.Join(dir, "a-file")
		require.NoError(t, os.WriteFile(f, nil, 0o644))
		return []string{"-out", filepath.Join(f, "out")}
	}
	return []string{"-out", filepath.Join(ro, "out")}
}

// badInputs is the catalogue.
func badInputs() []badInput {
	return []badInput{
		// Unknown keys and misspelt sections: named with a suggestion and the valid keys.
		{name: "unknown key", config: "unknown-key.toml", code: 2, lines: []int{4}, want: []string{"experiment.colour: unknown key", "valid keys here: citation, control"}},
		{name: "unknown key near a valid one", config: "unknown-key-suggest.toml", code: 2, lines: []int{5}, want: []string{`sim.dt: unknown key (did you mean "dt_s"?)`}},
		{name: "empty key", config: "empty-key.toml", code: 2, lines: []int{3}, want: []string{`experiment."": unknown key`}},
		{name: "misspelt section", config: "misspelt-section.toml", code: 2, lines: []int{4}, want: []string{`regoins: unknown key (did you mean "regions"?)`}},
		{name: "misspelt array of tables", config: "misspelt-array.toml", code: 2, lines: []int{4}, want: []string{`phases: unknown key (did you mean "phase"?)`}},
		{name: "misspelt section in a condition", config: "misspelt-in-condition.toml", code: 2, lines: []int{9}, want: []string{`condition[1].regions.mhc: unknown key (did you mean "mch"?)`}},
		{name: "misspelt manipulation key", config: "unknown-key-manipulation.toml", code: 2, lines: []int{7}, want: []string{`manipulation[0].stage: unknown key (did you mean "stages"?)`}},

		// Wrong types.
		{name: "string for an integer", config: "wrong-type-string.toml", code: 2, lines: []int{3}, want: []string{`experiment.seeds: want an integer, got the string "three"`}},
		{name: "string for a number", config: "wrong-type-number.toml", code: 2, lines: []int{5}, want: []string{`sim.dt_s: want a number, got the string "0.1"`}},
		{name: "integer for an array", config: "wrong-type-array.toml", code: 2, lines: []int{5}, want: []string{"regions.cortex.hidden: want an array, got the integer 128"}},
		{name: "integer for a table", config: "wrong-type-table.toml", code: 2, lines: []int{1}, want: []string{"regions: want a table, got the integer 5"}},
		{name: "array of tables for a table", config: "wrong-type-table-array.toml", code: 2, lines: []int{4}, want: []string{"regions: want a table, got an array"}},
		{name: "fraction for an integer", config: "wrong-type-fraction-int.toml", code: 2, lines: []int{6}, want: []string{"phase[0].episodes: want an integer, got 2.5"}},

		// NaN and infinities, which TOML allows.
		{name: "nan", config: "nan.toml", code: 2, lines: []int{5}, want: []string{"sim.dt_s: value NaN is not a finite number"}},
		{name: "inf", config: "inf.toml", code: 2, lines: []int{5}, want: []string{"regions.mch.ne_inhibition: value +Inf is not a finite number"}},
		{name: "-inf", config: "neg-inf.toml", code: 2, lines: []int{6}, want: []string{"phase[0].emotional_fraction: value -Inf is not a finite number"}},

		// Negative or zero durations and counts.
		{name: "zero tick", config: "zero-dt.toml", code: 2, lines: []int{5}, want: []string{"sim.dt_s: 0 s out of range"}},
		{name: "negative wake minutes", config: "negative-minutes.toml", code: 2, lines: []int{6}, want: []string{"phase[0].minutes: -5 out of range"}},
		{name: "zero schedule minutes", config: "zero-schedule-minutes.toml", code: 2, lines: []int{9}, want: []string{"clock.schedule[0].minutes: 0 out of range"}},
		{name: "negative episodes", config: "negative-episodes.toml", code: 2, lines: []int{6}, want: []string{"phase[0].episodes: -3 out of range [0, 10000]"}},
		{name: "zero seeds", config: "zero-seeds.toml", code: 2, lines: []int{3}, want: []string{"experiment.seeds: 0 out of range [1, 100000]"}},
		{name: "zero repetitions", config: "zero-repetitions.toml", code: 2, lines: []int{6}, want: []string{"phase[0].repetitions: 0 out of range [1, 1000]"}},
		{name: "negative record interval", config: "negative-interval.toml", code: 2, lines: []int{5}, want: []string{"record.interval_s: -30 s out of range"}},
		{name: "zero layer width", config: "zero-width.toml", code: 2, lines: []int{5}, want: []string{"every width must be in [1, 4096]"}},

		// Probabilities and fractions outside their range.
		{name: "fraction above one", config: "fraction-above-one.toml", code: 2, lines: []int{6}, want: []string{"phase[0].emotional_fraction: 1.5 out of range [0, 1]"}},
		{name: "negative fraction", config: "fraction-negative.toml", code: 2, lines: []int{5}, want: []string{"cue_fraction = -0.1 out of range (0, 1]"}},
		{name: "alpha above one", config: "alpha-out-of-range.toml", code: 2, lines: []int{17}, want: []string{"expect[0].alpha: 1.5 out of range (0, 1)"}},

		// The tick against time constants and delays.
		{name: "tick above the time constants", config: "dt-above-tau.toml", code: 2, lines: []int{6}, want: []string{"dt = 2 s is larger than the smallest time constant 1 s"}},
		{name: "tick of a nanosecond", config: "tick-too-small.toml", code: 2, lines: []int{7}, want: []string{"sim.dt_s: 1e-09 s"}},
		{name: "denormal tick", config: "tick-denormal.toml", code: 2, lines: []int{6}, want: []string{"sim.dt_s: 5e-324 s out of range"}},
		{name: "tick not dividing the epoch", config: "dt-not-dividing.toml", code: 2, lines: []int{5}, want: []string{"divides the 30-s epoch"}},
		{name: "min-delay below the tick", config: "delay-below-dt.toml", code: 2, lines: []int{6}, want: []string{"sim.delay_s: 0.05 s is shorter than the tick dt_s = 0.1 s"}},
		{name: "connection delay below the tick", config: "connection-delay-below-dt.toml", code: 2, lines: []int{8}, want: []string{"connection[0].delay_s: 0.01 s is shorter than the tick"}},
		{name: "record interval not a multiple of the tick", config: "interval-not-multiple.toml", code: 2, lines: []int{5}, want: []string{"record.interval_s: 0.25 s out of range: want a multiple of dt_s"}},

		// Unknown names: the message lists the valid ones.
		{name: "unknown region", config: "unknown-region.toml", code: 2, lines: []int{6}, want: []string{`unknown region "thalamus" (valid: amygdala, cortex, hippocampus, lc, mch, pfc, senses)`}},
		{name: "unknown recorded signal", config: "unknown-signal-record.toml", code: 2, lines: []int{5}, want: []string{`record.signals[1]: region "mch" has no signal "glow" (signals: activity)`}},
		{name: "unknown recorded region", config: "unknown-region-record.toml", code: 2, lines: []int{5}, want: []string{`record.signals[1]: unknown region "thalamus" in "thalamus.spindles" (valid: amygdala`}},
		{name: "unknown manipulated signal", config: "unknown-signal-manipulation.toml", code: 2, lines: []int{4}, want: []string{`region "mch" has no signal "glow" (signals: activity)`}},
		{name: "unknown connection output", config: "unknown-output-connection.toml", code: 2, lines: []int{6}, want: []string{`connection[0].output: region "lc" has no output "dopamine" (outputs: ne)`}},
		{name: "unknown stage in a manipulation", config: "unknown-stage-manipulation.toml", code: 2, lines: []int{4}, want: []string{`unknown stage "deep" (valid: W, N1, N2, N3, R)`}},
		{name: "unknown stage in the schedule", config: "unknown-stage-schedule.toml", code: 2, lines: []int{12}, want: []string{`clock.schedule[1].stage: unknown stage "N5" (valid: W, N1, N2, N3, R)`}},
		{name: "unknown manipulation kind", config: "unknown-manipulation-kind.toml", code: 2, lines: []int{4}, want: []string{`unknown manipulation kind "zap" (valid: ablate, stimulate, silence, clamp)`}},
		{name: "unknown forgetting rule", config: "unknown-forgetting-rule.toml", code: 2, lines: []int{5}, want: []string{`unknown forgetting rule "strongest-first" (valid: amygdala-coupled, emotion-protected, least-replayed-first, uniform, weakest-first)`}},
		{name: "unknown phase kind", config: "unknown-phase-kind.toml", code: 2, lines: []int{8}, want: []string{`phase[1].kind: unknown phase kind "nap" (valid: wake, sleep, test)`}},
		{name: "unknown clock source", config: "unknown-clock-source.toml", code: 2, lines: []int{5}, want: []string{`unknown clock source "eeg" (valid: model, schedule, hypnogram)`}},
		{name: "unknown executor", config: "unknown-executor.toml", code: 2, lines: []int{5}, want: []string{`unknown executor "gpu" (valid: auto, concurrent, sequential)`}},
		{name: "unknown custom region kind", config: "unknown-region-kind.toml", code: 2, lines: []int{4}, want: []string{`region[0]: region "thalamus": unknown region kind "spindle-generator" (registered kinds:`}},
		{name: "unknown content class", config: "unknown-content-class.toml", code: 2, lines: []int{5}, want: []string{`unknown content class "star" (valid: horizontal bar`}},

		// Conditions and expectations.
		{name: "duplicate condition", config: "duplicate-condition.toml", code: 2, lines: []int{11}, want: []string{`condition[2].name: duplicate condition name "intact" (also condition 1)`}},
		{name: "expectation on an unknown metric", config: "unknown-metric.toml", code: 2, lines: []int{12}, want: []string{`expect[0].metric: unknown metric "retentoin" (valid: retention,`}},
		{name: "expectation on an unknown condition", config: "unknown-condition-expect.toml", code: 2, lines: []int{11}, want: []string{`expect[0].condition: unknown condition "silenced" (conditions: ablated, intact)`}},
		{name: "expectation against itself", config: "expect-against-itself.toml", code: 2, lines: []int{12}, want: []string{"cannot be compared with itself"}},
		{name: "unknown control", config: "unknown-control.toml", code: 2, lines: []int{3}, want: []string{`experiment.control: unknown condition "sham" (conditions: intact)`}},
		{name: "unknown direction", config: "unknown-direction.toml", code: 2, lines: []int{13}, want: []string{`unknown direction ">=" (valid: >, <, =)`}},
		{name: "experiment name escaping the folder", config: "bad-folder-name.toml", code: 2, lines: []int{2}, want: []string{`"../escape" is not a usable folder name`}},
		{name: "condition name with a slash", config: "bad-condition-name.toml", code: 2, lines: []int{5}, want: []string{`"mch/ablated" is not a usable folder name`}},

		// The protocol.
		{name: "test phase not last", config: "test-not-last.toml", code: 2, lines: []int{8}, want: []string{"phase[1].kind: the test phase must come last"}},
		{name: "sleep before any wake", config: "sleep-before-wake.toml", code: 2, lines: []int{5}, want: []string{"a sleep phase needs a wake phase before it"}},
		{name: "no phases", config: "no-phases.toml", code: 2, lines: []int{1}, want: []string{"phase: the protocol needs at least one phase"}},
		{name: "clamp without a value", config: "clamp-no-value.toml", code: 2, lines: []int{4}, want: []string{"manipulation[0]: clamp needs a value in [0, 1]"}},
		{name: "clamp value out of range", config: "clamp-out-of-range.toml", code: 2, lines: []int{4}, want: []string{"clamp value 2 out of range [0, 1]"}},
		{name: "empty time window", config: "empty-window.toml", code: 2, lines: []int{4}, want: []string{"time window [60, 30) min is empty"}},

		// Includes.
		{name: "include cycle", config: "include-cycle.toml", code: 2, want: []string{"include cycle:", "include-cycle.toml -> ", "include-cycle-b.toml:2:"}},
		{name: "file including itself", config: "include-self.toml", code: 2, lines: []int{1}, want: []string{"include cycle:"}},
		{name: "missing include", config: "include-missing.toml", code: 2, lines: []int{1}, want: []string{"no-such-base.toml: no such file or directory"}},
		{name: "include of a folder", config: "include-folder.toml", code: 2, lines: []int{1}, want: []string{"it is a folder"}},
		{name: "include not an array", config: "include-not-array.toml", code: 2, lines: []int{1}, want: []string{`include: want an array of file names, got the string "base.toml"`}},
		{name: "unknown key in an include", config: "include-problem.toml", code: 2, want: []string{"include-problem-part.toml:4: regions.mch.ne_inhibiton: unknown key"}},
		{name: "range problem in an include", config: "include-range-problem.toml", code: 2, want: []string{"include-range-problem-part.toml:4: sim.dt_s: -0.1 s out of range"}},

		// Hypnograms: the message names the hypnogram's line too.
		{name: "missing hypnogram", config: "hyp-missing.toml", code: 2, lines: []int{6}, want: []string{"no-such-night.csv: no such file or directory"}},
		{name: "hypnogram with an unknown label", config: "hyp-unknown-label.toml", code: 2, lines: []int{6}, want: []string{`line 5: unknown stage label "Deep"`}},
		{name: "hypnogram with a gap", config: "hyp-gap.toml", code: 2, lines: []int{6}, want: []string{"line 5: epoch 7 after epoch 2: gap of 4 missing epoch(s)"}},
		{name: "hypnogram with 15-s epochs", config: "hyp-epoch-length.toml", code: 2, lines: []int{6}, want: []string{"line 3: start_min 0.25 after 0: epoch length 15 s, want 30 s"}},
		{name: "hypnogram of binary garbage", config: "hyp-garbage.toml", code: 2, lines: []int{6}, want: []string{"line 3: binary data: not a text hypnogram"}},
		{name: "hypnogram without epochs", config: "hyp-empty.toml", code: 2, lines: []int{6}, want: []string{"empty hypnogram"}},
		{name: "hypnogram is a folder", config: "hyp-folder.toml", code: 2, lines: []int{6}, want: []string{"it is a folder"}},
		{name: "hypnogram clock without a file", config: "hyp-no-file.toml", code: 2, lines: []int{4}, want: []string{"the hypnogram clock needs a file"}},

		// Files that are not experiments.
		{name: "empty file", config: "empty.toml", code: 2, want: []string{"empty.toml: the file holds no settings"}},
		{name: "comments only", config: "comments-only.toml", code: 2, want: []string{"the file holds no settings"}},
		{name: "binary file", config: "binary.toml", code: 2, want: []string{"binary.toml: not a text file"}},
		{name: "UTF-16 file", config: "utf16.toml", code: 2, want: []string{"not a text file"}},
		{name: "config is a folder", args: []string{"-config", badDir}, code: 2, want: []string{"cannot read testdata/bad: it is a folder"}},
		{name: "config missing", args: []string{"-config", filepath.Join(badDir, "no-such-experiment.toml")}, code: 2, want: []string{"no such file or directory"}},
		{name: "config is /dev/null", args: []string{"-config", os.DevNull}, code: 2, want: []string{"the file holds no settings"}},

		// TOML syntax: the parser's line.
		{name: "syntax: double equals", config: "syntax-double-equals.toml", code: 2, lines: []int{3}, want: []string{"TOML syntax: expected value but found '='"}},
		{name: "syntax: unterminated string", config: "syntax-unterminated-string.toml", code: 2, lines: []int{2}, want: []string{"TOML syntax:"}},
		{name: "syntax: duplicate key", config: "syntax-duplicate-key.toml", code: 2, lines: []int{4}, want: []string{"TOML syntax: Key 'experiment.seeds' has already been defined"}},
		{name: "syntax: duplicate table", config: "syntax-duplicate-table.toml", code: 2, lines: []int{7}, want: []string{"TOML syntax:", "already been defined"}},
		{name: "syntax: integer overflow", config: "syntax-int-overflow.toml", code: 2, lines: []int{3}, want: []string{"out of range for int64"}},

		// Sizes that would exhaust memory or time: refused up front.
		{name: "memory: huge images times many episodes", config: "huge-memory-content.toml", code: 2, lines: []int{6}, want: []string{"would need about 5.3 GiB per run (limit 4 GiB)"}},
		{name: "memory: deep network", config: "huge-network-deep.toml", code: 2, lines: []int{6}, want: []string{"regions.cortex.hidden:", "GiB per run (limit 4 GiB)"}},
		{name: "episodes 10000 x repetitions 1000", config: "huge-presentations.toml", code: 2, lines: []int{6}, want: []string{"10000000 presentations do not fit in 60 min"}},
		{name: "nesting 40 deep", config: "huge-nesting.toml", code: 2, lines: []int{4}, want: []string{"nested more than 32 deep"}},
		{name: "thousands of problems", config: "huge-problems.toml", code: 2, lines: []int{5}, want: []string{"record.signals[0]: want a string", "further problems of this file not listed", "... and "}},
		{name: "file over 4 MiB", setup: tooBig, code: 2, want: []string{"files over 4194304 bytes are refused"}},
		{name: "endless device as config", args: []string{"-config", "/dev/zero"}, code: 2, want: []string{"files over 4194304 bytes are refused"}},
		{
			// 1.1 GiB per run is under the per-run limit, but one run per
			// core on a machine with many cores is not.
			name: "memory: 2 x 4096 network on every core", config: "huge-network-workers.toml", code: 2, want: []string{"GiB"},
			setup: func(t *testing.T, _, _ string) []string {
				avail := memAvailable()
				if avail == 0 {
					t.Skip("no /proc/meminfo")
				}
				n := strconv.Itoa(int(2*avail/(1.1*(1<<30))) + 1)
				return []string{"-workers", n, "-seeds", n}
			},
		},

		// All problems of a file at once, each with its line.
		{name: "all problems at once", config: "many-problems.toml", code: 2, lines: []int{3, 7, 12, 27, 34}, want: []string{
			"5 problems:",
			`experiment.seeds: want an integer, got the string "twenty"`,
			"sim.delay_s: 0.05 s is shorter than the tick",
			`phase[0].emotional_fractoin: unknown key (did you mean "emotional_fraction"?)`,
			`condition[1].manipulation[0].region: unknown region "hypothalamus"`,
			"expect[0].alpha: value NaN is not a finite number",
		}},

		// Line numbers through TOML that looks like something else.
		{name: "line after a multi-line string", config: "multiline-string-line.toml", code: 2, lines: []int{14}, want: []string{"condition[1].ablate: unknown key"}},
		{name: "line after brackets in strings", config: "bracket-in-string-line.toml", code: 2, lines: []int{8}, want: []string{`sim.tick: unknown key`}},
		{name: "conditions as an inline array are kept", config: "inline-conditions.toml", code: 0, want: []string{"is valid: 2 conditions"}},

		// Flags.
		{name: "shard 3/2", args: []string{"-shard", "3/2"}, code: 2, want: []string{`invalid value "3/2" for flag -shard: want I/N with 0 <= I < N`}},
		{name: "shard 0/0", args: []string{"-shard", "0/0"}, code: 2, want: []string{"want I/N"}},
		{name: "shard not a fraction", args: []string{"-shard", "half"}, code: 2, want: []string{"want I/N"}},
		{name: "negative seeds", args: []string{"-seeds", "-1"}, code: 2, want: []string{"-seeds and -workers must not be negative"}},
		{name: "negative workers", args: []string{"-workers", "-4"}, code: 2, want: []string{"-seeds and -workers must not be negative"}},
		{name: "seeds not a number", args: []string{"-seeds", "many"}, code: 2, want: []string{`invalid value "many" for flag -seeds`}},
		{name: "unknown flag", args: []string{"-bogus"}, code: 2, want: []string{"flag provided but not defined: -bogus", "usage: simulate"}},
		{name: "argument after the flags", args: []string{"experiment.toml"}, code: 2, want: []string{`unexpected argument "experiment.toml"`}},
		{name: "unknown -executor", args: []string{"-executor", "gpu"}, code: 2, want: []string{`unknown -executor "gpu" (valid: auto, concurrent, sequential)`}},
		{name: "merge without folders", raw: true, args: []string{"merge"}, code: 2, want: []string{"usage: simulate merge"}},
		{name: "plot without a folder", raw: true, args: []string{"plot"}, code: 2, want: []string{"usage: simulate plot"}},

		// The output folder.
		{name: "unwritable output folder", config: "tiny-valid.toml", run: true, setup: unwritable, code: 1, want: []string{"cannot create output folder"}},
		{name: "output folder under a file", config: "tiny-valid.toml", run: true, code: 1, want: []string{"cannot create output folder", "not a directory"},
			setup: func(t *testing.T, _, dir string) []string {
				f := filepath.Join(dir, "results")
				require.NoError(t, os.WriteFile(f, []byte("a file\n"), 0o644))
				return []string{"-out", filepath.Join(f, "tiny")}
			}},
		{name: "output folder in /proc", config: "tiny-valid.toml", run: true, code: 1, want: []string{"cannot create output folder"},
			setup: func(t *testing.T, _, _ string) []string {
				if _, err := os.Stat("/proc/self"); err != nil {
					t.Skip("no /proc")
				}
				return []string{"-out", "/proc/dreamsim-catalogue/out"}
			}},
		{name: "output is a file", config: "tiny-valid.toml", run: true, code: 1, want: []string{"exists and is not a folder"},
			setup: func(t *testing.T, _, dir string) []string {
				f := filepath.Join(dir, "results.txt")
				require.NoError(t, os.WriteFile(f, []byte("a file\n"), 0o644))
				return []string{"-out", f}
			}},
		{name: "output folder of another experiment", config: "tiny-valid.toml", run: true, code: 2, want: []string{"output folder holds a different experiment", "written by a different configuration"},
			setup: func(t *testing.T, bin, dir string) []string {
				out := filepath.Join(dir, "shared")
				code, stdout, stderr := runBinary(t, bin, "-config", filepath.Join(badDir, "tiny-other.toml"), "-quiet", "-workers", "1", "-out", out)
				require.Equal(t, 0, code, "%s%s", stdout, stderr)
				return []string{"-out", out}
			}},
		{name: "output folder of other files", config: "tiny-valid.toml", run: true, code: 2, want: []string{"is not empty and holds no dreamsim experiment"},
			setup: func(t *testing.T, _, dir string) []string {
				out := filepath.Join(dir, "thesis")
				require.NoError(t, os.MkdirAll(out, 0o755))
				require.NoError(t, os.WriteFile(filepath.Join(out, "chapter1.tex"), []byte("\\chapter{}\n"), 0o644))
				return []string{"-out", out}
			}},

		// Merging shard folders.
		{name: "merge of a folder that is no experiment", raw: true, code: 1, want: []string{"is not a dreamsim experiment folder"},
			setup: func(t *testing.T, _, dir string) []string {
				require.NoError(t, os.Mkdir(filepath.Join(dir, "empty"), 0o755))
				return []string{"merge", "-out", filepath.Join(dir, "merged"), filepath.Join(dir, "empty")}
			}},
		{name: "merge of a corrupt resolved config", raw: true, code: 1, want: []string{"merge: ", "TOML syntax"},
			setup: func(t *testing.T, _, dir string) []string {
				s := filepath.Join(dir, "shard")
				require.NoError(t, os.Mkdir(s, 0o755))
				require.NoError(t, os.WriteFile(filepath.Join(s, "config.resolved.toml"), []byte("[experiment\nname = \"x\"\n"), 0o644))
				return []string{"merge", "-out", filepath.Join(dir, "merged"), s}
			}},
		{name: "merge of a corrupt summary", raw: true, code: 1, want: []string{"runs are in no shard", "intact/seed-1"},
			setup: func(t *testing.T, bin, dir string) []string {
				s := filepath.Join(dir, "shard")
				code, stdout, stderr := runBinary(t, bin, "-config", filepath.Join("..", "..", "experiments", "testdata", "tiny.toml"), "-seeds", "1", "-quiet", "-workers", "1", "-shard", "0/1", "-out", s)
				require.Equal(t, 0, code, "%s%s", stdout, stderr)
				require.NoError(t, os.WriteFile(filepath.Join(s, "runs", "intact", "seed-1", "summary.json"), []byte("{\"config_hash\": \x00\x01"), 0o644))
				return []string{"merge", "-out", filepath.Join(dir, "merged"), s}
			}},
		{name: "merge of shards on a scored night", raw: true, code: 0, want: []string{"runs done"},
			setup: func(t *testing.T, bin, dir string) []string {
				var shards []string
				for i := range 2 {
					s := filepath.Join(dir, fmt.Sprintf("shard-%d", i))
					code, stdout, stderr := runBinary(t, bin, "-config", filepath.Join(badDir, "merge-hypnogram.toml"), "-quiet", "-workers", "1", "-shard", fmt.Sprintf("%d/2", i), "-out", s)
					require.Equal(t, 0, code, "%s%s", stdout, stderr)
					shards = append(shards, s)
				}
				return append([]string{"merge", "-out", filepath.Join(dir, "merged")}, shards...)
			},
		},
	}
}

// TestBadInputCatalogue runs every case of the catalogue through the
// simulate binary.
func TestBadInputCatalogue(t *testing.T) {
	t.Parallel()
	bin := simulateBinary(t)
	cases := badInputs()
	require.GreaterOrEqual(t, len(cases), 40)
	names := map[string]bool{}
	for _, c := range cases {
		require.False(t, names[c.name], "two cases named %q", c.name)
		names[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if c.skip != "" && os.Getenv("DREAMSIM_CATALOGUE_ALL") == "" {
				t.Skip(c.skip) // DREAMSIM_CATALOGUE_ALL=1 runs it, to check a fix
			}
			dir := t.TempDir()
			var args []string
			if !c.raw {
				if c.config != "" {
					args = append(args, "-config", filepath.Join(badDir, c.config))
				}
				if c.run {
					args = append(args, "-quiet", "-workers", "1", "-out", filepath.Join(dir, "out"))
				} else {
					args = append(args, "-check")
				}
			}
			args = append(args, c.args...)
			if c.setup != nil {
				args = append(args, c.setup(t, bin, dir)...)
			}
			code, stdout, stderr := runBinary(t, bin, args...)
			noStackTrace(t, stdout, stderr)
			require.Equal(t, c.code, code, "simulate %s\nstderr:\n%s", strings.Join(args, " "), stderr)
			for _, w := range c.want {
				assert.Contains(t, stderr, w)
			}
			for _, n := range c.lines {
				assert.Contains(t, stderr, fmt.Sprintf("%s:%d: ", filepath.Join(badDir, c.config), n), "the message should name the line")
			}
			if code != 0 && !c.raw {
				assert.Empty(t, stdout, "a refused experiment printed to standard output")
			}
		})
	}
}

// TestCatalogueFilesUsed checks that every file under testdata/bad
// belongs to a case (as its config, named in this file, or named by such
// a file), so that the folder does not collect dead files.
func TestCatalogueFilesUsed(t *testing.T) {
	t.Parallel()
	entries, err := os.ReadDir(badDir)
	require.NoError(t, err)
	src, err := os.ReadFile("catalogue_test.go")
	require.NoError(t, err)
	used := map[string]bool{}
	for _, c := range badInputs() {
		used[c.config] = true
	}
	for _, e := range entries {
		if bytes.Contains(src, []byte(`"`+e.Name()+`"`)) {
			used[e.Name()] = true
		}
	}
	ref := regexp.MustCompile(`"(?:\./)?([A-Za-z0-9._-]+\.(?:toml|csv))"`)
	for grew := true; grew; {
		grew = false
		for _, e := range entries {
			if !used[e.Name()] {
				continue
			}
			b, err := os.ReadFile(filepath.Join(badDir, e.Name()))
			require.NoError(t, err)
			for _, m := range ref.FindAllStringSubmatch(string(b), -1) {
				if !used[m[1]] {
					used[m[1]], grew = true, true
				}
			}
		}
	}
	for _, e := range entries {
		if !used[e.Name()] {
			t.Errorf("testdata/bad/%s is used by no case", e.Name())
		}
	}
}

// TestNoSpaceLeft fills a tiny tmpfs during an experiment: simulate must
// stop with a clear "no space" error and a non-zero exit, leave only
// complete run folders, and, once there is room, finish the experiment
// when the same command runs again. It needs root on Linux (to mount).
func TestNoSpaceLeft(t *testing.T) {
	t.Parallel()
	if runtime.GOOS != "linux" || os.Geteuid() != 0 {
		t.Skip("needs root on Linux to mount a tmpfs")
	}
	mount, err := exec.LookPath("mount")
	if err != nil {
		t.Skip("needs the mount command")
	}
	umount, err := exec.LookPath("umount")
	if err != nil {
		t.Skip("needs the umount command")
	}
	bin := simulateBinary(t)
	mnt := t.TempDir()
	// 300 KiB holds the resolved config and about five of the twelve runs
	// (55-65 KiB each).
	if out, err := exec.Command(mount, "-t", "tmpfs", "-o", "size=300k", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v: %s)", err, bytes.TrimSpace(out))
	}
	t.Cleanup(func() {
		if out, err := exec.Command(umount, mnt).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", mnt, err, out)
		}
	})
	const seeds = 12
	out := filepath.Join(mnt, "no-space")
	args := []string{"-config", filepath.Join(badDir, "no-space.toml"), "-quiet", "-workers", "2", "-out", out}

	code, stdout, stderr := runBinary(t, bin, args...)
	noStackTrace(t, stdout, stderr)
	require.Equal(t, exitFailure, code, "stderr:\n%s", stderr)
	assert.Contains(t, stderr, "no space left on device")
	finished := 0
	runs := filepath.Join(out, "runs", "default")
	entries, err := os.ReadDir(runs)
	if !os.IsNotExist(err) {
		require.NoError(t, err)
	}
	for _, e := range entries {
		// A failed write must not leave a folder that looks like a run,
		// nor a half-written one behind (RunOne removes its .partial).
		assert.False(t, strings.HasPrefix(e.Name(), "."), "%s left behind", e.Name())
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		_, err := os.Stat(filepath.Join(runs, e.Name(), "summary.json"))
		assert.NoError(t, err, "run folder %s is incomplete", e.Name())
		finished++
	}
	require.Less(t, finished, seeds, "the tmpfs was big enough for every run")
	_, err = os.Stat(filepath.Join(out, "results.csv"))
	assert.True(t, os.IsNotExist(err), "results.csv written with runs missing")
	t.Logf("%d of %d runs fit in 300 KiB", finished, seeds)

	// More room (the finished experiment, figures included, takes about
	// 2.5 MiB): the same command resumes and finishes.
	if o, err := exec.Command(mount, "-o", "remount,size=64m", mnt).CombinedOutput(); err != nil {
		t.Fatalf("remount: %v: %s", err, o)
	}
	code, stdout, stderr = runBinary(t, bin, args...)
	noStackTrace(t, stdout, stderr)
	require.Equal(t, exitOK, code, "stderr:\n%s", stderr)
	assert.Contains(t, stderr, fmt.Sprintf("%d runs done (%d resumed", seeds, finished))
	for s := 1; s <= seeds; s++ {
		_, err := os.Stat(filepath.Join(runs, fmt.Sprintf("seed-%d", s), "summary.json"))
		assert.NoError(t, err, "seed %d missing after the resume", s)
	}
	_, err = os.Stat(filepath.Join(out, "results.csv"))
	assert.NoError(t, err)
}
