package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/dreamsim/dreamsim/experiments"
)

// progressBar draws the progress of an experiment on one line of a
// terminal: a bar of the runs done of the total, how many of them an
// earlier attempt finished, the time left at this attempt's pace, and the
// condition and seed of the run in flight (or of the last one finished).
// Resumed runs took no time now, so they do not count towards the pace.
//
// RunDone is the runner's per-run callback (experiments.Options.Progress).
// Start and Step are optional: Start draws the bar before the first run
// finishes, and Step, called as a run advances through its protocol,
// makes a single long night show progress too. The bar is safe for
// concurrent use and redraws at most every minGap.
type progressBar struct {
	w      io.Writer
	now    func() time.Time
	start  time.Time
	minGap time.Duration

	mu       sync.Mutex
	known    bool // total and resumed are known
	total    int
	resumed  int // runs finished before this attempt
	done     int // runs finished, resumed included
	last     experiments.Run
	running  map[experiments.Run]float64 // fraction done of each run in flight
	drawn    time.Time                   // time of the last redraw
	anything bool                        // a run has been reported
	closed   bool
}

// newProgressBar returns a bar drawing on w, timing from start.
func newProgressBar(w io.Writer, start time.Time) *progressBar {
	return &progressBar{w: w, now: time.Now, start: start, minGap: 100 * time.Millisecond, running: map[experiments.Run]float64{}}
}

// Start tells the bar that the experiment has total runs, of which resumed
// were finished by an earlier attempt, and draws it.
func (p *progressBar) Start(total, resumed int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.known, p.total, p.resumed, p.done = true, total, resumed, resumed
	p.draw(true)
}

// RunDone reports that run r finished and that done of total runs are
// finished, resumed ones included. Its signature is that of
// experiments.Options.Progress.
func (p *progressBar) RunDone(done, total int, r experiments.Run) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.known {
		// The runner calls after each run in turn, so the first call
		// comes after the resumed runs and one new run.
		p.known, p.resumed = true, done-1
	}
	p.total, p.done, p.last, p.anything = total, done, r, true
	delete(p.running, r)
	p.draw(done == total)
}

// Step reports that run r is frac (0 to 1) of the way through its protocol.
func (p *progressBar) Step(r experiments.Run, frac float64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.running[r] = min(max(frac, 0), 1)
	p.last, p.anything = r, true
	p.draw(false)
}

// Close clears the line; the bar draws nothing after it.
func (p *progressBar) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.closed && !p.drawn.IsZero() {
		fmt.Fprint(p.w, "\r\033[K")
	}
	p.closed = true
}

// draw redraws the line unless it was drawn less than minGap ago (or
// force is set). The caller holds mu.
func (p *progressBar) draw(force bool) {
	if p.closed {
		return
	}
	now := p.now()
	if !force && !p.drawn.IsZero() && now.Sub(p.drawn) < p.minGap {
		return
	}
	p.drawn = now
	fmt.Fprint(p.w, "\r\033[K"+p.line(now))
}

// barWidth is the number of cells of the bar.
const barWidth = 24

// line renders the status line at time now. The caller holds mu.
func (p *progressBar) line(now time.Time) string {
	partial := 0.0
	for _, f := range p.running {
		partial += f
	}
	var frac, work, left float64 // of everything; done and left in this attempt, in runs
	var b strings.Builder
	if p.known {
		if p.total > 0 {
			frac = min(1, (float64(p.done)+partial)/float64(p.total))
		}
		work = float64(p.done-p.resumed) + partial
		left = float64(p.total-p.done) - partial
	} else {
		// Only Step has been called: the total is not known yet, so the
		// bar shows the runs in flight.
		frac = partial / float64(max(1, len(p.running)))
		work, left = partial, float64(len(p.running))-partial
	}
	fill := int(frac * barWidth)
	fmt.Fprintf(&b, "[%s%s]", strings.Repeat("#", fill), strings.Repeat(".", barWidth-fill))
	if p.known {
		fmt.Fprintf(&b, " %d/%d runs", p.done, p.total)
	}
	if p.resumed > 0 {
		fmt.Fprintf(&b, " (%d resumed)", p.resumed)
	}
	if len(p.running) > 0 {
		fmt.Fprintf(&b, " %3.0f%%", 100*frac)
	}
	el := now.Sub(p.start)
	switch {
	case left <= 0:
		fmt.Fprintf(&b, "  took %s", shortDuration(el))
	case work > 0:
		fmt.Fprintf(&b, "  ETA %s", shortDuration(time.Duration(float64(el)/work*left)))
	default:
		fmt.Fprintf(&b, "  %s so far", shortDuration(el))
	}
	if p.anything {
		name := p.last.Condition
		if len(name) > 24 {
			name = name[:23] + "~"
		}
		fmt.Fprintf(&b, "  %s seed %d", name, p.last.Seed)
	}
	return b.String()
}

// shortDuration formats d for the status line: 42s, 3m05s or 2h05m.
func shortDuration(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	switch {
	case h > 0:
		return fmt.Sprintf("%dh%02dm", h, m)
	case m > 0:
		return fmt.Sprintf("%dm%02ds", m, s)
	}
	return fmt.Sprintf("%ds", s)
}
