package plots

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// Manifest is the manifest.json of an experiment folder.
type Manifest struct {
	Name        string      `json:"name"`        // Name is the experiment name.
	Description string      `json:"description"` // Description says what the experiment tests.
	Citation    string      `json:"citation"`    // Citation is the source of the hypothesis.
	ConfigHash  string      `json:"config_hash"` // ConfigHash identifies the resolved config.
	Seeds       []int       `json:"seeds"`       // Seeds are the run seeds.
	Control     string      `json:"control"`     // Control is the control condition; empty means the first condition.
	Conditions  []Condition `json:"conditions"`  // Conditions are in config order.
	DoseLabel   string      `json:"dose_label"`  // DoseLabel names the dose axis of a dose sweep (with its unit); empty otherwise.
	Version     string      `json:"version"`     // Version is the dreamsim version (git describe).
	GoVersion   string      `json:"go_version"`  // GoVersion is the Go toolchain version.
	Start       string      `json:"start"`       // Start is when the experiment started (RFC 3339).
	DurationS   float64     `json:"duration_s"`  // DurationS is the wall-clock duration in seconds.
	Command     Command     `json:"command"`     // Command reproduces the experiment.
}

// Condition is one experimental condition of a manifest.
type Condition struct {
	Name string   `json:"name"` // Name is the condition name (the runs/ sub-folder).
	Dose *float64 `json:"dose"` // Dose is the condition's dose in a dose sweep; nil when it has none.
}

// Command is the command line that reproduces an experiment. In JSON it is a
// string or an array of arguments (joined with spaces).
type Command string

// UnmarshalJSON accepts a string or an array of strings.
func (c *Command) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*c = Command(s)
		return nil
	}
	var args []string
	if err := json.Unmarshal(b, &args); err != nil {
		return fmt.Errorf("command is neither a string nor an array of strings")
	}
	*c = Command(strings.Join(args, " "))
	return nil
}

// ReadManifest reads a manifest.json file and checks that it names at least one
// condition and that the control is one of them.
func ReadManifest(path string) (Manifest, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return Manifest{}, fmt.Errorf("plots: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return Manifest{}, fmt.Errorf("plots: %s: %w", path, err)
	}
	if len(m.Conditions) == 0 {
		return Manifest{}, fmt.Errorf("plots: %s: no conditions", path)
	}
	seen := make(map[string]bool)
	for _, c := range m.Conditions {
		if c.Name == "" || seen[c.Name] {
			return Manifest{}, fmt.Errorf("plots: %s: condition name %q is empty or repeated", path, c.Name)
		}
		seen[c.Name] = true
	}
	if m.Control == "" {
		m.Control = m.Conditions[0].Name
	}
	if !seen[m.Control] {
		return Manifest{}, fmt.Errorf("plots: %s: control %q is not a condition", path, m.Control)
	}
	return m, nil
}

// ConditionNames returns the condition names with the control first and the
// others in manifest order.
func (m Manifest) ConditionNames() []string {
	names := []string{m.Control}
	for _, c := range m.Conditions {
		if c.Name != m.Control {
			names = append(names, c.Name)
		}
	}
	return names
}

// IsDoseSweep reports whether at least two conditions have a dose.
func (m Manifest) IsDoseSweep() bool {
	n := 0
	for _, c := range m.Conditions {
		if c.Dose != nil {
			n++
		}
	}
	return n >= 2
}

// dose returns the dose of a condition and whether it has one.
func (m Manifest) dose(name string) (float64, bool) {
	for _, c := range m.Conditions {
		if c.Name == name && c.Dose != nil {
			return *c.Dose, true
		}
	}
	return 0, false
}
