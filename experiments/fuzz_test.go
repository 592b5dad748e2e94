package experiments

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/BurntSushi/toml"
)

// FuzzLoad feeds arbitrary bytes as an experiment file through the path
// Load takes (parse, with the file's folder for includes and hypnograms).
// It must never panic; a refused file must give a *ConfigError whose every
// problem names the file; and an accepted experiment's Resolved text must
// load again to the same Resolved text and Hash.
func FuzzLoad(f *testing.F) {
	shipped, err := filepath.Glob("*.toml")
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range append(shipped, filepath.Join("testdata", "tiny.toml")) {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	// A folder with a hypnogram and an include, which inputs may name.
	dir := f.TempDir()
	for name, text := range map[string]string{
		"night.csv": "epoch,start_min,stage\n0,0.0,W\n1,0.5,N2\n2,1.0,N3\n3,1.5,R\n",
		"base.toml": "[sim]\ndt_s = 0.5\n[content]\nside = 8\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		const name = "fuzz.toml"
		x, err := parse(filepath.Join(dir, name), data, dir)
		if err != nil {
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("error %q is not a *ConfigError", err)
			}
			if len(ce.Problems) == 0 {
				t.Fatal("a ConfigError without problems")
			}
			for _, p := range ce.Problems {
				if !strings.Contains(p, ".toml") && !strings.HasPrefix(p, "and ") {
					t.Fatalf("problem %q does not name its file", p)
				}
			}
			return
		}
		if x.Hash == "" || x.Resolved == "" || len(x.Conditions) == 0 {
			t.Fatalf("accepted experiment without hash, resolved text or conditions: %+v", x.Info)
		}
		for i := range x.Conditions {
			if ps := x.Conditions[i].Config.Validate(); len(ps) > 0 {
				t.Fatalf("accepted condition %q fails Validate: %v", x.Conditions[i].Name, ps)
			}
		}
		y, err := parse(filepath.Join(dir, "config.resolved.toml"), []byte(x.Resolved), dir)
		if err != nil {
			t.Fatalf("the resolved text of an accepted experiment does not load: %v\ninput:\n%s\nresolved:\n%s", err, data, x.Resolved)
		}
		if y.Resolved != x.Resolved || y.Hash != x.Hash {
			t.Fatalf("the resolved text does not load to itself\ninput:\n%s\nfirst:\n%s\nsecond:\n%s", data, x.Resolved, y.Resolved)
		}
	})
}

// mergeFixture holds two shard folders of experiments/testdata/tiny.toml
// (one seed), made once per process.
var mergeFixture struct {
	once   sync.Once
	x      *Experiment
	shards []string
	files  []string // the files Merge reads (TOML and JSON), sorted
	err    error
}

func makeMergeFixture(dir string) {
	x, err := Load(filepath.Join("testdata", "tiny.toml"))
	if err != nil {
		mergeFixture.err = err
		return
	}
	mergeFixture.x = x
	for i := range 2 {
		s := filepath.Join(dir, []string{"s0", "s1"}[i])
		if _, err := Execute(context.Background(), x, Options{Out: s, Workers: 1, Shard: i, Shards: 2, Seeds: 1}); err != nil {
			mergeFixture.err = err
			return
		}
		mergeFixture.shards = append(mergeFixture.shards, s)
	}
	for _, s := range mergeFixture.shards {
		err := filepath.WalkDir(s, func(p string, d os.DirEntry, err error) error {
			// Merge copies the CSV files of a run without reading them.
			if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".json") || strings.HasSuffix(p, ".toml")) {
				mergeFixture.files = append(mergeFixture.files, p)
			}
			return err
		})
		if err != nil {
			mergeFixture.err = err
			return
		}
	}
}

// linkTree makes dst a copy of src whose files are hard links (or copies,
// where links are not possible), so that a case can replace one file
// without touching the fixture.
func linkTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		if os.Link(p, to) == nil {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(to, b, 0o644)
	})
}

