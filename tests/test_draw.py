"""Tests for micrograd_like.draw: DOT text, SVG from both renderers, errors.

Oracles: node and edge counts and gradients derived by hand (or published in
micrograd's README), an independent graph walk written here, the SVG that
Graphviz ``dot`` and ``graphviz-pure`` produce (parsed with xml.etree), and
karpathy's micrograd MLP for the duck-typed model drawing.

A renderer that is not installed skips its tests on a developer's machine;
with MICROGRAD_LIKE_REQUIRE_ORACLES=1 (set in CI) it fails them instead.
"""

import json
import os
import re
import subprocess
import sys
import sysconfig
import xml.etree.ElementTree as ET

import graphviz
import pytest

from micrograd_like import Value, dot, linear
from micrograd_like.draw import (
    MAX_NODES,
    NEGATIVE,
    POSITIVE,
    ROLE_COLORS,
    ZERO,
    Drawing,
    RendererNotFoundError,
    draw_dot,
    draw_model,
    find_renderer,
    render,
    to_svg,
)
from micrograd_like._format import fmt as _fmt
from micrograd_like.nn import MLP

REQUIRE_ORACLES = os.environ.get("MICROGRAD_LIKE_REQUIRE_ORACLES") == "1"
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SVG = "{http://www.w3.org/2000/svg}"


# --- helpers ----------------------------------------------------------------


def missing(msg):
    if REQUIRE_ORACLES:
        pytest.fail(msg + " and MICROGRAD_LIKE_REQUIRE_ORACLES=1", pytrace=False)
    pytest.skip(msg)


def need(renderer):
    """(name, path) of a renderer; skip, or fail in CI, when it is missing."""
    try:
        return find_renderer(renderer)
    except RendererNotFoundError as err:
        missing(f"renderer {renderer!r} is not installed ({err})")


@pytest.fixture(params=["dot", "graphviz-pure"])
def renderer(request):
    return need(request.param)[0]


@pytest.fixture
def no_dot(monkeypatch, tmp_path):
    """PATH holds nothing: no `dot`; graphviz-pure is still in the venv's scripts."""
    empty = tmp_path / "empty_bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    return empty


@pytest.fixture
def no_renderer(no_dot, monkeypatch):
    """Neither `dot` on PATH nor graphviz-pure next to the interpreter."""
    monkeypatch.setattr(sysconfig, "get_path", lambda *a, **k: str(no_dot))
    monkeypatch.setattr(sys, "executable", str(no_dot / "python"))


def dot_nodes(source):
    names = re.findall(r"^\t(\w+) \[", source, flags=re.M)
    return [n for n in names if n not in ("graph", "node", "edge")]  # skip default attributes


def dot_edges(source):
    return re.findall(r"^\t(\w+) -> (\w+)", source, flags=re.M)


def node_labels(source):
    return dict(re.findall(r'^\t(\w+) \[label="?(.*?)"? [a-z]+=', source, flags=re.M))


def boxes(source):
    """{label: node name} for the labelled Value boxes."""
    labels = node_labels(source).items()
    return {label.split(" | ")[0].strip("{ "): n for n, label in labels if "|" in label}


def node_attrs(source, label_part):
    """The attribute text of the one node whose label contains label_part."""
    lines = [ln for ln in source.splitlines() if label_part in ln and "->" not in ln]
    assert len(lines) == 1, lines
    return lines[0]


def svg_groups(svg):
    root = ET.fromstring(svg.encode("utf-8"))
    classes = [g.get("class") for g in root.iter(SVG + "g")]
    return classes.count("node"), classes.count("edge")


def svg_texts(svg):
    root = ET.fromstring(svg.encode("utf-8"))
    return [t.text for t in root.iter(SVG + "text")]


def walk(root):
    """All Values behind root: a plain stack walk, independent of micrograd_like.draw."""
    seen, stack = {root}, [root]
    while stack:
        for p in stack.pop()._prev:
            if p not in seen:
                seen.add(p)
                stack.append(p)
    return seen


