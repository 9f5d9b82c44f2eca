"""The results of a benchmark run, the targets they are judged by, and the markdown report.

bench.py measures; this turns its measurements into benchmarks/results.md:
the run's details (date, machine, versions), the summary table the README
quotes, every measurement, the targets of issues 6 and 14, and the
correctness checks.
"""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
from pathlib import Path
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple

from benchmarks.workloads import TOL

HERE = Path(__file__).resolve().parent


# --- results -----------------------------------------------------------------


class Row(NamedTuple):
    workload: str  # e.g. "W1", "W3 10^4", "W4 backward"
    engine: str  # key of bench.ENGINE_MODULES
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
        first = {}  # workloads in the order they ran, engines in the order they load
        for r in report.rows:
            first.setdefault(r.workload, len(first))
        engine_order = _engine_order(report, engines)
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
    keys = [k for k in _engine_order(report, engines) if k in {r.engine for r in report.rows}]
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


def _engine_order(report: Report, engines) -> List[str]:
    """Engine keys in the order bench.py loads them (its ENGINE_MODULES), then any others."""
    others = [r.engine for r in report.rows if r.engine not in engines]
    return list(engines) + list(dict.fromkeys(others))


def _ratio(x: float) -> str:
    return f"{x:.1f}x" if x < 10 else f"{x:.0f}x"


def _verdict(t: Target) -> str:
    return {True: "pass", False: "**FAIL**", None: "n/a"}[t.ok]


def _fmt_time(s: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if s >= scale:
            return f"{s / scale:.3g} {unit}"
    return f"{s / 1e-9:.3g} ns"
