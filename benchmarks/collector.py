"""Why W3 and W4 miss their targets: the cycle collector, and the cost of a node.

    python benchmarks/collector.py            # ~1 minute; prints two markdown tables
    python benchmarks/collector.py --smoke    # tiny sizes, correctness only

issue 14 asks for W3 (time per node at 10^6 <= 1.3x that at 10^4) and W4
(build plus backward <= 4x the floor). bench.py shows both missed; this
shows why, in one process, every run taking turns with the others:

- W3 and W4 run as bench.py runs them (the collector as the user has it),
  and with the collector off from building the graph to freeing it, which
  is what fit() does for each of its steps. The library cannot do that
  around a user's own loop of ``y = y * c + d``: it cannot see where the
  loop starts and ends, and changing the collector's settings for the rest
  of their program is a change they could observe. Turning the collector
  off only while building is no help: its work is put off, not saved, and
  the first collection afterwards walks the whole graph at once.
- W4's backward is split into its two parts, the topological sort and the
  chain rule, with the collector off. Building plus the chain rule alone,
  as if the sort were free, is a lower bound for this design.

The floor (floor.py) is timed in the same rounds. Every run's value and
gradients are compared with the floor's before any time counts.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List, Sequence, Tuple

if __package__ in (None, ""):  # run as a script: import from the repository root
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from micrograd_like import Value  # noqa: E402
from micrograd_like.engine import _collector_paused, _run_backward, topological_order  # noqa: E402

from benchmarks import engine_ours as ours  # noqa: E402
from benchmarks import floor  # noqa: E402
from benchmarks import workloads as W  # noqa: E402

Result = Tuple[float, List[float]]  # (value, gradients), compared with the floor's
ON, OFF = "collector on", "collector off, build to free"


def _collector(on: bool) -> None:
    """Turn the collector off, or back on (only if it was on: _state remembers)."""
    if not on:
        _state.append(gc.isenabled())
        gc.disable()
    elif _state.pop():
        gc.enable()


_state: List[bool] = []


def chain(n: int, collector_on: bool) -> Tuple[Result, Dict[str, float]]:
    """W3 as bench.py times it: build, backward, free the graph, all inside the clock."""
    ch = W.Chain()
    gc.collect()
    t0 = time.process_time()
    if not collector_on:
        _collector(False)
    x, c, d = (Value(v) for v in (ch.x0, ch.c, ch.d))
    y = x
    for _ in range(n // 2):
        y = y * c + d
    y.backward()
    out = y.data, [x.grad, c.grad, d.grad]
    del y
    if not collector_on:
        _collector(True)
    return out, {"total": time.process_time() - t0}


def graph(program: W.Program, collector_on: bool) -> Tuple[Result, Dict[str, float]]:
    """W4: build, then backward in its two parts (sort, chain rule); the graph freed inside."""
    leaves = ours.graph_leaves(program)
    gc.collect()
    clock = time.process_time
    t0 = clock()
    if not collector_on:
        _collector(False)
    root = ours.graph_build(leaves, program)
    t1 = clock()
    with _collector_paused():  # what root.backward() does, step by step
        order = topological_order(root, leaves=False)
        t2 = clock()
        root.grad = 1.0
        _run_backward(order)
        t3 = clock()
    out = root.data, [v.grad for v in leaves]
    del root, order
    if not collector_on:
        _collector(True)
    t4 = clock()
    return out, {"build": t1 - t0, "sort": t2 - t1, "chain rule": t3 - t2,
                 "free": t4 - t3, "total": t4 - t0}


def graph_floor(program: W.Program) -> Tuple[Result, Dict[str, float]]:
    leaves = floor.graph_leaves(program)
    gc.collect()
    t0 = time.process_time()
    vals = floor.graph_build(leaves, program)
    grads = floor.graph_backward(vals, program)
    out = floor.graph_result(leaves, vals, grads)
    del vals
    return out, {"total": time.process_time() - t0}


def chain_floor(n: int) -> Tuple[Result, Dict[str, float]]:
    gc.collect()
    t0 = time.process_time()
    out = floor.chain(n, W.Chain())
    return out, {"total": time.process_time() - t0}


def cases(lengths: Sequence[int], program: W.Program) -> Dict[str, Callable]:
    """name -> a run returning (result, {part: seconds}); a name is "workload, mode"."""
    out: Dict[str, Callable] = {}
    for n in lengths:
        out[f"W3 {n}, {ON}"] = lambda n=n: chain(n, True)
        out[f"W3 {n}, {OFF}"] = lambda n=n: chain(n, False)
        out[f"W3 {n}, floor"] = lambda n=n: chain_floor(n)
    out[f"W4, {ON}"] = lambda: graph(program, True)
    out[f"W4, {OFF}"] = lambda: graph(program, False)
    out["W4, floor"] = lambda: graph_floor(program)
    return out


def check(runs: Dict[str, Callable]) -> List[str]:
    """Each micrograd_like run against the floor's run of the same workload: the mismatches."""
    results = {name: run()[0] for name, run in runs.items()}
    bad = []
    for name, (value, grads) in results.items():
        ref_value, ref_grads = results[name.split(",")[0] + ", floor"]
        if not (W.close(value, ref_value) and len(grads) == len(ref_grads)
                and all(W.close(g, r) for g, r in zip(grads, ref_grads))):
            bad.append(name)
    return bad


