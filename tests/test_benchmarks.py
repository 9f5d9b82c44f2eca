"""The benchmark harness computes the right thing: correctness only, no timing.

``python benchmarks/bench.py --smoke`` runs every workload at a tiny size
on every engine and compares losses and gradients. Here that comparison
runs in-process. PyTorch (float64) is the reference; micrograd and torch
are compared when installed, and CI (MICROGRAD_LIKE_REQUIRE_ORACLES=1)
requires both (torch through its fixture: on the Pythons without torch, CI
deselects the test that needs it with ``-m "not torch"``). On PyPy there is
no tracemalloc, and the W5 memory path says so instead of measuring.
The floor, which is the reference where torch is absent, is itself checked
against finite differences and a closed form.
"""

import gc
import importlib.util
import math
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # benchmarks/ is a folder of the repository, not installed
    sys.path.insert(0, str(ROOT))

from benchmarks import bench, collector, floor  # noqa: E402
from benchmarks import workloads as W  # noqa: E402

REQUIRE_ORACLES = os.environ.get("MICROGRAD_LIKE_REQUIRE_ORACLES") == "1"


def _smoke(*argv):
    return bench.run(bench.parse_args(["--smoke", *argv]))


def _expected_engines():
    """ours, the bare engine and the floor always; micrograd when installed (and in CI); torch when installed."""
    expected = {"ours", "bare", "floor"}
    if REQUIRE_ORACLES or importlib.util.find_spec("micrograd") is not None:
        expected.add("micrograd")
    if importlib.util.find_spec("torch") is not None:  # required by test_smoke_torch_is_the_reference
        expected.add("torch")
    return expected


# --- every engine agrees with every other --------------------------------------


@pytest.mark.parametrize("workload", ["W1", "W2", "W3", "W4"])
def test_smoke_engines_agree(workload):
    report, engines, missing = _smoke("--only", workload)
    assert report.mismatches == []
    compared = set()
    for line in report.checks:  # "W1: ours vs torch: 337 gradients, ..."
        compared |= set(line.split(": ")[1].split(" vs "))
    expected = _expected_engines()
    assert compared == expected, f"not compared: {expected - compared}; {missing}"
    if "torch" in expected:  # PyTorch float64 is the reference for all the others
        assert all(" vs torch: " in line for line in report.checks)


@pytest.mark.parametrize("workload", ["W1", "W4"])
def test_smoke_torch_is_the_reference(torch, workload):
    report, engines, _ = _smoke("--only", workload)
    assert "torch" in engines and report.mismatches == []
    assert report.checks and all(" vs torch: " in line for line in report.checks)


def test_smoke_memory_path_runs():
    report, _, _ = _smoke("--only", "W5", "--engines", "ours,floor")
    per_node = {key: build / nodes for key, nodes, build, _ in report.memory}
    if bench.tracemalloc is None:  # PyPy: reported as not measurable, not as a number
        assert per_node == {} and "no tracemalloc" in report.memory_notes["ours"]
        return
    # a node holds at least an object header (16 bytes) and a float (24 bytes)
    assert per_node["ours"] > 40


def test_main_exits_nonzero_on_a_mismatch(monkeypatch, capsys):
    real = floor.chain

    def wrong_chain(n, ch):
        y, grads = real(n, ch)
        return y, [grads[0], grads[1] * (1 + 1e-6), grads[2]]

    monkeypatch.setattr(floor, "chain", wrong_chain)
    assert bench.main(["--smoke", "--only", "W3", "--engines", "ours,floor"]) == 1
    assert "MISMATCH" in capsys.readouterr().err


def test_main_exits_zero_when_engines_agree(capsys):
    assert bench.main(["--smoke", "--only", "W3", "--engines", "ours,floor"]) == 0
    assert "agree" in capsys.readouterr().out


@pytest.mark.parametrize("was_enabled", [True, False])
def test_collector_measurement_agrees_with_the_floor_and_restores_the_collector(
        was_enabled, capsys):
    (gc.enable if was_enabled else gc.disable)()
    try:
        assert collector.main(["--smoke"]) == 0
        assert gc.isenabled() is was_enabled
    finally:
        gc.enable()
    assert "all 9 runs agree with the floor" in capsys.readouterr().out


def test_collector_measurement_exits_nonzero_on_a_mismatch(monkeypatch, capsys):
    real = floor.graph_backward
    monkeypatch.setattr(floor, "graph_backward",
                        lambda vals, program: [g * 1.001 for g in real(vals, program)])
    assert collector.main(["--smoke"]) == 1
    assert "MISMATCH with the floor: W4, collector on, W4, collector off" in capsys.readouterr().err


