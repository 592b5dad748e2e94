package experiments

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/dreamsim/dreamsim/experiments/stats"
	"github.com/dreamsim/dreamsim/regions"
	"github.com/dreamsim/dreamsim/sim/sleep"
)

// Info is the [experiment] table.
type Info struct {
	Name        string `toml:"name"`        // folder name of the results: letters, digits, '-', '_', '.'
	Description string `toml:"description"` // what the experiment asks
	Citation    string `toml:"citation"`    // the paper it follows
	// Seeds is the number of seeds per condition; default 5. Runs use
	// seeds FirstSeed, FirstSeed+1, ...
	Seeds     int `toml:"seeds"`
	FirstSeed int `toml:"first_seed"` // default 1
	// Control names the condition every other is compared with; default
	// the first condition.
	Control string `toml:"control"`
	// DoseLabel names the swept quantity when conditions carry doses, for
	// the dose-response figure (e.g. "PFC activity in REM").
	DoseLabel string `toml:"dose_label"`
}

// Condition is one arm of an experiment with its fully resolved config.
type Condition struct {
	Name        string
	Description string
	Dose        float64 // NaN when the condition has no dose
	Config      Config
	// Overrides is what the file set for this condition, as TOML values.
	Overrides map[string]any
}

// ExpectSpec is one pre-registered expectation, an [[expect]] table.
type ExpectSpec struct {
	Condition string `toml:"condition"` // the condition tested
	Metric    string `toml:"metric"`    // a metric name (see Metrics)
	// Direction is ">" (condition above the comparison), "<" or "="
	// (equivalent within Margin).
	Direction string `toml:"direction"`
	// Against is the condition compared with; default the control.
	Against string `toml:"against"`
	// Alpha is the significance level after Holm's correction across the
	// expectations of the file; default 0.05.
	Alpha float64 `toml:"alpha"`
	// MinEffect is the smallest |Hedges' g| that counts as a pass; default 0.
	MinEffect float64 `toml:"min_effect"`
	// Margin is the equivalence margin of "=" in the metric's units; zero
	// means 0.5 pooled standard deviations.
	Margin float64 `toml:"margin"`
}

// Expectation returns the statistical form of the spec.
func (e ExpectSpec) Expectation() stats.Expectation {
	x := stats.Expectation{Direction: stats.Direction(e.Direction), Alpha: e.Alpha, MinEffect: e.MinEffect, EquivalenceMargin: e.Margin}
	if e.Margin == 0 {
		x.EquivalenceMarginSD = stats.DefaultEquivalenceMarginSD
	}
	return x
}

// Experiment is a loaded, validated experiment file.
type Experiment struct {
	Path         string // the file it came from ("" for the embedded default)
	Info         Info
	Base         Config // the config before any condition's overrides
	Conditions   []Condition
	Expectations []ExpectSpec
	// Resolved is the experiment as TOML with every default filled in;
	// loading it again gives the same experiment.
	Resolved string
	// Hash is the SHA-256 of Resolved: runs with equal hashes are
	// interchangeable.
	Hash string
}

// Condition returns the named condition.
func (x *Experiment) Condition(name string) (*Condition, bool) {
	for i := range x.Conditions {
		if x.Conditions[i].Name == name {
			return &x.Conditions[i], true
		}
	}
	return nil, false
}

// fileSchema is the shape of an experiment file.
type fileSchema struct {
	Include    []string          `toml:"include"`
	Experiment Info              `toml:"experiment"`
	Config     `toml:",inline"`  //nolint
	Condition  []conditionSchema `toml:"condition"`
	Expect     []ExpectSpec      `toml:"expect"`
}

type conditionSchema struct {
	Name        string  `toml:"name"`
	Description string  `toml:"description"`
	Dose        float64 `toml:"dose"`
	Config      `toml:",inline"`
}

// ConfigError lists every problem found in an experiment file.
type ConfigError struct {
	Problems []string
}

func (e *ConfigError) Error() string {
	if len(e.Problems) == 1 {
		return "invalid experiment: " + e.Problems[0]
	}
	return fmt.Sprintf("invalid experiment: %d problems:\n  %s", len(e.Problems), strings.Join(e.Problems, "\n  "))
}

//go:embed baseline.toml
var baselineTOML []byte

// Default returns the embedded default experiment (experiments/baseline.toml).
func Default() (*Experiment, error) {
	return parse("baseline.toml", baselineTOML, "")
}

