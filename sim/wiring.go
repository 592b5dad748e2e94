package sim

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Connection joins an output of one region to an input of another.
type Connection struct {
	From   string // sending region
	Output string // output of the sending region
	To     string // receiving region
	Input  string // name the receiver sees in Message.Input; defaults to Output
	Delay  Tick   // ticks from send to arrival, at least 1
}

// String returns "from.output -> to.input (delay d)".
func (c Connection) String() string {
	return fmt.Sprintf("%s.%s -> %s.%s (delay %d)", c.From, c.Output, c.To, c.input(), c.Delay)
}

func (c Connection) input() string {
	if c.Input == "" {
		return c.Output
	}
	return c.Input
}

// Wiring is the set of regions of a run and the connections between them.
type Wiring struct {
	Regions     []Region
	Connections []Connection
}

// MinDelay returns the smallest delay of the wiring, the window length of
// the engine; a wiring without connections has windows of maxWindow ticks.
func (w Wiring) MinDelay() Tick {
	min := Tick(maxWindow)
	for _, c := range w.Connections {
		if c.Delay < min {
			min = c.Delay
		}
	}
	return min
}

// maxWindow bounds the window of a wiring without connections, so that
// cancellation and recorders still see regular boundaries.
const maxWindow = 1000

// Validate reports every problem of the wiring at once: duplicate or empty
// region names, connections to unknown regions or outputs, delays below one
// tick.
func (w Wiring) Validate() error {
	var errs []error
	byName := map[string]Region{}
	for _, r := range w.Regions {
		name := r.Name()
		switch {
		case name == "":
			errs = append(errs, errors.New("a region has an empty name"))
		case byName[name] != nil:
			errs = append(errs, fmt.Errorf("region %q appears twice", name))
		default:
			byName[name] = r
		}
	}
	names := make([]string, 0, len(byName))
	for n := range byName {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, c := range w.Connections {
		from, ok := byName[c.From]
		if !ok {
			errs = append(errs, fmt.Errorf("connection %v: unknown region %q (regions: %s)", c, c.From, strings.Join(names, ", ")))
		} else if !slices.Contains(from.Outputs(), c.Output) {
			errs = append(errs, fmt.Errorf("connection %v: region %q has no output %q (outputs: %s)", c, c.From, c.Output, strings.Join(from.Outputs(), ", ")))
		}
		if _, ok := byName[c.To]; !ok {
			errs = append(errs, fmt.Errorf("connection %v: unknown region %q (regions: %s)", c, c.To, strings.Join(names, ", ")))
		}
		if c.Delay < 1 {
			errs = append(errs, fmt.Errorf("connection %v: delay must be at least 1 tick", c))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("sim: wiring: %w", errors.Join(errs...))
	}
	return nil
}