def readme_expression():
    """micrograd's README: g.data == 24.7041, a.grad == 138.8338, b.grad == 645.5773."""
    a = Value(-4.0, label="a")
    b = Value(2.0, label="b")
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.label = "g"
    g.backward()
    return g


def small():
    """d = a*b + c: 5 Values, 2 ops. By hand: d=4, a.grad=-3, b.grad=2, c.grad=1."""
    a, b, c = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    d.backward()
    return d


# --- DOT source -------------------------------------------------------------


@pytest.mark.parametrize(
    "x, text",
    [
        (0.0, "0"),
        (-0.0, "0"),
        (46.0, "46"),
        (0.5, "0.5"),
        (-1.23e-05, "-1.23e-05"),
        (138.8338, "138.8"),
        (1234567.0, "1.235e+06"),
        (0.1 + 0.2, "0.3"),
        (float("nan"), "nan"),
        (float("-inf"), "-inf"),
    ],
)
def test_numbers_are_compact(x, text):
    assert _fmt(x) == text


def test_small_graph_nodes_edges_and_labels():
    src = draw_dot(small()).source
    names = boxes(src)
    assert sorted(names.values()) == ["n0", "n1", "n2", "n3", "n4"]
    ops = [names["e"] + "_op", names["d"] + "_op"]
    assert sorted(dot_nodes(src)) == sorted(list(names.values()) + ops)
    assert len(dot_edges(src)) == 2 + 4  # op -> result twice, 4 inputs -> op
    labels = sorted(node_labels(src).values())
    assert labels == sorted([
        "{ a | data 2 | grad -3 }",
        "{ b | data -3 | grad 2 }",
        "{ c | data 10 | grad 1 }",
        "{ e | data -6 | grad 1 }",
        "{ d | data 4 | grad 1 }",
        "*",
        "+",
    ])


def test_edges_follow_the_data():
    src = draw_dot(small()).source
    names = boxes(src)
    edges = set(dot_edges(src))
    e_op, d_op = names["e"] + "_op", names["d"] + "_op"
    assert {(names["a"], e_op), (names["b"], e_op), (e_op, names["e"])} <= edges
    assert {(names["e"], d_op), (names["c"], d_op), (d_op, names["d"])} <= edges


@pytest.mark.parametrize("rankdir", ["LR", "TB"])
def test_rankdir(rankdir):
    assert f"rankdir={rankdir}" in draw_dot(small(), rankdir).source


def test_grads_can_be_hidden():
    shown, hidden = draw_dot(small()).source, draw_dot(small(), show_grad=False).source
    assert shown.count("grad ") == 5
    assert "grad" not in hidden
    assert "{ a | data 2 }" in hidden


def test_readme_expression_counts_and_values():
    g = readme_expression()
    values = walk(g)
    ops = [v for v in values if v._prev]
    src = draw_dot(g).source
    assert len(dot_nodes(src)) == len(values) + len(ops)
    assert len(dot_edges(src)) == len(ops) + sum(len(v._prev) for v in ops)
    # values published in micrograd's README, at 4 significant digits
    assert "{ a | data -4 | grad 138.8 }" in src
    assert "{ b | data 2 | grad 645.6 }" in src
    assert "{ g | data 24.7 | grad 1 }" in src


@pytest.mark.parametrize(
    "make, op",
    [
        (lambda x, y: x**2, "**2"),
        (lambda x, y: x**0.5, "**0.5"),
        (lambda x, y: x**y, "pow"),
        (lambda x, y: -x, "neg"),
        (lambda x, y: x.exp(), "exp"),
        (lambda x, y: x.tanh(), "tanh"),
        (lambda x, y: x.leaky_relu(0.2), "leaky_relu(0.2)"),
        (lambda x, y: x / y, "/"),
        (lambda x, y: dot([x], [y]), "dot"),
        (lambda x, y: linear([x], [y], 0.5), "linear"),
        (lambda x, y: linear([x], [y], 0.5, "tanh"), "tanh(linear)"),
    ],
)
def test_op_names(make, op):
    out = make(Value(2.0, label="x"), Value(3.0, label="y"))
    src = draw_dot(out).source
    op_nodes = [label for name, label in node_labels(src).items() if name.endswith("_op")]
    assert op_nodes == [op]


