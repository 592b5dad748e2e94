package plots

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
)

// Run statuses written in summary.json.
const (
	StatusOK     = "ok"
	StatusFailed = "failed"
)

// Summary is the summary.json of one run: its identity, status and metrics.
type Summary struct {
	Condition string             // Condition is the condition name.
	Seed      int                // Seed is the run seed.
	Status    string             // Status is "ok" or "failed".
	Error     string             // Error is the failure message of a failed run.
	Metrics   map[string]float64 // Metrics holds every numeric field; null is NaN.
	Text      map[string]string  // Text holds the other string and boolean fields (e.g. config_hash).
}

// ReadSummary reads a summary.json file: a flat object with condition, seed,
// status, error and metrics that are numbers or null. Other string and
// boolean fields are kept in Text; arrays and objects are errors.
func ReadSummary(path string) (Summary, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return Summary{}, fmt.Errorf("plots: %w", err)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return Summary{}, fmt.Errorf("plots: %s: %w", path, err)
	}
	s := Summary{Metrics: make(map[string]float64), Text: make(map[string]string)}
	for k, v := range fields {
		var err error
		v = bytes.TrimSpace(v)
		switch {
		case k == "condition":
			err = json.Unmarshal(v, &s.Condition)
		case k == "seed":
			err = json.Unmarshal(v, &s.Seed)
		case k == "status":
			err = json.Unmarshal(v, &s.Status)
		case k == "error":
			if !bytes.Equal(v, []byte("null")) {
				err = json.Unmarshal(v, &s.Error)
			}
		case bytes.Equal(v, []byte("null")):
			s.Metrics[k] = math.NaN()
		case len(v) > 0 && v[0] == '"':
			var t string
			err = json.Unmarshal(v, &t)
			s.Text[k] = t
		case bytes.Equal(v, []byte("true")) || bytes.Equal(v, []byte("false")):
			s.Text[k] = string(v)
		default:
			var f float64
			if err = json.Unmarshal(v, &f); err == nil {
				s.Metrics[k] = f
			}
		}
		if err != nil {
			return Summary{}, fmt.Errorf("plots: %s: field %q: %w", path, k, err)
		}
	}
	switch s.Status {
	case StatusOK, StatusFailed:
	default:
		return Summary{}, fmt.Errorf("plots: %s: field \"status\": %q is not %q or %q", path, s.Status, StatusOK, StatusFailed)
	}
	return s, nil
}
