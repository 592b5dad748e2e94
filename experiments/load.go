package experiments

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/BurntSushi/toml"

	"github.com/dreamsim/dreamsim/experiments/stats"
	"github.com/dreamsim/dreamsim/regions"
	"github.com/dreamsim/dreamsim/sim"
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

// RunBytes returns the memory in bytes that the experiment's largest run
// is estimated to need (the estimate that refuses a condition over the
// per-run limit at load), so that a runner can bound how many runs it
// starts at once.
func (x *Experiment) RunBytes() float64 {
	most := 0.0
	for i := range x.Conditions {
		most = max(most, x.Conditions[i].Config.estimateBytes())
	}
	return most
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
	shown := e.Problems
	more := ""
	if len(shown) > maxShownProblems {
		shown = shown[:maxShownProblems]
		more = fmt.Sprintf("\n  ... and %d more", len(e.Problems)-maxShownProblems)
	}
	return fmt.Sprintf("invalid experiment: %d problems:\n  %s%s", len(e.Problems), strings.Join(shown, "\n  "), more)
}

// maxShownProblems bounds the problems a ConfigError prints; a file that
// is wrong throughout (an array of a million wrong values) gives a readable
// message.
const maxShownProblems = 50

//go:embed baseline.toml
var baselineTOML []byte

// Default returns the embedded default experiment (experiments/baseline.toml).
func Default() (*Experiment, error) {
	return parse("baseline.toml", baselineTOML, "")
}

// Load reads and validates an experiment file, with its includes.
func Load(path string) (*Experiment, error) {
	data, err := readLimited(path, maxConfigBytes)
	if err != nil {
		return nil, err
	}
	return parse(path, data, filepath.Dir(path))
}

// Limits on what an experiment file may hold, so that a hostile or broken
// file is refused in well under a second instead of exhausting memory in
// the TOML parser: an experiment file is a few kilobytes, a hypnogram of a
// week of 30-s epochs under a megabyte.
const (
	maxConfigBytes    = 4 << 20  // an experiment file or include
	maxHypnogramBytes = 16 << 20 // a hypnogram file
	maxNesting        = 32       // arrays and inline tables within each other
	maxKeyParts       = 32       // parts of a dotted key or table header
	maxDecodeProblems = 1000     // problems one file reports before the rest are counted only
)

// readLimited reads a file of at most limit bytes. It reads through a
// limit rather than trusting the size the file reports, so that a pipe or a
// device (-config /dev/stdin, /dev/zero) is bounded too.
func readLimited(path string, limit int64) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, unwrapPath(err))
	}
	if st.IsDir() {
		return nil, fmt.Errorf("cannot read %s: it is a folder", path)
	}
	if st.Mode().IsRegular() && st.Size() > limit {
		return nil, fmt.Errorf("%s is %d bytes; files over %d bytes are refused", path, st.Size(), limit)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, unwrapPath(err))
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, unwrapPath(err))
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is over %d bytes; files over %d bytes are refused", path, limit, limit)
	}
	return b, nil
}

// unwrapPath drops the operation and path of an *os.PathError, which the
// messages name themselves.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// source is one parsed file of an experiment.
type source struct {
	name  string
	dir   string // the folder its relative paths are read from
	data  map[string]any
	lines map[string]int
}

// loader collects the files of an experiment and every problem with them.
type loader struct {
	problems []problem
	sources  []source // in the order read: the main file first
	// order lists indices into sources in the order their values are laid
	// over each other (a file's includes before the file), so that the last
	// file in it that sets a key is the one that supplies its value.
	order []int
	// bad lists the key paths the decoder could not read; later checks skip
	// them, as their values are only the defaults left in place.
	bad  []string
	seen map[problem]bool
	more int // problems beyond maxDecodeProblems, counted only
}

func (l *loader) fail(file string, line int, key, format string, args ...any) {
	p := problem{file: file, line: line, key: key, msg: fmt.Sprintf(format, args...)}
	if l.seen[p] {
		return
	}
	if len(l.problems) >= maxDecodeProblems {
		l.more++
		return
	}
	if l.seen == nil {
		l.seen = map[problem]bool{}
	}
	l.seen[p] = true
	l.problems = append(l.problems, p)
}

