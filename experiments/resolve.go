package experiments

import (
	"bytes"
	"math"
	"reflect"

	"github.com/BurntSushi/toml"
)

// toValue turns a Go value into the generic TOML value the decoder reads,
// using the same key names (toml tags or snake_case field names).
func toValue(rv reflect.Value) (any, bool) {
	switch rv.Kind() {
	case reflect.Struct:
		m := map[string]any{}
		t := rv.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, inline := fieldName(f)
			if inline {
				if sub, ok := toValue(rv.Field(i)); ok {
					for k, v := range sub.(map[string]any) {
						m[k] = v
					}
				}
				continue
			}
			if name == "" {
				continue
			}
			if v, ok := toValue(rv.Field(i)); ok {
				m[name] = v
			}
		}
		return m, true
	case reflect.Slice:
		if rv.Len() == 0 {
			if rv.IsNil() || rv.Type().Elem().Kind() == reflect.Struct {
				return nil, false
			}
			// An explicitly empty list (no hidden layers, no recorded
			// signals) differs from the default and must survive.
			return []any{}, true
		}
		if rv.Type().Elem().Kind() == reflect.Struct {
			out := make([]map[string]any, rv.Len())
			for i := range out {
				v, _ := toValue(rv.Index(i))
				out[i] = v.(map[string]any)
			}
			return out, true
		}
		out := make([]any, 0, rv.Len())
		for i := 0; i < rv.Len(); i++ {
			if v, ok := toValue(rv.Index(i)); ok {
				out = append(out, v)
			}
		}
		return out, true
	case reflect.Map:
		if rv.Len() == 0 {
			return nil, false
		}
		m := map[string]any{}
		for _, k := range rv.MapKeys() {
			if v, ok := toValue(rv.MapIndex(k)); ok {
				m[k.String()] = v
			}
		}
		return m, true
	case reflect.Interface:
		if rv.IsNil() {
			return nil, false
		}
		return rv.Interface(), true
	case reflect.Float64, reflect.Float32:
		f := rv.Float()
		if math.IsNaN(f) {
			return nil, false
		}
		return f, true
	case reflect.Int, reflect.Int64, reflect.Int32:
		return rv.Int(), true
	case reflect.Uint, reflect.Uint64, reflect.Uint32:
		return int64(rv.Uint()), true
	case reflect.String:
		return rv.String(), true
	case reflect.Bool:
		return rv.Bool(), true
	}
	return nil, false
}

// resolvedTOML writes the experiment with every default filled in: the
// [experiment] table, the base config, each condition's overrides and the
// expectations, in that order.
func resolvedTOML(x *Experiment, merged map[string]any) string {
	var buf bytes.Buffer
	buf.WriteString("# dreamsim experiment with every default filled in; run it with\n# go run ./cmd/simulate -config config.resolved.toml\n\n")
	enc := func(v map[string]any) {
		e := toml.NewEncoder(&buf)
		e.Indent = ""
		_ = e.Encode(v) // the maps hold only TOML values
		buf.WriteString("\n")
	}
	info, _ := toValue(reflect.ValueOf(x.Info))
	enc(map[string]any{"experiment": info})
	base, _ := toValue(reflect.ValueOf(x.Base))
	enc(base.(map[string]any))
	var conds []map[string]any
	for _, c := range x.Conditions {
		m := map[string]any{"name": c.Name}
		for k, v := range c.Overrides {
			m[k] = v
		}
		if c.Description != "" {
			m["description"] = c.Description
		}
		if !math.IsNaN(c.Dose) {
			m["dose"] = c.Dose
		}
		conds = append(conds, m)
	}
	enc(map[string]any{"condition": conds})
	if ex, ok := toValue(reflect.ValueOf(x.Expectations)); ok {
		enc(map[string]any{"expect": ex})
	}
	return buf.String()
}