def test_labels_on_results_show():
    a = Value(1.5)
    e = a * 4
    e.label = "energy"
    assert "{ energy | data 6 | grad ? }" in draw_dot(e).source  # before backward()


@pytest.mark.parametrize("label", ["&lt;b&gt;", "R&D &amp; co", "&#60;x&#x3E;", 'a|b{c}<d>"\\'])
def test_labels_show_exactly_as_typed(renderer, label):
    # Graphviz decodes entities in labels; the SVG's text, once XML-decoded
    # by a parser, must be the label itself (it showed "&lt;b&gt;" as <b>).
    x = Value(1.0, label=label)
    svg = draw_dot(x * 2.0, renderer=renderer).pipe(format="svg")
    texts = ["".join(t.itertext()) for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]
    assert label in texts


def test_node_names_are_topological_not_ids():
    src = draw_dot(small()).source
    for name in dot_nodes(src):
        assert re.fullmatch(r"n\d{1,2}(_op)?", name)
    # an edge between boxes and ovals always goes from a lower to a higher index
    for a, b in dot_edges(src):
        assert int(a.split("_")[0][1:]) <= int(b.split("_")[0][1:])


def test_roles_with_params():
    x = Value(2.0, label="x")
    w = Value(-3.0, label="w")
    y = (x * w + 1).tanh()
    y.label = "y"
    src = draw_dot(y, params=[w]).source
    assert ROLE_COLORS["input"] in node_attrs(src, "{ x |")
    assert ROLE_COLORS["parameter"] in node_attrs(src, "{ w |")
    assert ROLE_COLORS["constant"] in node_attrs(src, "{ data 1 |")  # the lifted 1
    assert ROLE_COLORS["output"] in node_attrs(src, "{ y |")
    assert "fillcolor=white" in node_attrs(src, "{ data -6 |")


def test_roles_without_params_come_from_linear():
    w = [Value(0.5), Value(-1.0)]
    b = Value(0.25)
    y = linear([1.0, 2.0], w, b)
    src = draw_dot(y, show_grad=False).source
    for part in ("{ data 0.5 }", "{ data -1 }", "{ data 0.25 }"):
        assert ROLE_COLORS["parameter"] in node_attrs(src, part)
    for part in ("{ data 1 }", "{ data 2 }"):
        assert ROLE_COLORS["input"] in node_attrs(src, part)


def test_grad_colors():
    src = draw_dot(small(), grad_color=True).source
    a = node_attrs(src, "{ a |")
    assert f'color="{NEGATIVE}"' in a and "penwidth=3.50" in a  # grad -3, the largest
    assert f'color="{POSITIVE}"' in node_attrs(src, "{ b |")  # grad 2
    zero = Value(1.0, label="z") * 0.0 + Value(5.0, label="k")
    zero.backward()
    assert f'color="{ZERO}"' in node_attrs(draw_dot(zero, grad_color=True).source, "{ z |")


@pytest.mark.parametrize("bad", ["LR ", "lr", "up", ""])
def test_bad_rankdir(bad):
    with pytest.raises(ValueError, match="draw_dot: rankdir"):
        draw_dot(small(), bad)


def test_bad_inputs():
    with pytest.raises(TypeError, match="draw_dot: root must be a Value"):
        draw_dot(3.0)
    with pytest.raises(TypeError, match=r"params.*got float 1.0"):
        draw_dot(small(), params=[1.0])
    with pytest.raises(ValueError, match="renderer must be one of"):
        draw_dot(small(), renderer="neato")


# --- size limit and deep graphs -----------------------------------------------


def chain(n):
    v = Value(0.5, label="x")
    for _ in range(n):
        v = v.tanh()
    return v


def test_size_limit_message():
    v = chain(600)  # 601 boxes + 600 ovals
    with pytest.raises(ValueError) as err:
        draw_dot(v)
    msg = str(err.value)
    parts = ("1201 nodes", f"max_nodes={MAX_NODES}", "max_nodes=1201", "collapse=True",
             "draw_model")
    for part in parts:
        assert part in msg
    assert len(dot_nodes(draw_dot(v, max_nodes=None).source)) == 1201
    with pytest.raises(ValueError, match="max_nodes=2"):
        draw_dot(small(), max_nodes=2)


