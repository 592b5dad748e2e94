package sleep_test

import (
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"strings"

	"github.com/dreamsim/dreamsim/sim/sleep"
)

// Generate a night with the model clock and print its architecture.
func ExampleGenerate() {
	rng := rand.New(rand.NewPCG(1, 0))
	h, err := sleep.Generate(sleep.DefaultModelParams(), rng)
	if err != nil {
		log.Fatal(err)
	}
	s := sleep.Analyze(h)
	fmt.Printf("time in bed %.0f min, total sleep %.1f min, efficiency %.1f%%\n", s.TIBMin, s.TSTMin, 100*s.SleepEfficiency)
	fmt.Printf("sleep onset latency %.1f min, REM latency %.1f min, WASO %.1f min in %d awakenings\n",
		s.SOLMin, s.REMLatencyMin, s.WASOMin, s.Awakenings)
	fmt.Printf("N1 %.1f%%, N2 %.1f%%, N3 %.1f%%, REM %.1f%% of sleep\n",
		100*s.StageFrac[sleep.N1], 100*s.StageFrac[sleep.N2], 100*s.StageFrac[sleep.N3], 100*s.StageFrac[sleep.R])
	fmt.Printf("%d cycles, mean %.1f min\n", len(s.Cycles), s.MeanCycleMin)
	for i, c := range s.Cycles {
		fmt.Printf("  cycle %d: %5.1f-%5.1f min, NREM %4.1f, REM %4.1f, truncated %v\n", i+1, c.StartMin, c.EndMin, c.NREMMin, c.REMMin, c.Truncated)
	}
	fmt.Printf("N3 by thirds %v min, REM by thirds %v min\n", s.N3ThirdMin, s.REMThirdMin)
	fmt.Printf("stage at 03:00: %v\n", h.StageAt(4*60))
	// Output:
	// time in bed 480 min, total sleep 464.5 min, efficiency 96.8%
	// sleep onset latency 6.0 min, REM latency 75.5 min, WASO 9.5 min in 13 awakenings
	// N1 3.9%, N2 54.6%, N3 19.6%, REM 22.0% of sleep
	// 5 cycles, mean 91.6 min
	//   cycle 1:   6.0- 89.5 min, NREM 75.5, REM  8.0, truncated false
	//   cycle 2:  89.5-184.0 min, NREM 79.0, REM 15.5, truncated false
	//   cycle 3: 184.0-271.0 min, NREM 66.0, REM 21.0, truncated false
	//   cycle 4: 271.0-365.0 min, NREM 64.5, REM 29.5, truncated false
	//   cycle 5: 365.0-464.0 min, NREM 67.0, REM 32.0, truncated false
	// N3 by thirds [82 9 0] min, REM by thirds [8 35.5 58.5] min
	// stage at 03:00: N2
}

// Read a scored night in the Sleep-EDF labels and write it back in the
// dreamsim layout.
func ExampleReadHypnogram() {
	in := `# one scored epoch per line
Sleep stage W
Sleep stage 1
Sleep stage 2
Sleep stage 4
Sleep stage R
`
	h, err := sleep.ReadHypnogram(strings.NewReader(in))
	if err != nil {
		log.Fatal(err)
	}
	if err := sleep.WriteCSV(os.Stdout, h); err != nil {
		log.Fatal(err)
	}
	// Output:
	// epoch,start_min,stage
	// 0,0.0,W
	// 1,0.5,N1
	// 2,1.0,N2
	// 3,1.5,N3
	// 4,2.0,R
}

// Errors name the line and the offending value.
func ExampleReadHypnogram_error() {
	_, err := sleep.ReadHypnogram(strings.NewReader("epoch,start_min,stage\n0,0.0,W\n1,0.5,N2\n2,1.5,N2\n"))
	fmt.Println(err)
	_, err = sleep.ReadHypnogram(strings.NewReader("W\nN2\nREM sleep\n"))
	fmt.Println(err)
	// Output:
	// sleep: line 4: start_min 1.5 after 0.5: gap of 1 missing epoch(s)
	// sleep: line 3: unknown stage label "REM sleep" (valid: W, N1, N2, N3, R (also Wake, REM, S1-S4, the integers 0-4 = W, N1, N2, N3, R, and "Sleep stage W/1/2/3/4/R"))
}

// Build the hypnogram of a stage schedule, as the schedule clock does.
func ExampleFromSchedule() {
	h, err := sleep.FromSchedule([]sleep.ScheduleBlock{
		{Stage: sleep.W, Minutes: 10},
		{Stage: sleep.N2, Minutes: 60},
		{Stage: sleep.R, Minutes: 20},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(h.Epochs), "epochs,", h.DurationMin(), "min")
	fmt.Println(h.StageAt(5), h.StageAt(10), h.StageAt(75))
	// Output:
	// 180 epochs, 90 min
	// W N2 R
}
