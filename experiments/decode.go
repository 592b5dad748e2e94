package experiments

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
)

// problem is one thing wrong with a configuration file, at a key path such
// as "condition[1].regions.mch.drive.R".
type problem struct {
	file string
	line int
	key  string
	msg  string
}

func (p problem) String() string {
	loc := p.file
	if p.line > 0 {
		loc = fmt.Sprintf("%s:%d", p.file, p.line)
	}
	if p.key == "" {
		return fmt.Sprintf("%s: %s", loc, p.msg)
	}
	return fmt.Sprintf("%s: %s: %s", loc, p.key, p.msg)
}

// decoder fills Go structs from the generic maps the TOML parser returns,
// checking every key and type itself so that it can report all problems of
// a file at once (the TOML library stops at the first).
type decoder struct {
	problems []problem
	dropped  int // problems beyond maxDecodeProblems, counted only
	// defaults gives the initial value of a new array element of a type,
	// so that elements start from their documented defaults.
	defaults map[reflect.Type]func() any
}

func (d *decoder) fail(key, format string, args ...any) {
	if len(d.problems) >= maxDecodeProblems {
		d.dropped++
		return
	}
	d.problems = append(d.problems, problem{key: key, msg: fmt.Sprintf(format, args...)})
}

// fieldName returns the TOML key of a struct field: its toml tag, or its
// name in snake_case.
func fieldName(f reflect.StructField) (name string, inline bool) {
	tag := f.Tag.Get("toml")
	if tag == "-" {
		return "", false
	}
	name, opts, _ := strings.Cut(tag, ",")
	if opts == "inline" || (f.Anonymous && name == "") {
		return "", true
	}
	if name == "" {
		name = snake(f.Name)
	}
	return name, false
}

// snake turns a Go field name into snake_case: TimeInBedH -> time_in_bed_h.
func snake(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if unicode.IsUpper(r) {
			if i > 0 && (unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1]))) {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// fieldCache holds the result of fields by type: the decoder asks for the
// same few struct types thousands of times per file.
var fieldCache sync.Map // reflect.Type -> map[string][]int

// fields maps TOML keys to the struct's field index paths, flattening
// inline (embedded) structs. The map is shared: callers must not change it.
func fields(t reflect.Type) map[string][]int {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string][]int)
	}
	m := structFields(t)
	fieldCache.Store(t, m)
	return m
}

func structFields(t reflect.Type) map[string][]int {
	out := map[string][]int{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, inline := fieldName(f)
		if inline {
			for k, idx := range fields(f.Type) {
				out[k] = append([]int{i}, idx...)
			}
			continue
		}
		if name != "" {
			out[name] = []int{i}
		}
	}
	return out
}

