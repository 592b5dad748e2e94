package experiments

import (
	"fmt"
	"strings"
)

// keyLines maps the key paths of a TOML file (as the decoder names them,
// with array-of-tables indices, e.g. "condition[1].regions.mch.drive.R") to
// the line they are set on, so that every error can point at its line.
// Every prefix of a path is mapped too, to the first line that names it, so
// that a problem with a whole table (a misspelt [regoins.mch], a [[regions]]
// that should be a table) points at its header. It reads [table] and
// [[array]] headers and key = value lines with bare, quoted or dotted keys,
// and steps over multi-line arrays, inline tables and multi-line strings, so
// that text inside them is never taken for a header or a key; keys inside
// inline tables fall back to the line of the table's key. The text must be
// valid TOML (it is parsed before); on anything else keyLines still returns
// without panicking, possibly with fewer lines.
func keyLines(text string) map[string]int {
	lines := map[string]int{}
	count := map[string]int{} // array-of-tables element counts by resolved path
	arrays := map[string]bool{}
	table := ""
	var sc valueScanner
	for i, raw := range strings.Split(text, "\n") {
		n := i + 1
		if sc.open() {
			sc.scan(raw)
			continue
		}
		line := strings.TrimSpace(raw)
		if line == "" || line[0] == '#' {
			continue
		}
		if line[0] == '[' {
			head := strings.TrimSpace(stripComment(line))
			if strings.HasPrefix(head, "[[") && strings.HasSuffix(head, "]]") && len(head) >= 4 {
				name := keyPath(strings.TrimSpace(head[2 : len(head)-2]))
				parent := resolve(name[:len(name)-1], arrays, count)
				full := join(parent, name[len(name)-1])
				arrays[full] = true
				idx := count[full]
				count[full]++
				table = fmt.Sprintf("%s[%d]", full, idx)
				setPrefixes(lines, parent, n)
				setLine(lines, full, n)
				setLine(lines, table, n)
				continue
			}
			if strings.HasSuffix(head, "]") && len(head) >= 2 {
				table = resolve(keyPath(strings.TrimSpace(head[1:len(head)-1])), arrays, count)
				setPrefixes(lines, table, n)
				continue
			}
		}
		k, v, ok := cutKey(line)
		if !ok {
			continue
		}
		path := table
		for _, p := range keyPath(strings.TrimSpace(k)) {
			path = join(path, p)
			setLine(lines, path, n)
		}
		sc.scan(v)
	}
	return lines
}

func setLine(lines map[string]int, key string, n int) {
	if _, ok := lines[key]; !ok {
		lines[key] = n
	}
}

// setPrefixes maps key and every dotted prefix of it to line n, where they
// have no line yet.
func setPrefixes(lines map[string]int, key string, n int) {
	for i := 0; i < len(key); i++ {
		if key[i] == '.' || key[i] == '[' {
			setLine(lines, key[:i], n)
		}
	}
	if key != "" {
		setLine(lines, key, n)
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
		case quote == '"' && c == '\\' && i+1 < len(k):
			i++
			cur.WriteByte(k[i])
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
			cur.WriteByte(c)
		case c == '"' || c == '\'':
			quote = c
		case c == '.':
			parts = append(parts, cur.String())
			cur.Reset()
		case c == ' ' || c == '\t':
			// Space around the parts of a dotted key; inside quotes it is
			// part of the name (' ' = 1 is a key of one space).
		default:
			cur.WriteByte(c)
		}
	}
	return append(parts, cur.String())
}

// cutKey splits a key = value line at the first '=' outside quotes (a
// quoted key may hold '=').
func cutKey(line string) (key, value string, ok bool) {
	quote := byte(0)
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote == '"' && c == '\\':
			i++
		case quote != 0 && c == quote:
			quote = 0
		case quote == 0 && (c == '"' || c == '\''):
			quote = c
		case quote == 0 && c == '=':
			return line[:i], line[i+1:], true
		}
	}
	return "", "", false
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

// valueScanner follows a TOML value across lines: the nesting of arrays
// and inline tables, and multi-line strings, whose lines must not be read
// as keys or headers.
type valueScanner struct {
	depth int    // open '[' and '{' outside strings
	peak  int    // the largest depth seen
	ml    string // the closing delimiter of an open multi-line string, """ or '''
}

// open reports whether the value goes on to the next line.
func (s *valueScanner) open() bool { return s.depth > 0 || s.ml != "" }

// scan reads one line (or the rest of one, after the '=') of a value.
func (s *valueScanner) scan(v string) {
	for i := 0; i < len(v); i++ {
		if s.ml != "" {
			switch {
			case s.ml == `"""` && v[i] == '\\':
				i++
			case strings.HasPrefix(v[i:], s.ml):
				// A closing delimiter may be followed by one or two quotes
				// that belong to the string ("""a"""" ends with a quote).
				i += len(s.ml) - 1
				for i+1 < len(v) && v[i+1] == s.ml[0] {
					i++
				}
				s.ml = ""
			}
			continue
		}
		switch c := v[i]; c {
		case '#':
			return
		case '[', '{':
			s.depth++
			s.peak = max(s.peak, s.depth)
		case ']', '}':
			if s.depth > 0 {
				s.depth--
			}
		case '"', '\'':
			delim := strings.Repeat(string(c), 3)
			if strings.HasPrefix(v[i:], delim) {
				s.ml = delim
				i += 2
				continue
			}
			// A single-line string ends on this line.
			for i++; i < len(v) && v[i] != c; i++ {
				if c == '"' && v[i] == '\\' {
					i++
				}
			}
		}
	}
}

// lineOf finds the line of a key path, falling back to its nearest parent
// that has one.
func lineOf(lines map[string]int, key string) int {
	for {
		if n, ok := lines[key]; ok {
			return n // also for the empty key, which TOML allows when quoted
		}
		cut := strings.LastIndexAny(key, ".[")
		if cut < 0 {
			break
		}
		key = key[:cut]
	}
	return 0
}