def test_deep_graph_has_no_recursion():
    v = chain(5000)  # far deeper than Python's recursion limit
    src = draw_dot(v, max_nodes=None, show_grad=False).source
    assert len(dot_edges(src)) == 2 * 5000


# --- collapsed view -----------------------------------------------------------


def tiny_network():
    """2 inputs -> 3 fused tanh neurons -> 1 linear neuron -> (out - 1)**2."""
    x = [Value(1.0, label="x1"), Value(-2.0, label="x2")]
    hidden = [linear(x, [Value(0.1 * j), Value(-0.2)], Value(0.3), "tanh") for j in range(3)]
    out = linear(hidden, [Value(0.5), Value(-0.5), Value(0.25)], Value(0.0))
    loss = (out - 1.0) ** 2
    loss.backward()
    return loss


def test_collapse_draws_neurons_as_one_node():
    loss = tiny_network()
    full = draw_dot(loss).source
    assert len(dot_nodes(full)) == 22 + 6  # 16 leaves + 6 results, 6 ops
    src = draw_dot(loss, collapse=True).source
    assert len(dot_nodes(src)) == 2 + 3 + 1 + 1 + 1  # x1 x2, 3 neurons, out, "-", "**2"
    assert len(dot_edges(src)) == 2 * 3 + 3 + 1 + 1
    assert src.count("tanh(linear), 2 inputs") == 3
    assert src.count("linear, 3 inputs") == 1
    assert "\u00b7 - 1" in src  # the constant 1 is hidden and written into the op
    assert "_op" not in src


def test_collapse_merges_dot_and_its_activation():
    x = [Value(1.0, label="x1"), Value(2.0, label="x2")]
    y = dot(x, [Value(0.5), Value(-0.5)]).tanh()
    src = draw_dot(y, collapse=True).source
    assert len(dot_nodes(src)) == 3
    assert "tanh(dot), 2 inputs" in src


def test_collapse_keeps_weights_used_elsewhere():
    w = Value(0.5, label="w")
    y = linear([Value(1.0, label="x")], [w]) + w * w  # e.g. an L2 penalty
    src = draw_dot(y, collapse=True).source
    assert "{ w |" in src
    w_name = node_attrs(src, "{ w |").split()[0]
    assert sum(1 for a, _ in dot_edges(src) if a == w_name) == 3  # linear, and w * w twice


def test_collapse_with_the_real_mlp():
    model = MLP(2, [4, 4, 1], activation="tanh", seed=0)
    loss = (model([0.5, -1.0]) - 1.0) ** 2
    src = draw_dot(loss, collapse=True).source
    assert len(dot_nodes(src)) == 2 + 4 + 4 + 1 + 2  # inputs, neurons, "-", "**2"
    assert len(dot_edges(src)) == 2 * 4 + 4 * 4 + 4 + 1 + 1


# --- draw_model ----------------------------------------------------------------


class FakeNeuron:
    def __init__(self, w, b, activation):
        self.w, self.b, self.activation = [Value(x) for x in w], Value(b), activation


class FakeLayer:
    def __init__(self, neurons):
        self.neurons = neurons


class FakeModel:
    def __init__(self, layers):
        self.layers = layers


def fake_model():
    """2 inputs -> 2 tanh neurons -> 1 linear neuron."""
    return FakeModel([
        FakeLayer([FakeNeuron([0.5, -2.0], 0.1, "tanh"), FakeNeuron([1.0, 0.0], 0.0, "tanh")]),
        FakeLayer([FakeNeuron([1.0, -1.0], -0.5, "linear")]),
    ])


def test_draw_model_structure_and_weight_styles():
    src = draw_model(fake_model()).source
    assert len(dot_nodes(src)) == 2 + 2 + 1 + 1
    assert len(dot_edges(src)) == 2 * 2 + 2 * 1 + 1
    assert src.count('label="tanh\\nb ') == 2 and 'label="linear\\nb -0.5"' in src
    # -2.0 is the largest |w|: full width, opaque red; 0.5 is a quarter of it
    assert f'color="{NEGATIVE}ff" penwidth=3.50' in src
    assert f'color="{POSITIVE}70" penwidth=1.25' in src  # alpha 255 * (0.25 + 0.75 / 4) = 0x70
    assert f'color="{ZERO}40" penwidth=0.50' in src  # the zero weight, faint


