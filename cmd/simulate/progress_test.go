package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dreamsim/dreamsim/experiments"
)

// clock is a settable time for the bar.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// lastLine returns what the terminal shows after the bar's output: the
// text after the last carriage return and erase-line.
func lastLine(s string) string {
	i := strings.LastIndex(s, "\r\033[K")
	if i < 0 {
		return s
	}
	return s[i+len("\r\033[K"):]
}

func TestProgressBar(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	intact := func(seed uint64) experiments.Run { return experiments.Run{Condition: "intact", Seed: seed} }
	type call struct {
		at   time.Duration // since t0
		do   func(p *progressBar)
		want string // the line shown after the call
	}
	for _, tc := range []struct {
		name  string
		calls []call
	}{
		{"runs, some resumed", []call{
			// 3 runs were finished by an earlier attempt; the first new
			// one took 10 s, so the 6 left take a minute.
			{10 * time.Second, func(p *progressBar) { p.RunDone(4, 10, intact(4)) },
				"[#########...............] 4/10 runs (3 resumed)  ETA 1m00s  intact seed 4"},
			{20 * time.Second, func(p *progressBar) { p.RunDone(5, 10, intact(5)) },
				"[############............] 5/10 runs (3 resumed)  ETA 50s  intact seed 5"},
			{2 * time.Hour, func(p *progressBar) { p.RunDone(10, 10, intact(10)) },
				"[########################] 10/10 runs (3 resumed)  took 2h00m  intact seed 10"},
		}},
		{"a single long night", []call{
			{0, func(p *progressBar) { p.Start(1, 0) },
				"[........................] 0/1 runs  0s so far"},
			// A quarter of the protocol in 30 s: 90 s to go.
			{30 * time.Second, func(p *progressBar) { p.Step(intact(1), 0.25) },
				"[######..................] 0/1 runs  25%  ETA 1m30s  intact seed 1"},
			{80 * time.Second, func(p *progressBar) { p.Step(intact(1), 0.5) },
				"[############............] 0/1 runs  50%  ETA 1m20s  intact seed 1"},
		}},
		{"a night without Start", []call{
			// Step alone: the bar shows the run in flight.
			{20 * time.Second, func(p *progressBar) { p.Step(intact(2), 0.4) },
				"[#########...............]  40%  ETA 30s  intact seed 2"},
			// The run finishes: now the count is known.
			{50 * time.Second, func(p *progressBar) { p.RunDone(1, 1, intact(2)) },
				"[########################] 1/1 runs  took 50s  intact seed 2"},
		}},
		{"redraws at most every 100 ms", []call{
			{time.Second, func(p *progressBar) { p.RunDone(1, 4, intact(1)) },
				"[######..................] 1/4 runs  ETA 3s  intact seed 1"},
			// 50 ms later: not drawn.
			{time.Second + 50*time.Millisecond, func(p *progressBar) { p.RunDone(2, 4, intact(2)) },
				"[######..................] 1/4 runs  ETA 3s  intact seed 1"},
			// The last run is always drawn.
			{time.Second + 60*time.Millisecond, func(p *progressBar) { p.RunDone(4, 4, intact(4)) },
				"[########################] 4/4 runs  took 1s  intact seed 4"},
		}},
		{"long names are cut", []call{
			{time.Second, func(p *progressBar) {
				p.RunDone(1, 2, experiments.Run{Condition: "stimulated-rem-at-half-strength-twice", Seed: 3})
			}, "[############............] 1/2 runs  ETA 1s  stimulated-rem-at-half-~ seed 3"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var w bytes.Buffer
			c := &clock{t: t0}
			p := newProgressBar(&w, t0)
			p.now = c.now
			for i, cl := range tc.calls {
				c.t = t0.Add(cl.at)
				cl.do(p)
				assert.Equal(t, cl.want, lastLine(w.String()), "call %d", i)
				assert.LessOrEqual(t, len(lastLine(w.String())), 80, "call %d: longer than a terminal line", i)
			}
			p.Close()
			assert.True(t, strings.HasSuffix(w.String(), "\r\033[K"), "Close clears the line")
			n := w.Len()
			p.RunDone(1, 1, intact(1))
			assert.Equal(t, n, w.Len(), "the bar drew after Close")
		})
	}
}

func TestShortDuration(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{
		0:                             "0s",
		1499 * time.Millisecond:       "1s",
		59 * time.Second:              "59s",
		61 * time.Second:              "1m01s",
		time.Hour + 5*time.Minute:     "1h05m",
		26*time.Hour + 59*time.Minute: "26h59m",
	} {
		assert.Equal(t, want, shortDuration(d), "%v", d)
	}
}

// TestNoProgressWhenPiped checks that a run whose standard error is not a
// terminal shows no progress: no carriage returns, no escape codes.
func TestNoProgressWhenPiped(t *testing.T) {
	t.Parallel()
	code, out, errs := runCLI("-config", tinyConfig, "-seeds", "1", "-workers", "1", "-out", t.TempDir()+"/out")
	require.Equal(t, exitOK, code, errs)
	assert.NotContains(t, errs, "\r")
	assert.NotContains(t, errs, "\033")
	assert.NotContains(t, out, "\033")
	assert.Contains(t, errs, "3 runs done")
}