// Load reads and validates an experiment file, with its includes.
func Load(path string) (*Experiment, error) {
	data, err := readLimited(path)
	if err != nil {
		return nil, err
	}
	return parse(path, data, filepath.Dir(path))
}

// maxFileBytes bounds a configuration or hypnogram file.
const maxFileBytes = 16 << 20

func readLimited(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, errors.Unwrap(err))
	}
	if st.IsDir() {
		return nil, fmt.Errorf("cannot read %s: it is a folder", path)
	}
	if st.Size() > maxFileBytes {
		return nil, fmt.Errorf("%s is %d bytes; files over %d bytes are refused", path, st.Size(), maxFileBytes)
	}
	return os.ReadFile(path)
}

// source is one parsed file of an experiment.
type source struct {
	name  string
	data  map[string]any
	lines map[string]int
}

type loader struct {
	problems []problem
	sources  []source
}

func (l *loader) fail(file string, line int, key, format string, args ...any) {
	l.problems = append(l.problems, problem{file: file, line: line, key: key, msg: fmt.Sprintf(format, args...)})
}

// read parses one file and, first, its includes, returning the merged map.
func (l *loader) read(name string, data []byte, dir string, stack []string) map[string]any {
	if !isTextTOML(data) {
		l.fail(name, 0, "", "not a text file (binary data found)")
		return nil
	}
	var m map[string]any
	if _, err := toml.Decode(string(data), &m); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			l.fail(name, pe.Position.Line, "", "TOML syntax: %s", pe.Message)
		} else {
			l.fail(name, 0, "", "TOML: %v", err)
		}
		return nil
	}
	lines := keyLines(string(data))
	l.sources = append(l.sources, source{name: name, data: m, lines: lines})
	merged := map[string]any{}
	if inc, ok := m["include"]; ok {
		list, ok := inc.([]any)
		if !ok {
			l.fail(name, lines["include"], "include", "want an array of file names, got %s", tomlType(inc))
		}
		for _, v := range list {
			f, ok := v.(string)
			if !ok {
				l.fail(name, lines["include"], "include", "want file names, got %s", tomlType(v))
				continue
			}
			path := f
			if !filepath.IsAbs(path) {
				path = filepath.Join(dir, f)
			}
			if slices.Contains(stack, path) {
				l.fail(name, lines["include"], "include", "include cycle: %s -> %s", strings.Join(stack, " -> "), path)
				continue
			}
			b, err := readLimited(path)
			if err != nil {
				l.fail(name, lines["include"], "include", "%v", err)
				continue
			}
			merged = merge(merged, l.read(path, b, filepath.Dir(path), append(stack, path)))
		}
	}
	return merge(merged, without(m, "include"))
}

func isTextTOML(b []byte) bool {
	return !bytes.ContainsRune(b, 0) && (len(b) == 0 || !bytes.HasPrefix(b, []byte{0xff, 0xfe}))
}

// newDecoder returns a decoder whose array elements start from defaults.
func newDecoder() *decoder {
	return &decoder{defaults: map[reflect.Type]func() any{
		reflect.TypeOf(PhaseParams{}):          func() any { return DefaultPhase("") },
		reflect.TypeOf(regions.Manipulation{}): func() any { return regions.Manipulation{Value: math.NaN()} },
		reflect.TypeOf(conditionSchema{}):      func() any { return conditionSchema{Dose: math.NaN()} },
		reflect.TypeOf(ExpectSpec{}):           func() any { return ExpectSpec{Alpha: stats.DefaultAlpha} },
	}}
}

func defaultSchema() fileSchema {
	return fileSchema{Experiment: Info{Seeds: 5, FirstSeed: 1}, Config: DefaultConfig()}
}

// parse loads an experiment from the bytes of its main file.
func parse(name string, data []byte, dir string) (*Experiment, error) {
	l := &loader{}
	path := name
	if dir != "" {
		path = filepath.Clean(name)
	}
	merged := l.read(path, data, dir, []string{path})
	if len(l.problems) > 0 {
		return nil, l.err()
	}
	// Check each file on its own, so that problems carry their own file and line.
	for _, src := range l.sources {
		d := newDecoder()
		fs := defaultSchema()
		d.decode("", without(src.data, "include"), reflect.ValueOf(&fs).Elem())
		for _, p := range d.problems {
			l.fail(src.name, lineOf(src.lines, p.key), p.key, "%s", p.msg)
		}
	}
	if len(l.problems) > 0 {
		return nil, l.err()
	}
	d := newDecoder()
	fs := defaultSchema()
	d.decode("", merged, reflect.ValueOf(&fs).Elem())
	main := l.sources[0]
	for _, p := range d.problems {
		l.fail(main.name, lineOf(main.lines, p.key), p.key, "%s", p.msg)
	}
	if len(l.problems) > 0 {
		return nil, l.err()
	}
	x := &Experiment{Info: fs.Experiment, Expectations: fs.Expect}
	if dir != "" {
		x.Path = path
	}
	l.buildConditions(x, merged, &fs, main, dir)
	l.validateExperiment(x, main)
	if len(l.problems) > 0 {
		return nil, l.err()
	}
	x.Resolved = resolvedTOML(x, merged)
	sum := sha256.Sum256([]byte(x.Resolved))
	x.Hash = hex.EncodeToString(sum[:])
	return x, nil
}