def measure(runs: Dict[str, Callable], reps: int) -> Dict[str, Dict[str, float]]:
    """The median CPU time of each part of each run, the runs taking turns (round-robin)."""
    times: Dict[str, Dict[str, List[float]]] = {name: {} for name in runs}
    for _ in range(reps):
        for name, run in runs.items():
            for part, seconds in run()[1].items():
                times[name].setdefault(part, []).append(seconds)
    return {name: {part: statistics.median(ts) for part, ts in parts.items()}
            for name, parts in times.items()}


def report(t: Dict[str, Dict[str, float]], lengths: Sequence[int], n_nodes: int) -> str:
    def ns(seconds: float, nodes: int) -> str:
        return f"{seconds / nodes * 1e9:.0f} ns"

    small, big = lengths[0], lengths[-1]
    lines = [f"| Per op node | {ON} | {OFF} | floor |", "|---|---:|---:|---:|"]
    for n in lengths:
        lines.append(f"| W3, {n:,} nodes | " + " | ".join(
            ns(t[f"W3 {n}, {mode}"]["total"], n) for mode in (ON, OFF, "floor")) + " |")
    growth = [(t[f"W3 {big}, {m}"]["total"] / big) / (t[f"W3 {small}, {m}"]["total"] / small)
              for m in (ON, OFF)]
    lines.append(f"| W3 growth, {big:,} / {small:,} (target <= 1.3x) | "
                 f"{growth[0]:.2f}x | {growth[1]:.2f}x | |")
    fl = t["W4, floor"]["total"]
    for part in ("build", "sort", "chain rule", "free", "total"):
        lines.append(f"| W4 {part} | " + " | ".join(
            ns(t[f"W4, {mode}"][part], n_nodes) for mode in (ON, OFF))
            + (f" | {ns(fl, n_nodes)} |" if part == "total" else " | |"))
    lines.append("| W4 total / floor (target <= 4x) | " + " | ".join(
        f"{t[f'W4, {mode}']['total'] / fl:.1f}x" for mode in (ON, OFF)) + " | 1.0x |")
    bound = t[f"W4, {OFF}"]["build"] + t[f"W4, {OFF}"]["chain rule"]
    lines.append(f"| W4 build + chain rule, no sort, no collector / floor | | "
                 f"{bound / fl:.1f}x | |")
    return "\n".join(lines)


def main(argv: Sequence[str] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--smoke", action="store_true", help="tiny sizes, correctness only")
    p.add_argument("--reps", type=int, default=5, help="repetitions per run (median)")
    args = p.parse_args(argv)
    if args.smoke:
        lengths, program = [1_000, 3_000], W.random_program(1_500, 60, 60)
    else:
        lengths, program = [10**4, 10**5, 10**6], W.random_program()
    runs = cases(lengths, program)
    bad = check(runs)
    if bad:
        print("MISMATCH with the floor: " + ", ".join(bad), file=sys.stderr)
        return 1
    if args.smoke:
        print(f"smoke: all {len(runs)} runs agree with the floor")
        return 0
    times = measure(runs, args.reps)
    print(f"Median CPU time (time.process_time) of {args.reps} interleaved repetitions, "
          f"{sys.implementation.name} {sys.version.split()[0]}, "
          f"W4: {program.n_nodes:,} op nodes\n")
    print(report(times, lengths, program.n_nodes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
