"""Time micrograd_like against micrograd, PyTorch (0-d tensors) and a hand-written floor.

    python benchmarks/bench.py              # everything (~10 min), writes benchmarks/results.md
    python benchmarks/bench.py --quick      # fewer repetitions, skips the slowest runs
    python benchmarks/bench.py --smoke      # tiny sizes, correctness only (exit 1 on mismatch)
    python benchmarks/bench.py --only W1,W4 --reps 9
    python benchmarks/bench.py --profile W1 # cProfile of micrograd_like on one workload

Workloads (sizes for the full run):
  W1  one training step of micrograd's demo: MLP(2, [16, 16, 1]), 100 moons
      points, hinge loss + 1e-4 * L2, forward + backward + SGD update
  W2  the same with MLP(2, [64, 64, 1])
  W3  a chain y = y * c + d, 10^4, 10^5 and 10^6 op nodes deep: time per node
  W4  a random wide graph of ~10^5 unfused ops (a + b * c): build and backward
  W5  peak memory per op node while building the W4 graph (tracemalloc;
      not measurable on PyPy, which has no tracemalloc)
  MOONS  the moons demo's 100 training steps, micrograd_like.compile against eager
      (W1 and W2 also time the compiled step; --no-compiled leaves that out)

First every engine runs every workload once and the losses and gradients
are compared (to 1e-9, relative for large values). Only if all agree does
timing start. Each time is the median of at least 5 repetitions,
measured with time.perf_counter after gc.collect(); the garbage collector
stays ON while timing, because the cost of collecting micrograd's
reference cycles is part of using micrograd.

On PyPy (``pypy3 benchmarks/bench.py --only W1,W4``) everything runs but
W5, as PyPy has neither tracemalloc nor gc.freeze; the report says so.
"""

from __future__ import annotations

import argparse
import functools
import gc
import importlib
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple

if __package__ in (None, ""):  # run as a script: import from the repository root
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from benchmarks import workloads as W  # noqa: E402
from benchmarks.report import Report, Row, _fmt_time, markdown, targets  # noqa: E402

try:
    import tracemalloc
except ImportError:  # PyPy: its tracemalloc module is a stub without _tracemalloc
    tracemalloc = None
IMPLEMENTATION = platform.python_implementation()  # "CPython", "PyPy"
NO_TRACEMALLOC = f"n/a: {IMPLEMENTATION} has no tracemalloc to measure memory with"
NO_FREEZE = f"nothing frozen ({IMPLEMENTATION} has no gc.freeze)"

HERE = Path(__file__).resolve().parent
ENGINE_MODULES = {  # key -> module; the order of the table rows
    "ours": "benchmarks.engine_ours",
    "micrograd": "benchmarks.engine_micrograd",
    "torch": "benchmarks.engine_torch",
    "bare": "benchmarks.engine_bare",
    "floor": "benchmarks.floor",
}
# micrograd_like.compile (issue 14): timed beside the engines above on the
# workloads it implements (W1, W2, and MOONS, the moons demo's 100 steps),
# and reported in a table of its own; --no-compiled leaves it out.
COMPILED_MODULE = "benchmarks.engine_compiled"
WORKLOADS = ("W1", "W2", "W3", "W4", "W5", "MOONS")
TOL = W.TOL
CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}
clock = time.perf_counter  # --clock cpu: time.process_time, steadier on a busy machine


class Sizes(NamedTuple):
    w1: Tuple[List[int], int]  # (nouts, number of samples)
    w2: Tuple[List[int], int]
    w3: List[int]  # chain lengths in op nodes
    w4: Dict[str, int]  # random_program arguments
    w5: Dict[str, int]
    moons: Tuple[int, int] = (100, 100)  # (samples, training steps) of the moons demo


FULL = Sizes(
    w1=([16, 16, 1], 100),
    w2=([64, 64, 1], 100),
    w3=[10**4, 10**5, 10**6],
    w4=dict(n_triples=46_800, n_leaves=1000, window=1000),
    w5=dict(n_triples=46_800, n_leaves=1000, window=1000),
)
SMOKE = Sizes(
    w1=([16, 16, 1], 12),
    w2=([24, 24, 1], 6),
    w3=[1_500],  # deeper than micrograd's default recursion limit (1000)
    w4=dict(n_triples=1_500, n_leaves=60, window=60),
    w5=dict(n_triples=500, n_leaves=60, window=60),
    moons=(12, 3),
)

