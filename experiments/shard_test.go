package experiments

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dreamsim/dreamsim/sim"
)

// someRuns returns conditions c0.. with seeds 1..seeds each, in canonical order.
func someRuns(conds, seeds int) []Run {
	var runs []Run
	for c := range conds {
		for s := range seeds {
			runs = append(runs, Run{Condition: fmt.Sprintf("c%d", c), Seed: uint64(s + 1)})
		}
	}
	return runs
}

// checkPartition asserts that shards are disjoint, cover runs and keep
// the canonical order.
func checkPartition(t *testing.T, runs []Run, shards [][]Run) {
	t.Helper()
	pos := map[Run]int{}
	for k, r := range runs {
		pos[r] = k
	}
	seen := map[Run]int{}
	for i, sh := range shards {
		for k, r := range sh {
			_, ok := pos[r]
			require.True(t, ok, "shard %d holds %v, which is not a run", i, r)
			prev, dup := seen[r]
			require.False(t, dup, "run %v is in shards %d and %d", r, prev, i)
			seen[r] = i
			if k > 0 {
				require.Less(t, pos[sh[k-1]], pos[r], "shard %d is not in canonical order", i)
			}
		}
	}
	require.Len(t, seen, len(runs), "some runs are in no shard")
}

func TestShardRunsRoundRobin(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ conds, seeds, n int }{
		{1, 1, 1}, {3, 4, 2}, {3, 4, 3}, {3, 4, 5}, {3, 4, 7}, {2, 3, 12}, {4, 20, 6},
	} {
		t.Run(fmt.Sprintf("%dx%d/%d", tc.conds, tc.seeds, tc.n), func(t *testing.T) {
			t.Parallel()
			runs := someRuns(tc.conds, tc.seeds)
			var shards [][]Run
			for i := range tc.n {
				sh := ShardRuns(runs, i, tc.n)
				// Equal costs deal round-robin: run k to shard k mod n,
				// as -shard I/N always did.
				var want []Run
				for k, r := range runs {
					if k%tc.n == i {
						want = append(want, r)
					}
				}
				if tc.n == 1 {
					want = runs
				}
				assert.Equal(t, want, sh, "shard %d", i)
				shards = append(shards, sh)
			}
			checkPartition(t, runs, shards)
		})
	}
}

func TestBalanceShardsPartitionsAnyCosts(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 11))
	for trial := range 40 {
		conds, seeds, n := 1+rng.IntN(6), 1+rng.IntN(9), 1+rng.IntN(12)
		runs := someRuns(conds, seeds)
		cost := map[string]float64{}
		for c := range conds {
			cost[fmt.Sprintf("c%d", c)] = rng.ExpFloat64() * 100
		}
		fn := func(r Run) float64 { return cost[r.Condition] }
		shards := BalanceShards(runs, n, fn)
		require.Len(t, shards, n, "trial %d", trial)
		checkPartition(t, runs, shards)
		// List scheduling never exceeds the mean load plus the largest
		// job (Graham 1966), whatever the order.
		total, top, worst := 0.0, 0.0, 0.0
		for _, r := range runs {
			total += fn(r)
			top = max(top, fn(r))
		}
		for _, sh := range shards {
			load := 0.0
			for _, r := range sh {
				load += fn(r)
			}
			worst = max(worst, load)
		}
		assert.LessOrEqual(t, worst, total/float64(n)+top+1e-9, "trial %d", trial)
		// Same input, same deal: every task of an array agrees.
		assert.Equal(t, shards, BalanceShards(runs, n, fn), "trial %d", trial)
	}
}