// FuzzMerge replaces one file of two shard folders (a summary.json, a
// config.resolved.toml or a manifest.json), picked by which, with the
// fuzzer's bytes, and merges them. Merge must never panic; it either
// fails with an error that says "merge: " and no Go runtime text, or writes
// a complete experiment folder.
func FuzzMerge(f *testing.F) {
	mergeFixture.once.Do(func() { makeMergeFixture(f.TempDir()) })
	if mergeFixture.err != nil {
		f.Fatal(mergeFixture.err)
	}
	files := mergeFixture.files
	hash := mergeFixture.x.Hash
	for i, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint16(i), b)
		f.Add(uint16(i), b[:len(b)/2])
		if strings.HasSuffix(p, "summary.json") {
			// Summaries that parse and carry the right hash, but say odd things.
			for _, body := range []string{
				`{"config_hash": "` + hash + `", "status": "failed", "error": "numerical fault"}`,
				`{"config_hash": "` + hash + `", "status": "ok", "retention": 1e308, "dream_count": -1e308, "tst_min": 5e-324}`,
				`{"config_hash": "` + hash + `", "status": "ok", "retention": "high", "dream_count": [1], "seed": -1}`,
				`{"config_hash": "` + hash + `"}`,
			} {
				f.Add(uint16(i), []byte(body))
			}
		}
	}
	f.Add(uint16(0), []byte{})
	f.Add(uint16(1), []byte("\x00\xff\xfe"))
	f.Fuzz(func(t *testing.T, which uint16, data []byte) {
		dir := t.TempDir()
		target := files[int(which)%len(files)]
		var shards []string
		for _, s := range mergeFixture.shards {
			c := filepath.Join(dir, filepath.Base(s))
			if err := linkTree(s, c); err != nil {
				t.Fatal(err)
			}
			shards = append(shards, c)
			if rel, err := filepath.Rel(s, target); err == nil && !strings.HasPrefix(rel, "..") {
				p := filepath.Join(c, rel)
				os.Remove(p) // a hard link: replace it, do not write through it
				if err := os.WriteFile(p, data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		out := filepath.Join(dir, "merged")
		x, o, err := Merge(out, shards, "fuzz")
		if err != nil {
			msg := err.Error()
			if !strings.HasPrefix(msg, "merge: ") {
				t.Fatalf("error without context: %q", msg)
			}
			for _, bad := range []string{"runtime error", "%!", "<nil>"} {
				if strings.Contains(msg, bad) {
					t.Fatalf("unclear error %q", msg)
				}
			}
			return
		}
		if x == nil || o == nil || o.Report == nil {
			t.Fatal("Merge succeeded without an experiment, outcome or report")
		}
		if _, err := os.Stat(filepath.Join(out, "results.csv")); err != nil {
			t.Fatalf("Merge succeeded without results.csv: %v", err)
		}
		if len(o.Results) != len(x.Runs(0)) && len(o.Results) != len(x.Runs(1)) {
			t.Fatalf("Merge succeeded with %d results", len(o.Results))
		}
	})
}

// TestResolvedLoadsToItself checks the property FuzzLoad checks on inputs
// found to break it: an accepted experiment's Resolved text loads again to
// the same experiment.
func TestResolvedLoadsToItself(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, tc := range []struct {
		name, text, skip string
	}{
		{name: "dotted and quoted keys", text: "regions.mch.ne_inhibition = 0.2\n\"regions\".\"hippocampus\".forgetting_rule = 'weakest-first'\n[experiment]\nname = \"x\"\n"},
		{name: "inline conditions", text: "condition = [{ name = \"a\" }, { name = \"b\", sim = { dt_s = 0.5 } }]\n[experiment]\nname = \"x\"\n"},
		{name: "doses and expectations", text: "[experiment]\nname = \"x\"\n[[condition]]\nname = \"a\"\ndose = 0\n[[condition]]\nname = \"b\"\ndose = 1.5\n[[expect]]\ncondition = \"b\"\nmetric = \"retention\"\ndirection = \"=\"\nmargin = 0.1\n"},
		{
			name: "record nothing", text: "[experiment]\nname = \"x\"\n[record]\nsignals = []\n",
		},
		{
			name: "no hidden layer", text: "[experiment]\nname = \"x\"\n[regions.cortex]\nhidden = []\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.skip != "" {
				t.Skip(tc.skip)
			}
			x, err := parse(filepath.Join(dir, "in.toml"), []byte(tc.text), dir)
			if err != nil {
				t.Fatal(err)
			}
			y, err := parse(filepath.Join(dir, "config.resolved.toml"), []byte(x.Resolved), dir)
			if err != nil {
				t.Fatalf("resolved text does not load: %v\n%s", err, x.Resolved)
			}
			if y.Hash != x.Hash {
				t.Errorf("hash changed on reload\nfirst:\n%s\nsecond:\n%s", x.Resolved, y.Resolved)
			}
			if !reflect.DeepEqual(x.Conditions[0].Config, y.Conditions[0].Config) {
				t.Errorf("config changed on reload")
			}
		})
	}
}