# Runs left out on purpose: (engine, workload) -> why. Each would take
# minutes and none has a target; the reason is printed in the table.
SKIP_FULL = {
    ("torch", "W2"): "skipped: ~30 s per step; W1 shows the ratio",
    ("torch", "W3 10^6"): "skipped: ~40 s per run; 10^4 and 10^5 show its cost per node",
}
SKIP_QUICK = {**SKIP_FULL, ("micrograd", "W2"): "skipped (--quick): ~20 s per step"}


# --- engines -----------------------------------------------------------------


def load_engines(only: Optional[Sequence[str]] = None) -> Tuple[Dict[str, object], Dict[str, str]]:
    """The engines that import: {key: module}, and {key: why not} for the rest."""
    engines, missing = {}, {}
    for key, name in ENGINE_MODULES.items():
        if only is not None and key not in only:
            continue
        try:
            engines[key] = importlib.import_module(name)
        except ImportError as err:
            missing[key] = f"not installed ({err})"
    return engines, missing


# Row, Target, Report, the targets and the markdown: benchmarks/report.py


# --- correctness -------------------------------------------------------------


def compare(workload: str, results: Dict[str, Tuple[float, List[float]]], report: Report,
            checks: Optional[List[str]] = None, ref_key: Optional[str] = None) -> None:
    """Every engine's (value, gradients) against the reference: torch if present, else the floor."""
    checks = report.checks if checks is None else checks
    ref_key = ref_key or ("torch" if "torch" in results else "floor")
    ref_value, ref_grads = results[ref_key]
    for key, (value, grads) in results.items():
        if key == ref_key:
            continue
        bad = []
        if not W.close(value, ref_value, TOL):
            bad.append(f"value {value!r} != {ref_value!r}")
        if len(grads) != len(ref_grads):
            bad.append(f"{len(grads)} gradients, expected {len(ref_grads)}")
        else:
            wrong = [i for i, (g, r) in enumerate(zip(grads, ref_grads)) if not W.close(g, r, TOL)]
            if wrong:
                i = wrong[0]
                bad.append(f"{len(wrong)} gradients differ, e.g. [{i}] {grads[i]!r} != {ref_grads[i]!r}")
        worst = max([_rel(g, r) for g, r in zip(grads, ref_grads)] + [_rel(value, ref_value)])
        line = f"{workload}: {key} vs {ref_key}: {len(grads)} gradients, max difference {worst:.1e}"
        if bad:
            report.mismatches.append(f"{workload}: {key} disagrees with {ref_key}: " + "; ".join(bad))
            line += " MISMATCH"
        checks.append(line)


def _rel(a: float, b: float) -> float:
    return abs(a - b) / max(1.0, abs(a), abs(b))


def _timed(fn: Callable, *args):
    t0 = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - t0


def check_mlp(workload: str, nouts: List[int], n: int, engines, skip, report: Report,
              compiled=None) -> None:
    X, y = W.moons(n)
    weights = W.mlp_weights(len(X[0]), nouts)
    results = {}
    for key, e in engines.items():
        if (key, workload) in skip:
            continue
        model = e.mlp_setup(weights, W.LR)
        try:
            out, dt = _timed(e.mlp_step, model, X, y)
        except RecursionError as err:  # micrograd, on a Python where deep recursion is unsafe
            skip[key, workload] = f"RecursionError: {err}"
            continue
        results[key] = e.mlp_result(model, out)
        report.check_seconds[key, workload] = dt
    compare(workload, results, report)
    if compiled is not None and results:
        model = compiled.mlp_setup(weights, W.LR)
        out, dt = _timed(compiled.mlp_step, model, X, y)
        ref = "torch" if "torch" in results else "floor"
        compare(workload, {ref: results[ref], "compiled": compiled.mlp_result(model, out)},
                report, report.compiled_checks)
        report.check_seconds["compiled", workload] = dt


