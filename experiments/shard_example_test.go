package experiments_test

import (
	"fmt"

	"github.com/dreamsim/dreamsim/experiments"
)

// Three cheap runs and one that costs three times as much, on two shards:
// the costly run gets a shard of its own, where round-robin would have
// given one shard 1+1 and the other 1+3.
func ExampleBalanceShards() {
	runs := []experiments.Run{{Condition: "short", Seed: 1}, {Condition: "short", Seed: 2}, {Condition: "short", Seed: 3}, {Condition: "long", Seed: 1}}
	cost := func(r experiments.Run) float64 {
		if r.Condition == "long" {
			return 3
		}
		return 1
	}
	for i, shard := range experiments.BalanceShards(runs, 2, cost) {
		fmt.Println(i, shard)
	}
	// Output:
	// 0 [{long 1}]
	// 1 [{short 1} {short 2} {short 3}]
}
