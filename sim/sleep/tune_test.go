package sleep

import (
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestTune(t *testing.T) {
	spec := os.Getenv("TUNE")
	if spec == "" {
		t.Skip()
	}
	p := DefaultModelParams()
	for _, kv := range strings.Split(spec, ",") {
		if kv == "x" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		f, _ := strconv.ParseFloat(v, 64)
		switch k {
		case "w":
			p.REMHomeostaticWeight = f
		case "k":
			p.REMCircadianSharpness = f
		case "rmax":
			p.REMMaxMin = f
		case "tau":
			p.REMPressureMin = f
		case "beta":
			p.SWAREMDelay = f
		case "th":
			p.N3Threshold = f
		case "n1h":
			p.N1PerH = f
		case "n1w":
			p.N1AfterWakeProb = f
		case "on1":
			p.OnsetN1Min = f
		case "awh":
			p.AwakeningsPerH = f
		case "remg":
			p.AwakeningREMGain = f
		case "cj":
			p.CycleJitter = f
		case "rj":
			p.REMJitter = f
		case "swan":
			p.SWANoise = f
		case "rise":
			p.SWARisePerMin = f
		case "pre":
			p.PreREMFrac = f
		case "phase":
			p.CircadianPhaseH = f
		case "peak":
			p.REMCircadianPeakH = f
		case "sol":
			p.SOLMedianMin = f
		case "war":
			p.WakeAfterREMProb = f
		default:
			t.Fatal("unknown", k)
		}
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	hi := uint64(50)
	if v := os.Getenv("HI"); v != "" {
		x, _ := strconv.Atoi(v)
		hi = uint64(x)
	}
	_, table := normReport(t, p, seedRange(1, hi))
	if os.Getenv("FULL") == "" {
		table = table[:strings.Index(table, "nights meeting")+40]
	}
	t.Logf("%s\n%s", spec, table)
	var nr, rm, cnt [8]float64
	for seed := uint64(1); seed <= hi; seed++ {
		h, _ := Generate(p, rand.New(rand.NewPCG(seed, 0)))
		st := Analyze(h)
		for i, c := range st.Cycles {
			if i < 8 && !c.Truncated {
				nr[i] += c.NREMMin
				rm[i] += c.REMMin
				cnt[i]++
			}
		}
	}
	for i := range 8 {
		if cnt[i] > 0 {
			t.Logf("cycle %d: n=%v NREM %.1f REM %.1f", i+1, cnt[i], nr[i]/cnt[i], rm[i]/cnt[i])
		}
	}
}
