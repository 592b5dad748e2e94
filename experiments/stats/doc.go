// Package stats provides the statistics that turn per-run metric values of
// pre-registered experiment conditions into summaries, comparisons and verdicts.
//
// # Overview
//
// The experiment runner calls the package once per condition x metric:
//
//	s := stats.Describe(values, rng)           // n, mean, SD, 95% t interval
//	c := stats.Compare(treated, control, rng)  // Welch t, Hedges g, permutation p
//	adj := stats.Holm(pValues)                 // family-wise correction
//	v := stats.Judge(expectation, c, adj[i])   // pass, fail or inconclusive
//
// Methods and their sources:
//
//   - Confidence interval of a mean: Student t interval (Student 1908) by
//     default; percentile bootstrap (Efron 1979) on request (Settings.CI). The
//     t interval is the default because the percentile bootstrap is known to
//     under-cover at the small n of simulation seeds (Hesterberg 2015); the
//     coverage test in this package measures both.
//   - Difference of two means: Welch's unequal-variance t test with the
//     Welch-Satterthwaite degrees of freedom (Welch 1947; Satterthwaite 1946),
//     two-sided p, and the matching t interval of the difference.
//   - Effect size: Hedges' g, the standardised mean difference with the pooled
//     SD and the exact small-sample bias correction J (Hedges & Olkin 1985).
//   - Permutation test of the difference of means (Fisher 1935; Pitman 1937),
//     exact by enumeration of all group splits when there are few, otherwise
//     Monte Carlo with the add-one correction (Phipson & Smyth 2010).
//   - Multiple comparisons: Holm's step-down Bonferroni adjustment (Holm 1979).
//   - Equivalence: two one-sided tests, TOST (Schuirmann 1987; Lakens 2017).
//
// # Missing and degenerate data
//
// NaN marks a metric that is undefined in a run. Every function drops NaN
// values before computing anything, and N (Summary.N, Comparison.NA and NB)
// counts the values that remain. ±Inf values are kept: statistics that touch
// them become NaN or ±Inf as IEEE arithmetic gives. Nothing panics on data:
//
//   - no values: every statistic is NaN;
//   - one value: the mean is that value; SD, intervals, t, p and g are NaN
//     (a variance needs two values); the permutation p is still computed;
//   - both groups constant and equal: Diff = 0, T = 0, PWelch = 1, g = 0;
//   - both groups constant and different: T = ±Inf, PWelch = 0, g = ±Inf, the
//     interval of the difference is [Diff, Diff] and DF = NA+NB-2 by convention.
//
// Results depend only on the multiset of values of each group and on the
// state of the injected *rand.Rand, never on the order of the runs (values are
// sorted before any arithmetic), so a sharded-then-merged experiment gives
// bit-identical statistics to an unsharded one as long as each comparison gets
// a random source seeded the same way. Only the Monte Carlo permutation test
// and the bootstrap draw random numbers.
//
// # Verdict rules (for the README)
//
//	Direction ">" (condition above control, Diff = mean(condition) - mean(control)):
//	  pass          Diff > 0, adjusted p < Alpha and |g| >= MinEffect
//	  fail          Diff < 0 and adjusted p < Alpha (significant in the opposite direction)
//	  inconclusive  otherwise
//	Direction "<": the mirror image of ">".
//	Direction "=" (equivalence within a margin Δ):
//	  pass          TOST p < Alpha: both one-sided Welch tests reject |true Diff| >= Δ
//	  fail          adjusted p < Alpha and |Diff| > Δ (a significant difference beyond the margin)
//	  inconclusive  otherwise
//	Δ is Expectation.EquivalenceMargin in the metric's own units, or, when that is
//	zero, EquivalenceMarginSD (default 0.5) times the pooled SD of the two groups.
//	Alpha defaults to 0.05. A NaN p (too few runs) is always inconclusive.
//
// The directional rules use the two-sided p of stats.csv, so a false "pass" of a
// ">" or "<" expectation under the null happens with probability Alpha/2, and a
// false "pass" or "fail" with probability Alpha. The TOST p is not adjusted for
// multiplicity: each "=" expectation is judged at Alpha.
package stats
