package plots_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"gonum.org/v1/plot/vg"

	"github.com/dreamsim/dreamsim/plots"
)

// save writes a figure into a temporary folder and prints what was written.
// The PNG is a 72-dpi preview to keep the examples quick; leave DPI at zero
// for 300-dpi print files.
func save(f *plots.Figure) {
	f.DPI = 72
	dir, err := os.MkdirTemp("", "plots-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	files, err := f.Save(dir)
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range files {
		fmt.Printf("%s ", filepath.Base(p))
	}
	fmt.Printf("(%.1f in wide)\n", f.Width/vg.Inch)
}

func ExampleHypnogramFigure() {
	exp, err := plots.ReadExperiment("testdata/mch-forgetting")
	if err != nil {
		log.Fatal(err)
	}
	// The first two seeds of the control condition, night 1.
	var panels []plots.NightPanel
	for _, run := range exp.OKRuns(exp.Manifest.Control)[:2] {
		night, err := plots.ReadNight(run, 1)
		if err != nil {
			log.Fatal(err)
		}
		panels = append(panels, night)
	}
	fig, err := plots.HypnogramFigure(panels)
	if err != nil {
		log.Fatal(err)
	}
	save(fig)
	// Output:
	// hypnogram.png hypnogram.svg (7.0 in wide)
}

func ExampleActivityFigure() {
	exp, err := plots.ReadExperiment("testdata/mch-forgetting")
	if err != nil {
		log.Fatal(err)
	}
	run := exp.OKRuns("intact")[0]
	night, err := plots.ReadNight(run, 1)
	if err != nil {
		log.Fatal(err)
	}
	act, err := plots.ReadActivity(run.File("activity.csv"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(act.Signals)
	fig, err := plots.ActivityFigure(night, act)
	if err != nil {
		log.Fatal(err)
	}
	save(fig)
	// Output:
	// [lc.ne mch.rate pfc.rate amygdala.rate hippocampus.ripples_per_min cortex.dreaming]
	// activity.png activity.svg (7.0 in wide)
}

func ExampleMemorySurvivalFigure() {
	exp, err := plots.ReadExperiment("testdata/mch-forgetting")
	if err != nil {
		log.Fatal(err)
	}
	d := plots.SurvivalData{
		Conditions: exp.Manifest.ConditionNames(),
		Retention:  map[string]map[string][]float64{},
		Memories:   map[string][]plots.Memory{},
	}
	for _, cond := range d.Conditions {
		d.Retention[cond] = map[string][]float64{
			plots.Neutral:   exp.Results.Values(cond, "retention_neutral"),
			plots.Emotional: exp.Results.Values(cond, "retention_emotional"),
		}
		for _, run := range exp.OKRuns(cond) {
			ms, err := plots.ReadMemories(run.File("memories.csv"))
			if err != nil {
				log.Fatal(err)
			}
			d.Memories[cond] = append(d.Memories[cond], ms...)
		}
	}
	fmt.Printf("%d memories of the control\n", len(d.Memories["intact"]))
	fig, err := plots.MemorySurvivalFigure(d)
	if err != nil {
		log.Fatal(err)
	}
	save(fig)
	// Output:
	// 240 memories of the control
	// memory-survival.png memory-survival.svg (7.0 in wide)
}

func ExampleDreamGalleryFigure() {
	run := plots.RunRef{Condition: "intact", Seed: 1, Dir: "testdata/mch-forgetting/runs/intact/seed-1"}
	dreams, err := plots.ReadDreams(run.File("dreams.csv"))
	if err != nil {
		log.Fatal(err)
	}
	images, err := plots.ReadImages(run.File("images.csv"))
	if err != nil {
		log.Fatal(err)
	}
	nightmares := 0
	for _, d := range dreams {
		if d.Nightmare() {
			nightmares++
		}
	}
	fmt.Printf("%d dreams, %d nightmares\n", len(dreams), nightmares)
	fig, err := plots.DreamGalleryFigure(run.String(), dreams, images, 8)
	if err != nil {
		log.Fatal(err)
	}
	save(fig)
	// Output:
	// 15 dreams, 4 nightmares
	// dream-gallery.png dream-gallery.svg (7.0 in wide)
}

func ExampleLatentMapFigure() {
	latents, err := plots.ReadLatents("testdata/mch-forgetting/runs/intact/seed-1/latents.csv")
	if err != nil {
		log.Fatal(err)
	}
	panels := plots.LatentPanelsByGate(latents)
	for _, p := range panels {
		fmt.Println(p.Title)
	}
	fig, err := plots.LatentMapFigure("intact, seed 1", panels)
	if err != nil {
		log.Fatal(err)
	}
	save(fig)
	// Output:
	// gate 0.00–0.33 (12 dreams)
	// gate 0.33–0.67 (3 dreams)
	// latent-map.png latent-map.svg (7.0 in wide)
}

func ExampleAblationEffectsFigure() {
	exps, err := plots.ReadExpectations("testdata/mch-forgetting/expectations.csv")
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range exps {
		fmt.Printf("%s %s %s %s: %s\n", e.Condition, e.Metric, e.Direction, e.Against, e.Verdict)
	}
	fig, err := plots.AblationEffectsFigure(exps)
	if err != nil {
		log.Fatal(err)
	}
	save(fig)
	// Output:
	// mch-ablated retention > intact: pass
	// mch-stimulated retention < intact: pass
	// mch-stimulated retention_neutral > intact: fail
	// mch-ablated dream_recall_rate > intact: pass
	// mch-stimulated emotional_advantage > intact: inconclusive
	// mch-ablated rem_fraction = intact: pass
	// ablation-effects.png ablation-effects.svg (7.0 in wide)
}

func ExampleDoseResponseFigure() {
	exp, err := plots.ReadExperiment("testdata/pfc-dose")
	if err != nil {
		log.Fatal(err)
	}
	fig, err := plots.DoseResponseFigure(plots.DoseData{
		Manifest:     exp.Manifest,
		Stats:        exp.Stats,
		Results:      exp.Results,
		Expectations: exp.Expectations,
		Metrics:      []string{"dream_bizarreness", "dream_novelty", "generalization_error"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(exp.Manifest.DoseLabel)
	save(fig)
	// Output:
	// PFC activity in REM (0–1)
	// dose-response.png dose-response.svg (7.0 in wide)
}

func ExampleStageArchitectureFigure() {
	exp, err := plots.ReadExperiment("testdata/mch-forgetting")
	if err != nil {
		log.Fatal(err)
	}
	var runs []plots.ArchitectureRun
	for _, run := range exp.Runs {
		epochs, err := plots.ReadHypnogram(run.File("hypnogram.csv"))
		if err != nil {
			log.Fatal(err)
		}
		cycles, err := plots.ReadCycles(run.File("cycles.csv"))
		if err != nil {
			log.Fatal(err)
		}
		runs = append(runs, plots.ArchitectureFromNight(run.Condition, run.Seed, epochs, cycles))
	}
	first := runs[0] // the same fractions as rem_fraction and n3_fraction in results.csv

	fmt.Printf("%s: REM %.1f%%, N3 %.1f%% of sleep, %d cycles\n", first.Condition, 100*first.Fractions[plots.REM], 100*first.Fractions[plots.N3], len(first.CycleMin))
	fig, err := plots.StageArchitectureFigure(exp.Manifest.ConditionNames(), runs)
	if err != nil {
		log.Fatal(err)
	}
	save(fig)
	// Output:
	// intact: REM 23.8%, N3 16.3% of sleep, 5 cycles
	// stage-architecture.png stage-architecture.svg (3.5 in wide)
}

func ExampleDrawAllWith() {
	// DrawAll writes into the experiment folder; work on a copy.
	dir, err := os.MkdirTemp("", "plots-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := os.CopyFS(dir, os.DirFS("testdata/pfc-dose")); err != nil {
		log.Fatal(err)
	}
	// DrawAll writes 300-dpi PNGs; DrawAllWith makes quick previews.
	files, err := plots.DrawAllWith(dir, plots.Options{DPI: 72})
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range files {
		if filepath.Ext(f) == ".png" {
			fmt.Println(filepath.Base(f))
		}
	}
	if err := plots.WriteReportWith(dir, plots.Options{ReportDPI: 72}); err != nil {
		log.Fatal(err)
	}
	_, err = os.Stat(filepath.Join(dir, "report.html"))
	fmt.Println("report written:", err == nil)
	// Output:
	// hypnogram.png
	// activity.png
	// memory-survival.png
	// dream-gallery.png
	// latent-map.png
	// ablation-effects.png
	// dose-response.png
	// stage-architecture.png
	// report written: true
}