// keysOf lists the valid keys of a struct type, sorted.
func keysOf(t reflect.Type) []string {
	var ks []string
	for k := range fields(t) {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// join appends key to a key path; an empty key (TOML allows a quoted
// empty key) shows as "".
func join(prefix, key string) string {
	if key == "" {
		key = `""`
	}
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// decode stores the TOML value v into the Go value rv, reporting problems
// under the key path.
func (d *decoder) decode(path string, v any, rv reflect.Value) {
	switch rv.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			d.fail(path, "want a table, got %s", tomlType(v))
			return
		}
		d.decodeStruct(path, m, rv)
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok {
			d.fail(path, "want a table, got %s", tomlType(v))
			return
		}
		if rv.IsNil() {
			rv.Set(reflect.MakeMap(rv.Type()))
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			ev := reflect.New(rv.Type().Elem()).Elem()
			d.decode(join(path, k), m[k], ev)
			rv.SetMapIndex(reflect.ValueOf(k), ev)
		}
	case reflect.Slice:
		arr, ok := v.([]any)
		if !ok {
			if ms, ok2 := v.([]map[string]any); ok2 {
				for _, m := range ms {
					arr = append(arr, m)
				}
			} else {
				d.fail(path, "want an array, got %s", tomlType(v))
				return
			}
		}
		out := reflect.MakeSlice(rv.Type(), len(arr), len(arr))
		if f, ok := d.defaults[rv.Type().Elem()]; ok {
			for i := range arr {
				out.Index(i).Set(reflect.ValueOf(f()))
			}
		}
		for i, e := range arr {
			d.decode(fmt.Sprintf("%s[%d]", path, i), e, out.Index(i))
		}
		rv.Set(out)
	case reflect.String:
		s, ok := v.(string)
		if !ok {
			d.fail(path, "want a string, got %s", tomlType(v))
			return
		}
		rv.SetString(s)
	case reflect.Bool:
		b, ok := v.(bool)
		if !ok {
			d.fail(path, "want true or false, got %s", tomlType(v))
			return
		}
		rv.SetBool(b)
	case reflect.Float64, reflect.Float32:
		switch x := v.(type) {
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				d.fail(path, "value %v is not a finite number", x)
				return
			}
			rv.SetFloat(x)
		case int64:
			rv.SetFloat(float64(x))
		default:
			d.fail(path, "want a number, got %s", tomlType(v))
		}
	case reflect.Int, reflect.Int64, reflect.Int32:
		switch x := v.(type) {
		case int64:
			if rv.OverflowInt(x) {
				d.fail(path, "integer %d is too large", x)
				return
			}
			rv.SetInt(x)
		case float64:
			if x != math.Trunc(x) || math.IsInf(x, 0) || math.IsNaN(x) || math.Abs(x) > 1<<53 {
				d.fail(path, "want an integer, got %v", x)
				return
			}
			if rv.OverflowInt(int64(x)) {
				d.fail(path, "integer %v is too large", x)
				return
			}
			rv.SetInt(int64(x))
		default:
			d.fail(path, "want an integer, got %s", tomlType(v))
		}
	case reflect.Uint64, reflect.Uint, reflect.Uint32:
		x, ok := v.(int64)
		if !ok || x < 0 {
			d.fail(path, "want a non-negative integer, got %s", tomlType(v))
			return
		}
		if rv.OverflowUint(uint64(x)) {
			d.fail(path, "integer %d is too large", x)
			return
		}
		rv.SetUint(uint64(x))
	case reflect.Interface:
		rv.Set(reflect.ValueOf(v))
	default:
		d.fail(path, "cannot hold a value of Go kind %s", rv.Kind())
	}
}

func (d *decoder) decodeStruct(path string, m map[string]any, rv reflect.Value) {
	fs := fields(rv.Type())
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		idx, ok := fs[k]
		if !ok {
			valid := keysOf(rv.Type())
			hint := ""
			if s := closest(k, valid); s != "" {
				hint = fmt.Sprintf(" (did you mean %q?)", s)
			}
			d.fail(join(path, k), "unknown key%s; valid keys here: %s", hint, strings.Join(valid, ", "))
			continue
		}
		d.decode(join(path, k), m[k], rv.FieldByIndex(idx))
	}
}

func tomlType(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("the string %q", x)
	case int64:
		return fmt.Sprintf("the integer %d", x)
	case float64:
		return fmt.Sprintf("the number %v", x)
	case bool:
		return fmt.Sprintf("the boolean %v", x)
	case map[string]any:
		return "a table"
	case []any, []map[string]any:
		return "an array"
	}
	return fmt.Sprintf("%T", v)
}

// closest returns the valid key nearest to k by edit distance, if it is
// near enough to be a likely typo.
func closest(k string, valid []string) string {
	if len(k) > 64 {
		return "" // no key is that long; and the distance costs len(k) x len(v)
	}
	best, bestD := "", 1<<30
	for _, v := range valid {
		if dd := editDistance(k, v); dd < bestD {
			best, bestD = v, dd
		}
	}
	if bestD <= max(2, len(k)/3) {
		return best
	}
	return ""
}

// editDistance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and swaps of two neighbouring
// letters each cost 1, so that "mhc" is one step from "mch".
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+c)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// merge lays overlay over base, recursively for tables; arrays and values
// of the overlay replace those of the base. Neither input is modified.
func merge(base, overlay map[string]any) map[string]any {
	out := make(map[string]any, len(base)+len(overlay))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range overlay {
		if bm, ok := out[k].(map[string]any); ok {
			if om, ok := v.(map[string]any); ok {
				out[k] = merge(bm, om)
				continue
			}
		}
		out[k] = v
	}
	return out
}

// without returns m without the given keys.
func without(m map[string]any, keys ...string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if !slices.Contains(keys, k) {
			out[k] = v
		}
	}
	return out
}
