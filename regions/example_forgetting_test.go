package regions_test

import (
	"bufio"
	"context"
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"
	"sync/atomic"

	"github.com/dreamsim/dreamsim/experiments"
	"github.com/dreamsim/dreamsim/regions"
	"github.com/dreamsim/dreamsim/sim"
)

// NewestFirst is a researcher's own hypothesis about the MCH forgetting
// criterion: the newest traces, not yet stabilised by systems
// consolidation, are the most labile (Dudai 2004, Annu Rev Psychol 55:51),
// so MCH activity erases them first. Vulnerability exp(-age / TauMin).
type NewestFirst struct {
	TauMin float64 // min, how fast a trace's vulnerability falls with age
}

// consulted records that a run asked the rule, to show it was used.
var consulted atomic.Bool

// Name is the name experiment files select the rule by.
func (NewestFirst) Name() string { return "newest-first" }

// Vulnerability gives each trace exp(-age / TauMin).
func (r NewestFirst) Vulnerability(traces []regions.TraceView, amygdala float64, w []float64) {
	consulted.Store(true)
	for i, t := range traces {
		w[i] = math.Exp(-t.AgeMin / r.TauMin)
	}
}

// Register the rule before any experiment file is loaded, as database/sql
// drivers register themselves.
func init() {
	if err := regions.RegisterForgettingRule("newest-first", func() regions.ForgettingRule { return NewestFirst{TauMin: 10} }); err != nil {
		log.Fatal(err)
	}
}

// newestFirstTOML is a tiny experiment: one 2-min day of 4 episodes, a
// 20-min scheduled night, a morning test, on small images and 0.5-s ticks.
const newestFirstTOML = `
[experiment]
name = "newest-first"
description = "Does MCH activity erase the newest memories first?"
seeds = 1

[sim]
dt_s = 0.5

[content]
side = 8

[regions.cortex]
hidden = [32]

[regions.hippocampus]
forgetting_rule = "newest-first"

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

func ExampleRegisterForgettingRule() {
	dir, err := os.MkdirTemp("", "newest-first")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "newest-first.toml")
	if err := os.WriteFile(file, []byte(newestFirstTOML), 0o644); err != nil {
		log.Fatal(err)
	}
	x, err := experiments.Load(file)
	if err != nil {
		log.Fatal(err)
	}
	cond := x.Conditions[0]
	run := experiments.Run{Condition: cond.Name, Seed: 1}
	res, err := experiments.RunOne(context.Background(), x, run, dir, sim.Sequential)
	if err != nil {
		log.Fatal(err)
	}
	if res.Err != nil {
		log.Fatal(res.Err)
	}
	f, err := os.Open(filepath.Join(run.Dir(dir), "memories.csv"))
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	rows := 0
	for sc := bufio.NewScanner(f); sc.Scan(); {
		rows++
	}
	fmt.Println("forgetting rule:", cond.Config.Regions.Hippocampus.ForgettingRule)
	fmt.Println("memories tested:", rows-1)
	fmt.Println("rule consulted:", consulted.Load())
	// Output:
	// forgetting rule: newest-first
	// memories tested: 4
	// rule consulted: true
}
