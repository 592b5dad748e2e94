package plots_test

import (
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/dreamsim/dreamsim/plots"
)

// writeFile writes content to name in a fresh temporary directory and
// returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestReadersReportFileLineAndColumn feeds every reader a malformed file and
// checks that the error names the file, the line (as path:line) and what is
// wrong.
func TestReadersReportFileLineAndColumn(t *testing.T) {
	t.Parallel()
	read := map[string]func(string) error{
		"hypnogram.csv":    func(p string) error { _, err := plots.ReadHypnogram(p); return err },
		"cycles.csv":       func(p string) error { _, err := plots.ReadCycles(p); return err },
		"activity.csv":     func(p string) error { _, err := plots.ReadActivity(p); return err },
		"memories.csv":     func(p string) error { _, err := plots.ReadMemories(p); return err },
		"dreams.csv":       func(p string) error { _, err := plots.ReadDreams(p); return err },
		"images.csv":       func(p string) error { _, err := plots.ReadImages(p); return err },
		"latents.csv":      func(p string) error { _, err := plots.ReadLatents(p); return err },
		"results.csv":      func(p string) error { _, err := plots.ReadResults(p); return err },
		"stats.csv":        func(p string) error { _, err := plots.ReadStats(p); return err },
		"expectations.csv": func(p string) error { _, err := plots.ReadExpectations(p); return err },
	}
	const memHeader = "id,day,kind,valence,arousal,encoding_strength,replay_count,hippocampal_strength,cortical_strength,recalled,recall_score,class\n"
	const dreamHeader = "id,start_min,stage,sources,novelty,bizarreness,affect,recalled,gate,class,arousal\n"
	const expHeader = "condition,metric,direction,against,diff,diff_ci_low,diff_ci_high,effect_size,p_value,p_adjusted,alpha,verdict\n"
	cases := []struct {
		name, file, content string
		want                []string // substrings of the error, after the path
	}{
		{"missing column", "hypnogram.csv", "epoch,start_min\n1,0\n", []string{":1: missing column \"stage\""}},
		{"unknown stage", "hypnogram.csv", "epoch,start_min,stage\n1,0,W\n2,0.5,REM\n", []string{":3:", `column "stage"`, `unknown stage "REM"`}},
		{"bad number", "hypnogram.csv", "epoch,start_min,stage\n1,zero,W\n", []string{":2:", `column "start_min"`, `"zero" is not a number`}},
		{"night zero", "hypnogram.csv", "night,epoch,start_min,stage\n0,1,0,W\n", []string{":2:", `column "night"`}},
		{"ragged record", "hypnogram.csv", "epoch,start_min,stage\n1,0,W\n2,0.5\n", []string{":3:", "wrong number of fields"}},
		{"empty file", "hypnogram.csv", "", []string{"empty file"}},
		{"duplicate column", "cycles.csv", "night,cycle,cycle\n", []string{":1: duplicate column \"cycle\""}},
		{"cycle backwards", "cycles.csv", "night,cycle,start_min,end_min,nrem_min,rem_min\n1,1,90,10,60,20\n", []string{":2:", "not an interval"}},
		{"time not increasing", "activity.csv", "t_min,stage,lc.ne\n0,W,0.5\n0,W,0.4\n", []string{":3:", `column "t_min"`, "does not increase"}},
		{"signal name", "activity.csv", "t_min,stage,ne\n0,W,0.5\n", []string{":1:", `"ne" is not named region.signal`}},
		{"kind", "memories.csv", memHeader + "1,1,happy,0,0,0.5,1,0.5,0.5,1,0.5,ring\n", []string{":2:", `column "kind"`, `"happy" is not one of neutral, emotional`}},
		{"recalled flag", "memories.csv", memHeader + "1,1,neutral,0,0,0.5,1,0.5,0.5,2,0.5,ring\n", []string{":2:", `column "recalled"`}},
		{"valence range", "memories.csv", memHeader + "1,1,neutral,0,0,0.5,1,0.5,0.5,1,0.5,ring\n2,1,emotional,-1.5,0.9,0.5,1,0.5,0.5,1,0.5,bar\n", []string{":3:", `column "valence"`, "outside [-1, 1]"}},
		{"replay count", "memories.csv", memHeader + "1,1,neutral,0,0,0.5,2.5,0.5,0.5,1,0.5,ring\n", []string{":2:", `column "replay_count"`, "not an integer"}},
		{"sources", "dreams.csv", dreamHeader + "1,30,R,3;x,1.2,0.5,-0.2,0,0.2,ring,0.5\n", []string{":2:", `column "sources"`}},
		{"pixel count", "images.csv", "kind,id,width,height,pixels\nmemory,1,2,2,0 1 0\n", []string{":2:", `column "pixels"`, "3 values, want width*height = 4"}},
		{"pixel range", "images.csv", "kind,id,width,height,pixels\nmemory,1,1,2,0 1.5\n", []string{":2:", "value 2"}},
		{"latent gap", "latents.csv", "kind,id,class,gate,z0,z2\nmemory,1,ring,,0,1\n", []string{":1:", `"z2" is not contiguous`}},
		{"latent empty", "latents.csv", "kind,id,class,gate,z0,z1\nmemory,1,ring,,0,\n", []string{":2:", `column "z1"`}},
		{"metric value", "results.csv", "condition,seed,retention\nintact,1,0.5\nintact,2,high\n", []string{":3:", `column "retention"`}},
		{"p value", "stats.csv", "condition,metric,n,mean,ci_low,ci_high,p_value\nintact,retention,3,0.5,0.4,0.6,1.3\n", []string{":2:", `column "p_value"`}},
		{"verdict", "expectations.csv", expHeader + "ablated,retention,>,intact,0.1,0,0.2,1,0.01,0.02,0.05,maybe\n", []string{":2:", `column "verdict"`, `"maybe"`}},
		{"direction", "expectations.csv", expHeader + "ablated,retention,>=,intact,0.1,0,0.2,1,0.01,0.02,0.05,pass\n", []string{":2:", `column "direction"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := writeFile(t, tc.file, tc.content)
			err := read[tc.file](path)
			if err == nil {
				t.Fatalf("%s: no error for\n%s", tc.file, tc.content)
			}
			msg := err.Error()
			if !strings.Contains(msg, path) {
				t.Errorf("error %q does not name the file %s", msg, path)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
		})
	}
}

// TestReadMissingFile checks that a missing file is reported as
// fs.ErrNotExist, which DrawAll uses to skip figures without data.
func TestReadMissingFile(t *testing.T) {
	t.Parallel()
	_, err := plots.ReadMemories(filepath.Join(t.TempDir(), "memories.csv"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("got %v, want an error wrapping fs.ErrNotExist", err)
	}
}

// TestReadHypnogramNights checks the optional night column.
func TestReadHypnogramNights(t *testing.T) {
	t.Parallel()
	one := writeFile(t, "hypnogram.csv", "epoch,start_min,stage\n1,0,W\n2,0.5,N1\n3,1,N2\n")
	two := writeFile(t, "hypnogram.csv", "night,epoch,start_min,stage,extra\n1,1,0,W,x\n1,2,0.5,R,x\n2,1,1440,N3,x\n2,2,1440.5,N2,x\n")
	e1, err := plots.ReadHypnogram(one)
	if err != nil {
		t.Fatal(err)
	}
	if got := plots.Nights(e1); !reflect.DeepEqual(got, []int{1}) {
		t.Errorf("nights without a night column = %v, want [1]", got)
	}
	e2, err := plots.ReadHypnogram(two)
	if err != nil {
		t.Fatal(err)
	}
	if got := plots.Nights(e2); !reflect.DeepEqual(got, []int{1, 2}) {
		t.Errorf("nights = %v, want [1 2]", got)
	}
	n2 := plots.NightEpochs(e2, 2)
	if len(n2) != 2 || n2[0].Stage != plots.N3 || n2[1].Stage != plots.N2 || n2[0].StartMin != 1440 {
		t.Errorf("night 2 = %+v", n2)
	}
	if e2[1].Stage != plots.REM || e2[1].Stage.String() != "R" {
		t.Errorf("stage R parsed as %v", e2[1].Stage)
	}
}

// TestStageFractions checks fractions of total sleep time on a hand-made
// night: 2 W, 1 N1, 4 N2, 2 N3, 1 R epochs, so TST is 8 epochs.
func TestStageFractions(t *testing.T) {
	t.Parallel()
	stages := []plots.Stage{plots.Wake, plots.N1, plots.N2, plots.N2, plots.N3, plots.N3, plots.N2, plots.N2, plots.REM, plots.Wake}
	var epochs []plots.Epoch
	for i, s := range stages {
		epochs = append(epochs, plots.Epoch{Night: 1, Index: i + 1, StartMin: 0.5 * float64(i), Stage: s})
	}
	got := plots.StageFractions(epochs)
	want := map[plots.Stage]float64{plots.REM: 1.0 / 8, plots.N1: 1.0 / 8, plots.N2: 4.0 / 8, plots.N3: 2.0 / 8}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("StageFractions = %v, want %v", got, want)
	}
	if f := plots.StageFractions(epochs[:1]); !math.IsNaN(f[plots.REM]) {
		t.Errorf("fraction without sleep = %v, want NaN", f[plots.REM])
	}
}

// TestReadDreamsAndNightmares checks the sources list, the optional columns
// and the nightmare rule (affect < -0.5 and arousal > 0.7).
func TestReadDreamsAndNightmares(t *testing.T) {
	t.Parallel()
	path := writeFile(t, "dreams.csv", "id,start_min,stage,sources,novelty,bizarreness,affect,recalled,gate,class,arousal\n"+
		"1,95.5,R,3;17,1.2,0.6,-0.8,1,0.15,ring,0.9\n"+
		"2,120,R,4,0.8,0.2,-0.8,0,,bar,0.7\n"+
		"3,130,N2,,0.5,0.1,-0.4,0,0.5,bar,0.95\n")
	ds, err := plots.ReadDreams(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ds[0].Sources, []int{3, 17}) || ds[0].Class != "ring" || ds[0].Gate != 0.15 {
		t.Errorf("dream 1 = %+v", ds[0])
	}
	if !math.IsNaN(ds[1].Gate) || ds[2].Sources != nil {
		t.Errorf("empty cells: gate %v, sources %v", ds[1].Gate, ds[2].Sources)
	}
	for i, want := range []bool{true, false, false} { // arousal 0.7 is not > 0.7; affect -0.4 is not < -0.5
		if got := ds[i].Nightmare(); got != want {
			t.Errorf("dream %d nightmare = %v, want %v", i+1, got, want)
		}
	}
}

// TestReadResultsValues checks that NaN cells are dropped per condition.
func TestReadResultsValues(t *testing.T) {
	t.Parallel()
	path := writeFile(t, "results.csv", "condition,seed,retention,dream_count\nintact,1,0.5,10\nintact,2,,12\nablated,1,0.7,NaN\n")
	r, err := plots.ReadResults(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Values("intact", "retention"); !reflect.DeepEqual(got, []float64{0.5}) {
		t.Errorf("intact retention = %v", got)
	}
	if got := r.Values("ablated", "dream_count"); got != nil {
		t.Errorf("ablated dream_count = %v, want none", got)
	}
	if r.Has("missing") || !r.Has("dream_count") {
		t.Errorf("Has is wrong")
	}
}

// TestReadSummaryAndManifest checks null metrics, the status check and the
// manifest checks.
func TestReadSummaryAndManifest(t *testing.T) {
	t.Parallel()
	s, err := plots.ReadSummary(writeFile(t, "summary.json", `{"condition":"intact","seed":2,"status":"ok","error":"","retention":0.5,"nightmare_recall_rate":null}`))
	if err != nil {
		t.Fatal(err)
	}
	if s.Seed != 2 || s.Metrics["retention"] != 0.5 || !math.IsNaN(s.Metrics["nightmare_recall_rate"]) {
		t.Errorf("summary = %+v", s)
	}
	if _, err := plots.ReadSummary(writeFile(t, "summary.json", `{"condition":"intact","seed":2,"status":"done"}`)); err == nil || !strings.Contains(err.Error(), `"done"`) {
		t.Errorf("bad status: err = %v", err)
	}
	s, err = plots.ReadSummary(writeFile(t, "summary.json", `{"condition":"intact","seed":2,"status":"ok","config_hash":"ab12","git_dirty":false}`))
	if err != nil || s.Text["config_hash"] != "ab12" || s.Text["git_dirty"] != "false" {
		t.Errorf("text fields: %+v, err %v", s.Text, err)
	}
	if _, err := plots.ReadSummary(writeFile(t, "summary.json", `{"condition":"intact","seed":2,"status":"ok","retention":[0.5]}`)); err == nil || !strings.Contains(err.Error(), `"retention"`) {
		t.Errorf("array metric: err = %v", err)
	}

	m, err := plots.ReadManifest(writeFile(t, "manifest.json", `{"name":"x","seeds":[1,2],"conditions":[{"name":"a","dose":null},{"name":"b","dose":0.5},{"name":"c","dose":1}],"command":["simulate","-seeds","2"]}`))
	if err != nil {
		t.Fatal(err)
	}
	if m.Control != "a" || !m.IsDoseSweep() || m.Command != "simulate -seeds 2" || !reflect.DeepEqual(m.ConditionNames(), []string{"a", "b", "c"}) {
		t.Errorf("manifest = %+v", m)
	}
	for _, bad := range []string{
		`{"name":"x","conditions":[]}`,
		`{"name":"x","control":"z","conditions":[{"name":"a"}]}`,
		`{"name":"x","conditions":[{"name":"a"},{"name":"a"}]}`,
		`{"name":"x","conditions":[{"name":"a"}]`,
	} {
		if _, err := plots.ReadManifest(writeFile(t, "manifest.json", bad)); err == nil || !strings.Contains(err.Error(), "manifest.json") {
			t.Errorf("manifest %s: err = %v", bad, err)
		}
	}
}

// TestReadExperimentFixture checks run discovery on the fixtures: control
// first, seeds in order, and the failed run of the dose sweep.
func TestReadExperimentFixture(t *testing.T) {
	t.Parallel()
	exp, err := plots.ReadExperiment("testdata/pfc-dose")
	if err != nil {
		t.Fatal(err)
	}
	if len(exp.Runs) != 15 || exp.Runs[0].Condition != "intact" || exp.Runs[0].Seed != 1 || exp.Runs[2].Seed != 3 {
		t.Errorf("runs = %v", exp.Runs)
	}
	failed := exp.FailedRuns()
	if len(failed) != 1 || failed[0].Condition != "pfc-0.8" || failed[0].Seed != 3 || failed[0].Error == "" {
		t.Errorf("failed runs = %+v", failed)
	}
	if n := len(exp.OKRuns("pfc-0.8")); n != 2 {
		t.Errorf("OK runs of pfc-0.8 = %d, want 2", n)
	}
	if len(exp.Expectations) != 5 || len(exp.Stats) != 5*18 || len(exp.Results.Runs) != 15 {
		t.Errorf("tables: %d expectations, %d stats, %d results", len(exp.Expectations), len(exp.Stats), len(exp.Results.Runs))
	}
	epochs, err := plots.ReadHypnogram(exp.Runs[0].File("hypnogram.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// 8 h in bed in 30-s epochs.
	if len(epochs) != 960 || epochs[0].Stage != plots.Wake {
		t.Errorf("hypnogram: %d epochs, first %v", len(epochs), epochs[0].Stage)
	}
}
