package sim

import (
	"hash/fnv"
	"math/rand/v2"
)

// Stream returns the random stream of the named region for a run seed.
// Streams of different names are independent PCG generators (O'Neill 2014),
// so adding, removing or reordering regions never changes the numbers another
// region draws.
func Stream(seed uint64, name string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(name))
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}