def test_collector_report_computes_growth_and_ratios_from_the_times():
    # made-up times: per node 100 ns at 10, 250 ns at 1000 (collector on), the floor 1 s
    parts = dict(build=1.0, sort=1.0, **{"chain rule": 1.0}, free=1.0, total=4.0)
    t = {"W3 10, collector on": {"total": 1e-6}, "W3 10, collector off, build to free":
         {"total": 1e-6}, "W3 10, floor": {"total": 1e-7},
         "W3 1000, collector on": {"total": 2.5e-4}, "W3 1000, collector off, build to free":
         {"total": 1e-4}, "W3 1000, floor": {"total": 1e-5},
         "W4, collector on": dict(parts, total=8.0), "W4, collector off, build to free": parts,
         "W4, floor": {"total": 1.0}}
    text = collector.report(t, [10, 1000], 10**9)
    assert "| W3 growth, 1,000 / 10 (target <= 1.3x) | 2.50x | 1.00x | |" in text
    assert "| W4 total / floor (target <= 4x) | 8.0x | 4.0x | 1.0x |" in text
    assert "| W4 build + chain rule, no sort, no collector / floor | | 2.0x | |" in text


# --- the comparison itself ---------------------------------------------------


@pytest.mark.parametrize(
    "value, grads, ok",
    [
        (2.0, [1.0, -3.0, 1e6], True),
        (2.0 + 1e-13, [1.0, -3.0 - 1e-13, 1e6 * (1 + 1e-12)], True),  # rounding
        (2.0 + 1e-7, [1.0, -3.0, 1e6], False),  # loss off
        (2.0, [1.0, -3.0 + 1e-7, 1e6], False),  # one gradient off (absolute, near 1)
        (2.0, [1.0, -3.0, 1e6 * (1 + 1e-7)], False),  # a large one off (relative)
        (2.0, [1.0, -3.0], False),  # one missing
        (2.0, [1.0, float("nan"), 1e6], False),
    ],
)
def test_compare_flags_any_difference_above_1e9(value, grads, ok):
    report = bench.Report()
    bench.compare("W0", {"floor": (2.0, [1.0, -3.0, 1e6]), "ours": (value, grads)}, report)
    assert (report.mismatches == []) == ok


# --- the floor is right on its own -----------------------------------------------


def _floor_loss(weights, X, y):
    net = floor.mlp_setup(weights, 0.0)  # lr 0: the step leaves the weights alone
    return floor.mlp_step(net, X, y)[0]


def test_floor_mlp_gradients_match_finite_differences():
    X, y = W.moons(8, seed=1)
    weights = W.mlp_weights(2, [3, 2, 1], seed=1)
    net = floor.mlp_setup(weights, 0.0)
    _, grads = floor.mlp_result(net, floor.mlp_step(net, X, y))
    flat = W.flatten(weights)
    assert len(grads) == len(flat) == 9 + 8 + 3
    h = 1e-6
    for i in range(len(flat)):
        def loss_at(delta):
            p = list(flat)
            p[i] += delta
            return _floor_loss(_unflatten(p, weights), X, y)

        fd = (loss_at(h) - loss_at(-h)) / (2 * h)
        assert grads[i] == pytest.approx(fd, abs=1e-6), f"parameter {i}"


def _unflatten(flat, like):
    it = iter(flat)
    out = []
    for Wm, b in like:
        rows, bias = [], []
        for row in Wm:
            rows.append([next(it) for _ in row])
            bias.append(next(it))
        out.append((rows, bias))
    return out


def test_floor_mlp_sgd_step_moves_weights_against_the_gradient():
    X, y = W.moons(8, seed=2)
    weights = W.mlp_weights(2, [4, 1], seed=2)
    net = floor.mlp_setup(weights, 0.5)
    _, grads = floor.mlp_result(net, floor.mlp_step(net, X, y))
    after = [x for Wm, b in net.layers for row, bj in zip(Wm, b) for x in row + [bj]]
    expected = [p - 0.5 * g for p, g in zip(W.flatten(weights), grads)]
    assert after == pytest.approx(expected, abs=1e-15)


@pytest.mark.parametrize("n_nodes", [2, 10, 400])
def test_floor_chain_matches_the_closed_form(n_nodes):
    # y_k = c^k x0 + d (1 - c^k) / (1 - c) after k = n_nodes / 2 steps
    ch = W.Chain()
    k, c, d, x0 = n_nodes // 2, ch.c, ch.d, ch.x0
    y, (gx, gc, gd) = floor.chain(n_nodes, ch)
    assert y == pytest.approx(c**k * x0 + d * (1 - c**k) / (1 - c), rel=1e-12)
    assert gx == pytest.approx(c**k, rel=1e-12)
    assert gd == pytest.approx((1 - c**k) / (1 - c), rel=1e-12)
    dydc = k * c ** (k - 1) * x0 + d * (1 - c**k - k * c ** (k - 1) * (1 - c)) / (1 - c) ** 2
    assert gc == pytest.approx(dydc, rel=1e-9)


