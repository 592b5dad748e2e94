package experiments

import (
	"cmp"
	"math"
	"slices"

	"github.com/dreamsim/dreamsim/regions"
	"github.com/dreamsim/dreamsim/sim"
)

// ShardRuns returns the runs of shard i of n when every run costs the
// same: runs are dealt round-robin in canonical order, so every shard gets
// conditions and seeds alike and the same number of runs to within one.
// It is BalanceShards with equal costs.
func ShardRuns(runs []Run, i, n int) []Run {
	if n <= 1 {
		return runs
	}
	return BalanceShards(runs, n, nil)[i]
}

// Shard returns the runs of shard i of n (0-based) of runs, balanced by
// the expected cost of each run (see Cost), so that the shards of a job
// array finish at about the same time even when conditions differ in
// length or network size. Every process that computes the shards of the
// same experiment gets the same answer: the shards are disjoint, cover
// runs, and each is in canonical order. n of 0 or 1 returns runs.
func (x *Experiment) Shard(runs []Run, i, n int) []Run {
	if n <= 1 {
		return runs
	}
	costs := map[string]float64{}
	for _, c := range x.Conditions {
		costs[c.Name] = x.Cost(c.Name)
	}
	return BalanceShards(runs, n, func(r Run) float64 { return costs[r.Condition] })[i]
}

// BalanceShards deals runs into n shards of about equal total cost by the
// longest-processing-time rule (Graham 1969, SIAM J Appl Math 17:416):
// runs in order of decreasing cost, ties in canonical order, each to the
// shard with the least cost so far, ties to the lowest shard. The largest
// shard costs at most 4/3 of the best possible. A nil cost counts every run
// as 1, which deals runs round-robin. Each shard keeps the canonical order
// of runs; a shard may be empty when n exceeds len(runs).
//
// Costs are rounded to integers (millionths of the largest cost) before
// they are compared, so that the deal does not depend on the last bits of
// a floating-point sum, which may differ between the machines of a
// cluster.
func BalanceShards(runs []Run, n int, cost func(Run) float64) [][]Run {
	if n < 1 {
		panic("experiments: BalanceShards needs at least one shard")
	}
	w := make([]int64, len(runs))
	for k := range w {
		w[k] = 1
	}
	if cost != nil {
		c := make([]float64, len(runs))
		top := 0.0
		for k, r := range runs {
			c[k] = cost(r)
			if !(c[k] >= 0) || math.IsInf(c[k], 0) {
				c[k] = 0
			}
			top = max(top, c[k])
		}
		for k := range w {
			if top > 0 {
				w[k] = int64(math.Round(c[k] / top * 1e6))
			}
			w[k] = max(w[k], 1)
		}
	}
	order := make([]int, len(runs))
	for k := range order {
		order[k] = k
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(w[b], w[a]) })
	h := make(shardHeap, n)
	for s := range h {
		h[s].index = s
	}
	owner := make([]int, len(runs))
	for _, k := range order {
		owner[k] = h[0].index
		h[0].load += w[k]
		h.down(0)
	}
	shards := make([][]Run, n)
	for k, r := range runs {
		shards[owner[k]] = append(shards[owner[k]], r)
	}
	return shards
}

// shardHeap is a binary min-heap of shards by load, ties by index, so that
// dealing a run costs O(log n).
type shardHeap []struct {
	load  int64
	index int
}

func (h shardHeap) less(a, b int) bool {
	if h[a].load != h[b].load {
		return h[a].load < h[b].load
	}
	return h[a].index < h[b].index
}

// down restores the heap after the load of element i grew.
func (h shardHeap) down(i int) {
	for {
		m := i
		for _, c := range []int{2*i + 1, 2*i + 2} {
			if c < len(h) && h.less(c, m) {
				m = c
			}
		}
		if m == i {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

// Cost returns the expected cost of one run of the named condition, in
// units of about one training step of the default generative network, or
// 0 for an unknown condition. A run's time goes mostly to training the
// cortex's network: on every sharp-wave ripple (RippleRate per stage),
// on every episode as it is perceived (WakeSteps) and on dream samples
// while a dream goes on in a sleep stage (DreamLearningRate); each step
// costs in proportion to the network's weights plus a fixed overhead. The
// rest is stepping every region on every tick, and the morning test. The
// model clock's night is that of the experiment's first seed, a typical
// night. Manipulations are ignored.
//
// The weights of the terms were fitted to timings of RunOne on variants
// of experiments/testdata/tiny.toml and the default experiment, whose
// costs span two orders of magnitude: they predict relative run times to
// within about 25% (BenchmarkCost measures it).
func (x *Experiment) Cost(condition string) float64 {
	c, ok := x.Condition(condition)
	if !ok {
		return 0
	}
	return configCost(&c.Config, uint64(x.Info.FirstSeed))
}

// The weights of configCost, relative to one training step of the default
// network (about 0.065 ms on the development machine), fitted by least
// squares of relative error to timings of RunOne (see BenchmarkCost). They
// follow the code: refit them when training or stepping gets faster.
const (
	costStepOverhead = 0.065 // fixed cost of a training step, whatever the network's size
	costTick         = 0.007 // stepping one region for one tick
	costTestEpisode  = 110   // the morning test, per episode and per unit of network size
)

// configCost is the expected cost of a run of cfg at seed (see Cost).
// Explicit float64 conversions keep the compiler from fusing
// multiply-adds, so that every architecture computes the same value.
func configCost(cfg *Config, seed uint64) float64 {
	p, err := buildProtocol(cfg, seed)
	if err != nil {
		return 1 // the run fails at once
	}
	net := float64(networkWeights(cfg)) / float64(networkWeights(defaultConfig()))
	hp, cp := cfg.Regions.Hippocampus, cfg.Regions.Cortex
	steps := 0.0
	for _, seg := range p.tl.Segments() {
		for _, st := range seg.Night.Epochs {
			rate := hp.RippleRate.At(st) // per minute
			if seg.Phase == sim.Sleep && st.IsSleep() {
				rate += cp.DreamLearningRate
			}
			steps += float64(rate * 0.5) // a 30-s epoch
		}
	}
	episodes := 0.0
	for _, pl := range p.plans {
		episodes += float64(pl.Episodes)
		steps += float64(float64(pl.Episodes*pl.Repetitions) * float64(cp.WakeSteps))
	}
	nRegions := float64(len(regions.BuiltinRegions) + len(cfg.Custom))
	return float64(steps*float64(net+costStepOverhead)) +
		float64(costTick*float64(float64(p.tl.Ticks())*nRegions)) +
		float64(costTestEpisode*float64(episodes*net))
}

// networkWeights counts the weights of the cortex's variational
// autoencoder: encoder from the pixels through the hidden layers to the
// latent means and log-variances, decoder back through the mirrored
// hidden layers to the pixels.
func networkWeights(cfg *Config) int {
	px := cfg.Content.Side * cfg.Content.Side
	hidden := cfg.Regions.Cortex.Hidden
	latent := cfg.Regions.Cortex.Latent
	n, prev := 0, px
	for _, h := range hidden {
		n += prev*h + h
		prev = h
	}
	n += prev*2*latent + 2*latent
	prev = latent
	for k := len(hidden) - 1; k >= 0; k-- {
		n += prev*hidden[k] + hidden[k]
		prev = hidden[k]
	}
	return n + prev*px + px
}

// defaultConfig is DefaultConfig, kept for the cost unit.
func defaultConfig() *Config {
	c := DefaultConfig()
	return &c
}
