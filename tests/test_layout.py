"""The package's shape: one idea a file, imports that point one way, names where users look.

Read from the source files themselves (``ast``), not from imported modules,
so a lazy or circular import cannot hide an arrow.
"""

import ast
import importlib
import os

import pytest

PACKAGE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "micrograd_like")

# "At most about 500 lines" a file. The engine is the one exception: Value,
# the derivative table RULES and backward() must stay on screen together,
# and the engine may import nothing of the package, so nothing it needs can
# live in another file. Its every public method carries a runnable example
# (the reference is made from the docstrings), which is most of the excess;
# so do the eight small data classes explain() returns, in chain_rule. The
# order model(X) leaves for backward (_made_in_order) is the engine's too:
# the sort that reads it is there.
LIMIT, EXCEPTIONS = 550, {"engine": 750, "chain_rule": 600}

# Imports made inside a function, on purpose, against the arrows: model.save
# and model.load are what users expect (Keras does the same), and the file
# format builds on nn, which builds on module.
CALL_TIME_IMPORTS = {("module", "serialization")}


def _modules():
    """{dotted name without the package prefix: path} for every source file."""
    found = {}
    for folder, _, files in os.walk(PACKAGE):
        for f in files:
            if f.endswith(".py"):
                rel = os.path.relpath(os.path.join(folder, f), PACKAGE)[:-3].replace(os.sep, ".")
                rel = rel[: -len(".__init__")] if rel.endswith(".__init__") else rel
                found[rel] = os.path.join(folder, f)
    return found


MODULES = _modules()


def _imports(name, top_level):
    """The package modules that ``name`` imports (at import time, or inside functions)."""
    tree = ast.parse(open(MODULES[name], encoding="utf-8").read())
    nodes = tree.body if top_level else [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
    found = set()
    for node in nodes:
        for n in ast.walk(node) if not top_level else [node]:
            if isinstance(n, ast.ImportFrom) and n.module and n.module.startswith("micrograd_like"):
                target = n.module[len("micrograd_like."):] if n.module != "micrograd_like" else ""
                if target:
                    found.add(target)
                else:  # from micrograd_like import serialization
                    found |= {a.name for a in n.names if a.name in MODULES}
            elif isinstance(n, ast.Import):
                found |= {a.name[len("micrograd_like."):] for a in n.names
                          if a.name.startswith("micrograd_like.")}
    # A module of a package counts as importing that package's own files, not itself.
    return {t for t in found if t != name}


def _owner(target):
    """The top-level part a module belongs to: 'optim.sgd' -> 'optim'."""
    return target.split(".")[0]


def test_the_engine_imports_nothing_of_the_package():
    assert _imports("engine", top_level=True) == set()
    assert _imports("engine", top_level=False) == set()


@pytest.mark.parametrize("name", sorted(m for m in MODULES if _owner(m) == "draw"))
def test_draw_depends_only_on_the_engine(name):
    outside = {t for t in _imports(name, True) | _imports(name, False) if _owner(t) != "draw"}
    assert outside <= {"engine", "_format"}


@pytest.mark.parametrize("name", ["datasets", "model_selection", "preprocessing", "metrics",
                                  "metrics._classification", "init", "_validation", "_format"])
def test_data_and_metrics_need_no_engine(name):
    assert {_owner(t) for t in _imports(name, True)} <= {"_validation", "metrics", "_real_datasets"}


def test_import_arrows_point_one_way():
    # The import-time graph between top-level parts has no cycle.
    graph = {}
    for name in MODULES:
        graph.setdefault(_owner(name), set()).update(
            _owner(t) for t in _imports(name, True) if _owner(t) != _owner(name)
        )
    order, state = [], {}
    for start in sorted(graph):  # an iterative depth-first search for a back edge
        stack = [(start, iter(sorted(graph[start])))]
        if state.get(start):
            continue
        state[start] = "open"
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = "done"
                order.append(node)
                stack.pop()
            elif state.get(child) == "open":
                pytest.fail(f"import cycle through {node} -> {child}")
            elif child not in state:
                state[child] = "open"
                stack.append((child, iter(sorted(graph.get(child, ())))))
    assert order.index("engine") < order.index("nn") < order.index("serialization")


def test_imports_inside_functions_go_down_the_arrows_or_are_listed():
    for name in MODULES:
        for target in _imports(name, top_level=False):
            if (_owner(name), _owner(target)) in CALL_TIME_IMPORTS:
                continue
            # going down: the target does not import name's part at import time
            assert _owner(name) not in {_owner(t) for t in _imports(target, True)}, (name, target)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_file_says_what_it_holds_and_is_short(name):
    source = open(MODULES[name], encoding="utf-8").read()
    doc = ast.get_docstring(ast.parse(source))
    assert doc and len(doc.split()) >= 5, f"{name}: the first lines should say what the file holds"
    lines = source.count("\n")
    assert lines <= EXCEPTIONS.get(name, LIMIT), f"{name} has {lines} lines; split it by idea"


@pytest.mark.parametrize("path, names", [
    ("micrograd_like.optim", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Optimizer"]),
    ("micrograd_like.optim.lr_scheduler", ["StepLR", "LambdaLR", "CosineAnnealingLR", "LinearLR",
                                           "MultiStepLR", "ExponentialLR", "LRScheduler"]),
    ("micrograd_like.datasets", ["make_moons", "make_circles", "make_blobs", "make_spirals",
                                 "make_xor", "make_sine", "load_csv"]),
    ("micrograd_like.model_selection", ["train_test_split"]),
    ("micrograd_like.preprocessing", ["StandardScaler", "MinMaxScaler"]),
    ("micrograd_like.serialization", ["save", "load", "atomic_write"]),
    ("micrograd_like.train", ["fit", "batches"]),
    ("micrograd_like.grad_mode", ["no_grad", "enable_grad", "is_grad_enabled"]),
    ("micrograd_like.autograd", ["grad"]),
    ("micrograd_like.fused", ["sum", "dot", "linear"]),
    ("micrograd_like.engine", ["Value", "RULES", "topological_order"]),
])
def test_names_are_where_pytorch_and_scikit_learn_users_look(path, names):
    module = importlib.import_module(path)
    for n in names:
        assert callable(getattr(module, n)) or isinstance(getattr(module, n), dict), (path, n)


def test_the_old_paths_are_gone():
    for old in ("micrograd_like.data",):
        with pytest.raises(ImportError):
            importlib.import_module(old)
    import micrograd_like.nn as nn
    assert not hasattr(nn, "load")  # now micrograd_like.load / serialization.load