def test_draw_model_with_micrograd(renderer):
    try:
        from micrograd.nn import MLP as MicrogradMLP
    except ImportError as err:
        missing(f"oracle 'micrograd' is not installed ({err})")
    model = MicrogradMLP(3, [4, 4, 1])
    g = draw_model(model, input_names=["a", "b", "c"], show_weights=True)
    n_nodes, n_edges = 3 + 4 + 4 + 1 + 1, 3 * 4 + 4 * 4 + 4 + 1
    assert (len(dot_nodes(g.source)), len(dot_edges(g.source))) == (n_nodes, n_edges)
    assert g.source.count('label="relu') == 8 and g.source.count('label="linear') == 1
    assert svg_groups(to_svg(g, renderer=renderer)) == (n_nodes, n_edges)


def test_draw_model_with_our_mlp():
    src = draw_model(MLP(2, [3, 1], activation="sigmoid", seed=0)).source
    assert src.count('label="sigmoid') == 3
    assert len(dot_edges(src)) == 2 * 3 + 3 + 1


def test_draw_model_errors():
    with pytest.raises(TypeError, match="draw_model: expected a model with .layers"):
        draw_model(small())
    broken = fake_model()
    broken.layers[1].neurons[0].w.append(Value(1.0))
    with pytest.raises(ValueError, match="layer 1 neuron 0 has 3 weights"):
        draw_model(broken)
    with pytest.raises(ValueError, match="input_names has 1 names but the model has 2"):
        draw_model(fake_model(), input_names=["x"])


# --- SVG from each renderer ---------------------------------------------------


def test_svg_counts_match_the_graph(renderer):
    g = readme_expression()
    values = walk(g)
    ops = [v for v in values if v._prev]
    svg = to_svg(g, renderer=renderer)
    assert svg_groups(svg) == (len(values) + len(ops), len(ops) + sum(len(v._prev) for v in ops))
    assert "a" in svg_texts(svg) and "grad 138.8" in svg_texts(svg)


@pytest.mark.parametrize("rankdir", ["LR", "TB"])
def test_svg_collapsed_and_tb(renderer, rankdir):
    svg = to_svg(tiny_network(), renderer=renderer, collapse=True, rankdir=rankdir)
    assert svg_groups(svg) == (8, 11)


def test_awkward_labels_survive_rendering(renderer):
    label = 'a{b}|<c> "q" \\ end'
    v = Value(1.0, label=label) * 2
    svg = to_svg(v, renderer=renderer)
    assert svg_groups(svg) == (4, 3)
    assert label in svg_texts(svg)


def test_same_program_same_bytes_across_processes(renderer):
    script = (
        "import hashlib, json, sys\n"
        "from micrograd_like import Value\n"
        "from micrograd_like.draw import draw_dot, to_svg\n"
        "x = Value(0.5, label='x'); w = Value(-1.5, label='w')\n"
        "y = ((x * w + 1).tanh() + x ** 2) / 3; y.backward()\n"
        "g = draw_dot(y, params=[w], grad_color=True)\n"
        "print(json.dumps([g.source, to_svg(g, renderer=sys.argv[1])]))\n"
    )
    runs = []
    for hash_seed in ("1", "2"):  # different hashes and addresses in each process
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        out = subprocess.run(
            [sys.executable, "-c", script, renderer],
            capture_output=True, check=True, env=env, cwd=REPO,
        ).stdout
        runs.append(json.loads(out))
    assert runs[0][0] == runs[1][0]  # DOT
    assert runs[0][1].encode("utf-8") == runs[1][1].encode("utf-8")  # SVG
    assert svg_groups(runs[0][1]) == (10 + 6, 6 + 10)  # 10 Values, 6 ops


# --- choosing the renderer ----------------------------------------------------


