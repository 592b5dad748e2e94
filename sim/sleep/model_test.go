package sleep

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestDefaultModelParamsValid(t *testing.T) {
	t.Parallel()
	if err := DefaultModelParams().Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestModelParamsValidate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		set  func(*ModelParams)
		want string
	}{
		{func(p *ModelParams) { p.TauRiseH = 0 }, "ModelParams.TauRiseH = 0, want in (0, 100] h"},
		{func(p *ModelParams) { p.TauDecayH = -4.2 }, "ModelParams.TauDecayH = -4.2, want in (0, 100] h"},
		{func(p *ModelParams) { p.LightsOffH = 24 }, "ModelParams.LightsOffH = 24, want in [0, 24) h"},
		{func(p *ModelParams) { p.TimeInBedMin = 10 }, "ModelParams.TimeInBedMin = 10, want in [30, 1440] min"},
		{func(p *ModelParams) { p.TimeInBedMin = 480.2 }, "ModelParams.TimeInBedMin = 480.2, want a multiple of 0.5 min"},
		{func(p *ModelParams) { p.PriorWakeH = math.NaN() }, "ModelParams.PriorWakeH = NaN, want in [0, 48] h"},
		{func(p *ModelParams) { p.LowerThreshold = 0.7 }, "ModelParams.LowerThreshold = 0.7, want in (0, 0.67) (UpperThreshold)"},
		{func(p *ModelParams) { p.UpperThreshold = 1 }, "ModelParams.UpperThreshold = 1, want in (0, 1)"},
		{func(p *ModelParams) { p.CircadianAmp = math.Inf(1) }, "ModelParams.CircadianAmp = +Inf, want in [0, 0.5]"},
		{func(p *ModelParams) { p.SOLMedianMin = 0 }, "ModelParams.SOLMedianMin = 0, want in [0.5, 120] min"},
		{func(p *ModelParams) { p.SleepinessScale = 0 }, "ModelParams.SleepinessScale = 0, want in (0, 1]"},
		{func(p *ModelParams) { p.REMPressureMin = 5 }, "ModelParams.REMPressureMin = 5, want in [10, 300] min"},
		{func(p *ModelParams) { p.PreREMFrac = 0.2 }, "ModelParams.PreREMFrac = 0.2, want in [0.5, 1]"},
		{func(p *ModelParams) { p.REMHomeostaticWeight = 1.5 }, "ModelParams.REMHomeostaticWeight = 1.5, want in [0, 1]"},
		{func(p *ModelParams) { p.N3Threshold = 0 }, "ModelParams.N3Threshold = 0, want in (0, 1)"},
		{func(p *ModelParams) { p.SWAFallMin = 0 }, "ModelParams.SWAFallMin = 0, want in (0, 60] min"},
		{func(p *ModelParams) { p.WakeContinueProb = 1 }, "ModelParams.WakeContinueProb = 1, want in [0, 0.95]"},
		{func(p *ModelParams) { p.AwakeningsPerH = -1 }, "ModelParams.AwakeningsPerH = -1, want in [0, 30] 1/h"},
		{func(p *ModelParams) { p.N1PerH = 61 }, "ModelParams.N1PerH = 61, want in [0, 60] 1/h"},
	}
	for _, c := range cases {
		p := DefaultModelParams()
		c.set(&p)
		err := p.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Validate() = %v, want an error containing %q", err, c.want)
		}
	}
}

// TestModelParamsValidateAll checks that the zero value is rejected with
// one message per field that must not be zero, all at once.
func TestModelParamsValidateAll(t *testing.T) {
	t.Parallel()
	err := ModelParams{}.Validate()
	if err == nil {
		t.Fatal("zero ModelParams validated")
	}
	msg := err.Error()
	for _, f := range []string{"TimeInBedMin", "TauRiseH", "TauDecayH", "UpperThreshold", "LowerThreshold", "SOLMedianMin",
		"SleepinessScale", "OnsetN1Min", "REMPressureMin", "PreREMFrac", "REMMaxMin", "SWARisePerMin", "SWAFallMin", "N3Threshold"} {
		if !strings.Contains(msg, "ModelParams."+f+" = 0") {
			t.Errorf("error does not name %s:\n%s", f, msg)
		}
	}
	// Fields whose zero switches a mechanism off are not reported.
	for _, f := range []string{"CircadianAmp", "SOLSpread", "CycleJitter", "REMJitter", "SWANoise", "AwakeningsPerH", "N1PerH", "LightsOffH", "PriorWakeH"} {
		if strings.Contains(msg, "ModelParams."+f+" ") {
			t.Errorf("error names %s, whose zero is allowed:\n%s", f, msg)
		}
	}
}

// TestModelParamsFieldsChecked checks that Validate covers every field: a
// NaN in any field is reported under that field's name.
func TestModelParamsFieldsChecked(t *testing.T) {
	t.Parallel()
	typ := reflect.TypeOf(ModelParams{})
	for i := range typ.NumField() {
		p := DefaultModelParams()
		reflect.ValueOf(&p).Elem().Field(i).SetFloat(math.NaN())
		name := typ.Field(i).Name
		if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "ModelParams."+name+" = NaN") {
			t.Errorf("NaN in %s: Validate() = %v", name, err)
		}
	}
}
