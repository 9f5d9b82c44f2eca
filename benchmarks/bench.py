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
import datetime
import functools
import gc
import importlib
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple

if __package__ in (None, ""):  # run as a script: import from the repository root
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from benchmarks import workloads as W  # noqa: E402

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
TOL = 1e-9
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


# --- results -----------------------------------------------------------------


class Row(NamedTuple):
    workload: str  # e.g. "W1", "W3 10^4", "W4 backward"
    engine: str  # key of ENGINE_MODULES
    seconds: Optional[float]  # median; None: not run (see note)
    nodes: Optional[int] = None  # op nodes, for a per-node time
    reps: int = 0
    note: str = ""


class Target(NamedTuple):
    workload: str
    text: str  # what is required
    measured: str
    ok: Optional[bool]  # None: could not be measured


class Report:
    def __init__(self) -> None:
        self.rows: List[Row] = []
        self.memory: List[Tuple[str, int, int, int]] = []  # engine, nodes, build peak, total peak
        self.memory_notes: Dict[str, str] = {}
        self.checks: List[str] = []  # one line per compared engine and workload
        self.mismatches: List[str] = []
        self.check_seconds: Dict[Tuple[str, str], float] = {}
        self.load: List[float] = []  # 1-minute load average before and after timing
        self.compiled_rows: List[Row] = []  # micrograd_like.compile, beside "ours" and "floor"
        self.compiled_checks: List[str] = []

    def seconds(self, workload: str, engine: str) -> Optional[float]:
        for r in self.rows:
            if r.workload == workload and r.engine == engine:
                return r.seconds
        return None


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


# --- targets -----------------------------------------------------------------


def targets(report: Report, engines, me: str = "ours") -> List[Target]:
    """The goals of issue 6, each with the measured number and pass/fail.

    ``me`` is the engine judged: "ours", or "bare" to see what the design
    itself can reach.
    """
    out: List[Target] = []
    t = report.seconds

    def speedup(workload: str, other: str, at_least: float) -> None:
        ours, theirs = t(workload, me), t(workload, other)
        text = f">= {at_least:g}x faster than {'torch 0-d' if other == 'torch' else other}"
        if ours is None or theirs is None:
            out.append(Target(workload, text, "not measured", None))
        else:
            out.append(Target(workload, text, _ratio(theirs / ours), theirs / ours >= at_least))

    def floor_ratio(workload: str, at_most: float) -> None:
        ours, fl = t(workload, me), t(workload, "floor")
        text = f"<= {at_most:g}x the floor's time"
        if ours is None or fl is None:
            out.append(Target(workload, text, "not measured", None))
        else:
            out.append(Target(workload, text, f"{ours / fl:.2f}x", ours / fl <= at_most))

    workloads = {r.workload for r in report.rows}
    for w in ("W1", "W2"):
        if w in workloads:
            speedup(w, "micrograd", 100)
            floor_ratio(w, 2.0)
            if w == "W1":
                speedup(w, "torch", 30)
    small, big = "W3 10^4", "W3 10^6"
    if big in workloads:
        ok = t(big, me) is not None
        out.append(Target("W3", "10^6 nodes deep works", "yes" if ok else "no", ok))
        if ok and t(small, me) is not None:
            growth = (t(big, me) / 10**6) / (t(small, me) / 10**4)
            out.append(Target("W3", "time/node at 10^6 <= 1.5x that at 10^4",
                              f"{growth:.2f}x", growth <= 1.5))
    if "W4 build+backward" in workloads:
        speedup("W4 build+backward", "micrograd", 15)
    for key, nodes, build_peak, _ in report.memory:
        if key == me:
            per = build_peak / nodes
            out.append(Target("W5", "< 300 bytes per op node", f"{per:.0f} bytes", per < 300))
    return out


# --- the markdown report -------------------------------------------------------


