package plots

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Latent is the latent mean of one memory or dream (a row of latents.csv).
type Latent struct {
	Kind  string    // Kind is "memory" or "dream".
	ID    int       // ID is the memory or dream identifier.
	Class string    // Class is the content class name.
	Gate  float64   // Gate is the PFC gate value of a dream in [0, 1]; NaN for memories.
	Z     []float64 // Z is the latent mean (z0, z1, ...).
}

// ReadLatents reads a latents.csv file: columns kind, id, class, gate, then
// z0, z1, ... (at least two latent dimensions, numbered without gaps).
func ReadLatents(path string) ([]Latent, error) {
	t, err := readTable(path, "kind", "id", "class", "gate", "z0")
	if err != nil {
		return nil, err
	}
	var zcols []string
	for k := 0; ; k++ {
		col := "z" + strconv.Itoa(k)
		if !t.has(col) {
			break
		}
		zcols = append(zcols, col)
	}
	for _, h := range t.header {
		if strings.HasPrefix(h, "z") && !slices.Contains(zcols, h) {
			if _, err := strconv.Atoi(h[1:]); err == nil {
				return nil, fmt.Errorf("plots: %s:1: latent column %q is not contiguous with z0..z%d", path, h, len(zcols)-1)
			}
		}
	}
	out := make([]Latent, len(t.rows))
	for i := range t.rows {
		c := t.row(i)
		l := Latent{
			Kind:  c.oneOf("kind", KindMemory, KindDream),
			ID:    c.integer("id"),
			Class: c.str("class"),
			Gate:  c.inRange("gate", 0, 1),
			Z:     make([]float64, len(zcols)),
		}
		for k, col := range zcols {
			l.Z[k] = c.float(col)
			if c.err == nil && (math.IsNaN(l.Z[k]) || math.IsInf(l.Z[k], 0)) {
				c.fail(col, "empty or not finite, want a latent coordinate")
			}
		}
		if c.err != nil {
			return nil, c.err
		}
		out[i] = l
	}
	return out, nil
}
