package sleep

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestDebugNight(t *testing.T) {
	seed, _ := strconv.Atoi(os.Getenv("SEED"))
	if seed == 0 {
		t.Skip()
	}
	p := DefaultModelParams()
	p.REMHomeostaticWeight, p.N1PerH, p.N1AfterWakeProb, p.OnsetN1Min, p.AwakeningREMGain = 0.5, 3, 0.7, 3, 1.2
	p.REMPressureMin, p.SWAREMDelay, p.N3Threshold = 55, 1.2, 0.32
	h, _ := Generate(p, rand.New(rand.NewPCG(uint64(seed), 0)))
	var b strings.Builder
	prev, start := h.Epochs[0], 0
	for i := 1; i <= len(h.Epochs); i++ {
		if i == len(h.Epochs) || h.Epochs[i] != prev {
			fmt.Fprintf(&b, "%s:%.1f@%.1f ", prev, float64(i-start)/2, float64(start)/2)
			if i < len(h.Epochs) {
				prev, start = h.Epochs[i], i
			}
		}
	}
	s := Analyze(h)
	t.Logf("%s\n%+v", b.String(), s)
}