def environment() -> List[Tuple[str, str]]:
    """Date, machine and versions, for the header of the results."""
    import micrograd_like

    def version(dist: str) -> str:
        try:
            from importlib.metadata import version as v

            return v(dist)
        except Exception:  # not installed
            return "not installed"

    def run_git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=HERE, capture_output=True, text=True, timeout=10
        ).stdout.strip()

    try:
        git = run_git("describe", "--always") or "unknown"
        # Only the measured code counts: not this results file, not the docs.
        if run_git("status", "--porcelain", "--", "../micrograd_like", "*.py"):
            git += ", with uncommitted changes to the code"
    except (OSError, subprocess.SubprocessError):
        git = "unknown"
    return [
        ("Date", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")),
        ("Machine", f"{_cpu_name()}, {os.cpu_count()} CPUs (nproc), {platform.platform()}"),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("micrograd_like", f"{micrograd_like.__version__} (git {git})"),
        ("micrograd", version("micrograd")),
        ("torch", version("torch")),
    ]


def _cpu_name() -> str:
    name = platform.processor()
    if name and name not in ("x86_64", "i386", "aarch64", "arm"):
        return name
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return name or platform.machine() or "unknown CPU"


def markdown(report: Report, engines, missing: Dict[str, str], args, targets_: List[Target],
             bare_targets: Sequence[Target] = ()) -> str:
    name = {k: (e.NAME if hasattr(e, "NAME") else k) for k, e in engines.items()}
    lines = ["# Benchmark results", ""]
    lines += [f"- **{k}**: {v}" for k, v in environment()]
    cmd = "python benchmarks/bench.py " + " ".join(args.argv)
    lines.append(f"- **Command**: `{cmd.strip()}`; median of {args.reps} repetitions "
                 "(5 for runs over a second: micrograd, torch 0-d), "
                 + ("wall-clock time (time.perf_counter)" if args.clock == "wall"
                    else "CPU time of the process (time.process_time)")
                 + ("; the imported engines' objects frozen (gc.freeze) before timing"
                    if args.freeze else "; " + args.no_freeze))
    for k, why in missing.items():
        lines.append(f"- **{k}**: {why}")
    if report.load:
        busy = max(report.load) > 1.5  # this benchmark itself counts for 1.0
        lines.append(
            "- **Load average** (1 min) before/after timing: "
            + " / ".join(f"{x:.2f}" for x in report.load)
            + (" -- the machine was busy: times are inflated and noisy" if busy else "")
        )
    lines += ["", "Speed-up = micrograd's time / this engine's time. "
              "Time / floor = this engine's time / the hand-written floor's time. "
              "Time / bare = micrograd_like's time / the bare engine's (engine_bare.py: "
              "the same design without the library around it).", ""]

    if report.rows:
        lines += ["## Summary", "", "Median time per step (W1, W2) or per op node (W3, W4); "
                  "memory per op node (W5). The ratios are micrograd_like's.", ""]
        lines += summary(report, engines)
        lines += ["", "## All measurements", ""]
        lines += ["| Workload | Engine | Median time | Per node | Speed-up vs micrograd "
                  "| Time / floor | Target | Result |",
                  "|---|---|---:|---:|---:|---:|---|---|"]
        by_workload: Dict[str, List[Target]] = {}
        for tg in targets_:
            by_workload.setdefault(tg.workload, []).append(tg)
        first = {}  # workloads in the order they ran, engines in ENGINE_MODULES order
        for r in report.rows:
            first.setdefault(r.workload, len(first))
        engine_order = list(ENGINE_MODULES)
        rows = sorted(report.rows, key=lambda r: (first[r.workload], engine_order.index(r.engine)))
        for r in rows:
            mg, fl = report.seconds(r.workload, "micrograd"), report.seconds(r.workload, "floor")
            if r.seconds is None:
                cells = [r.note, "", "", ""]
            else:
                cells = [
                    _fmt_time(r.seconds),
                    _fmt_time(r.seconds / r.nodes) if r.nodes else "",
                    f"{mg / r.seconds:,.1f}x" if mg else "",
                    f"{r.seconds / fl:,.2f}x" if fl else "",
                ]
            # a target sits on our row of its workload (W3's on the 10^6 row)
            tg = by_workload.get("W3" if r.workload == "W3 10^6" else r.workload, [])
            tg = tg if r.engine == "ours" else []
            lines.append("| " + " | ".join(
                [r.workload, name.get(r.engine, r.engine)] + cells
                + ["; ".join(t.text for t in tg), "; ".join(_verdict(t) for t in tg)]
            ) + " |")
        lines.append("")

    if report.memory or report.memory_notes:
        lines += ["W5: peak memory (tracemalloc) while building the W4 graph, divided by its "
                  "number of op nodes; the second column also runs backward.", "",
                  "| Engine | Op nodes | Bytes/node (build) | Bytes/node (build + backward) "
                  "| micrograd / this | Target | Result |",
                  "|---|---:|---:|---:|---:|---|---|"]
        mg = {k: b for k, _, b, _ in report.memory}.get("micrograd")
        w5 = [t for t in targets_ if t.workload == "W5"]
        for key, nodes, build_peak, total_peak in report.memory:
            tg = w5 if key == "ours" else []
            lines.append("| " + " | ".join([
                name.get(key, key), f"{nodes:,}", f"{build_peak / nodes:.0f}", f"{total_peak / nodes:.0f}",
                f"{mg / build_peak:.1f}x" if mg else "",
                "; ".join(t.text for t in tg), "; ".join(_verdict(t) for t in tg),
            ]) + " |")
        for key, note in report.memory_notes.items():
            lines.append(f"| {name.get(key, key)} | | {note} | | | | |")
        lines.append("")

    if targets_:
        lines += ["## Targets (issue 6)", "", "| Workload | Target | Measured | Result |",
                  "|---|---|---:|---|"]
        lines += [f"| {t.workload} | {t.text} | {t.measured} | {_verdict(t)} |" for t in targets_]
        lines.append("")
    if bare_targets:
        lines += ["## The same targets for the bare engine", "",
                  "engine_bare.py is this design with nothing else (no checks, no modes, "
                  "no rule table): what any engine built this way can reach on this "
                  "machine, and so whether a target is within reach of the design.", "",
                  "| Workload | Target | Bare engine | Result | micrograd_like |", "|---|---|---:|---|---:|"]
        lines += [f"| {b.workload} | {b.text} | {b.measured} | {_verdict(b)} | {o.measured} |"
                  for b, o in zip(bare_targets, targets_)]
        lines.append("")

    lines += compiled_markdown(report)
    lines += ["## Correctness, checked before timing", "",
              f"Each engine's loss (or output) and every gradient against PyTorch float64 "
              f"(the floor where torch did not run), tolerance {TOL:g} "
              "(relative above 1, absolute below):", ""]
    lines += [f"- {c}" for c in report.checks + report.compiled_checks]
    lines.append("")
    return "\n".join(lines)


def compiled_targets(report: Report) -> List[Target]:
    """The goals of issue 14 for micrograd_like.compile, measured in this run."""
    c = {(r.workload, r.engine): r.seconds for r in report.compiled_rows}
    out: List[Target] = []
    for w, at_most in (("W1", 0.5), ("W2", 0.7)):
        fl, t = report.seconds(w, "floor"), c.get((w, "compiled"))
        if fl and t:
            out.append(Target(w, f"compiled, steady state: <= {at_most:g}x the floor",
                              f"{t / fl:.2f}x", t / fl <= at_most))
    for w, limit in (("W1", 0.05), ("W2", 0.5)):
        first, t = c.get((w, "compiled first call")), c.get((w, "compiled"))
        if first and t:
            out.append(Target(w, f"compilation itself: <= {_fmt_time(limit)}",
                              f"{_fmt_time(first - t)} (first call {_fmt_time(first)})",
                              first - t <= limit))
    eager, comp = c.get(("MOONS", "eager")), c.get(("MOONS", "compiled"))
    if eager and comp:
        out.append(Target("MOONS", "compiled (compilation included): >= 3x faster than eager",
                          f"{eager / comp:.1f}x", eager / comp >= 3))
    return out


def compiled_markdown(report: Report) -> List[str]:
    """The table of micrograd_like.compile beside eager micrograd_like and the floor."""
    if not report.compiled_rows:
        return []
    c = {(r.workload, r.engine): r.seconds for r in report.compiled_rows}
    lines = ["## Compiled: micrograd_like.compile (issue 14)", "",
             "Timed in the same interleaved rounds as the engines above. W1/W2: one training "
             "step with the loss compiled (`compile(sample_loss, batch=(1, 2), then=plus_l2)`, "
             "see engine_compiled.py), after a warm-up call that traced it; *first call* is a "
             "step right after a fresh `compile()`: trace, code generation, Python's "
             "compile() and the step. MOONS: the moons demo's 100 training steps from "
             "building the model on, compilation included.", "",
             "| Workload | micrograd_like eager | compiled | floor | compiled / floor "
             "| eager / floor | compiled vs eager |", "|---|---:|---:|---:|---:|---:|---:|"]
    for w in ("W1", "W2"):
        t, ours, fl = c.get((w, "compiled")), report.seconds(w, "ours"), report.seconds(w, "floor")
        if t is None:
            continue
        lines.append("| " + " | ".join([
            f"{w} step", _fmt_time(ours) if ours else "", _fmt_time(t),
            _fmt_time(fl) if fl else "", f"{t / fl:.2f}x" if fl else "",
            f"{ours / fl:.2f}x" if ours and fl else "",
            f"{ours / t:.1f}x faster" if ours else ""]) + " |")
        first = c.get((w, "compiled first call"))
        if first:
            lines.append(f"| {w} first call (compilation included) | | {_fmt_time(first)} "
                         f"| | | | compilation {_fmt_time(first - t)} |")
    eager, comp = c.get(("MOONS", "eager")), c.get(("MOONS", "compiled"))
    if eager and comp:
        lines.append(f"| MOONS (100 steps) | {_fmt_time(eager)} | {_fmt_time(comp)} | | | "
                     f"| {eager / comp:.1f}x faster |")
    lines += ["", "| Workload | Target (issue 14) | Measured | Result |", "|---|---|---:|---|"]
    lines += [f"| {t.workload} | {t.text} | {t.measured} | {_verdict(t)} |"
              for t in compiled_targets(report)]
    lines.append("")
    return lines


def summary(report: Report, engines) -> List[str]:
    """One row per workload, one column per engine: the table the README quotes."""
    keys = [k for k in ENGINE_MODULES if k in {r.engine for r in report.rows}]
    name = {k: engines[k].NAME if k in engines else k for k in keys}
    lines = ["| Workload | " + " | ".join(name[k] for k in keys)
             + " | Speed-up vs micrograd | Time / floor | Time / bare |",
             "|---|" + "---:|" * (len(keys) + 3)]
    cells: Dict[str, Dict[str, str]] = {}
    for r in report.rows:
        if r.seconds is None:
            text = "RecursionError" if "RecursionError" in r.note else "skipped"
        else:
            text = _fmt_time(r.seconds / r.nodes if r.nodes else r.seconds)
        cells.setdefault(r.workload, {})[r.engine] = text
    for workload, row in cells.items():
        ours, mg, fl, bare = (
            report.seconds(workload, k) for k in ("ours", "micrograd", "floor", "bare")
        )
        lines.append("| " + " | ".join(
            [workload + (" (per node)" if workload.startswith(("W3", "W4")) else "")]
            + [row.get(k, "") for k in keys]
            + [_ratio(mg / ours) if ours and mg else "", _ratio(ours / fl) if ours and fl else "",
               f"{ours / bare:.2f}x" if ours and bare else ""]
        ) + " |")
    if report.memory:
        mem = {key: build / nodes for key, nodes, build, _ in report.memory}
        ratio = _ratio(mem["micrograd"] / mem["ours"]) + " less" if "micrograd" in mem else ""
        lines.append("| W5 memory (per node) | " + " | ".join(
            f"{mem[k]:.0f} bytes" if k in mem else "n/a" for k in keys) + f" | {ratio} | | |")
    return lines


def _ratio(x: float) -> str:
    return f"{x:.1f}x" if x < 10 else f"{x:.0f}x"


def _verdict(t: Target) -> str:
    return {True: "pass", False: "**FAIL**", None: "n/a"}[t.ok]


def _fmt_time(s: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if s >= scale:
            return f"{s / scale:.3g} {unit}"
    return f"{s / 1e-9:.3g} ns"


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
