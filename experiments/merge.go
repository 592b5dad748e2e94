package experiments

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Merge joins the folders of shards of one experiment (made with
// -shard I/N) into out, and writes the files an unsharded run writes. It
// refuses shards of different experiments (their resolved configs differ),
// a run present in two shards, and a run missing from all of them.
func Merge(out string, shards []string, command string) (*Experiment, *Outcome, error) {
	if len(shards) == 0 {
		return nil, nil, errors.New("merge: no shard folders given")
	}
	var x *Experiment
	var resolved string
	seeds := 0
	for _, dir := range shards {
		b, err := os.ReadFile(filepath.Join(dir, "config.resolved.toml"))
		if err != nil {
			return nil, nil, fmt.Errorf("merge: %s is not a dreamsim experiment folder: %w", dir, errors.Unwrap(err))
		}
		if x == nil {
			x, err = parse(filepath.Join(dir, "config.resolved.toml"), b, dir)
			if err != nil {
				return nil, nil, fmt.Errorf("merge: %s: %w", dir, err)
			}
			resolved = string(b)
			var m Manifest
			if mb, err := os.ReadFile(filepath.Join(dir, "manifest.json")); err == nil && json.Unmarshal(mb, &m) == nil {
				seeds = len(m.Seeds)
			}
		} else if string(b) != resolved {
			return nil, nil, fmt.Errorf("merge: %s holds a different experiment than %s (their config.resolved.toml differ); shards of one experiment must come from the same file", dir, shards[0])
		} else {
			var m Manifest
			if mb, err := os.ReadFile(filepath.Join(dir, "manifest.json")); err == nil && json.Unmarshal(mb, &m) == nil && seeds != 0 && len(m.Seeds) != seeds {
				return nil, nil, fmt.Errorf("merge: %s ran %d seeds per condition and %s ran %d; shards must use the same -seeds", dir, len(m.Seeds), shards[0], seeds)
			}
		}
	}
	if seeds == 0 {
		seeds = x.Info.Seeds
	}
	if abs(out) != "" {
		for _, s := range shards {
			if abs(s) == abs(out) {
				return nil, nil, fmt.Errorf("merge: the output folder %s is also a shard; choose a new -out", out)
			}
		}
	}
	if err := prepareFolder(x, out); err != nil {
		return nil, nil, fmt.Errorf("merge: %w", err)
	}
	from := map[string]string{}
	for _, r := range x.Runs(seeds) {
		key := fmt.Sprintf("%s/seed-%d", r.Condition, r.Seed)
		for _, dir := range shards {
			s, err := readSummary(filepath.Join(r.Dir(dir), "summary.json"))
			if err != nil {
				continue
			}
			if s.hash != x.Hash {
				return nil, nil, fmt.Errorf("merge: run %s in %s has config hash %.12s, the experiment %.12s", key, dir, s.hash, x.Hash)
			}
			if prev, dup := from[key]; dup {
				return nil, nil, fmt.Errorf("merge: run %s is in two shards, %s and %s", key, prev, dir)
			}
			from[key] = dir
		}
	}
	var missing []string
	for _, r := range x.Runs(seeds) {
		key := fmt.Sprintf("%s/seed-%d", r.Condition, r.Seed)
		dir, ok := from[key]
		if !ok {
			missing = append(missing, key)
			continue
		}
		if finished(x, r, out) {
			continue
		}
		if err := copyDir(r.Dir(dir), r.Dir(out)); err != nil {
			return nil, nil, fmt.Errorf("merge: %w", err)
		}
	}
	if len(missing) > 0 {
		return nil, nil, fmt.Errorf("merge: %d runs are in no shard: %s", len(missing), strings.Join(head(missing, 10), ", "))
	}
	if err := writeFileAtomic(filepath.Join(out, "config.resolved.toml"), []byte(x.Resolved)); err != nil {
		return nil, nil, err
	}
	o := &Outcome{Skipped: len(from)}
	err := Finalize(x, Options{Out: out, Seeds: seeds, Command: command}, o)
	return x, o, err
}

func head(s []string, n int) []string {
	if len(s) > n {
		return append(s[:n:n], fmt.Sprintf("and %d more", len(s)-n))
	}
	return s
}

func abs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return ""
	}
	return a
}

// copyDir copies a run folder into place through a temporary folder.
func copyDir(src, dst string) error {
	tmp := filepath.Join(filepath.Dir(dst), "."+filepath.Base(dst)+".partial")
	os.RemoveAll(tmp)
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return err
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		if err := copyFile(filepath.Join(src, e.Name()), filepath.Join(tmp, e.Name())); err != nil {
			os.RemoveAll(tmp)
			return err
		}
	}
	os.RemoveAll(dst)
	return os.Rename(tmp, dst)
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
