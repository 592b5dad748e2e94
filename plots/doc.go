// Package plots draws the figures and the HTML report of a finished dreamsim
// experiment from its result files.
//
// plots never touches a running simulation: it reads the experiment folder the
// runner wrote (manifest.json, results.csv, stats.csv, expectations.csv and
// runs/<condition>/seed-<n>/{hypnogram,cycles,activity,memories,dreams,images,
// latents}.csv with summary.json), so that `simulate plot DIR` can redraw any
// experiment. The readers (ReadManifest, ReadHypnogram, ...) check every file
// against the output contract and report problems with the file, the line
// and the column.
//
// # Figures
//
// Each figure has a constructor that takes parsed values and returns a
// *Figure, which Save writes as NAME.png (300 dpi) and NAME.svg:
//
//	name                 constructor              width
//	hypnogram            HypnogramFigure          PageWidth (7 in)
//	activity             ActivityFigure           PageWidth
//	memory-survival      MemorySurvivalFigure     PageWidth; ColumnWidth when only retention is known
//	dream-gallery        DreamGalleryFigure       PageWidth
//	latent-map           LatentMapFigure          PageWidth
//	ablation-effects     AblationEffectsFigure    PageWidth
//	dose-response        DoseResponseFigure       PageWidth
//	stage-architecture   StageArchitectureFigure  ColumnWidth (3.5 in); PageWidth beyond four conditions
//
// Time-series and multi-panel figures take the full page width so that an
// 8-hour night or a 2x2 grid stays legible; the stage-architecture summary
// fits a single column. Figures are drawn at print size, so that the font
// sizes (7 pt ticks, 8 pt labels) are the printed sizes. Colours follow the
// Okabe-Ito palette recommended for colour-blind readers (Okabe & Ito 2008;
// Wong 2011, Nature Methods 8:441); heat maps use viridis. Verdicts and
// conditions are told apart by marker shape as well as by colour. Text is set
// in Liberation Sans, embedded in gonum/plot, so PNG renders are the same on
// every machine.
//
// DrawAll picks, for a whole experiment folder, the data every figure needs
// (for example the first three control seeds for the hypnogram, the first
// control run for the activity and the dream gallery, every run for memory
// survival and sleep architecture), skips figures that have no data (no dose
// sweep, no images) and writes them to DIR/figures/. WriteReport writes
// DIR/report.html, one self-contained page with the verdicts, the statistics,
// every figure and the provenance.
//
//	files, err := plots.DrawAll("out/mch-forgetting")
//	if err != nil {
//		// Some input was malformed; the other figures were still written.
//	}
//	err = plots.WriteReport("out/mch-forgetting")
package plots
