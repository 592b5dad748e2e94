#!/usr/bin/python3
"""Brian2 side of dreamsim's peer benchmark: five coupled Wilson-Cowan populations.

The model, parameters and protocol are those of shared/bench-wilson-cowan.md
(Wilson & Cowan 1972, Biophys J 12:1, limit-cycle parameters), the same as
neurons.WilsonCowan in Go:

    tauE dE_i/dt = -E_i + S_E(wEE*E_i - wEI*I_i + P_i + c*inE_i)
    tauI dI_i/dt = -I_i + S_I(wIE*E_i - wII*I_i + Q)
    inE_i = sum over j != i of w*E_j   (a Synapses summed variable)

integrated with method="euler" at defaultclock.dt = 0.1 ms for 60 s, E
recorded every 1 ms by a StateMonitor.

Usage:
    brian2_wc.py --mode numpy|cython|cpp_standalone --e0 e0.txt --out traj.bin
                 [--duration 60] [--build-dir DIR] [--cython-cache DIR]

--e0 reads the initial E values written by bench/wilsoncowan (-e0), one per
line, so that both sides start from the same state. --out writes the
trajectory as raw little-endian float64, sample-major (60,000 x 5), the
format of bench/wilsoncowan's binary output.

Timings go to standard output. For cpp_standalone the script reports code
generation and compilation separately from the compiled binary's own run, as
lines "build_seconds=...", "binary_seconds=..." (the binary's process, timed
around Brian2's device.run) and "brian2_run_seconds=..." (the run time that
the binary itself reports, without start-up and result writing).
"""

import argparse
import os
import sys
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mode", required=True, choices=["numpy", "cython", "cpp_standalone"])
    ap.add_argument("--e0", required=True, help="initial E values, one per line")
    ap.add_argument("--out", help="trajectory file (raw little-endian float64)")
    ap.add_argument("--duration", type=float, default=60.0, help="simulated time in s")
    ap.add_argument("--build-dir", default=None, help="cpp_standalone project directory")
    ap.add_argument("--cython-cache", default=None, help="Cython cache directory (a fresh one times a cold cache)")
    args = ap.parse_args()

    t_start = time.perf_counter()
    import numpy as np
    import brian2 as b2
    from brian2 import ms, second

    with open(args.e0) as f:
        e0 = np.array([float(line) for line in f if line.strip()])
    n = len(e0)

    if args.mode == "cpp_standalone":
        build_dir = args.build_dir or "brian2_wc_standalone"
        b2.set_device("cpp_standalone", directory=build_dir, build_on_run=False)
    else:
        b2.prefs.codegen.target = args.mode
        if args.mode == "cython" and args.cython_cache:
            b2.prefs.codegen.runtime.cython.cache_dir = args.cython_cache

    b2.defaultclock.dt = 0.1 * ms
    params = dict(
        aE=1.3, thE=4.0, aI=2.0, thI=3.7,
        wEE=16.0, wEI=12.0, wIE=15.0, wII=3.0,
        Q=0.0, c=0.5, tauE=8 * ms, tauI=8 * ms,
    )
    eqs = """
    dE/dt = (-E + 1/(1 + exp(-aE*(wEE*E - wEI*I + P + c*inE - thE))))/tauE : 1
    dI/dt = (-I + 1/(1 + exp(-aI*(wIE*E - wII*I + Q - thI))))/tauI : 1
    P : 1 (constant)
    inE : 1
    """
    group = b2.NeuronGroup(n, eqs, method="euler", namespace=params)
    group.P = 1.0 + 0.25 * np.arange(n)
    group.E = e0
    group.I = 0.0
    syn = b2.Synapses(group, group, model="""
    w : 1
    inE_post = w*E_pre : 1 (summed)
    """)
    syn.connect(condition="i != j")
    syn.w = 0.25
    mon = b2.StateMonitor(group, "E", record=True, dt=1 * ms)
    net = b2.Network(group, syn, mon)

    t_run = time.perf_counter()
    net.run(args.duration * second)
    t_after_run = time.perf_counter()

    if args.mode == "cpp_standalone":
        b2.device.build(directory=build_dir, compile=True, run=False)
        t_built = time.perf_counter()
        b2.device.run(build_dir, with_output=False, run_args=[])
        t_ran = time.perf_counter()
        print(f"build_seconds={t_built - t_after_run:.4f}")
        print(f"binary_seconds={t_ran - t_built:.4f}")
        print(f"brian2_run_seconds={b2.device._last_run_time:.4f}")
    else:
        print(f"run_seconds={t_after_run - t_run:.4f}")

    traj = np.ascontiguousarray(mon.E[:].T, dtype="<f8")  # samples x populations
    if args.out:
        traj.tofile(args.out)
    print(f"setup_seconds={t_run - t_start:.4f}")
    print(f"in_process_seconds={time.perf_counter() - t_start:.4f}")
    print("samples=%d populations=%d final_E=%s" % (traj.shape[0], traj.shape[1],
          " ".join("%.6f" % v for v in traj[-1])))


if __name__ == "__main__":
    sys.exit(main())