def test_floor_graph_gradients_match_finite_differences():
    program = W.random_program(n_triples=60, n_leaves=6, window=6, seed=3)
    leaves = floor.graph_leaves(program)
    vals = floor.graph_build(leaves, program)
    grads = floor.graph_backward(vals, program)
    h = 1e-6
    for i in range(len(leaves)):
        up, down = list(leaves), list(leaves)
        up[i] += h
        down[i] -= h
        fd = (floor.graph_build(up, program)[-1] - floor.graph_build(down, program)[-1]) / (2 * h)
        assert grads[i] == pytest.approx(fd, rel=1e-6, abs=1e-6)


# --- the workloads --------------------------------------------------------------


def test_random_program_reaches_every_node_from_the_root():
    program = W.random_program(n_triples=300, n_leaves=20, window=20, seed=4)
    n_vals = len(program.leaves) + len(program.triples) + len(program.pairs)
    used = {i for a, b, c in program.triples for i in (a, b, c)}
    used |= {i for pair in program.pairs for i in pair}
    # every value but the root feeds a later node, so backward visits all
    assert used | {n_vals - 1} == set(range(n_vals))
    assert program.n_nodes == 2 * 300 + len(program.pairs)


def test_random_program_is_seeded():
    assert W.random_program(100, 10, 10, seed=5) == W.random_program(100, 10, 10, seed=5)
    assert W.random_program(100, 10, 10, seed=5) != W.random_program(100, 10, 10, seed=6)


def test_moons_labels_are_plus_minus_one():
    X, y = W.moons(10)
    assert len(X) == 10 and all(len(row) == 2 for row in X)
    assert sorted(set(y)) == [-1, 1]


# --- targets and the report ------------------------------------------------------


def _fake_report():
    r = bench.Report()
    r.rows = [
        bench.Row("W1", "ours", 0.010, reps=5),
        bench.Row("W1", "micrograd", 1.2, reps=5),
        bench.Row("W1", "torch", 0.25, reps=5),
        bench.Row("W1", "floor", 0.006, reps=5),
        bench.Row("W3 10^4", "ours", 0.010, 10**4, 5),
        bench.Row("W3 10^6", "ours", 1.6, 10**6, 5),
        bench.Row("W4 build+backward", "ours", 0.5, 10**5, 5),
        bench.Row("W4 build+backward", "micrograd", 5.0, 10**5, 5),
    ]
    r.memory = [("ours", 1000, 250_000, 300_000), ("micrograd", 1000, 1_200_000, 1_300_000)]
    return r


def test_targets_pass_and_fail_by_the_issue_thresholds():
    got = {(t.workload, t.text): (t.measured, t.ok) for t in bench.targets(_fake_report(), {})}
    assert got["W1", ">= 100x faster than micrograd"] == ("120x", True)  # 1.2 / 0.010
    assert got["W1", "<= 2x the floor's time"] == ("1.67x", True)  # 0.010 / 0.006
    assert got["W1", ">= 30x faster than torch 0-d"] == ("25x", False)  # 0.25 / 0.010
    assert got["W3", "time/node at 10^6 <= 1.5x that at 10^4"] == ("1.60x", False)
    assert got["W4 build+backward", ">= 15x faster than micrograd"] == ("10x", False)
    assert got["W5", "< 300 bytes per op node"] == ("250 bytes", True)


def test_markdown_report_has_the_table_and_versions():
    args = bench.parse_args([])
    report = _fake_report()
    text = bench.markdown(report, {}, {}, args, bench.targets(report, {}))
    assert "| Workload | Engine | Median time |" in text
    assert "| W1 | ours | 10 ms |  | 120.0x | 1.67x |" in text
    assert "**FAIL**" in text and "pass" in text
    for field in ("Date", "Machine", "Python", "micrograd_like", "torch"):
        assert f"**{field}**" in text


@pytest.mark.parametrize(
    "argv", [["--reps", "3"], ["--only", "W9"], ["--engines", "jax"], ["--engines", "ours"]]
)
def test_bad_arguments_exit_with_usage_error(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        bench.parse_args(argv)
    assert exc.value.code == 2
    assert argv[0] in capsys.readouterr().err


def test_close_is_relative_for_large_and_absolute_for_small_numbers():
    assert W.close(1e6, 1e6 + 1e-4) and not W.close(1e6, 1e6 + 1e-2)
    assert W.close(0.0, 1e-10) and not W.close(0.0, 1e-8)
    assert not W.close(math.nan, math.nan)