func (l *loader) err() error {
	seen := map[string]bool{}
	var out []string
	for _, p := range l.problems {
		s := p.String()
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return &ConfigError{Problems: out}
}

// buildConditions resolves every condition's config: the file's base
// config with the condition's overrides laid over it, and the condition's
// manipulations added to the base ones.
func (l *loader) buildConditions(x *Experiment, merged map[string]any, fs *fileSchema, main source, dir string) {
	base := without(merged, "include", "experiment", "condition", "expect")
	x.Base = DefaultConfig()
	newDecoder().decode("", base, reflect.ValueOf(&x.Base).Elem())
	conds, _ := merged["condition"].([]map[string]any)
	if len(conds) == 0 {
		conds = []map[string]any{{"name": "default"}}
		fs.Condition = []conditionSchema{{Name: "default", Dose: math.NaN()}}
	}
	for i, cm := range conds {
		cs := fs.Condition[i]
		over := without(cm, "name", "description", "dose", "manipulation")
		d := newDecoder()
		cfg := DefaultConfig()
		d.decode("", merge(base, over), reflect.ValueOf(&cfg).Elem())
		cfg.Manipulations = append(cfg.Manipulations, cs.Manipulations...)
		prefix := fmt.Sprintf("condition[%d]", i)
		locate := func(key string) (string, int) {
			if hasKey(over, key) {
				return prefix + "." + key, lineOf(main.lines, prefix+"."+key)
			}
			return key, lineOf(main.lines, key)
		}
		for _, p := range d.problems {
			k, n := locate(p.key)
			l.fail(main.name, n, k, "%s", p.msg)
		}
		nBase := len(cfg.Manipulations) - len(cs.Manipulations)
		for j := range cfg.Manipulations {
			m := &cfg.Manipulations[j]
			key := fmt.Sprintf("manipulation[%d]", j)
			if j >= nBase {
				key = fmt.Sprintf("%s.manipulation[%d]", prefix, j-nBase)
			}
			if math.IsNaN(m.Value) {
				switch m.Kind {
				case regions.Stimulate:
					m.Value = 1
				case regions.Clamp:
					l.fail(main.name, lineOf(main.lines, key), key, "clamp needs a value in [0, 1]")
					m.Value = 0
				default:
					m.Value = 0
				}
			}
		}
		for _, p := range cfg.Validate() {
			k, n := p.key, 0
			if strings.HasPrefix(k, "manipulation[") {
				var j int
				fmt.Sscanf(k, "manipulation[%d]", &j)
				if j >= nBase {
					k = fmt.Sprintf("%s.manipulation[%d]%s", prefix, j-nBase, k[strings.Index(k, "]")+1:])
				}
				n = lineOf(main.lines, k)
			} else {
				k, n = locate(p.key)
			}
			l.fail(main.name, n, k, "%s", p.msg)
		}
		if cfg.Clock.Source == "hypnogram" && cfg.Clock.Hypnogram != "" {
			k, n := locate("clock.hypnogram")
			p := cfg.Clock.Hypnogram
			if !filepath.IsAbs(p) && dir != "" {
				p = filepath.Join(dir, p)
			}
			night, err := readHypnogramFile(p)
			if err != nil {
				l.fail(main.name, n, k, "%v", err)
			}
			cfg.Clock.Hypnogram = p
			cfg.night = night
		}
		if need := cfg.estimateBytes(); need > maxRunBytes {
			l.fail(main.name, 0, prefix, "condition %q would need about %.1f GiB per run (limit %.0f GiB): reduce episodes, phases, dg_units or network sizes", cs.Name, float64(need)/(1<<30), float64(maxRunBytes)/(1<<30))
		}
		x.Conditions = append(x.Conditions, Condition{Name: cs.Name, Description: cs.Description, Dose: cs.Dose, Config: cfg, Overrides: without(cm, "name", "description", "dose")})
	}
}

func readHypnogramFile(path string) (sleep.Hypnogram, error) {
	b, err := readLimited(path)
	if err != nil {
		return sleep.Hypnogram{}, err
	}
	h, err := sleep.ReadHypnogram(bytes.NewReader(b))
	if err != nil {
		return h, fmt.Errorf("hypnogram %s: %w", path, err)
	}
	if len(h.Epochs) == 0 {
		return h, fmt.Errorf("hypnogram %s: no epochs", path)
	}
	return h, nil
}

// hasKey reports whether a dotted key path (with [i] indices) is set in m.
func hasKey(m map[string]any, key string) bool {
	var cur any = m
	for _, part := range strings.Split(key, ".") {
		name, idx, _ := strings.Cut(part, "[")
		mm, ok := cur.(map[string]any)
		if !ok {
			return false
		}
		cur, ok = mm[name]
		if !ok {
			return false
		}
		if idx != "" {
			return true
		}
	}
	return true
}

var safeName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

func (l *loader) validateExperiment(x *Experiment, main source) {
	fail := func(key, format string, args ...any) {
		l.fail(main.name, lineOf(main.lines, key), key, format, args...)
	}
	if x.Info.Name == "" {
		fail("experiment.name", "an experiment needs a name ([experiment] name = \"...\")")
	} else if !safeName.MatchString(x.Info.Name) || len(x.Info.Name) > 100 {
		fail("experiment.name", "%q is not a usable folder name: use letters, digits, '-', '_' and '.'", x.Info.Name)
	}
	if x.Info.Seeds < 1 || x.Info.Seeds > 100000 {
		fail("experiment.seeds", "%d out of range [1, 100000]", x.Info.Seeds)
	}
	if x.Info.FirstSeed < 0 || x.Info.FirstSeed > 1<<40 {
		fail("experiment.first_seed", "%d out of range [0, 2^40]", x.Info.FirstSeed)
	}
	names := map[string]int{}
	for i, c := range x.Conditions {
		key := fmt.Sprintf("condition[%d].name", i)
		switch {
		case c.Name == "":
			fail(key, "a condition needs a name")
		case !safeName.MatchString(c.Name):
			fail(key, "%q is not a usable folder name: use letters, digits, '-', '_' and '.'", c.Name)
		default:
			if j, dup := names[c.Name]; dup {
				fail(key, "duplicate condition name %q (also condition %d)", c.Name, j+1)
			}
			names[c.Name] = i
		}
	}
	valid := make([]string, 0, len(names))
	for n := range names {
		valid = append(valid, n)
	}
	sort.Strings(valid)
	if x.Info.Control == "" && len(x.Conditions) > 0 {
		x.Info.Control = x.Conditions[0].Name
	} else if _, ok := names[x.Info.Control]; !ok {
		fail("experiment.control", "unknown condition %q (conditions: %s)", x.Info.Control, strings.Join(valid, ", "))
	}
	for i := range x.Expectations {
		e := &x.Expectations[i]
		key := fmt.Sprintf("expect[%d]", i)
		if e.Against == "" {
			e.Against = x.Info.Control
		}
		if _, ok := names[e.Condition]; !ok {
			fail(key+".condition", "unknown condition %q (conditions: %s)", e.Condition, strings.Join(valid, ", "))
		}
		if _, ok := names[e.Against]; !ok {
			fail(key+".against", "unknown condition %q (conditions: %s)", e.Against, strings.Join(valid, ", "))
		} else if e.Against == e.Condition {
			fail(key+".against", "a condition cannot be compared with itself")
		}
		if !slices.Contains(Metrics, e.Metric) {
			fail(key+".metric", "unknown metric %q (valid: %s)", e.Metric, strings.Join(Metrics, ", "))
		}
		if !slices.Contains([]string{">", "<", "="}, e.Direction) {
			fail(key+".direction", "unknown direction %q (valid: >, <, =)", e.Direction)
		}
		if !(e.Alpha > 0 && e.Alpha < 1) {
			fail(key+".alpha", "%v out of range (0, 1)", e.Alpha)
		}
		if !(e.MinEffect >= 0) {
			fail(key+".min_effect", "%v out of range [0, inf)", e.MinEffect)
		}
		if !(e.Margin >= 0) {
			fail(key+".margin", "%v out of range [0, inf)", e.Margin)
		}
	}
}