def check_chain(lengths: List[int], engines, skip, report: Report) -> None:
    for n in lengths:
        name = f"W3 {_pow10(n)}"
        results = {}
        for key, e in engines.items():
            if (key, name) in skip or not _chain_possible(key, e, n):
                continue
            out, dt = _timed(e.chain, n, W.Chain())
            results[key] = out
            report.check_seconds[key, name] = dt
        compare(name, results, report)


def _chain_possible(key: str, e, n: int) -> bool:
    return key != "micrograd" or n + 10 <= e.MAX_SAFE_DEPTH


def check_graph(program: W.Program, engines, skip, report: Report) -> None:
    results = {}
    for key, e in engines.items():
        if (key, "W4") in skip:
            continue
        leaves = e.graph_leaves(program)
        root, dt = _timed(e.graph_build, leaves, program)
        out, dt2 = _timed(e.graph_backward, root, program)
        results[key] = e.graph_result(leaves, root, out)
        report.check_seconds[key, "W4"] = dt + dt2
        del leaves, root, out
    compare(f"W4 ({program.n_nodes} nodes)", results, report)


# --- timing --------------------------------------------------------------------
#
# Engines take turns: round 1 runs every engine once, then round 2, and so
# on. A change in the machine's load then hits all engines alike, which
# keeps the ratios (the point of the table) steadier than the times.


def interleave(cases: Dict[str, Callable[[], Tuple[float, ...]]], reps: Dict[str, int]
               ) -> Dict[str, List[Tuple[float, ...]]]:
    """Call each case reps[key] times, round-robin; collect what each call returns."""
    out: Dict[str, List[Tuple[float, ...]]] = {key: [] for key in cases}
    for i in range(max(reps.values(), default=0)):
        for key, once in cases.items():
            if i < reps[key]:
                out[key].append(once())
    return out


def timed_call(run: Callable[[], object], setup: Callable[[], None] = lambda: None
               ) -> Callable[[], Tuple[float]]:
    """A case: setup() (untimed), gc.collect(), then run() timed.

    The collector stays enabled during run(). What run() returns is freed
    after the timer stops.
    """
    def once() -> Tuple[float]:
        setup()
        gc.collect()
        t0 = clock()
        out = run()
        t = clock() - t0
        del out
        return (t,)

    return once


def reps_for(key: str, workload: str, args, report: Report) -> int:
    """Runs over a second (micrograd, torch) get 5 repetitions, the minimum; others args.reps."""
    slow = report.check_seconds.get((key, workload), 0.0) > 1.0
    return min(args.reps, 5) if slow else args.reps


def run_cases(workload: str, cases, nodes: Optional[int], args, report: Report,
              labels: Sequence[str] = ()) -> None:
    """Warm up the fast cases, time all of them interleaved, add one row per label."""
    for key, once in cases.items():
        if report.check_seconds.get((key, workload), 0.0) < 1.0:
            once()  # untimed: the correctness check already warmed the slow ones
    reps = {key: reps_for(key, workload, args, report) for key in cases}
    times = interleave(cases, reps)
    for key, samples in times.items():
        for i, label in enumerate(labels or [workload]):
            report.rows.append(
                Row(label, key, statistics.median(t[i] for t in samples), nodes, reps[key])
            )
        _progress(report.rows[-1])


def time_mlp(workload: str, nouts: List[int], n: int, engines, skip, args, report: Report,
             compiled=None) -> None:
    X, y = W.moons(n)
    weights = W.mlp_weights(len(X[0]), nouts)
    cases = {}
    for key, e in engines.items():
        if (key, workload) in skip:
            report.rows.append(Row(workload, key, None, note=skip[key, workload]))
            continue
        model = e.mlp_setup(weights, W.LR)
        # every repetition is the same step, from the same weights
        cases[key] = timed_call(
            functools.partial(e.mlp_step, model, X, y),
            functools.partial(e.mlp_load, model, weights),
        )
    if compiled is not None:
        # steady state (the warm-up call traces), and a first call: compilation included
        demo = compiled.mlp_setup(weights, W.LR)
        cases["compiled"] = timed_call(functools.partial(compiled.mlp_step, demo, X, y),
                                       functools.partial(compiled.mlp_load, demo, weights))
        fresh = compiled.mlp_setup(weights, W.LR)
        cases["compiled first call"] = timed_call(
            functools.partial(compiled.mlp_step, fresh, X, y),
            functools.partial(compiled.mlp_recompile, fresh, weights))
        report.check_seconds["compiled first call", workload] = 0.0
    run_cases(workload, cases, None, args, report)
    _move_compiled_rows(report)


