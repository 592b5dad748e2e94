package plots

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// signalStyle is how a known activity signal is labelled and coloured.
type signalStyle struct {
	label      string      // label is the y-axis label with its unit.
	color      color.Color // color is the trace colour.
	normalised bool        // normalised signals share the fixed 0..1 axis.
}

// knownSignals are the default signals of activity.csv in the order drawn.
// The runner may name the population signals region.rate or
// region.activity; both are known.
var knownSignals = []string{
	"lc.ne", "mch.rate", "mch.activity", "pfc.rate", "pfc.activity", "amygdala.rate", "amygdala.activity",
	"hippocampus.ripples_per_min", "cortex.dreaming",
}

var signalStyles = map[string]signalStyle{
	"lc.ne":                       {"NE tone\n(0–1)", blue, true},
	"mch.rate":                    {"MCH rate\n(0–1)", reddishPurple, true},
	"mch.activity":                {"MCH activity\n(0–1)", reddishPurple, true},
	"pfc.rate":                    {"PFC rate\n(0–1)", bluishGreen, true},
	"pfc.activity":                {"PFC activity\n(0–1)", bluishGreen, true},
	"amygdala.rate":               {"Amygdala\n(0–1)", orange, true},
	"amygdala.activity":           {"Amygdala\n(0–1)", orange, true},
	"hippocampus.ripples_per_min": {"Ripples\n(/min)", skyBlue, false},
	"cortex.dreaming":             {"Dreaming\n(fraction)", black, true},
}

// Activity figure geometry.
const (
	activityPanelH = 0.78 * vg.Inch
)

// ActivityFigure draws one night of region activity as stacked panels that
// share the hypnogram's time axis (hours from lights-off): the hypnogram on
// top, then norepinephrine, MCH, PFC, amygdala, hippocampal ripple rate,
// cortical dreaming and any other signal of act, with REM periods shaded in
// every panel. The night is the first one: its lights-off is at t_min = 0
// of act. When night has epochs the axis ends at the end of the night,
// else at the last sample; samples before lights-off are left out. The
// figure is PageWidth wide and is named "activity".
func ActivityFigure(night NightPanel, act *Activity) (*Figure, error) {
	return ActivityNightFigure(night, act, 0)
}

