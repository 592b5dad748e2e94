package experiments

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dreamsim/dreamsim/regions"
	"github.com/dreamsim/dreamsim/sim"
)

func loadTiny(t testing.TB) *Experiment {
	t.Helper()
	x, err := Load(filepath.Join("testdata", "tiny.toml"))
	require.NoError(t, err)
	return x
}

func TestResultsDoNotDependOnWorkers(t *testing.T) {
	t.Parallel()
	x := loadTiny(t)
	var csv [][]byte
	for _, workers := range []int{1, 4} {
		out := filepath.Join(t.TempDir(), "out")
		o, err := Execute(context.Background(), x, Options{Out: out, Workers: workers, Seeds: 3})
		require.NoError(t, err)
		require.Equal(t, 9, o.Ran)
		b, err := os.ReadFile(filepath.Join(out, "results.csv"))
		require.NoError(t, err)
		csv = append(csv, b)
	}
	require.Equal(t, string(csv[0]), string(csv[1]))
}

func TestExecutorsGiveSameRun(t *testing.T) {
	t.Parallel()
	x := loadTiny(t)
	var files []map[string]string
	for _, exec := range []sim.Executor{sim.Sequential, sim.Concurrent} {
		out := t.TempDir()
		_, err := RunOne(context.Background(), x, Run{Condition: "intact", Seed: 2}, out, exec)
		require.NoError(t, err)
		dir := Run{Condition: "intact", Seed: 2}.Dir(out)
		m := map[string]string{}
		entries, err := os.ReadDir(dir)
		require.NoError(t, err)
		for _, e := range entries {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			require.NoError(t, err)
			m[e.Name()] = string(b)
		}
		files = append(files, m)
	}
	require.Equal(t, files[0], files[1])
	require.Contains(t, files[0], "summary.json")
	require.Contains(t, files[0], "activity.csv")
}

func TestResolvedConfigReloadsToSameExperiment(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"testdata/tiny.toml", "izawa2019.toml", "rem-deprivation.toml", "overfitted-brain.toml", "pfc-gating.toml"} {
		x, err := Load(name)
		require.NoError(t, err, name)
		p := filepath.Join(t.TempDir(), "config.resolved.toml")
		require.NoError(t, os.WriteFile(p, []byte(x.Resolved), 0o644))
		y, err := Load(p)
		require.NoError(t, err, name)
		require.Equal(t, x.Hash, y.Hash, name)
		require.Equal(t, len(x.Conditions), len(y.Conditions))
		for i := range x.Conditions {
			require.Equal(t, x.Conditions[i].Config.Manipulations, y.Conditions[i].Config.Manipulations, name)
			require.Equal(t, x.Conditions[i].Config.Phases, y.Conditions[i].Config.Phases, name)
			require.Equal(t, x.Conditions[i].Config.Clock.Schedule, y.Conditions[i].Config.Clock.Schedule, name)
		}
	}
}

func TestShippedExperimentsLoad(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.toml")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(files), 8)
	for _, f := range files {
		x, err := Load(f)
		require.NoError(t, err, f)
		require.NotEmpty(t, x.Info.Description, f)
		require.NotEmpty(t, x.Info.Citation, f)
	}
	d, err := Default()
	require.NoError(t, err)
	require.Equal(t, "baseline", d.Info.Name)
}

// unstable is a region whose state overflows after a while: a test of
// numerical faults.
type unstable struct {
	x    float64
	rate float64
}

func (u *unstable) Name() string            { return "unstable" }
func (u *unstable) Outputs() []string       { return []string{"x"} }
func (u *unstable) Signals() []string       { return []string{"x"} }
func (u *unstable) Signal(int) float64      { return u.x }
func (u *unstable) Reset(env sim.Env) error { u.x = 1; return nil }
func (u *unstable) Step(s *sim.Step) error {
	u.x *= u.rate
	return nil
}
func (u *unstable) NonFinite() (string, bool) {
	if math.IsInf(u.x, 0) || math.IsNaN(u.x) {
		return "x", true
	}
	return "", false
}

func init() {
	err := regions.RegisterRegion("test-unstable", func(name string, decode func(any) error) (sim.Region, error) {
		p := struct {
			Rate float64 `toml:"rate"`
		}{Rate: 1}
		if err := decode(&p); err != nil {
			return nil, err
		}
		return &unstable{rate: p.Rate}, nil
	})
	if err != nil {
		panic(err)
	}
}

func TestNumericalFaultFailsOnlyThatRun(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile(filepath.Join("testdata", "tiny.toml"))
	require.NoError(t, err)
	dir := t.TempDir()
	// The condition "ablated" gets a region whose state grows 10x per tick
	// and overflows after about 300 ticks; the others are left alone.
	text := string(src) + `
[[condition]]
name = "overflow"
[[condition.region]]
name = "unstable"
kind = "test-unstable"
params = {rate = 10.0}
`
	p := filepath.Join(dir, "x.toml")
	require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	x, err := Load(p)
	require.NoError(t, err)
	out := filepath.Join(dir, "out")
	o, err := Execute(context.Background(), x, Options{Out: out, Workers: 2, Seeds: 2})
	require.NoError(t, err)
	require.Equal(t, 8, o.Ran)
	require.Equal(t, 2, o.Failed)
	b, err := os.ReadFile(filepath.Join(out, "runs", "overflow", "seed-1", "summary.json"))
	require.NoError(t, err)
	require.Contains(t, string(b), `"status": "failed"`)
	require.Contains(t, string(b), "region unstable: variable x became NaN or Inf at tick")
	b, err = os.ReadFile(filepath.Join(out, "runs", "intact", "seed-1", "summary.json"))
	require.NoError(t, err)
	require.Contains(t, string(b), `"status": "ok"`)
	res, err := os.ReadFile(filepath.Join(out, "results.csv"))
	require.NoError(t, err)
	require.Contains(t, string(res), "\noverflow,1,,,")
}