def _move_compiled_rows(report: Report) -> None:
    """The compiled engine's rows go to a table of their own (see compiled_markdown)."""
    report.compiled_rows += [r for r in report.rows if r.engine.startswith("compiled")]
    report.rows = [r for r in report.rows if not r.engine.startswith("compiled")]


def check_moons(sizes: Sizes, compiled, report: Report) -> None:
    """The moons demo, compiled and eager: the same loss and gradients after the last step."""
    n, steps = sizes.moons
    X, y = W.moons(n)
    weights = W.mlp_weights(2, [16, 16, 1])
    results = {}
    for key, run_it in (("ours", compiled.moons_eager), ("compiled", compiled.moons)):
        results[key], report.check_seconds[key, "MOONS"] = _timed(run_it, weights, X, y, steps)
    # after many steps a ReLU can flip on a difference of rounding: compare to 1e-9 anyway
    compare(f"MOONS ({steps} steps)", results, report, report.compiled_checks, "ours")


def time_moons(sizes: Sizes, compiled, args, report: Report) -> None:
    n, steps = sizes.moons
    X, y = W.moons(n)
    weights = W.mlp_weights(2, [16, 16, 1])
    cases = {
        "ours": timed_call(functools.partial(compiled.moons_eager, weights, X, y, steps)),
        "compiled": timed_call(functools.partial(compiled.moons, weights, X, y, steps)),
    }
    run_cases("MOONS", cases, None, args, report)
    for r in [r for r in report.rows if r.workload == "MOONS"]:
        report.rows.remove(r)
        report.compiled_rows.append(r._replace(engine="compiled" if r.engine == "compiled"
                                               else "eager"))


def time_chain(lengths: List[int], engines, skip, args, report: Report) -> None:
    for n in lengths:
        name = f"W3 {_pow10(n)}"
        cases = {}
        for key, e in engines.items():
            if (key, name) in skip:
                report.rows.append(Row(name, key, None, n, note=skip[key, name]))
            elif not _chain_possible(key, e, n):
                note = (
                    f"n/a: RecursionError (recursive backward, {_pow10(n)} levels deep; "
                    f"safe limit here {e.MAX_SAFE_DEPTH:,})"
                )
                report.rows.append(Row(name, key, None, n, note=note))
            else:
                cases[key] = timed_call(functools.partial(e.chain, n, W.Chain()))
        run_cases(name, cases, n, args, report)


def time_graph(program: W.Program, engines, skip, args, report: Report) -> None:
    def case(e):
        def once() -> Tuple[float, float, float]:
            leaves = e.graph_leaves(program)
            gc.collect()
            t0 = clock()
            root = e.graph_build(leaves, program)
            t1 = clock()
            out = e.graph_backward(root, program)
            t2 = clock()
            del leaves, root, out
            return t1 - t0, t2 - t1, t2 - t0

        return once

    cases = {}
    for key, e in engines.items():
        if (key, "W4") in skip:
            report.rows.append(Row("W4 build+backward", key, None, note=skip[key, "W4"]))
        else:
            cases[key] = case(e)
    labels = ["W4 build", "W4 backward", "W4 build+backward"]
    run_cases("W4", cases, program.n_nodes, args, report, labels)


