package generative

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestSaveLoadContinue checks that a VAE read back from its file continues
// training bit for bit as the original does.
func TestSaveLoadContinue(t *testing.T) {
	t.Parallel()
	for _, lik := range []Likelihood{Bernoulli, Gaussian} {
		s := DefaultSettings()
		s.Likelihood, s.Hidden, s.Beta = lik, []int{32, 16}, 0.7
		rng := rand.New(rand.NewPCG(1, uint64(lik)))
		v, err := NewVAE(s, rng)
		if err != nil {
			t.Fatal(err)
		}
		c, err := NewContent(DefaultContentSettings())
		if err != nil {
			t.Fatal(err)
		}
		x := Images(c.Day(40, rng))
		for i := range 25 {
			v.Train(x[i%30:i%30+4], rng)
		}
		var buf bytes.Buffer
		n, err := v.WriteTo(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if n != int64(buf.Len()) {
			t.Errorf("%v: WriteTo reported %d bytes, wrote %d", lik, n, buf.Len())
		}
		w, err := ReadVAE(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if w.Steps() != v.Steps() || w.Settings().Likelihood != lik || !slices.Equal(w.Settings().Hidden, s.Hidden) {
			t.Errorf("%v: settings or step count not restored", lik)
		}
		// Continue both from the same random state.
		r1 := rand.New(rand.NewPCG(7, 7))
		r2 := rand.New(rand.NewPCG(7, 7))
		for i := range 25 {
			l1 := v.Train(x[i:i+8], r1)
			l2 := w.Train(x[i:i+8], r2)
			if l1 != l2 {
				t.Fatalf("%v: step %d after loading: loss %v, original %v", lik, i, l2, l1)
			}
		}
		if !slices.Equal(v.params, w.params) || !slices.Equal(v.opt.m, w.opt.m) || !slices.Equal(v.opt.v, w.opt.v) {
			t.Errorf("%v: parameters or Adam state diverged after loading", lik)
		}
	}
}

func TestReadVAEErrors(t *testing.T) {
	t.Parallel()
	v, err := NewVAE(DefaultSettings(), rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := v.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	edit := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), good...)) }
	cases := []struct {
		name string
		data []byte
		want string // part of the error message
	}{
		{"empty", nil, "unexpected EOF"},
		{"other file", []byte("PK\x03\x04 not a VAE at all"), "bad magic"},
		{"future version", edit(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[8:], 2); return b }), "version 2"},
		{"truncated header", good[:20], "unexpected EOF"},
		{"truncated weights", good[:len(good)/2], "unexpected EOF"},
		{"missing checksum", good[:len(good)-4], "unexpected EOF"},
		{"flipped weight bit", edit(func(b []byte) []byte { b[len(b)/2] ^= 1; return b }), "checksum"},
		{"huge layer count", edit(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[24:], 1<<30); return b }), "hidden layers"},
		{"zero latent", edit(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[16:], 0); return b }), "latent size"},
	}
	for _, c := range cases {
		_, err := ReadVAE(bytes.NewReader(c.data))
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		t.Logf("%s: %v", c.name, err)
		if !errors.Is(err, errBadFile) || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "generative: reading VAE: ") {
			t.Errorf("%s: error %q, want one about %q", c.name, err, c.want)
		}
	}
}
