#!/usr/bin/python3
"""Check that two Wilson-Cowan benchmark trajectories agree.

Usage: compare_traj.py REF.bin OTHER.bin [--populations 5] [--max-abs 1e-6] [--min-corr 0.9999]

Both files hold raw little-endian float64, sample-major (samples x
populations), as written by bench/wilsoncowan and bench/brian2_wc.py. Both
sides integrate the same equations with forward Euler at the same dt from the
same initial state, so they differ only by floating-point rounding (operation
order, the exp implementation, and -ffast-math in Brian2's C++ build); the
default tolerances allow for that and nothing more. The script prints one
line of statistics and exits with status 1 if the shapes differ, a value is
non-finite, the largest absolute difference exceeds --max-abs (this also
bounds the difference of the final values), or the lowest per-population
correlation over the run is below --min-corr.
"""

import argparse
import sys

import numpy as np


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ref")
    ap.add_argument("other")
    ap.add_argument("--populations", type=int, default=5)
    ap.add_argument("--max-abs", type=float, default=1e-6)
    ap.add_argument("--min-corr", type=float, default=0.9999)
    args = ap.parse_args()

    a = np.fromfile(args.ref, dtype="<f8")
    b = np.fromfile(args.other, dtype="<f8")
    if a.size != b.size or a.size % args.populations:
        print(f"shape mismatch: {a.size} vs {b.size} values")
        return 1
    a = a.reshape(-1, args.populations)
    b = b.reshape(-1, args.populations)
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        print("non-finite values in a trajectory")
        return 1
    diff = np.abs(a - b)
    max_abs = diff.max()
    final_abs = diff[-1].max()
    corr = min(np.corrcoef(a[:, k], b[:, k])[0, 1] for k in range(args.populations))
    ok = max_abs <= args.max_abs and corr >= args.min_corr
    print(f"samples={a.shape[0]} max_abs_diff={max_abs:.3g} final_abs_diff={final_abs:.3g} "
          f"min_corr={corr:.12f} agree={'yes' if ok else 'NO'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
