package plots

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// table is a CSV file read into memory with its header, so that readers can
// look columns up by name and report problems with the file and line.
type table struct {
	path   string
	header []string
	index  map[string]int
	rows   [][]string
	lines  []int // lines[i] is the 1-based line of rows[i] in the file.
}

// readTable reads the CSV file at path and checks that every required column
// is present. Columns the reader does not know are kept and ignored, so that
// the runner can add columns without breaking older readers.
func readTable(path string, required ...string) (*table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	defer f.Close()
	return parseTable(path, f, required...)
}

// parseTable is readTable on an open reader; path is used in messages only.
func parseTable(path string, r io.Reader, required ...string) (*table, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("plots: %s: empty file, want a header line", path)
	}
	if err != nil {
		return nil, fmt.Errorf("plots: %s: %w", path, err)
	}
	t := &table{path: path, index: make(map[string]int, len(header))}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if i == 0 {
			h = strings.TrimPrefix(h, "\uFEFF") // A byte-order mark from spreadsheet exports.
		}
		if _, dup := t.index[h]; dup {
			return nil, fmt.Errorf("plots: %s:1: duplicate column %q", path, h)
		}
		t.header = append(t.header, h)
		t.index[h] = i
	}
	for _, col := range required {
		if _, ok := t.index[col]; !ok {
			return nil, fmt.Errorf("plots: %s:1: missing column %q (header has %s)",
				path, col, strings.Join(t.header, ","))
		}
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("plots: %s:%d: %w", path, pe.StartLine, pe.Err)
			}
			return nil, fmt.Errorf("plots: %s: %w", path, err)
		}
		line, _ := cr.FieldPos(0)
		t.rows = append(t.rows, rec)
		t.lines = append(t.lines, line)
	}
	return t, nil
}

// has reports whether the table has the named column.
func (t *table) has(col string) bool {
	_, ok := t.index[col]
	return ok
}

// cursor reads typed cells of one row and keeps the first error, so that a
// reader can parse a whole record and check once.
type cursor struct {
	t   *table
	i   int
	err error
}

// row returns a cursor on row i.
func (t *table) row(i int) *cursor { return &cursor{t: t, i: i} }

// fail records the first error of the row.
func (c *cursor) fail(col, format string, args ...any) {
	if c.err == nil {
		c.err = fmt.Errorf("plots: %s:%d: column %q: %s", c.t.path, c.t.lines[c.i], col, fmt.Sprintf(format, args...))
	}
}

// str returns the trimmed cell of col, or "" when the column is absent.
func (c *cursor) str(col string) string {
	j, ok := c.t.index[col]
	if !ok {
		return ""
	}
	return strings.TrimSpace(c.t.rows[c.i][j])
}

// float returns the cell of col as a number; an empty cell, an absent column
// and the spellings NaN and NA are NaN.
func (c *cursor) float(col string) float64 {
	s := c.str(col)
	switch strings.ToLower(s) {
	case "", "nan", "na", "null":
		return math.NaN()
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		c.fail(col, "%q is not a number", s)
		return math.NaN()
	}
	return v
}

// number returns the cell of col as a finite number; empty, NaN and
// infinite cells are errors.
func (c *cursor) number(col string) float64 {
	v := c.float(col)
	if c.err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
		c.fail(col, "%q is empty or not finite, want a number", c.str(col))
	}
	return v
}

// inRange returns the cell of col as a number and checks that it lies in
// [lo, hi] when it is not NaN.
func (c *cursor) inRange(col string, lo, hi float64) float64 {
	v := c.float(col)
	if !math.IsNaN(v) && (v < lo || v > hi) {
		c.fail(col, "%v is outside [%v, %v]", v, lo, hi)
	}
	return v
}

// integer returns the cell of col as an integer; the cell must not be empty.
func (c *cursor) integer(col string) int {
	s := c.str(col)
	if s == "" {
		c.fail(col, "empty, want an integer")
		return 0
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		// Accept integral floats such as "3.0" that spreadsheets write.
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			c.fail(col, "%q is not an integer", s)
			return 0
		}
		return int(f)
	}
	return v
}

// flag returns the cell of col as a 0/1 boolean.
func (c *cursor) flag(col string) bool {
	switch s := c.str(col); s {
	case "1", "true", "TRUE", "True":
		return true
	case "0", "false", "FALSE", "False":
		return false
	default:
		c.fail(col, "%q is not 0 or 1", s)
		return false
	}
}

// oneOf returns the cell of col and checks that it is one of the allowed
// values.
func (c *cursor) oneOf(col string, allowed ...string) string {
	s := c.str(col)
	for _, a := range allowed {
		if s == a {
			return s
		}
	}
	c.fail(col, "%q is not one of %s", s, strings.Join(allowed, ", "))
	return s
}
