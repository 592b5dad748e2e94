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
	s := &stream{pcg: *rand.NewPCG(seed, h.Sum64())}
	s.rand = *rand.New(&s.pcg)
	return &s.rand
}

// stream holds a region's generator and its state in one object that fills
// a whole cache line. Allocated alone, the 16-byte PCG states of different
// regions would share cache lines, and regions stepped on different cores
// would invalidate each other's line on every draw (false sharing): the
// concurrent executor then ran no faster than the sequential one.
type stream struct {
	pcg  rand.PCG
	rand rand.Rand
	_    [64 - 32]byte // pads the object to one 64-byte line
}
