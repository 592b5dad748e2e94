package main

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/dreamsim/dreamsim/neurons"
)

// TestRunWritesTrajectory runs 50 ms of the benchmark and checks both output
// formats: the shape, that sample 0 is the initial state written to -e0, and
// that sample k equals E after 10*k steps of neurons.WilsonCowan.
func TestRunWritesTrajectory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bin, csv, e0 := filepath.Join(dir, "traj.bin"), filepath.Join(dir, "traj.csv"), filepath.Join(dir, "e0.txt")
	var out, errOut bytes.Buffer
	for _, path := range []string{bin, csv} {
		if code := run([]string{"-seed", "3", "-duration", "0.05", "-out", path, "-e0", e0}, &out, &errOut); code != 0 {
			t.Fatalf("run exited %d: %s", code, errOut.String())
		}
	}
	raw, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	const samples, pops = 50, 5 // 50 ms recorded every 1 ms
	if len(raw) != samples*pops*8 {
		t.Fatalf("binary file has %d bytes, want %d", len(raw), samples*pops*8)
	}
	traj := make([]float64, samples*pops)
	for i := range traj {
		traj[i] = math.Float64frombits(binary.LittleEndian.Uint64(raw[8*i:]))
	}
	text, err := os.ReadFile(e0)
	if err != nil {
		t.Fatal(err)
	}
	init := make([]float64, 0, pops)
	for _, f := range strings.Fields(string(text)) {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			t.Fatal(err)
		}
		if v < 0 || v >= 0.1 {
			t.Errorf("initial E %v outside [0, 0.1)", v)
		}
		init = append(init, v)
	}
	if len(init) != pops {
		t.Fatalf("%d initial values, want %d", len(init), pops)
	}
	w, err := neurons.NewWilsonCowan(neurons.DefaultWilsonCowanParams())
	if err != nil {
		t.Fatal(err)
	}
	w.SetState(init, make([]float64, pops))
	for s := range samples {
		for k := range pops {
			if got, want := traj[s*pops+k], w.E()[k]; got != want {
				t.Fatalf("sample %d, E%d = %v, want %v", s, k, got, want)
			}
		}
		for range 10 {
			w.Step(1e-4)
		}
	}
	lines := strings.Split(strings.TrimSpace(readString(t, csv)), "\n")
	if len(lines) != samples+1 || lines[0] != "t_s,E0,E1,E2,E3,E4" {
		t.Fatalf("CSV has %d lines starting %q, want %d with header t_s,E0,...,E4", len(lines), lines[0], samples+1)
	}
	last := strings.Split(lines[samples], ",")
	if last[0] != "0.049" {
		t.Errorf("last CSV time %q, want 0.049", last[0])
	}
	if v, _ := strconv.ParseFloat(last[3], 64); v != traj[(samples-1)*pops+2] {
		t.Errorf("CSV E2 of the last sample %v, want the binary value %v", v, traj[(samples-1)*pops+2])
	}
}

func TestRunBadInput(t *testing.T) {
	t.Parallel()
	cases := []struct {
		args []string
		code int
	}{
		{[]string{"-nope"}, 2},
		{[]string{"-duration", "0.01", "-record", "0.00015"}, 1}, // not a multiple of dt
		{[]string{"-dt", "-1"}, 1},
		{[]string{"-duration", "0.01", "-out", "/nonexistent/dir/x.bin"}, 1},
	}
	for _, c := range cases {
		var out, errOut bytes.Buffer
		if code := run(c.args, &out, &errOut); code != c.code {
			t.Errorf("run(%q) = %d, want %d (stderr %q)", c.args, code, c.code, errOut.String())
		}
	}
}

func readString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