def test_auto_prefers_dot():
    need("dot")
    assert find_renderer()[0] == "dot"


def test_falls_back_to_graphviz_pure_without_dot(no_dot):
    name, path = need("graphviz-pure")
    assert find_renderer() == (name, path)
    scripts = (sysconfig.get_path("scripts"), os.path.dirname(sys.executable))
    assert os.path.dirname(path) in scripts  # found next to the interpreter, not on PATH
    svg = to_svg(small())
    assert "graphviz-pure" in svg.split("<svg")[0]  # the generator comment
    assert svg_groups(svg) == (7, 6)
    with pytest.raises(RendererNotFoundError, match="no 'dot'"):
        to_svg(small(), renderer="dot")


def test_clear_error_without_any_renderer(no_renderer):
    with pytest.raises(RendererNotFoundError) as err:
        to_svg(small())
    assert isinstance(err.value, RuntimeError)
    assert isinstance(err.value, graphviz.ExecutableNotFound)
    msg = str(err.value)
    fixes = ("apt-get install graphviz", "brew install graphviz", "choco install graphviz",
             "pip install graphviz-pure")
    for part in ("neither",) + fixes:
        assert part in msg
    assert "digraph" in draw_dot(small()).source  # the DOT text needs no program


def test_missing_dot_error_names_fixes_for_dot(no_dot):
    # installing graphviz-pure alone does not help renderer="dot": the message
    # must say to install Graphviz, or to switch to another renderer
    with pytest.raises(RendererNotFoundError) as err:
        to_svg(small(), renderer="dot")
    msg = str(err.value)
    assert "no 'dot' (the system Graphviz) on PATH, which renderer='dot' needs" in msg
    for part in ("apt-get install graphviz", "brew install graphviz", "choco install graphviz",
                 "renderer='graphviz-pure'", "renderer='auto'"):
        assert part in msg
    assert "neither" not in msg.split("(The DOT")[0]
    assert "run `pip install graphviz-pure`" not in msg  # not offered as a fix on its own


def test_missing_graphviz_pure_error_says_pip_install(no_renderer):
    with pytest.raises(RendererNotFoundError) as err:
        find_renderer("graphviz-pure")
    msg = str(err.value)
    assert "no 'graphviz-pure', which renderer='graphviz-pure' needs" in msg
    assert "pip install graphviz-pure" in msg and "renderer='dot'" in msg
    assert "apt-get" not in msg


@pytest.mark.parametrize("renderer_name, wanted", [
    ("auto", "neither Graphviz 'dot' nor 'graphviz-pure'"),
    ("dot", "renderer='dot' needs"),
    ("graphviz-pure", "renderer='graphviz-pure' needs"),
])
def test_missing_renderer_message_matches_the_request(no_renderer, renderer_name, wanted):
    with pytest.raises(RendererNotFoundError, match=re.escape(wanted)):
        find_renderer(renderer_name)


def test_jupyter_repr_without_system_dot(no_dot):
    need("graphviz-pure")
    g = draw_dot(small())
    assert isinstance(g, graphviz.Digraph) and isinstance(g, Drawing)
    bundle = g._repr_mimebundle_()
    assert list(bundle) == ["image/svg+xml", "text/html"]  # the HTML fits the cell's width
    assert svg_groups(bundle["image/svg+xml"]) == (7, 6)
    assert bundle["text/html"].startswith('<svg style="max-width:100%;height:auto"')
    assert svg_groups(g._repr_svg_()) == (7, 6)
    assert g.copy()._repr_mimebundle_() == bundle
    # a plain graphviz.Digraph needs `dot`, and fails here: why Drawing exists
    with pytest.raises(graphviz.ExecutableNotFound):
        graphviz.Digraph(body=g.body)._repr_mimebundle_()


def test_jupyter_repr_uses_the_chosen_renderer():
    name = need("graphviz-pure")[0]
    g = draw_model(fake_model(), renderer=name)
    assert "graphviz-pure" in g._repr_mimebundle_()["image/svg+xml"].split("<svg")[0]


# --- writing files ------------------------------------------------------------