def measure_memory(program: W.Program, engines, report: Report) -> None:
    """Peak traced memory while building the graph, and while also running backward."""
    if tracemalloc is None:
        print(f"W5: {NO_TRACEMALLOC}; left out", flush=True)
        report.memory_notes.update({k: NO_TRACEMALLOC for k in engines if k != "floor"})
        return
    for key, e in engines.items():
        if key == "torch":
            report.memory_notes[key] = (
                "n/a: tensors live in PyTorch's C++ allocator, which tracemalloc cannot see"
            )
            continue
        if key == "floor":  # it keeps one float per a + b * c and no graph: nothing to compare
            continue
        leaves = e.graph_leaves(program)
        gc.collect()
        tracemalloc.start()
        try:
            base = tracemalloc.get_traced_memory()[0]
            root = e.graph_build(leaves, program)
            build_peak = tracemalloc.get_traced_memory()[1] - base
            tracemalloc.reset_peak()
            out = e.graph_backward(root, program)
            total_peak = max(build_peak, tracemalloc.get_traced_memory()[1] - base)
        finally:
            tracemalloc.stop()
        del leaves, root, out
        report.memory.append((key, program.n_nodes, build_peak, total_peak))


def _pow10(n: int) -> str:
    k = len(str(n)) - 1
    return f"10^{k}" if n == 10**k else f"{n:,}"


def _progress(row: Row) -> None:
    per = f", {_fmt_time(row.seconds / row.nodes)}/node" if row.nodes else ""
    print(f"  {row.workload:<18} {row.engine:<10} {_fmt_time(row.seconds):>10}{per}"
          f"  ({row.reps} reps)", flush=True)


# --- profiling -------------------------------------------------------------------


def profile(workload: str, sizes: Sizes) -> None:
    """Print cProfile's top functions for micrograd_like on one workload."""
    import cProfile
    import pstats

    from benchmarks import engine_ours as e

    prof = cProfile.Profile()
    if workload in ("W1", "W2"):
        nouts, n = sizes.w1 if workload == "W1" else sizes.w2
        X, y = W.moons(n)
        model = e.mlp_setup(W.mlp_weights(2, nouts), W.LR)
        e.mlp_step(model, X, y)
        prof.runcall(lambda: [e.mlp_step(model, X, y) for _ in range(5)])
    elif workload == "W3":
        prof.runcall(e.chain, sizes.w3[-1], W.Chain())
    else:
        program = W.random_program(**sizes.w4)
        leaves = e.graph_leaves(program)
        prof.runcall(lambda: e.graph_backward(e.graph_build(leaves, program), program))
    pstats.Stats(prof).sort_stats("tottime").print_stats(20)


# --- main ------------------------------------------------------------------------


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--smoke", action="store_true",
                      help="tiny sizes, correctness only; exit 1 on a mismatch")
    mode.add_argument("--quick", action="store_true",
                      help="5 repetitions, and skip micrograd's W2 (~2 minutes)")
    mode.add_argument("--profile", metavar="W", choices=["W1", "W2", "W3", "W4"],
                      help="print a cProfile of micrograd_like on one workload")
    p.add_argument("--only", default=",".join(WORKLOADS),
                   help="comma-separated workloads, e.g. W1,W3 (default: all)")
    p.add_argument("--engines", default=",".join(ENGINE_MODULES),
                   help="comma-separated engines (default: %(default)s)")
    p.add_argument("--reps", type=int, default=7,
                   help="repetitions per measurement, at least 5 (default: %(default)s)")
    p.add_argument("--no-freeze", dest="freeze", action="store_false",
                   help="do not gc.freeze() the objects of the imported engines before "
                   "timing (the collector then walks them too, in every engine's runs)")
    p.add_argument("--clock", choices=sorted(CLOCKS), default="wall",
                   help="wall: time.perf_counter (default); cpu: time.process_time, "
                   "which a busy machine disturbs less")
    p.add_argument("--no-compiled", dest="compiled", action="store_false",
                   help="leave out micrograd_like.compile (W1, W2 and MOONS, issue 14)")
    p.add_argument("--out", type=Path, default=HERE / "results.md",
                   help="where to write the markdown table (default: benchmarks/results.md)")
    args = p.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    args.no_freeze = "nothing frozen (--no-freeze)"  # why, when args.freeze is off
    args.only = [w.strip().upper() for w in args.only.split(",") if w.strip()]
    for w in args.only:
        if w not in WORKLOADS:
            p.error(f"--only: unknown workload {w!r}; choose from {', '.join(WORKLOADS)}")
    args.engines = [k.strip().lower() for k in args.engines.split(",") if k.strip()]
    for k in args.engines:
        if k not in ENGINE_MODULES:
            p.error(f"--engines: unknown engine {k!r}; choose from {', '.join(ENGINE_MODULES)}")
    if "ours" not in args.engines or "floor" not in args.engines:
        p.error("--engines must include ours and floor (the comparison needs both)")
    if args.quick:
        args.reps = 5
    if args.reps < 5 and not args.smoke:
        p.error(f"--reps {args.reps}: a median needs at least 5 repetitions")
    return args