// ActivityNightFigure is ActivityFigure for any night of a multi-night run:
// lightsOffMin is the night's lights-off on act's clock (minutes from the
// first night's lights-off; Activity.LightsOff finds it from the night's
// epochs), and the samples from there to the end of the night are drawn.
func ActivityNightFigure(night NightPanel, act *Activity, lightsOffMin float64) (*Figure, error) {
	if act == nil || len(act.TMin) == 0 {
		return nil, errors.New("plots: activity: no samples")
	}
	// The night's end in minutes from its lights-off, t0 on act's clock.
	t0 := lightsOffMin
	end := act.TMin[len(act.TMin)-1] - t0
	if n := len(act.TMin); n > 1 {
		end += act.TMin[n-1] - act.TMin[n-2]
	}
	if len(night.Epochs) > 0 {
		end = night.durationH() * 60
	}
	if end <= 0 {
		return nil, errors.New("plots: activity: no samples after lights-off")
	}

	// REM spans from the activity's own stage column.
	var rem [][2]float64
	for i, t := range act.TMin {
		if t -= t0; t < 0 || t >= end || act.Stage[i] != REM {
			continue
		}
		dt := EpochMin
		if i+1 < len(act.TMin) {
			dt = act.TMin[i+1] - act.TMin[i]
		}
		x0, x1 := t/60, (t+dt)/60
		if n := len(rem); n > 0 && math.Abs(rem[n-1][1]-x0) < 1e-9 {
			rem[n-1][1] = x1
			continue
		}
		rem = append(rem, [2]float64{x0, x1})
	}
	shade := xSpans{spans: rem, color: remShade}

	var order []string
	for _, s := range knownSignals {
		if _, ok := act.Signal(s); ok {
			order = append(order, s)
		}
	}
	for _, s := range act.Signals {
		if _, ok := signalStyles[s]; !ok {
			order = append(order, s)
		}
	}

	hours := stepTicks(1, 0.5, func(v float64) string { return strconv.Itoa(int(v + 0.5)) })
	var rows [][]*plot.Plot
	if len(night.Epochs) > 0 {
		hypShade := xSpans{color: remShade}
		for _, r := range stageRuns(night.Epochs) {
			if r.Stage == REM {
				hypShade.spans = append(hypShade.spans, [2]float64{night.hours(r.StartMin), night.hours(r.EndMin)})
			}
		}
		p, err := hypnogramPlot(night, end/60, false, hypShade)
		if err != nil {
			return nil, err
		}
		p.Title.Text = ""
		rows = append(rows, []*plot.Plot{p})
	}
	for k, name := range order {
		vals, _ := act.Signal(name)
		sty, ok := signalStyles[name]
		if !ok {
			sty = signalStyle{label: name, color: grey}
		}
		var pts plotter.XYs
		ymax := math.Inf(-1)
		for i, t := range act.TMin {
			if t -= t0; t < 0 || t >= end || math.IsNaN(vals[i]) || math.IsInf(vals[i], 0) {
				continue
			}
			pts = append(pts, plotter.XY{X: t / 60, Y: vals[i]})
			ymax = math.Max(ymax, vals[i])
		}
		p := newPlot()
		p.X.Min, p.X.Max = 0, end/60
		p.Y.Label.Text = sty.label
		p.Add(shade)
		if len(pts) > 0 {
			line, err := plotter.NewLine(pts)
			if err != nil {
				return nil, fmt.Errorf("plots: activity %s: %w", name, err)
			}
			line.LineStyle = lineStyle(sty.color, 0.6)
			p.Add(line)
		}
		switch {
		case sty.normalised && (ymax <= 1 || math.IsInf(ymax, -1)):
			p.Y.Min, p.Y.Max = 0, 1
			p.Y.Tick.Marker = stepTicks(0.5, 0, func(v float64) string { return formatNum(v, 1) })
		default:
			p.Y.Min = math.Min(0, p.Y.Min)
			p.Y.Max = niceCeil(math.Max(ymax, 1e-9))
			step := niceStep(p.Y.Max-p.Y.Min, 3)
			p.Y.Tick.Marker = stepTicks(step, 0, func(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) })
		}
		if k == len(order)-1 {
			p.X.Tick.Marker = hours
			p.X.Label.Text = "Time from lights-off (h)"
		} else {
			p.X.Tick.Marker = blankLabels(hours)
		}
		rows = append(rows, []*plot.Plot{p})
	}

	leg := newLegend()
	if len(night.Epochs) > 0 {
		leg.add("REM (hypnogram)", lineThumb{lineStyle(vermillion, remBarWidth)})
	}
	leg.add("REM period", patchThumb{remShade})
	h := vg.Length(len(rows))*activityPanelH + 0.45*vg.Inch + leg.height(PageWidth)
	if len(night.Epochs) > 0 {
		h += 0.25 * vg.Inch
	}
	title := night.Label
	return &Figure{
		Name:    "activity",
		Caption: "Region activity across the night (" + title + "), aligned with the hypnogram: norepinephrine tone (locus coeruleus), MCH, PFC and amygdala population rates (normalised 0–1), hippocampal sharp-wave ripple rate and the fraction of time the cortex generates a dream; REM periods are shaded. Values are means over the sampling interval.",
		Width:   PageWidth,
		Height:  h,
		Draw: func(c draw.Canvas) {
			c = leg.draw(c)
			if title != "" {
				sty := textStyle(sans(titleFontSize), color.Black)
				sty.XAlign, sty.YAlign = draw.XCenter, draw.YTop
				c.FillText(sty, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: c.Max.Y}, title)
				c.Max.Y -= titleFontSize * 1.4
			}
			alignGrid(c, rows, 0, vg.Points(5))
		},
	}, nil
}

// niceCeil rounds v up to 1, 2, 2.5 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= v-1e-12 {
			return m * p
		}
	}
	return 10 * p
}
