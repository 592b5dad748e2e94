package sleep

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Reader limits. A real night of 30-s epochs is about a thousand short lines;
// these bounds only stop a wrong file from exhausting memory.
const (
	maxLineBytes = 64 << 10 // longest accepted line
	maxFileBytes = 32 << 20 // largest accepted file
)

// WriteCSV writes h as comma-separated values with the header
// "epoch,start_min,stage" and one row per epoch: the 0-based epoch number,
// its start in minutes after lights-off with one decimal, and its AASM label
// (W, N1, N2, N3, R). For example:
//
//	epoch,start_min,stage
//	0,0.0,W
//	1,0.5,N1
//
// It returns an error, and writes nothing, if h does not pass
// Hypnogram.Validate; ReadHypnogram reads the output back to an identical
// hypnogram.
func WriteCSV(w io.Writer, h Hypnogram) error {
	if err := h.Validate(); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	bw.WriteString("epoch,start_min,stage\n")
	var buf []byte
	for i, s := range h.Epochs {
		buf = strconv.AppendInt(buf[:0], int64(i), 10)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, float64(i)*EpochMin, 'f', 1, 64)
		buf = append(buf, ',')
		buf = append(buf, stageNames[s]...)
		buf = append(buf, '\n')
		bw.Write(buf)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("sleep: writing hypnogram: %w", err)
	}
	return nil
}

// ReadHypnogram reads a scored night of consecutive 30-s epochs, the first
// epoch being taken as lights-off.
//
// The input is text: comma-, tab- or semicolon-separated values (the
// delimiter is detected on the first data line; tab wins over comma, comma
// over semicolon), or a single column of labels. Blank lines and lines whose
// first non-space character is '#' are skipped; fields may be wrapped in
// double quotes. Each stage is parsed by ParseStage (W/N1/N2/N3/R, Wake, REM,
// 0-4, "Sleep stage W/1/2/3/4/R", ...).
//
// The first data line is a header if none of its fields is a number and its
// last field is not a stage label. With a header, the stage is read from the
// column named "stage" (any case) or else from the last column, epoch numbers
// from a column named "epoch" and start times in minutes from a column named
// "start_min". Without a header, the stage is the last column; in a file of
// exactly three columns the first two are epoch and start_min (the layout
// WriteCSV writes), and in a file of two columns the first is the epoch
// number.
//
// Where epoch numbers are given they must increase by exactly 1 (the first
// may be any integer >= 0); where start times are given they must increase
// by exactly 0.5 min (30-s epochs). Errors name the line and the offending
// value: an unknown label, a missing field, a gap or a step back in epoch
// numbers or start times, an epoch length other than 30 s, binary data, an
// empty file, or more than MaxEpochs epochs (7 days). ReadHypnogram never
// panics on any input.
func ReadHypnogram(r io.Reader) (Hypnogram, error) {
	cr := &countingReader{r: r}
	sc := bufio.NewScanner(cr)
	sc.Buffer(make([]byte, 0, 4096), maxLineBytes)
	p := parser{}
	for sc.Scan() {
		p.line++
		if cr.n > maxFileBytes {
			return Hypnogram{}, fmt.Errorf("sleep: line %d: file larger than %d MiB: not a hypnogram", p.line, maxFileBytes>>20)
		}
		if err := p.parseLine(sc.Bytes()); err != nil {
			return Hypnogram{}, fmt.Errorf("sleep: line %d: %w", p.line, err)
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return Hypnogram{}, fmt.Errorf("sleep: line %d: longer than %d KiB: not a hypnogram", p.line+1, maxLineBytes>>10)
		}
		return Hypnogram{}, fmt.Errorf("sleep: reading hypnogram after line %d: %w", p.line, err)
	}
	if len(p.epochs) == 0 {
		if p.header {
			return Hypnogram{}, fmt.Errorf("sleep: empty hypnogram: a header (line %d) but no epochs in %d line(s)", p.firstCol, p.line)
		}
		return Hypnogram{}, fmt.Errorf("sleep: empty hypnogram: no epochs in %d line(s)", p.line)
	}
	return Hypnogram{Epochs: p.epochs}, nil
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	return n, err
}

// parser holds the state of ReadHypnogram between lines.
type parser struct {
	line     int  // 1-based number of the current line
	started  bool // the first data line (header or not) has been seen
	header   bool // the file has a header line
	delim    byte // field delimiter; 0 for a single column
	ncol     int  // number of fields per data line
	firstCol int  // line of the first data line, for messages
	stageCol int
	epochCol int // -1 when there are no epoch numbers
	startCol int // -1 when there are no start times

	epochs    []Stage
	lastEpoch int
	lastStart float64
}