// leafPaths lists the paths of every value of a decoded TOML document
// (not of tables or arrays of tables), as the decoder names them.
func leafPaths(prefix string, v any) []string {
	switch x := v.(type) {
	case map[string]any:
		var out []string
		for k, e := range x {
			out = append(out, leafPaths(join(prefix, k), e)...)
		}
		return out
	case []map[string]any:
		var out []string
		for i, e := range x {
			out = append(out, leafPaths(fmt.Sprintf("%s[%d]", prefix, i), e)...)
		}
		return out
	}
	return []string{prefix}
}

// valueAt returns the value at path in doc.
func valueAt(doc any, path string) any {
	for _, part := range strings.Split(path, ".") {
		name, idx, indexed := strings.Cut(part, "[")
		doc = doc.(map[string]any)[name]
		if indexed {
			var i int
			fmt.Sscanf(idx, "%d]", &i)
			doc = doc.([]map[string]any)[i]
		}
	}
	return doc
}

// withValue returns a deep copy of doc with the value at path replaced.
func withValue(doc any, path string, val any) any {
	head, rest, _ := strings.Cut(path, ".")
	name, idx, indexed := strings.Cut(head, "[")
	switch x := doc.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = e
		}
		if !indexed && rest == "" {
			out[name] = val
			return out
		}
		inner := out[name]
		if indexed {
			var i int
			fmt.Sscanf(idx, "%d]", &i)
			arr := slices.Clone(inner.([]map[string]any))
			arr[i] = withValue(arr[i], rest, val).(map[string]any)
			out[name] = arr
			return out
		}
		out[name] = withValue(inner, rest, val)
		return out
	}
	panic("withValue: " + path)
}