def run(args: argparse.Namespace) -> Tuple[Report, Dict[str, object], Dict[str, str]]:
    """Check every selected workload, then (unless --smoke) time it."""
    sizes = SMOKE if args.smoke else FULL
    skip = dict({} if args.smoke else (SKIP_QUICK if args.quick else SKIP_FULL))
    engines, missing = load_engines(args.engines)
    report = Report()
    only = set(args.only)
    compiled = None
    if args.compiled and only & {"W1", "W2", "MOONS"}:
        try:
            compiled = importlib.import_module(COMPILED_MODULE)
        except ImportError as err:
            missing["compiled"] = f"not importable ({err})"

    program = W.random_program(**sizes.w4) if only & {"W4"} else None
    # 1. correctness: every engine, every workload, before any timing
    if "W1" in only:
        check_mlp("W1", *sizes.w1, engines, skip, report, compiled)
    if "W2" in only:
        check_mlp("W2", *sizes.w2, engines, skip, report, compiled)
    if "MOONS" in only and compiled is not None:
        check_moons(sizes, compiled, report)
    if "W3" in only:
        check_chain(sizes.w3, engines, skip, report)
    if program is not None:
        check_graph(program, engines, skip, report)
    if report.mismatches or args.smoke:
        if "W5" in only:  # exercises the code path; the numbers mean nothing this small
            measure_memory(W.random_program(**sizes.w5), engines, report)
        return report, engines, missing

    # 2. timing
    print(f"all engines agree ({len(report.checks)} comparisons); timing...", flush=True)
    report.load.append(_load())
    if args.freeze and not hasattr(gc, "freeze"):
        print(f"gc.freeze: {NO_FREEZE}; timing with the collector as it is", flush=True)
        args.freeze, args.no_freeze = False, NO_FREEZE
    if args.freeze:
        # Every full collection walks every object the collector tracks,
        # here including all of torch and micrograd (~170,000 objects) for
        # every engine, though a user's program holds only one of them.
        # Freezing what exists now leaves each engine with its own objects.
        gc.collect()
        gc.freeze()
    if "W1" in only:
        time_mlp("W1", *sizes.w1, engines, skip, args, report, compiled)
    if "W2" in only:
        time_mlp("W2", *sizes.w2, engines, skip, args, report, compiled)
    if "MOONS" in only and compiled is not None:
        time_moons(sizes, compiled, args, report)
    if "W3" in only:
        time_chain(sizes.w3, engines, skip, args, report)
    if program is not None:
        time_graph(program, engines, skip, args, report)
    if "W5" in only:
        measure_memory(W.random_program(**sizes.w5), engines, report)
    report.load.append(_load())
    return report, engines, missing


def _load() -> float:
    """The 1-minute load average (0.0 where the OS does not report it)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return 0.0


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    if args.profile:
        profile(args.profile, FULL)
        return 0
    global clock
    clock = CLOCKS[args.clock]
    started = time.perf_counter()
    report, engines, missing = run(args)
    for line in report.checks + report.compiled_checks:
        print(line)
    for key, why in missing.items():
        print(f"{key}: {why}; left out")
    if report.mismatches:
        print("\nMISMATCH: the engines do not compute the same results:", file=sys.stderr)
        for m in report.mismatches:
            print("  " + m, file=sys.stderr)
        return 1
    if args.smoke:
        print(f"smoke: all {len(report.checks) + len(report.compiled_checks)} comparisons agree "
              f"({time.perf_counter() - started:.1f} s)")
        return 0
    bare = targets(report, engines, "bare") if "bare" in engines else []
    text = markdown(report, engines, missing, args, targets(report, engines), bare)
    args.out.write_text(text, encoding="utf-8")
    print("\n" + text)
    print(f"written to {args.out} ({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
