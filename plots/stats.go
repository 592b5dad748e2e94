package plots

// Stat is one row of stats.csv: the summary of a metric in a condition and,
// for conditions other than the control, the comparison with the control.
// Comparison fields are NaN for the control.
type Stat struct {
	Condition    string  // Condition is the condition name.
	Metric       string  // Metric is the metric name.
	N            int     // N is the number of runs with a defined value.
	Mean         float64 // Mean is the mean over runs.
	SD           float64 // SD is the sample standard deviation.
	CILow        float64 // CILow is the lower end of the 95% CI of the mean.
	CIHigh       float64 // CIHigh is the upper end of the 95% CI of the mean.
	Diff         float64 // Diff is mean(condition) - mean(control).
	DiffCILow    float64 // DiffCILow is the lower end of the 95% CI of Diff.
	DiffCIHigh   float64 // DiffCIHigh is the upper end of the 95% CI of Diff.
	EffectSize   float64 // EffectSize is Hedges' g against the control.
	PValue       float64 // PValue is Welch's two-sided p.
	PPermutation float64 // PPermutation is the permutation-test p.
	PAdjusted    float64 // PAdjusted is the Holm-adjusted p; NaN where no expectation.
}

// ReadStats reads a stats.csv file. Columns condition, metric, n, mean,
// ci_low and ci_high are required; the others are NaN when absent.
func ReadStats(path string) ([]Stat, error) {
	t, err := readTable(path, "condition", "metric", "n", "mean", "ci_low", "ci_high")
	if err != nil {
		return nil, err
	}
	out := make([]Stat, len(t.rows))
	for i := range t.rows {
		c := t.row(i)
		s := Stat{
			Condition:    c.str("condition"),
			Metric:       c.str("metric"),
			N:            c.integer("n"),
			Mean:         c.float("mean"),
			SD:           c.float("sd"),
			CILow:        c.float("ci_low"),
			CIHigh:       c.float("ci_high"),
			Diff:         c.float("diff"),
			DiffCILow:    c.float("diff_ci_low"),
			DiffCIHigh:   c.float("diff_ci_high"),
			EffectSize:   c.float("effect_size"),
			PValue:       c.inRange("p_value", 0, 1),
			PPermutation: c.inRange("p_permutation", 0, 1),
			PAdjusted:    c.inRange("p_adjusted", 0, 1),
		}
		if c.err == nil && (s.Condition == "" || s.Metric == "") {
			c.fail("metric", "condition and metric must not be empty")
		}
		if c.err != nil {
			return nil, c.err
		}
		out[i] = s
	}
	return out, nil
}

// findStat returns the row of a condition and metric.
func findStat(stats []Stat, condition, metric string) (Stat, bool) {
	for _, s := range stats {
		if s.Condition == condition && s.Metric == metric {
			return s, true
		}
	}
	return Stat{}, false
}
