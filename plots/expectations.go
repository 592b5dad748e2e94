package plots

// Verdicts of a pre-registered expectation.
const (
	VerdictPass         = "pass"
	VerdictFail         = "fail"
	VerdictInconclusive = "inconclusive"
)

// Expectation is one row of expectations.csv: a pre-registered expectation
// about a metric of a condition against another condition, and its verdict.
type Expectation struct {
	Condition  string  // Condition is the tested condition.
	Metric     string  // Metric is the metric name.
	Direction  string  // Direction is ">", "<" or "=".
	Against    string  // Against is the reference condition (usually the control).
	Diff       float64 // Diff is mean(condition) - mean(against), in metric units.
	DiffCILow  float64 // DiffCILow is the lower end of the 95% CI of Diff.
	DiffCIHigh float64 // DiffCIHigh is the upper end of the 95% CI of Diff.
	EffectSize float64 // EffectSize is Hedges' g.
	PValue     float64 // PValue is Welch's two-sided p.
	PAdjusted  float64 // PAdjusted is the Holm-adjusted p.
	Alpha      float64 // Alpha is the significance level.
	Verdict    string  // Verdict is "pass", "fail" or "inconclusive".
}

// ReadExpectations reads an expectations.csv file. Columns condition, metric,
// direction, diff, diff_ci_low, diff_ci_high and verdict are required; the
// others are NaN or empty when absent.
func ReadExpectations(path string) ([]Expectation, error) {
	t, err := readTable(path, "condition", "metric", "direction", "diff", "diff_ci_low", "diff_ci_high", "verdict")
	if err != nil {
		return nil, err
	}
	out := make([]Expectation, len(t.rows))
	for i := range t.rows {
		c := t.row(i)
		e := Expectation{
			Condition:  c.str("condition"),
			Metric:     c.str("metric"),
			Direction:  c.oneOf("direction", ">", "<", "="),
			Against:    c.str("against"),
			Diff:       c.float("diff"),
			DiffCILow:  c.float("diff_ci_low"),
			DiffCIHigh: c.float("diff_ci_high"),
			EffectSize: c.float("effect_size"),
			PValue:     c.inRange("p_value", 0, 1),
			PAdjusted:  c.inRange("p_adjusted", 0, 1),
			Alpha:      c.inRange("alpha", 0, 1),
			Verdict:    c.oneOf("verdict", VerdictPass, VerdictFail, VerdictInconclusive),
		}
		if c.err == nil && (e.Condition == "" || e.Metric == "") {
			c.fail("metric", "condition and metric must not be empty")
		}
		if c.err != nil {
			return nil, c.err
		}
		out[i] = e
	}
	return out, nil
}