// full reports whether the loader holds as many problems as it keeps,
// counting one more, so that callers skip the work of locating it.
func (l *loader) full() bool {
	if len(l.problems) >= maxDecodeProblems {
		l.more++
		return true
	}
	return false
}

// failAt reports a problem at the file and line that set key.
func (l *loader) failAt(key, format string, args ...any) {
	if l.full() {
		return
	}
	file, line := l.where(key)
	l.fail(file, line, key, format, args...)
}

// where returns the file and line that set a key path: the last file in
// merge order that sets it, or else that sets its nearest parent (a table
// header, an array element), or else the main file without a line.
func (l *loader) where(key string) (string, int) {
	for k := key; k != ""; k = parentKey(k) {
		for i := len(l.order) - 1; i >= 0; i-- {
			src := &l.sources[l.order[i]]
			if hasKey(src.data, k) {
				return src.name, lineOf(src.lines, k)
			}
		}
	}
	return l.sources[0].name, 0
}

// isSet reports whether some file of the experiment sets the key path.
func (l *loader) isSet(key string) bool {
	for _, src := range l.sources {
		if hasKey(src.data, key) {
			return true
		}
	}
	return false
}

// suppressed reports whether key is, or lies under, a key the decoder
// could not read.
func (l *loader) suppressed(key string) bool {
	for _, b := range l.bad {
		if key == b || strings.HasPrefix(key, b+".") || strings.HasPrefix(key, b+"[") {
			return true
		}
	}
	return false
}

// parentKey drops the last part of a key path: "a.b[2].c" -> "a.b[2]" ->
// "a.b" -> "a" -> "".
func parentKey(key string) string {
	cut := strings.LastIndexAny(key, ".[")
	if cut < 0 {
		return ""
	}
	return key[:cut]
}

// maxIncludes bounds the files of one experiment, includes of includes
// counted, and maxIncludeDepth how deep includes may nest.
const (
	maxIncludes     = 64
	maxIncludeDepth = 16
)

// read parses one file and, first, its includes, returning the merged map.
// stack holds the files being read, outermost first, to find cycles.
func (l *loader) read(name string, data []byte, dir string, stack []string) map[string]any {
	if !isTextTOML(data) {
		l.fail(name, 0, "", "not a text file (binary data found)")
		return nil
	}
	text := string(data)
	if line, msg := tooDeep(text); msg != "" {
		l.fail(name, line, "", "%s", msg)
		return nil
	}
	var m map[string]any
	if _, err := toml.Decode(text, &m); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			l.fail(name, pe.Position.Line, "", "TOML syntax: %s", pe.Message)
		} else {
			l.fail(name, 0, "", "TOML: %v", err)
		}
		return nil
	}
	lines := keyLines(text)
	idx := len(l.sources)
	l.sources = append(l.sources, source{name: name, dir: dir, data: m, lines: lines})
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
			if cyclic(stack, path) {
				l.fail(name, lines["include"], "include", "include cycle: %s -> %s", strings.Join(stack, " -> "), path)
				continue
			}
			if len(stack) >= maxIncludeDepth {
				l.fail(name, lines["include"], "include", "includes nested more than %d deep: %s -> %s", maxIncludeDepth, strings.Join(stack, " -> "), path)
				continue
			}
			if len(l.sources) >= maxIncludes {
				l.fail(name, lines["include"], "include", "more than %d files in one experiment", maxIncludes)
				break
			}
			b, err := readLimited(path, maxConfigBytes)
			if err != nil {
				l.fail(name, lines["include"], "include", "%v", err)
				continue
			}
			merged = merge(merged, l.read(path, b, filepath.Dir(path), append(slices.Clip(stack), path)))
		}
	}
	l.order = append(l.order, idx)
	return merge(merged, without(m, "include"))
}

