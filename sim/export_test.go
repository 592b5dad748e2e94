package sim

// ForceGroups makes e's concurrent executor step its regions in g groups
// in every window instead of tuning the number (g = 0 tunes again).
func ForceGroups(e *Engine, g int) { e.tune.force = g }
