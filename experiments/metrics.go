package experiments

// Metrics lists the metrics of a run, the columns of results.csv after
// condition and seed and the keys of summary.json. NaN (an empty cell, null
// in JSON) means undefined in that run, e.g. the nightmare recall rate of a
// night without nightmares.
var Metrics = []string{
	// Memory.
	"retention",           // fraction of the day's episodes recalled at test
	"retention_emotional", // the same over emotional episodes
	"retention_neutral",   // the same over neutral episodes
	"emotional_advantage", // retention_emotional - retention_neutral
	"strength_advantage",  // retention of episodes encoded above the run's median strength minus below it
	"replay_advantage",    // retention of episodes replayed more than the run's median minus the rest
	"mean_hippocampal_strength",
	"mean_cortical_score", // mean reconstruction recall score of the cortical route
	"replays_per_memory",  // sharp-wave ripple replays per episode
	// Dreams.
	"dream_count",               // dream scenes generated
	"dream_recall_rate",         // fraction of dreams recalled at the morning test
	"dreams_recalled",           // number of dreams recalled at the morning test
	"nightmare_count",           // dreams with affect < -0.5 and arousal > 0.7
	"nightmare_recall_rate",     // fraction of nightmares recalled at the morning test
	"rem_awakening_recall_rate", // fraction of awakenings out of REM followed by a dream report
	"dream_novelty",             // mean novelty of the dreams
	"dream_bizarreness",         // mean bizarreness of the dreams
	"dream_affect",              // mean affect (valence) of the dreams
	// The cortex's generative network.
	"generalization_error", // relative gap of held-out to training negative ELBO
	"out_of_day_error",     // the same gap on variations outside a narrow day's range (NaN for a broad day)
	"readout_accuracy",     // linear separability of held-out latents (PAD)
	// Sleep architecture (mean over the nights of the run).
	"tst_min", "sleep_efficiency", "rem_fraction", "n3_fraction", "n2_fraction", "n1_fraction",
	"rem_latency_min", "cycle_count", "mean_cycle_min", "awakenings",
}
