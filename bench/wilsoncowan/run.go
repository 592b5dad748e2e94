package main

import (
	"bufio"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/dreamsim/dreamsim/neurons"
)

// config holds the command-line settings.
type config struct {
	seed     uint64  // seed of the initial E values
	out      string  // trajectory file; "" writes none
	e0       string  // initial-E file; "" writes none
	duration float64 // s, simulated time
	dt       float64 // s, Euler step
	record   float64 // s, recording interval, a multiple of dt
}

// run parses args, runs the benchmark and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	var c config
	fs := flag.NewFlagSet("wilsoncowan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Uint64Var(&c.seed, "seed", 1, "seed of the initial E values, uniform in [0, 0.1)")
	fs.StringVar(&c.out, "out", "", "write the trajectory here (.csv for CSV, else raw little-endian float64)")
	fs.StringVar(&c.e0, "e0", "", "write the initial E values here, one per line")
	fs.Float64Var(&c.duration, "duration", 60, "simulated time in s")
	fs.Float64Var(&c.dt, "dt", 1e-4, "forward Euler step in s")
	fs.Float64Var(&c.record, "record", 1e-3, "recording interval in s, a multiple of dt")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := bench(c, stdout); err != nil {
		fmt.Fprintln(stderr, "wilsoncowan:", err)
		return 1
	}
	return 0
}

// bench runs the simulation described by c and reports its timings to w.
func bench(c config, w io.Writer) error {
	start := time.Now()
	if !(c.dt > 0) || !(c.duration > 0) || !(c.record >= c.dt) {
		return fmt.Errorf("need dt > 0, duration > 0 and record >= dt, got dt %v, duration %v, record %v", c.dt, c.duration, c.record)
	}
	steps := int(math.Round(c.duration / c.dt))
	every := int(math.Round(c.record / c.dt))
	if math.Abs(float64(every)*c.dt-c.record) > 1e-9*c.record {
		return fmt.Errorf("record %v s is not a multiple of dt %v s", c.record, c.dt)
	}
	net, err := neurons.NewWilsonCowan(neurons.DefaultWilsonCowanParams())
	if err != nil {
		return err
	}
	n := net.Len()
	rng := rand.New(rand.NewPCG(c.seed, 0))
	e0 := make([]float64, n)
	for i := range e0 {
		e0[i] = 0.1 * rng.Float64()
	}
	net.SetState(e0, make([]float64, n))
	if c.e0 != "" {
		var b strings.Builder
		for _, v := range e0 {
			b.WriteString(strconv.FormatFloat(v, 'g', 17, 64))
			b.WriteByte('\n')
		}
		if err := os.WriteFile(c.e0, []byte(b.String()), 0o644); err != nil {
			return err
		}
	}

	samples := (steps + every - 1) / every
	traj := make([]float64, samples*n)
	simStart := time.Now()
	e := net.E()
	for s := range samples {
		copy(traj[s*n:(s+1)*n], e)
		for range min(every, steps-s*every) {
			net.Step(c.dt)
		}
	}
	simTime := time.Since(simStart)
	if v, bad := net.NonFinite(); bad {
		return fmt.Errorf("non-finite %s at the end of the run", v)
	}

	writeStart := time.Now()
	if c.out != "" {
		if err := writeTrajectory(c.out, traj, n, c.record); err != nil {
			return err
		}
	}
	writeTime := time.Since(writeStart)
	fmt.Fprintf(w, "dreamsim wilsoncowan: %d populations, %d steps, %d samples; simulate %.4f s, write %.4f s, total in process %.4f s\n",
		n, steps, samples, simTime.Seconds(), writeTime.Seconds(), time.Since(start).Seconds())
	fmt.Fprintf(w, "last recorded E (t = %g s):", float64(samples-1)*c.record)
	for _, v := range traj[(samples-1)*n:] {
		fmt.Fprintf(w, " %.6f", v)
	}
	fmt.Fprintln(w)
	return nil
}

// writeTrajectory writes traj (samples x n, sample-major) to path, as CSV if
// the name ends in .csv and as raw little-endian float64 otherwise.
func writeTrajectory(path string, traj []float64, n int, record float64) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	if !strings.HasSuffix(path, ".csv") {
		// Encode through a small buffer: a second 2.4-MB copy would cost page
		// faults and push the heap past the runtime's first GC goal.
		var buf [1 << 16]byte
		for len(traj) > 0 {
			m := min(len(traj), len(buf)/8)
			for i, v := range traj[:m] {
				binary.LittleEndian.PutUint64(buf[8*i:], math.Float64bits(v))
			}
			if _, err := f.Write(buf[:8*m]); err != nil {
				return err
			}
			traj = traj[m:]
		}
		return nil
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	bw.WriteString("t_s")
	for i := range n {
		bw.WriteString(",E" + strconv.Itoa(i))
	}
	bw.WriteByte('\n')
	var num []byte
	for s := 0; s < len(traj)/n; s++ {
		num = strconv.AppendFloat(num[:0], float64(s)*record, 'g', -1, 64)
		bw.Write(num)
		for _, v := range traj[s*n : (s+1)*n] {
			num = strconv.AppendFloat(append(num[:0], ','), v, 'g', 17, 64)
			bw.Write(num)
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}
