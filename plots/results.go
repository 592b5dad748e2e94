package plots

import (
	"fmt"
	"math"
	"slices"
)

// Results is results.csv: one row per run with every metric.
type Results struct {
	Metrics []string    // Metrics are the metric columns in file order.
	Runs    []ResultRow // Runs are the rows in file order.
}

// ResultRow is the metrics of one run.
type ResultRow struct {
	Condition string    // Condition is the condition name.
	Seed      int       // Seed is the run seed.
	Status    string    // Status is the run status when results.csv has a status column ("ok", "failed"), else "".
	Values    []float64 // Values[k] is Metrics[k]; NaN where undefined.
}

// resultText are the columns of results.csv that hold text, not metrics.
var resultText = []string{"condition", "seed", "status", "error"}

// ReadResults reads a results.csv file: columns condition, seed, optionally
// status and error, then one column per metric (an empty cell is NaN).
func ReadResults(path string) (*Results, error) {
	t, err := readTable(path, "condition", "seed")
	if err != nil {
		return nil, err
	}
	r := &Results{}
	for _, h := range t.header {
		if !slices.Contains(resultText, h) {
			r.Metrics = append(r.Metrics, h)
		}
	}
	r.Runs = make([]ResultRow, len(t.rows))
	for i := range t.rows {
		c := t.row(i)
		row := ResultRow{Condition: c.str("condition"), Seed: c.integer("seed"), Status: c.str("status"), Values: make([]float64, len(r.Metrics))}
		if c.err == nil && row.Condition == "" {
			c.fail("condition", "empty")
		}
		for k, m := range r.Metrics {
			row.Values[k] = c.float(m)
		}
		if c.err != nil {
			return nil, c.err
		}
		r.Runs[i] = row
	}
	return r, nil
}

// Values returns the finite values of a metric over the runs of a condition,
// in file order; NaN cells (undefined metrics, failed runs) are dropped.
func (r *Results) Values(condition, metric string) []float64 {
	if r == nil {
		return nil
	}
	k := -1
	for j, m := range r.Metrics {
		if m == metric {
			k = j
		}
	}
	if k < 0 {
		return nil
	}
	var out []float64
	for _, row := range r.Runs {
		if row.Condition == condition && !math.IsNaN(row.Values[k]) && !math.IsInf(row.Values[k], 0) {
			out = append(out, row.Values[k])
		}
	}
	return out
}

// Has reports whether results.csv has the metric column.
func (r *Results) Has(metric string) bool {
	if r == nil {
		return false
	}
	for _, m := range r.Metrics {
		if m == metric {
			return true
		}
	}
	return false
}

// String summarises r for debugging.
func (r *Results) String() string {
	return fmt.Sprintf("Results{%d metrics, %d runs}", len(r.Metrics), len(r.Runs))
}