// TestHostileValues sets every value of a fully resolved experiment, one at
// a time, to each of a list of hostile values (NaN, infinities, extremes,
// wrong types, empty and huge strings and arrays) and loads it. Loading
// must not panic; a refused file must name the line of the changed key in
// every problem about it; an accepted one must resolve to a text that loads
// to itself.
func TestHostileValues(t *testing.T) {
	t.Parallel()
	base, err := os.ReadFile(filepath.Join("testdata", "tiny.toml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	x, err := parse(filepath.Join(dir, "tiny.toml"), base, dir)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if _, err := toml.Decode(x.Resolved, &doc); err != nil {
		t.Fatal(err)
	}
	// Values that break a number, a string or an array, and a wrong type
	// for each (a table is wrong everywhere).
	hostile := func(v any) []any {
		table := map[string]any{"a": int64(1)}
		switch v.(type) {
		case float64, int64:
			return []any{math.NaN(), math.Inf(-1), -1.0, 0.0, 1e300, 5e-324, int64(math.MaxInt64), int64(-1), "1", table}
		case string:
			return []any{"", strings.Repeat("x", 5000), "lc.ne", int64(0), table}
		case []any:
			return []any{[]any{}, []any{int64(1), "a"}, []any{int64(0)}, "a", table}
		}
		return []any{true, table}
	}
	paths := leafPaths("", doc)
	slices.Sort(paths)
	noLine := regexp.MustCompile(`hostile\.toml: (\S+): `)
	show := func(v any) string {
		s := fmt.Sprintf("%#v", v)
		if len(s) > 40 {
			s = s[:40] + "..."
		}
		return s
	}
	accepted, refused := 0, 0
	tried := 0
	for _, path := range paths {
		for _, val := range hostile(valueAt(doc, path)) {
			tried++
			var buf bytes.Buffer
			enc := toml.NewEncoder(&buf)
			enc.Indent = ""
			if err := enc.Encode(withValue(doc, path, val)); err != nil {
				continue // a value TOML cannot hold there
			}
			y, err := parse(filepath.Join(dir, "hostile.toml"), buf.Bytes(), dir)
			if err != nil {
				refused++
				var ce *ConfigError
				if !errors.As(err, &ce) {
					t.Fatalf("%s = %s: error %v is not a *ConfigError", path, show(val), err)
				}
				for _, p := range ce.Problems {
					if m := noLine.FindStringSubmatch(p); m != nil && (m[1] == path || strings.HasPrefix(m[1], path+".") || strings.HasPrefix(m[1], path+"[")) {
						t.Errorf("%s = %s: a problem with the set key but no line: %.200s", path, show(val), p)
					}
				}
				continue
			}
			accepted++
			if os.Getenv("HOSTILE_DEBUG") != "" {
				t.Logf("accepted %s = %s", path, show(val))
			}
			if a, ok := val.([]any); ok && len(a) == 0 {
				continue // an empty array resolves to the default: TestResolvedLoadsToItself, needs lead
			}
			z, err := parse(filepath.Join(dir, "config.resolved.toml"), []byte(y.Resolved), dir)
			if err != nil {
				t.Errorf("%s = %s: accepted, but its resolved text does not load: %.300v", path, show(val), err)
				continue
			}
			if z.Hash != y.Hash {
				t.Errorf("%s = %s: accepted, but its resolved text loads to another hash", path, show(val))
			}
		}
	}
	t.Logf("%d keys, %d values: %d refused, %d accepted", len(paths), tried, refused, accepted)
}

// FuzzKeyLines checks the line finder on arbitrary text: keyLines and
// tooDeep never panic, and on valid TOML every value the parser reads has
// a line (its own, or that of the table or array holding it) within the
// text.
func FuzzKeyLines(f *testing.F) {
	shipped, err := filepath.Glob("*.toml")
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range shipped {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	for _, s := range []string{
		"a = \"\"\"\n[[b]]\nc = 1\n\"\"\"\n[[d]]\ne = 2\n",
		"a = '''\n]]]\n'''\nb = [\n  \"[\",\n  '{',\n]\nc = 1\n",
		"\"x.y\" = 1\n'z=w' = 2\n[\"q\".r]\ns = 3\n",
		"[[a.b]]\nc = 1\n[[a.b]]\nc = 2\n[a.b.d]\ne = 3\n",
		"a = { b = { c = [1, { d = 2 }] } }\n",
		"a = [\n  { b = 1 },\n  { c = 2 },\n]\n",
		"a.b.c = 1\na.b.d = \"#\" # comment\n[e] # [f]\ng = 'h' # i = j\n",
		"s = \"\"\"a\\\"\"\"\"\nt = 1\n",
		"[x]\n  [x.y]\n  z = \"\\\"\" \n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		lines := keyLines(text)
		tooDeep(text)
		var doc map[string]any
		if _, err := toml.Decode(text, &doc); err != nil {
			return
		}
		all := strings.Split(text, "\n")
		bare := regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
		for _, p := range leafPaths("", doc) {
			l := lineOf(lines, p)
			if l < 1 || l > len(all) {
				t.Fatalf("%q has line %d of %d in\n%s", p, l, len(all), text)
			}
			// The line names the key or a table or array holding it (for
			// bare keys, which appear in the text as they are).
			names, found := 0, false
			for _, part := range strings.FieldsFunc(p, func(r rune) bool { return r == '.' || r == '[' }) {
				if strings.HasSuffix(part, "]") {
					continue // an index
				}
				if !bare.MatchString(part) {
					names = -1
					break
				}
				names++
				found = found || strings.Contains(all[l-1], part)
			}
			if names > 0 && !found {
				t.Fatalf("%q is put on line %d, %q, in\n%s", p, l, all[l-1], text)
			}
		}
	})
}
