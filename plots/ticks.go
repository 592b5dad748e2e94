package plots

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// stepTicks returns a ticker with major ticks every step data units, labelled
// with format, and unlabelled minor ticks every minor units (0 for none).
func stepTicks(step, minor float64, format func(float64) string) plot.Ticker {
	return plot.TickerFunc(func(lo, hi float64) []plot.Tick {
		var ts []plot.Tick
		if minor > 0 {
			for v := math.Ceil(lo/minor) * minor; v <= hi+1e-9; v += minor {
				if math.Abs(math.Remainder(v, step)) > 1e-9 {
					ts = append(ts, plot.Tick{Value: v})
				}
			}
		}
		for i := math.Ceil(lo/step - 1e-9); i*step <= hi+1e-9; i++ {
			v := i * step
			if v == 0 {
				v = 0 // no negative zero in labels
			}
			ts = append(ts, plot.Tick{Value: v, Label: format(v)})
		}
		return ts
	})
}

// autoTicks returns a ticker with about n labelled ticks at 1, 2 or 5 times
// a power of ten, printed with just enough decimals, and unlabelled minor
// ticks halfway.
func autoTicks(n int) plot.Ticker {
	return plot.TickerFunc(func(lo, hi float64) []plot.Tick {
		step := niceStep(hi-lo, n)
		// At least three labelled ticks: step down 5 -> 2 -> 1 -> 0.5 ...
		for k := 0; k < 6 && math.Floor(hi/step+1e-9)-math.Ceil(lo/step-1e-9)+1 < 3; k++ {
			step = smallerNiceStep(step)
		}
		prec := max(0, int(-math.Floor(math.Log10(step)+1e-9)))
		return stepTicks(step, step/2, func(v float64) string { return formatNum(v, prec) }).Ticks(lo, hi)
	})
}

// smallerNiceStep returns the next smaller step of the 1, 2, 5 series.
func smallerNiceStep(step float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(step)+1e-9))
	switch m := math.Round(step / p); {
	case m >= 5:
		return 2 * p
	case m >= 2:
		return p
	default:
		return p / 2
	}
}

// blankLabels returns t with the labels removed, for the inner panels of a
// column that shares its x axis.
func blankLabels(t plot.Ticker) plot.Ticker {
	return plot.TickerFunc(func(lo, hi float64) []plot.Tick {
		ts := t.Ticks(lo, hi)
		for i := range ts {
			ts[i].Label = ""
		}
		return ts
	})
}

// categoryTicks labels the integer positions 0, 1, ... with names.
func categoryTicks(names []string) plot.Ticker {
	return plot.TickerFunc(func(lo, hi float64) []plot.Tick {
		ts := make([]plot.Tick, len(names))
		for i, n := range names {
			ts[i] = plot.Tick{Value: float64(i), Label: n}
		}
		return ts
	})
}

// formatNum formats v with prec digits after the point.
func formatNum(v float64, prec int) string {
	return strconv.FormatFloat(v, 'f', prec, 64)
}

// niceStep returns a tick step of 1, 2 or 5 times a power of ten that gives
// about n ticks over span.
func niceStep(span float64, n int) float64 {
	if span <= 0 || n < 1 {
		return 1
	}
	raw := span / float64(n)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}