func TestBalanceShardsBeatsRoundRobin(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		costs     []float64 // per condition
		seeds, n  int
		wantWorst float64 // the largest shard's cost after balancing
		rrWorst   float64 // the same for round-robin
	}{
		// A cheap and an expensive condition, 3 seeds, 2 shards:
		// round-robin gives shard 0 {a1 a3 b2} = 12 and shard 1 {a2 b1 b3}
		// = 21; LPT puts the expensive runs 2 and 1 (b, b | b) and then the
		// cheap ones on the lighter shard: {b1 b3} = 20 vs {b2 a1 a2 a3} = 13,
		// which is the best possible (33 split into 20 + 13 with runs of 10).
		{"cheap+costly", []float64{1, 10}, 3, 2, 20, 21},
		// Four conditions 1, 2, 3, 4 with 2 seeds on 4 shards: the total
		// is 20 and the optimum 5 per shard (4+1, 4+1, 3+2, 3+2);
		// round-robin pairs the costs 2 and 4 twice (6).
		{"four", []float64{1, 2, 3, 4}, 2, 4, 5, 6},
		// Equal costs: balancing is round-robin.
		{"equal", []float64{3, 3, 3}, 4, 5, 9, 9},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			runs := someRuns(len(tc.costs), tc.seeds)
			fn := func(r Run) float64 {
				var c int
				fmt.Sscanf(r.Condition, "c%d", &c)
				return tc.costs[c]
			}
			worst := func(shards [][]Run) float64 {
				w := 0.0
				for _, sh := range shards {
					load := 0.0
					for _, r := range sh {
						load += fn(r)
					}
					w = max(w, load)
				}
				return w
			}
			var rr [][]Run
			for i := range tc.n {
				rr = append(rr, ShardRuns(runs, i, tc.n))
			}
			assert.Equal(t, tc.rrWorst, worst(rr), "round-robin")
			assert.Equal(t, tc.wantWorst, worst(BalanceShards(runs, tc.n, fn)), "balanced")
		})
	}
}

func TestBalanceShardsIgnoresLastBits(t *testing.T) {
	t.Parallel()
	runs := someRuns(3, 3)
	// Costs that differ in the last bits of a float64 deal like equal ones.
	base := func(r Run) float64 { return 1 }
	nudged := func(r Run) float64 {
		if r.Condition == "c1" {
			return 1 + 1e-15
		}
		return 1
	}
	assert.Equal(t, BalanceShards(runs, 4, base), BalanceShards(runs, 4, nudged))
	// A cost that is not a finite non-negative number counts as the least.
	bad := BalanceShards(runs, 2, func(r Run) float64 { return -1 })
	checkPartition(t, runs, bad)
}

// tinyVariants are two more conditions for the test fixture, one with a
// longer N3 block and one with the default image and network size.
const tinyVariants = `
[[condition]]
name = "long-night"
[[condition.clock.schedule]]
stage = "N2"
minutes = 8
[[condition.clock.schedule]]
stage = "N3"
minutes = 132
[[condition.clock.schedule]]
stage = "R"
minutes = 11

[[condition]]
name = "big-network"
regions.cortex.hidden = [128]
content.side = 16
`

func loadVariants(t testing.TB) *Experiment {
	tiny, err := os.ReadFile("testdata/tiny.toml")
	require.NoError(t, err)
	x, err := parse("variants.toml", append(tiny, tinyVariants...), ".")
	require.NoError(t, err)
	require.Len(t, x.Conditions, 5)
	return x
}

func TestCostFollowsTheWork(t *testing.T) {
	t.Parallel()
	x := loadVariants(t)
	// tiny.toml by hand: 8x8 images and 32 hidden units make a network of
	// 64*32+32 + 32*16+16 + 8*32+32 + 32*64+64 = 5,008 weights against the
	// default's 69,136. Training steps: 4 wake minutes of ripples at 1/min
	// and 8 episodes; a 40-min night of 17 min N2 (9 ripples/min), 12 min
	// N3 (15/min), 11 min REM (1/min), and 10 dream steps/min throughout:
	// 4 + 8 + 153 + 180 + 11 + 400 = 756. Ticks: 44 min at 0.5 s = 5,280,
	// for 7 regions.
	net := 5008.0 / 69136
	want := 756*(net+costStepOverhead) + costTick*5280*7 + costTestEpisode*8*net
	intact := x.Cost("intact")
	assert.InDelta(t, want, intact, 1e-9)
	assert.Equal(t, 0.0, x.Cost("no-such-condition"))
	// An ablation does not change the expected work.
	assert.Equal(t, intact, x.Cost("ablated"))
	// The long night: 8 min N2, 132 min N3, 11 min REM, 155 min in all.
	steps := 4 + 8 + 8*9 + 132*15 + 11 + 151*10.0
	assert.InDelta(t, steps*(net+costStepOverhead)+costTick*155*120*7+costTestEpisode*8*net, x.Cost("long-night"), 1e-9)
	// 16x16 images and 128 hidden units: the default network.
	assert.InDelta(t, 756*(1+costStepOverhead)+costTick*5280*7+costTestEpisode*8, x.Cost("big-network"), 1e-9)
	// Same experiment, same costs, every time.
	assert.Equal(t, x.Cost("long-night"), loadVariants(t).Cost("long-night"))
}

