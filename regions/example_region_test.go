package regions_test

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/dreamsim/dreamsim/experiments"
	"github.com/dreamsim/dreamsim/regions"
	"github.com/dreamsim/dreamsim/sim"
	"github.com/dreamsim/dreamsim/sim/sleep"
)

// CholinergicParams sets up a basal forebrain cholinergic population.
// Acetylcholine (ACh) is high in wake and REM and low in NREM sleep
// (Marrosu et al. 1995, Brain Res 671:329; Hasselmo 1999, Trends Cogn Sci
// 3:351).
type CholinergicParams struct {
	Wake float64 `toml:"wake"` // ACh tone in wake, 0-1; default 0.9
	NREM float64 `toml:"nrem"` // ACh tone in N1-N3, 0-1; default 0.2
	REM  float64 `toml:"rem"`  // ACh tone in REM, 0-1; default 0.95
}

// Cholinergic is the region: it sends its ACh tone on output "ach" every
// tick and keeps the last NE tone it received on input "ne". Signals:
// "ach", "ne".
type Cholinergic struct {
	name    string
	p       CholinergicParams
	ach, ne float64
}

// Name returns the name the experiment file gave the region.
func (r *Cholinergic) Name() string { return r.name }

// Outputs lists "ach".
func (r *Cholinergic) Outputs() []string { return []string{"ach"} }

// Signals lists "ach" and "ne".
func (r *Cholinergic) Signals() []string { return []string{"ach", "ne"} }

// Signal returns the ACh tone (0) or the last NE tone received (1).
func (r *Cholinergic) Signal(i int) float64 { return [...]float64{r.ach, r.ne}[i] }

// Reset starts a run with no tone.
func (r *Cholinergic) Reset(sim.Env) error { r.ach, r.ne = 0, 0; return nil }

// NonFinite reports a NaN or Inf NE tone, the only state that comes from
// outside.
func (r *Cholinergic) NonFinite() (string, bool) {
	return "ne", math.IsNaN(r.ne) || math.IsInf(r.ne, 0)
}

// Step sets the tone of the stage and sends it.
func (r *Cholinergic) Step(s *sim.Step) error {
	for _, m := range s.Inbox {
		if m.Input == "ne" {
			r.ne = m.Value
		}
	}
	switch {
	case s.Stage == sleep.R:
		r.ach = r.p.REM
	case s.Stage.IsNREM():
		r.ach = r.p.NREM
	default:
		r.ach = r.p.Wake
	}
	s.Send("ach", sim.Message{Value: r.ach})
	return nil
}

// newCholinergic is the factory experiment files reach through the kind
// "cholinergic": defaults, then the [[region]] params table.
func newCholinergic(name string, decode func(any) error) (sim.Region, error) {
	p := CholinergicParams{Wake: 0.9, NREM: 0.2, REM: 0.95}
	if err := decode(&p); err != nil {
		return nil, err
	}
	for _, v := range []float64{p.Wake, p.NREM, p.REM} {
		if !(v >= 0 && v <= 1) {
			return nil, errors.New("cholinergic: every tone must be in [0, 1]")
		}
	}
	return &Cholinergic{name: name, p: p}, nil
}

func init() {
	if err := regions.RegisterRegion("cholinergic", newCholinergic); err != nil {
		log.Fatal(err)
	}
}

// cholinergicTOML adds a cholinergic region named "bf" to a tiny
// experiment, feeds it the LC's NE, and records both its signals.
const cholinergicTOML = `
[experiment]
name = "basal-forebrain"
seeds = 1

[sim]
dt_s = 0.5

[content]
side = 8

[regions.cortex]
hidden = [32]

[[region]]
name = "bf"
kind = "cholinergic"
params = { nrem = 0.1 }

[[connection]]
from = "lc"
output = "ne"
to = "bf"
input = "ne"

[record]
interval_s = 30
signals = ["bf.ach", "bf.ne", "lc.ne"]

[clock]
source = "schedule"

[[clock.schedule]]
stage = "N2"
minutes = 8

[[clock.schedule]]
stage = "N3"
minutes = 4

[[clock.schedule]]
stage = "R"
minutes = 6

[[clock.schedule]]
stage = "W"
minutes = 2

[[phase]]
kind = "wake"
minutes = 2
episodes = 4

[[phase]]
kind = "sleep"

[[phase]]
kind = "test"
`

func ExampleRegisterRegion() {
	dir, err := os.MkdirTemp("", "basal-forebrain")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "basal-forebrain.toml")
	if err := os.WriteFile(file, []byte(cholinergicTOML), 0o644); err != nil {
		log.Fatal(err)
	}
	x, err := experiments.Load(file)
	if err != nil {
		log.Fatal(err)
	}
	run := experiments.Run{Condition: x.Conditions[0].Name, Seed: 1}
	res, err := experiments.RunOne(context.Background(), x, run, dir, sim.Sequential)
	if err != nil {
		log.Fatal(err)
	}
	if res.Err != nil {
		log.Fatal(res.Err)
	}
	// activity.csv: t_min, stage, bf.ach, bf.ne, lc.ne, one row per 30 s.
	f, err := os.Open(filepath.Join(run.Dir(dir), "activity.csv"))
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		log.Fatal(err)
	}
	var ach, n [sleep.NumStages]float64
	sameNE := true
	for _, r := range rows[1:] {
		st, err := sleep.ParseStage(r[1])
		if err != nil {
			log.Fatal(err)
		}
		a, _ := strconv.ParseFloat(r[2], 64)
		ach[st] += a
		n[st]++
		// bf keeps the NE the LC sent one delay earlier: over 30 s the two
		// means differ by a hair, never by much.
		bfNE, _ := strconv.ParseFloat(r[3], 64)
		lcNE, _ := strconv.ParseFloat(r[4], 64)
		if d := bfNE - lcNE; d > 0.05 || d < -0.05 {
			sameNE = false
		}
	}
	for _, st := range []sleep.Stage{sleep.W, sleep.N2, sleep.N3, sleep.R} {
		fmt.Printf("mean ACh in %-2v %.2f\n", st, ach[st]/n[st])
	}
	fmt.Println("bf receives the LC's NE:", sameNE)
	// Output:
	// mean ACh in W  0.90
	// mean ACh in N2 0.10
	// mean ACh in N3 0.10
	// mean ACh in R  0.95
	// bf receives the LC's NE: true
}