def test_render_writes_svg_atomically(tmp_path, renderer):
    path = render(small(), str(tmp_path / "sub" / "graph.svg"), renderer=renderer)
    assert path == str(tmp_path / "sub" / "graph.svg")
    with open(path, encoding="utf-8") as f:
        assert svg_groups(f.read()) == (7, 6)
    assert os.listdir(tmp_path / "sub") == ["graph.svg"]  # no temporary file left


def test_render_png(tmp_path, renderer):
    path = render(draw_model(fake_model()), str(tmp_path / "m.png"), renderer=renderer)
    with open(path, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"


def test_failed_render_leaves_old_file_alone(tmp_path, no_renderer):
    folder = tmp_path / "pictures"
    folder.mkdir()
    path = folder / "graph.svg"
    path.write_text("old")
    with pytest.raises(RendererNotFoundError):
        render(small(), str(path))
    assert path.read_text() == "old"
    assert os.listdir(folder) == ["graph.svg"]


def test_render_dot_text_needs_no_program(tmp_path, no_renderer):
    path = render(small(), str(tmp_path / "graph.gv"), show_grad=False)
    with open(path, encoding="utf-8") as f:
        assert f.read() == draw_dot(small(), show_grad=False).source


def test_render_errors(tmp_path):
    with pytest.raises(ValueError, match=r"render: cannot tell the format of .*graph\.pdf"):
        render(small(), str(tmp_path / "graph.pdf"))
    with pytest.raises(TypeError, match="options \\['rankdir'\\] are for draw_dot"):
        to_svg(draw_dot(small()), rankdir="TB")
    with pytest.raises(TypeError, match="to_svg: expected a Value or a drawing"):
        to_svg("digraph {}")


# --- command line and demo ----------------------------------------------------


def test_cli_renders_the_example(tmp_path, renderer):
    out = tmp_path / "example.svg"
    proc = subprocess.run(
        [sys.executable, "-m", "micrograd_like.draw", "--out", str(out), "--renderer", renderer],
        capture_output=True, text=True, cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr
    assert f"wrote {out} with {renderer}" in proc.stdout
    texts = svg_texts(out.read_text(encoding="utf-8"))
    assert "grad 138.8" in texts and "grad 645.6" in texts  # micrograd's README values


def test_cli_reports_a_missing_renderer(tmp_path):
    env = dict(os.environ, PATH=str(tmp_path))  # no dot on PATH
    proc = subprocess.run(
        [sys.executable, "-m", "micrograd_like.draw", "--out", str(tmp_path / "x.svg"),
         "--renderer", "dot"],
        capture_output=True, text=True, cwd=REPO, env=env,
    )
    assert proc.returncode == 1
    # --renderer dot: the fixes are system Graphviz, or switching renderer
    assert "no 'dot'" in proc.stderr and "apt-get install graphviz" in proc.stderr
    assert "renderer='graphviz-pure'" in proc.stderr
    assert not (tmp_path / "x.svg").exists()


def test_demo_writes_three_svgs(tmp_path, monkeypatch, capsys):
    need("auto")
    monkeypatch.syspath_prepend(os.path.join(REPO, "demos"))
    import draw_graph

    written = draw_graph.main(["--out", str(tmp_path)])
    assert sorted(os.listdir(tmp_path)) == ["expression.svg", "mlp.svg", "neuron.svg"]
    counts = {k: svg_groups(open(p, encoding="utf-8").read()) for k, p in written.items()}
    assert counts["neuron"] == (10 + 5, 5 + 9)  # 10 Values and 5 ops; 5 op -> box, 9 inputs
    assert counts["mlp"] == (2 + 4 + 4 + 1 + 1, 2 * 4 + 4 * 4 + 4 + 1)
    assert "wrote" in capsys.readouterr().out



# --- in a notebook: fitting the cell, micrograd's signature, render/pipe, legend ----


def test_a_wide_drawing_fits_its_cell_in_a_real_browser(page, tmp_path):
    need("graphviz-pure")
    x = Value(1.0, label="x")
    y = x
    for _ in range(40):  # a long chain: far wider than a notebook cell
        y = (y * 1.01).tanh()
    html = draw_dot(y)._repr_mimebundle_()["text/html"]
    natural = float(re.search(r'width="([0-9.]+)pt"', html).group(1)) * 4 / 3  # pt -> px
    f = tmp_path / "cell.html"
    f.write_text(f'<div id="cell" style="width:500px">{html}</div>', encoding="utf-8")
    pg = page.open(f)
    box = pg.eval_on_selector("svg", "s => s.getBoundingClientRect().toJSON()")
    assert natural > 1000 and 490 <= box["width"] <= 500  # scaled down to the cell
    vb = [float(v) for v in re.search(r'viewBox="([^"]+)"', html).group(1).split()]
    assert abs(box["width"] / box["height"] - vb[2] / vb[3]) < 0.02  # not squashed
    small = draw_dot(Value(2.0) + 1)._repr_mimebundle_()["text/html"]
    small_px = float(re.search(r'width="([0-9.]+)pt"', small).group(1)) * 4 / 3
    f.write_text(f'<div style="width:500px">{small}</div>', encoding="utf-8")
    w = page.open(f).eval_on_selector("svg", "s => s.getBoundingClientRect().width")
    assert small_px < 500 and abs(w - small_px) < 1  # a small graph keeps its size


def test_display_width_sets_the_width():
    need("graphviz-pure")
    g = draw_dot(Value(2.0) + 1, display_width="320px")
    assert 'style="width:320px;height:auto"' in g._repr_mimebundle_()["text/html"]
    assert g.copy().display_width == "320px"
    with pytest.raises(TypeError, match="display_width must be a CSS width"):
        draw_dot(Value(1.0), display_width=320)


def test_micrograds_draw_dot_call_works():
    # micrograd: def draw_dot(root, format='svg', rankdir='LR')
    y = Value(2.0) * 3
    g = draw_dot(y, format="svg", rankdir="LR")
    assert g.format == "svg" and "rankdir=LR" in g.source
    assert draw_dot(y, format="png").format == "png"
    with pytest.raises(ValueError, match=r"rankdir='svg' is a file format; pass it as format='svg'"):
        draw_dot(y, "svg")  # micrograd's positional order
    with pytest.raises(ValueError, match="draw_dot: format must be one of"):
        draw_dot(y, format="bmp")


def test_pipe_and_render_work_without_a_system_dot(no_dot, tmp_path):
    need("graphviz-pure")
    tmp_path = tmp_path / "out"  # (no_dot keeps its empty bin beside it)
    g = draw_dot(small())
    svg = g.pipe(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and svg_groups(svg) == (7, 6)
    assert g.pipe(format="png")[:8] == b"\x89PNG\r\n\x1a\n"
    out = g.render("neuron", directory=str(tmp_path))  # graphviz's call and its file names
    assert out == os.path.join(str(tmp_path), "neuron.svg")
    assert sorted(os.listdir(tmp_path)) == ["neuron", "neuron.svg"]
    assert open(os.path.join(str(tmp_path), "neuron"), encoding="utf-8").read() == g.source
    out = g.render(outfile=str(tmp_path / "pic.png"), cleanup=True)
    assert out.endswith("pic.png") and not os.path.exists(tmp_path / "pic.gv")
    with pytest.raises(ValueError, match="view=True"):
        g.render(directory=str(tmp_path), view=True)
    with pytest.raises(ValueError, match="engine choose graphviz's own program"):
        g.pipe(engine="neato")


@pytest.mark.parametrize("grad_color", [False, True])
def test_the_legend_names_every_colour(grad_color):
    src = draw_dot(small(), legend=True, grad_color=grad_color).source
    assert "cluster_legend" in src
    for role, colour in ROLE_COLORS.items():
        assert re.search(rf'legend_\d+ \[label={role} fillcolor="?{colour}"?', src), role
    assert ("grad > 0" in src) is grad_color and ("grad < 0" in src) is grad_color
    assert "cluster_legend" not in draw_dot(small()).source  # off by default
    model_src = draw_model(MLP(2, [2, 1], seed=0), legend=True).source
    assert "weight > 0" in model_src and "weight < 0" in model_src and "neuron" in model_src