func (p *parser) parseLine(b []byte) error {
	if p.line == 1 {
		b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) // UTF-8 byte-order mark
	}
	if !isText(b) {
		return errors.New("binary data: not a text hypnogram")
	}
	s := strings.TrimSpace(string(b))
	if s == "" || s[0] == '#' {
		return nil
	}
	if !p.started {
		p.started = true
		p.firstCol = p.line
		switch {
		case strings.IndexByte(s, '\t') >= 0:
			p.delim = '\t'
		case strings.IndexByte(s, ',') >= 0:
			p.delim = ','
		case strings.IndexByte(s, ';') >= 0:
			p.delim = ';'
		}
		fields := p.split(s)
		p.ncol = len(fields)
		if isHeader(fields) {
			p.header = true
			p.stageCol, p.epochCol, p.startCol = -1, -1, -1
			for i, f := range fields {
				switch strings.ToLower(f) {
				case "stage":
					if p.stageCol < 0 {
						p.stageCol = i
					}
				case "epoch":
					if p.epochCol < 0 {
						p.epochCol = i
					}
				case "start_min":
					if p.startCol < 0 {
						p.startCol = i
					}
				}
			}
			if p.stageCol < 0 {
				p.stageCol = p.ncol - 1
			}
			if p.epochCol == p.stageCol {
				p.epochCol = -1
			}
			if p.startCol == p.stageCol {
				p.startCol = -1
			}
			return nil
		}
		p.stageCol, p.epochCol, p.startCol = p.ncol-1, -1, -1
		switch p.ncol {
		case 2:
			p.epochCol = 0
		case 3:
			p.epochCol, p.startCol = 0, 1
		}
		return p.record(fields)
	}
	return p.record(p.split(s))
}

// record parses one data line.
func (p *parser) record(f []string) error {
	if len(f) != p.ncol {
		return fmt.Errorf("%d field(s), want %d as on line %d", len(f), p.ncol, p.firstCol)
	}
	if len(p.epochs) >= MaxEpochs {
		return fmt.Errorf("more than %d epochs (7 days): not a single night", MaxEpochs)
	}
	st, err := ParseStage(f[p.stageCol])
	if err != nil {
		return err
	}
	first := len(p.epochs) == 0
	if p.epochCol >= 0 {
		e, err := strconv.Atoi(f[p.epochCol])
		switch {
		case err != nil:
			return fmt.Errorf("epoch %s is not an integer", quoteShort(f[p.epochCol]))
		case e < 0:
			return fmt.Errorf("epoch %d is negative", e)
		case !first && e <= p.lastEpoch:
			return fmt.Errorf("epoch %d after epoch %d: epoch numbers must increase by 1", e, p.lastEpoch)
		case !first && e > p.lastEpoch+1:
			return fmt.Errorf("epoch %d after epoch %d: gap of %d missing epoch(s)", e, p.lastEpoch, e-p.lastEpoch-1)
		}
		p.lastEpoch = e
	}
	if p.startCol >= 0 {
		t, err := strconv.ParseFloat(f[p.startCol], 64)
		switch {
		case err != nil || math.IsNaN(t) || math.IsInf(t, 0):
			return fmt.Errorf("start_min %s is not a finite number of minutes", quoteShort(f[p.startCol]))
		case t < 0:
			return fmt.Errorf("start_min %v is negative", t)
		case !first:
			if err := checkStep(p.lastStart, t); err != nil {
				return err
			}
		}
		p.lastStart = t
	}
	p.epochs = append(p.epochs, st)
	return nil
}

// checkStep checks that start time t follows prev by one 30-s epoch.
func checkStep(prev, t float64) error {
	const tol = 1e-6 // min; start times are written with at least 0.1-min precision
	d := t - prev
	k := math.Round(d / EpochMin)
	switch {
	case d <= 0:
		return fmt.Errorf("start_min %v after %v: start times must increase", t, prev)
	case math.Abs(d-EpochMin) <= tol:
		return nil
	case k >= 2 && math.Abs(d-k*EpochMin) <= tol:
		return fmt.Errorf("start_min %v after %v: gap of %v missing epoch(s)", t, prev, k-1)
	}
	return fmt.Errorf("start_min %v after %v: epoch length %.4g s, want 30 s", t, prev, d*60)
}

// split splits a data line into trimmed, unquoted fields.
func (p *parser) split(s string) []string {
	var f []string
	if p.delim == 0 {
		f = []string{s}
	} else {
		f = strings.Split(s, string(p.delim))
	}
	for i := range f {
		f[i] = unquote(strings.TrimSpace(f[i]))
	}
	return f
}

// unquote removes a pair of surrounding double quotes and undoubles inner
// quotes, as in RFC 4180.
func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return strings.TrimSpace(strings.ReplaceAll(s[1:len(s)-1], `""`, `"`))
	}
	return s
}

// isHeader reports whether the first data line is a header: no field is a
// number and the last field is not a stage label.
func isHeader(f []string) bool {
	for _, s := range f {
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return false
		}
	}
	_, err := ParseStage(f[len(f)-1])
	return err != nil
}

// isText reports whether b is valid UTF-8 free of control characters other
// than tab and carriage return.
func isText(b []byte) bool {
	for _, c := range b {
		if (c < 0x20 && c != '\t' && c != '\r') || c == 0x7f {
			return false
		}
	}
	return utf8.Valid(b)
}
