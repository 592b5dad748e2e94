package sim

// ForceGroups makes e's concurrent executor step its regions in g groups
// in every window instead of tuning the number (g = 0 tunes again).
func ForceGroups(e *Engine, g int) { e.tune.force = g }

// GroupChoices returns how many windows e's concurrent executor stepped in
// one group and in one group per core.
func GroupChoices(e *Engine) (one, all int) { return e.tune.choices[0], e.tune.choices[1] }