// cyclic reports whether path is one of the files being read, by name or,
// through links and other spellings of its path, by identity.
func cyclic(stack []string, path string) bool {
	if slices.Contains(stack, path) {
		return true
	}
	st, err := os.Stat(path)
	if err != nil {
		return false
	}
	for _, p := range stack {
		if sp, err := os.Stat(p); err == nil && os.SameFile(st, sp) {
			return true
		}
	}
	return false
}

// tooDeep reports the first line of text on which arrays and inline
// tables nest more than maxNesting deep, or a key or table header has more
// than maxKeyParts parts; the TOML parser's time and memory grow steeply
// with both (a 100-KB file of nested inline tables took it 30 s and 10 GB).
func tooDeep(text string) (line int, msg string) {
	var sc valueScanner
	for i, raw := range strings.Split(text, "\n") {
		if !sc.open() {
			s := strings.TrimSpace(stripComment(raw))
			key := ""
			if strings.HasPrefix(s, "[") {
				key = strings.Trim(s, "[] \t")
			} else if k, v, ok := cutKey(s); ok {
				key = k
				sc.scan(v)
			}
			if n := len(keyPath(key)); n > maxKeyParts {
				return i + 1, fmt.Sprintf("a key of %d dotted parts (at most %d)", n, maxKeyParts)
			}
		} else {
			sc.scan(raw)
		}
		if sc.peak > maxNesting {
			return i + 1, fmt.Sprintf("arrays or inline tables nested more than %d deep", maxNesting)
		}
	}
	return 0, ""
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

// parse loads an experiment from the bytes of its main file. It reports
// every problem it can find at once: those of every file read on its own
// (unknown keys, wrong types), then those of every condition's resolved
// config (ranges, names, files), then those of the experiment as a whole.
func parse(name string, data []byte, dir string) (*Experiment, error) {
	l := &loader{}
	path := name
	if dir != "" {
		path = filepath.Clean(name)
	}
	if len(data) > maxConfigBytes {
		return nil, &ConfigError{Problems: []string{fmt.Sprintf("%s: %d bytes; files over %d bytes are refused", path, len(data), maxConfigBytes)}}
	}
	merged := l.read(path, data, dir, []string{path})
	if len(l.problems) > 0 {
		return nil, l.err()
	}
	if len(l.sources[0].data) == 0 {
		l.fail(path, 0, "", "the file holds no settings: an experiment needs at least [experiment] name = \"...\"")
		return nil, l.err()
	}
	// Check each file on its own, so that problems carry their own file and line.
	dropped := false
	for _, src := range l.sources {
		d := newDecoder()
		fs := defaultSchema()
		d.decode("", without(src.data, "include"), reflect.ValueOf(&fs).Elem())
		for _, p := range d.problems {
			l.fail(src.name, lineOf(src.lines, p.key), p.key, "%s", p.msg)
			l.bad = append(l.bad, p.key)
		}
		if d.dropped > 0 {
			// Past the cap of fail, but this one must show.
			l.problems = append(l.problems, problem{file: src.name, msg: fmt.Sprintf("%d further problems of this file not listed", d.dropped)})
			dropped = true
		}
	}
	if dropped {
		// A file wrong throughout: its values would fail every later check too.
		return nil, l.err()
	}
	d := newDecoder()
	fs := defaultSchema()
	d.decode("", merged, reflect.ValueOf(&fs).Elem())
	if len(l.bad) == 0 {
		for _, p := range d.problems {
			l.failAt(p.key, "%s", p.msg)
			l.bad = append(l.bad, p.key)
		}
	}
	x := &Experiment{Info: fs.Experiment, Expectations: fs.Expect}
	if dir != "" {
		x.Path = path
	}
	l.buildConditions(x, merged, &fs)
	l.validateExperiment(x)
	if len(l.problems) > 0 {
		return nil, l.err()
	}
	x.Resolved = resolvedTOML(x, merged)
	sum := sha256.Sum256([]byte(x.Resolved))
	x.Hash = hex.EncodeToString(sum[:])
	return x, nil
}

// err returns the problems found, each once, by file (the main file first)
// and line.
func (l *loader) err() error {
	rank := map[string]int{}
	for i, s := range l.sources {
		if _, ok := rank[s.name]; !ok {
			rank[s.name] = i
		}
	}
	ps := slices.Clone(l.problems)
	slices.SortStableFunc(ps, func(a, b problem) int {
		ra, oka := rank[a.file]
		rb, okb := rank[b.file]
		if !oka {
			ra = len(l.sources)
		}
		if !okb {
			rb = len(l.sources)
		}
		if ra != rb {
			return ra - rb
		}
		return a.line - b.line
	})
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	if l.more > 0 {
		out = append(out, fmt.Sprintf("and %d more problems", l.more))
	}
	return &ConfigError{Problems: out}
}

// tables returns the tables of an array of tables, which the TOML parser
// gives as []map[string]any for [[name]] headers and as []any for an
// inline array (name = [{...}, {...}]). Elements that are not tables, which
// the decoder reports, are empty tables here, so that indices still match.
func tables(v any) []map[string]any {
	switch a := v.(type) {
	case []map[string]any:
		return a
	case []any:
		out := make([]map[string]any, len(a))
		for i, e := range a {
			out[i], _ = e.(map[string]any)
			if out[i] == nil {
				out[i] = map[string]any{}
			}
		}
		return out
	}
	return nil
}

// buildConditions resolves every condition's config: the file's base
// config with the condition's overrides laid over it, and the condition's
// manipulations added to the base ones.
func (l *loader) buildConditions(x *Experiment, merged map[string]any, fs *fileSchema) {
	base := without(merged, "include", "experiment", "condition", "expect")
	x.Base = DefaultConfig()
	newDecoder().decode("", base, reflect.ValueOf(&x.Base).Elem())
	// A hypnogram is named by its absolute path in the resolved config, so
	// that the config loads from any folder (a shard's, a merge's).
	if h := x.Base.Clock.Hypnogram; h != "" && !filepath.IsAbs(h) {
		if d := l.dirOf("clock.hypnogram"); d != "" {
			x.Base.Clock.Hypnogram = absPath(filepath.Join(d, h))
		}
	}
	conds := tables(merged["condition"])
	if len(conds) == 0 || len(conds) != len(fs.Condition) {
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
		// locate names a key of the condition's config as the file does:
		// under the condition when the condition sets it, else at the top.
		locate := func(key string) string {
			if hasKey(over, key) {
				return prefix + "." + key
			}
			return key
		}
		report := func(key, msg string) {
			if l.suppressed(key) {
				return
			}
			l.failAt(key, "%s", msg)
		}
		for _, p := range d.problems {
			report(locate(p.key), p.msg)
		}
		nBase := len(cfg.Manipulations) - len(cs.Manipulations)
		manipKey := func(j int) string {
			if j >= nBase {
				return fmt.Sprintf("%s.manipulation[%d]", prefix, j-nBase)
			}
			return fmt.Sprintf("manipulation[%d]", j)
		}
		for j := range cfg.Manipulations {
			m := &cfg.Manipulations[j]
			if math.IsNaN(m.Value) {
				switch m.Kind {
				case regions.Stimulate:
					m.Value = 1
				case regions.Clamp:
					report(manipKey(j), "clamp needs a value in [0, 1]")
					m.Value = 0
				default:
					m.Value = 0
				}
			}
		}
		for _, p := range cfg.Validate() {
			k := p.key
			if strings.HasPrefix(k, "manipulation[") {
				var j int
				fmt.Sscanf(k, "manipulation[%d]", &j)
				k = manipKey(j) + k[strings.Index(k, "]")+1:]
				report(k, p.msg)
				continue
			}
			k = locate(k)
			if l.suppressed(k) || l.full() {
				continue
			}
			file, line := l.where(l.lineKey(k, p.msg, locate))
			l.fail(file, line, k, "%s", p.msg)
		}
		l.checkSignals(&cfg, locate, report)
		if cfg.Clock.Source == "hypnogram" && cfg.Clock.Hypnogram != "" {
			k := locate("clock.hypnogram")
			p := cfg.Clock.Hypnogram
			if !filepath.IsAbs(p) {
				if d := l.dirOf(k); d != "" {
					p = filepath.Join(d, p)
				}
			}
			night, err := readHypnogramFile(p)
			if err != nil {
				report(k, err.Error())
			}
			cfg.Clock.Hypnogram = absPath(p)
			if clk, ok := over["clock"].(map[string]any); ok {
				if _, ok := clk["hypnogram"].(string); ok {
					clk = maps.Clone(clk)
					clk["hypnogram"] = cfg.Clock.Hypnogram
					over = maps.Clone(over)
					over["clock"] = clk
					cm = maps.Clone(cm)
					cm["clock"] = clk
				}
			}
			cfg.night = night
		}
		if need := cfg.estimateBytes(); need > maxRunBytes {
			k := prefix
			for _, c := range []string{"regions.cortex.hidden", "regions.hippocampus.dg_units", "content.side", "content.context_size", "phase", "clock"} {
				if c = locate(c); l.isSet(c) {
					k = c
					break
				}
			}
			l.failAt(k, "condition %q would need about %.1f GiB per run (limit %.0f GiB): reduce episodes, phases, dg_units or network sizes", cs.Name, need/(1<<30), float64(maxRunBytes)/(1<<30))
		}
		x.Conditions = append(x.Conditions, Condition{Name: cs.Name, Description: cs.Description, Dose: cs.Dose, Config: cfg, Overrides: without(cm, "name", "description", "dose")})
	}
}

// lineKey returns the key whose line best shows a problem of Validate at
// key: a field the message starts with ("regions.hippocampus: sparsity =
// 2 out of range" is on the line of regions.hippocampus.sparsity), or, for
// a problem of a value the file leaves at its default that the tick makes
// invalid ("dt = 2 s is larger than the smallest time constant", "want a
// finite value >= 30 (the tick length)"), the line of sim.dt_s.
func (l *loader) lineKey(key, msg string, locate func(string) string) string {
	field := msg
	if i := strings.IndexFunc(msg, func(r rune) bool { return !(r == '_' || r == '.' || unicode.IsLetter(r) || unicode.IsDigit(r)) }); i >= 0 {
		field = msg[:i]
	}
	for field != "" {
		if k := key + "." + field; l.isSet(k) {
			return k
		}
		field = parentKey(field)
	}
	if !l.isSet(key) && (strings.Contains(msg, "dt") || strings.Contains(msg, "tick")) {
		if dt := locate("sim.dt_s"); l.isSet(dt) {
			return dt
		}
	}
	return key
}

// dirOf returns the folder of the file that sets key, against which a
// relative path in it is read.
func (l *loader) dirOf(key string) string {
	file, _ := l.where(key)
	for _, s := range l.sources {
		if s.name == file {
			return s.dir
		}
	}
	return ""
}

// ports returns the recordable signals and the outputs of a built-in
// region, read from the zero value of its type (the lists are fixed per
// type), and false for any other name.
func ports(region string) (signals, outputs []string, ok bool) {
	var r interface {
		Signals() []string
		Outputs() []string
	}
	switch region {
	case "lc":
		r = &regions.LC{}
	case "mch":
		r = &regions.MCH{}
	case "pfc":
		r = &regions.PFC{}
	case "amygdala":
		r = &regions.Amygdala{}
	case "hippocampus":
		r = &regions.Hippocampus{}
	case "cortex":
		r = &regions.Cortex{}
	case "senses":
		r = &regions.Senses{}
	default:
		return nil, nil, false
	}
	return r.Signals(), r.Outputs(), true
}

// checkSignals builds the custom regions (a kind that is not registered,
// or params its factory refuses, fail here rather than in every run) and
// reports recorded signals and connection outputs that the regions do not
// have, which the engine would otherwise refuse in every run.
func (l *loader) checkSignals(cfg *Config, locate func(string) string, report func(key, msg string)) {
	names := slices.Clone(regions.BuiltinRegions)
	custom := map[string]sim.Region{}
	for i, cr := range cfg.Custom {
		names = append(names, cr.Name)
		if cr.Name == "" || slices.Contains(regions.BuiltinRegions, cr.Name) {
			continue // Validate reports the name
		}
		r, err := regions.NewRegion(cr.Kind, cr.Name, paramsDecoder(cr.Name, cr.Params))
		if err != nil {
			report(locate(fmt.Sprintf("region[%d]", i)), fmt.Sprintf("region %q: %v", cr.Name, err))
			continue
		}
		custom[cr.Name] = r
	}
	portsOf := func(region string) (signals, outputs []string, ok bool) {
		if r, ok := custom[region]; ok {
			return r.Signals(), r.Outputs(), true
		}
		return ports(region)
	}
	for i, s := range cfg.Record.Signals {
		region, sig, ok := strings.Cut(s, ".")
		if !ok || region == "" {
			continue // Validate reports the form
		}
		key := locate(fmt.Sprintf("record.signals[%d]", i))
		if !slices.Contains(names, region) {
			report(key, fmt.Sprintf("unknown region %q in %q (valid: %s)", region, s, strings.Join(names, ", ")))
			continue
		}
		if signals, _, ok := portsOf(region); ok && !slices.Contains(signals, sig) {
			report(key, fmt.Sprintf("region %q has no signal %q (signals: %s)", region, sig, strings.Join(signals, ", ")))
		}
	}
	for i, c := range cfg.Connections {
		if _, outputs, ok := portsOf(c.From); ok && !slices.Contains(outputs, c.Output) {
			report(locate(fmt.Sprintf("connection[%d].output", i)), fmt.Sprintf("region %q has no output %q (outputs: %s)", c.From, c.Output, strings.Join(outputs, ", ")))
		}
	}
}

// paramsDecoder returns the decode function a region factory fills its
// parameter struct with from the region's params table, reporting every
// unknown key and wrong type.
func paramsDecoder(name string, params map[string]any) func(any) error {
	return func(v any) error {
		rv := reflect.ValueOf(v)
		if rv.Kind() != reflect.Pointer || rv.IsNil() {
			return errors.New("decode needs a non-nil pointer")
		}
		d := newDecoder()
		d.decode(fmt.Sprintf("region %s params", name), params, rv.Elem())
		if len(d.problems) > 0 {
			msgs := make([]string, len(d.problems))
			for i, p := range d.problems {
				msgs[i] = p.String()
			}
			return errors.New(strings.Join(msgs, "; "))
		}
		return nil
	}
}

func readHypnogramFile(path string) (sleep.Hypnogram, error) {
	b, err := readLimited(path, maxHypnogramBytes)
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

// hasKey reports whether a key path (dotted, with [i] indices into arrays)
// is set in m.
func hasKey(m map[string]any, key string) bool {
	var cur any = m
	for _, part := range strings.Split(key, ".") {
		name, idx, indexed := strings.Cut(part, "[")
		mm, ok := cur.(map[string]any)
		if !ok {
			return false
		}
		cur, ok = mm[name]
		if !ok {
			return false
		}
		for indexed {
			var i int
			var rest string
			if n, _ := fmt.Sscanf(idx, "%d]", &i); n != 1 {
				return false
			}
			_, rest, indexed = strings.Cut(idx, "[")
			idx = rest
			switch a := cur.(type) {
			case []map[string]any:
				if i < 0 || i >= len(a) {
					return false
				}
				cur = a[i]
			case []any:
				if i < 0 || i >= len(a) {
					return false
				}
				cur = a[i]
			default:
				return false
			}
		}
	}
	return true
}

var safeName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

func (l *loader) validateExperiment(x *Experiment) {
	fail := func(key, format string, args ...any) {
		if !l.suppressed(key) {
			l.failAt(key, format, args...)
		}
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

// absPath returns p made absolute, or p when that fails.
func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
