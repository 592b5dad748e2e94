package generative

import (
	"bytes"
	"math/rand/v2"
	"sync"
	"testing"
)

// fixture is a VAE trained on 2,000 replays of the default content, shared
// by the tests that need a trained network. It is trained once; every test
// gets its own copy (a VAE is not safe for concurrent use).
type fixture struct {
	content *Content
	day     []Episode // the 400 episodes replayed
	heldOut []Episode // 400 new episodes of the same classes and variation
	before  float64   // held-out NegELBO of the untrained network, nats
	after   float64   // held-out NegELBO after training, nats
	weights []byte    // the trained VAE, as written by WriteTo
}

// Sizes and seeds of the fixture.
const (
	fixtureEpisodes = 400  // distinct episodes of the day, 50 per class
	fixtureReplays  = 2000 // training replays, one per Adam step (batch 1)
)

var (
	fixtureOnce sync.Once
	fixtureData fixture
	fixtureErr  error
)

// evalRNG returns the random source used for every NegELBO estimate of the
// tests, so that estimates before and after training share their noise.
func evalRNG() *rand.Rand { return rand.New(rand.NewPCG(77, 78)) }

// trained returns the shared fixture and a private copy of its trained VAE.
func trained(t testing.TB) (*fixture, *VAE) {
	t.Helper()
	fixtureOnce.Do(func() {
		f := &fixtureData
		f.content, fixtureErr = NewContent(DefaultContentSettings())
		if fixtureErr != nil {
			return
		}
		f.day = f.content.Day(fixtureEpisodes, rand.New(rand.NewPCG(1, 1)))
		f.heldOut = f.content.HeldOut(fixtureEpisodes, rand.New(rand.NewPCG(2, 2)))
		rng := rand.New(rand.NewPCG(3, 3))
		var v *VAE
		v, fixtureErr = NewVAE(DefaultSettings(), rng)
		if fixtureErr != nil {
			return
		}
		held := Images(f.heldOut)
		f.before = v.NegELBO(held, evalRNG())
		x := Images(f.day)
		batch := make([][]float64, 1)
		for range fixtureReplays {
			batch[0] = x[rng.IntN(len(x))]
			v.Train(batch, rng)
		}
		f.after = v.NegELBO(held, evalRNG())
		var buf bytes.Buffer
		if _, fixtureErr = v.WriteTo(&buf); fixtureErr != nil {
			return
		}
		f.weights = buf.Bytes()
	})
	if fixtureErr != nil {
		t.Fatalf("training the fixture: %v", fixtureErr)
	}
	v, err := ReadVAE(bytes.NewReader(fixtureData.weights))
	if err != nil {
		t.Fatalf("copying the fixture: %v", err)
	}
	return &fixtureData, v
}
