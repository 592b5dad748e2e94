package plots

// metricUnits gives the unit of each known metric for axis labels. Metrics
// that are not listed are labelled with their name only.
var metricUnits = map[string]string{
	"retention":             "fraction",
	"retention_emotional":   "fraction",
	"retention_neutral":     "fraction",
	"emotional_advantage":   "fraction",
	"dream_count":           "dreams",
	"dream_recall_rate":     "fraction",
	"nightmare_recall_rate": "fraction",
	"dream_novelty":         "typical distances",
	"dream_bizarreness":     "0–1",
	"generalization_error":  "a.u.",
	"rem_fraction":          "fraction of TST",
	"n3_fraction":           "fraction of TST",
	"n2_fraction":           "fraction of TST",
	"n1_fraction":           "fraction of TST",
	"sleep_efficiency":      "fraction",
	"rem_latency_min":       "min",
	"cycle_count":           "cycles",
	"mean_cycle_min":        "min",
	"readout_accuracy":      "fraction",
	"held_out_neg_elbo":     "nats",
	// Metrics the runner added beyond the contract's list.
	"strength_advantage":        "fraction",
	"replay_advantage":          "fraction",
	"mean_hippocampal_strength": "0–1",
	"mean_cortical_score":       "0–1",
	"replays_per_memory":        "replays",
	"dreams_recalled":           "dreams",
	"nightmare_count":           "dreams",
	"rem_awakening_recall_rate": "fraction",
	"dream_affect":              "−1 to 1",
	"out_of_day_error":          "a.u.",
	"tst_min":                   "min",
	"awakenings":                "count",
}

// metricLabel returns "metric (unit)".
func metricLabel(metric string) string {
	if u, ok := metricUnits[metric]; ok {
		return metric + " (" + u + ")"
	}
	return metric
}

// metricUnit returns the unit of a metric, or "metric units".
func metricUnit(metric string) string {
	if u, ok := metricUnits[metric]; ok {
		return u
	}
	return "metric units"
}
