package sim

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
)

// SignalRef names one signal of one region.
type SignalRef struct {
	Region string
	Signal string
}

// String returns "region.signal", the column name a recorder writes.
func (r SignalRef) String() string { return r.Region + "." + r.Signal }

// RecorderSpec asks the engine to stream some signals to a CSV file while
// the run goes, as in Brian2's monitors with their own clock: each row holds
// the mean of every signal over one sampling interval, so memory does not
// grow with the length of the night.
type RecorderSpec struct {
	Interval Tick        // ticks per row, at least 1
	Signals  []SignalRef // columns after t_min and stage
	Out      io.Writer   // where the CSV goes; the engine buffers and flushes it
}

// recorder is the engine side of a RecorderSpec.
type recorder struct {
	spec    RecorderSpec
	w       *bufio.Writer
	columns []column // where each column's samples are found
	line    []byte
	err     error
}

// column locates a recorded signal: the slot that owns it and its position
// among that slot's probes of this recorder.
type column struct {
	slot, pos int
	stride    int // probes of this recorder in the slot: values per row
}

// probe accumulates one recorded signal inside the region's goroutine.
type probe struct {
	rec    int // recorder index
	signal int // index into the region's Signals
	sum    float64
}

func (r *recorder) writeHeader() {
	r.line = append(r.line[:0], "t_min,stage"...)
	for _, s := range r.spec.Signals {
		r.line = append(r.line, ',')
		r.line = append(r.line, s.String()...)
	}
	r.line = append(r.line, '\n')
	r.write()
}

func (r *recorder) write() {
	if r.err != nil {
		return
	}
	if _, err := r.w.Write(r.line); err != nil {
		r.err = fmt.Errorf("sim: recorder %v: %w", r.spec.Signals, err)
	}
}

// appendValue formats a recorded value: six significant digits are far more
// than any downsampled activity trace carries, and keep the files small.
func appendValue(b []byte, v float64) []byte {
	return strconv.AppendFloat(b, v, 'g', 6, 64)
}