func TestShardBalancesByCost(t *testing.T) {
	t.Parallel()
	x := loadVariants(t)
	runs := x.Runs(0) // 5 conditions x 4 seeds
	total := 0.0
	for _, r := range runs {
		total += x.Cost(r.Condition)
	}
	for _, n := range []int{1, 2, 3, 4, 5, 7, 25} {
		var byCost, rr [][]Run
		for i := range n {
			byCost = append(byCost, x.Shard(runs, i, n))
			rr = append(rr, ShardRuns(runs, i, n))
		}
		checkPartition(t, runs, byCost)
		worst := func(shards [][]Run) float64 {
			hi := 0.0
			for _, sh := range shards {
				c := 0.0
				for _, r := range sh {
					c += x.Cost(r.Condition)
				}
				hi = max(hi, c)
			}
			return hi / (total / float64(n))
		}
		assert.LessOrEqual(t, worst(byCost), worst(rr)+1e-9, "n=%d: balancing made the largest shard larger", n)
		if n == 7 {
			// Costs 1, 1, 0.87, 3.4 and 4.6 (relative to intact), 4 seeds,
			// 7 shards: by cost the largest shard is 1.11 times the mean;
			// round-robin puts two of the largest runs on one shard (1.45).
			assert.Less(t, worst(byCost), 1.15, "by cost")
			assert.Greater(t, worst(rr), 1.4, "round-robin")
		}
	}
}

// BenchmarkCost times one run of each variant of the test fixture and the
// default experiment and reports the time per unit of Cost: the closer
// the ms/unit of the variants, the better Cost predicts run times. Run
// with -benchtime=1x (the default variant takes seconds).
func BenchmarkCost(b *testing.B) {
	variants := []struct {
		name string
		mod  func(c *Config)
	}{
		{"tiny", func(c *Config) {}},
		{"tiny-dt0.1", func(c *Config) { c.Sim.DtS = 0.1 }},
		{"tiny-side16", func(c *Config) { c.Content.Side = 16 }},
		{"tiny-hidden128", func(c *Config) { c.Regions.Cortex.Hidden = []int{128} }},
		{"tiny-night4x", func(c *Config) {
			c.Clock.Schedule = slices.Clone(c.Clock.Schedule)
			c.Clock.Schedule[1].Minutes = 132
		}},
		{"tiny-dreamlr40", func(c *Config) { c.Regions.Cortex.DreamLearningRate = 40 }},
		{"tiny-episodes32", func(c *Config) {
			c.Phases = slices.Clone(c.Phases)
			c.Phases[0].Episodes = 32
		}},
		{"default", nil},
	}
	for _, v := range variants {
		b.Run(v.name, func(b *testing.B) {
			var x *Experiment
			var err error
			if v.mod == nil {
				x, err = Default()
			} else {
				x, err = Load("testdata/tiny.toml")
			}
			require.NoError(b, err)
			c := &x.Conditions[0]
			if v.mod != nil {
				v.mod(&c.Config)
			}
			cost := x.Cost(c.Name)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				_, err := RunOne(context.Background(), x, Run{Condition: c.Name, Seed: uint64(i + 1)}, b.TempDir(), sim.Sequential)
				require.NoError(b, err)
			}
			b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N)/cost, "ms/unit")
			b.ReportMetric(cost, "units")
		})
	}
}
