package experiments

import (
	"fmt"
	"strings"
)

// keyLines maps the key paths of a TOML file (as the decoder names them,
// with array-of-tables indices, e.g. "condition[1].regions.mch.drive.R") to
// the line they are set on, so that every error can point at its line. It
// reads the common forms: [table] and [[array]] headers and key = value
// lines with bare, quoted or dotted keys; anything else is skipped, and an
// unknown key then falls back to the line of its table.
func keyLines(text string) map[string]int {
	lines := map[string]int{}
	count := map[string]int{} // array-of-tables element counts by resolved path
	arrays := map[string]bool{}
	table := ""
	depth := 0 // bracket depth of a multi-line value being skipped
	for i, raw := range strings.Split(text, "\n") {
		n := i + 1
		line := strings.TrimSpace(stripComment(raw))
		if depth > 0 {
			depth += strings.Count(line, "[") - strings.Count(line, "]")
			continue
		}
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "[[") && strings.HasSuffix(line, "]]") {
			name := keyPath(strings.TrimSpace(line[2 : len(line)-2]))
			parent := resolve(name[:len(name)-1], arrays, count)
			full := join(parent, name[len(name)-1])
			arrays[full] = true
			idx := count[full]
			count[full]++
			table = fmt.Sprintf("%s[%d]", full, idx)
			setLine(lines, table, n)
			continue
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			table = resolve(keyPath(strings.TrimSpace(line[1:len(line)-1])), arrays, count)
			setLine(lines, table, n)
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		path := table
		for _, p := range keyPath(strings.TrimSpace(k)) {
			path = join(path, p)
			setLine(lines, path, n)
		}
		depth = strings.Count(v, "[") - strings.Count(v, "]")
		if depth < 0 {
			depth = 0
		}
	}
	return lines
}

func setLine(lines map[string]int, key string, n int) {
	if _, ok := lines[key]; !ok {
		lines[key] = n
	}
}

// resolve turns a header path into the decoder's key path, adding the
// current index of every array of tables along the way.
func resolve(parts []string, arrays map[string]bool, count map[string]int) string {
	path := ""
	for _, p := range parts {
		path = join(path, p)
		if arrays[path] {
			path = fmt.Sprintf("%s[%d]", path, count[path]-1)
		}
	}
	return path
}

// keyPath splits a dotted TOML key, honouring quotes.
func keyPath(k string) []string {
	var parts []string
	var cur strings.Builder
	quote := byte(0)
	for i := 0; i < len(k); i++ {
		c := k[i]
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
			cur.WriteByte(c)
		case c == '"' || c == '\'':
			quote = c
		case c == '.':
			parts = append(parts, strings.TrimSpace(cur.String()))
			cur.Reset()
		case c == ' ' || c == '\t':
		default:
			cur.WriteByte(c)
		}
	}
	return append(parts, strings.TrimSpace(cur.String()))
}

// stripComment removes a trailing # comment outside strings.
func stripComment(s string) string {
	quote := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0 && c == '\\' && quote == '"':
			i++
		case quote != 0 && c == quote:
			quote = 0
		case quote == 0 && (c == '"' || c == '\''):
			quote = c
		case quote == 0 && c == '#':
			return s[:i]
		}
	}
	return s
}

// lineOf finds the line of a key path, falling back to its nearest parent
// that has one.
func lineOf(lines map[string]int, key string) int {
	for key != "" {
		if n, ok := lines[key]; ok {
			return n
		}
		cut := strings.LastIndexAny(key, ".[")
		if cut < 0 {
			break
		}
		key = key[:cut]
	}
	return 0
}
