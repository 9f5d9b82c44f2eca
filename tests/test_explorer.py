"""The step-through page (micrograd_like.explorer), checked in a real browser.

The oracle is backward() itself: after stepping through the page, every
gradient on it must be fmt(v.grad) of what backward() computes on the same
graph. The browser is headless Chromium (the ``page`` fixture of conftest),
which also records any network request and console error.
"""

import html
import json
import os
import re

import pytest

from micrograd_like import Value, dot
from micrograd_like._format import fmt
from micrograd_like.engine import topological_order
from micrograd_like.explorer import Explorer, explore
from micrograd_like.nn import MLP


# --- graphs ----------------------------------------------------------------------


def fan_out():  # x used three times
    x = Value(2.0, label="x")
    a = x + x
    a.label = "a"
    y = a * x
    y.label = "y"
    return y


def shared_input():  # a*b + a: a used twice
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    return a * b + a


def lecture_neuron():  # micrograd's lecture: o = tanh(x1*w1 + x2*w2 + b)
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    n = x1w1 + x2w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o


def sin_sin():  # sin(sin(x) + sin(x))
    x = Value(0.7, label="x")
    return (x.sin() + x.sin()).sin()


def relu_off():  # a ReLU that is off: backward() skips what is behind it
    x = Value(1.5, label="x")
    y = Value(-0.5, label="y")
    return (x * -2).relu() * y + x


def many_ops():  # every op of the engine's table that a Value method makes
    x, y = Value(0.8, label="x"), Value(-1.3, label="y")
    z = ((x**2 / y).exp().log() - y.sigmoid() + abs(-x) + x ** abs(y)).cos()
    return z + y.leaky_relu(0.1) + x.sqrt() + x.tanh() * y.sin()


def mlp_output():
    model = MLP(2, [4, 1], seed=0)
    out = model([Value(1.0, label="x1"), Value(-2.0, label="x2")])
    return out[0] if isinstance(out, list) else out


GRAPHS = [fan_out, shared_input, lecture_neuron, sin_sin, relu_off, many_ops]


# --- reading the page --------------------------------------------------------------

READ = """() => {
  const out = {};
  document.querySelectorAll('#graph g.node').forEach(g => {
    const t = g.querySelector('title').textContent;
    const texts = [...g.querySelectorAll('text')].map(e => e.textContent);
    if (!t.endsWith('_op')) out[t] = {data: texts[texts.length - 2], grad: texts[texts.length - 1],
                                      current: g.classList.contains('current')};
  });
  return out;
}"""


def boxes(pg):
    return pg.evaluate(READ)


def counter(pg):
    m = re.fullmatch(r"step (\d+) of (\d+)", pg.locator("#counter").text_content())
    return int(m.group(1)), int(m.group(2))


def panel(pg):
    return pg.locator("#panel").inner_text()


def names(out):
    return {f"n{i}": v for i, v in enumerate(topological_order(out))}


def clean(page):
    assert page.requests == [], page.requests
    assert page.errors == [], page.errors


# --- stepping through backward() -----------------------------------------------------


@pytest.mark.parametrize("make", GRAPHS, ids=lambda f: f.__name__)
def test_every_gradient_shown_is_the_one_backward_computes(make, page, tmp_path):
    out = make()
    ex = explore(out, tmp_path / "backprop.html")
    out.backward()  # the oracle, on the same graph, after the page is written
    want = {n: "grad " + fmt(v.grad) for n, v in names(out).items()}

    pg = page.open(tmp_path / "backprop.html")
    first = boxes(pg)
    assert set(first) == set(want)
    assert all(b["grad"] == "grad ?" for b in first.values())  # not computed yet, not 0
    assert counter(pg) == (0, ex.n_steps)
    for k in range(1, ex.n_steps + 1):
        pg.keyboard.press("ArrowRight")
        assert counter(pg) == (k, ex.n_steps)
        shown = boxes(pg)
        for n, b in shown.items():
            assert b["grad"] == "grad ?" or re.fullmatch(r"grad \S+", b["grad"]), b
            # The chain rule's order: a node passes its gradient on only
            # once that gradient is complete.
            if b["current"] and k > 1:
                assert b["grad"] == want[n], (k, n, b)
    assert {n: b["grad"] for n, b in boxes(pg).items()} == want
    pg.keyboard.press("ArrowRight")  # past the end: stays at the end
    assert counter(pg) == (ex.n_steps, ex.n_steps)
    clean(page)


def test_the_rule_is_shown_with_the_numbers(page, tmp_path):
    out = shared_input()  # a*b + a
    explore(out, tmp_path / "p.html")
    pg = page.open(tmp_path / "p.html")
    assert "not computed" in panel(pg) or "grad ?" in panel(pg)
    pg.keyboard.press("ArrowRight")
    assert "n3.grad = 1" in panel(pg)  # the seed: d out/d out = 1
    pg.keyboard.press("ArrowRight")  # out = n2 + a
    assert "a.grad += n3.grad × 1 = 1 × 1 = 1" in panel(pg)
    pg.keyboard.press("ArrowRight")  # n2 = a * b
    text = panel(pg)
    assert "a.grad += n2.grad × b = 1 × (-3) = -3" in text
    assert "a.grad = 1 + (-3) = -2" in text  # a is used twice: it adds up
    assert "b.grad += n2.grad × a = 1 × 2 = 2" in text
    assert boxes(pg)["n2"]["current"]
    clean(page)


def test_left_goes_back_and_reset_returns_to_the_start(page, tmp_path):
    explore(lecture_neuron(), tmp_path / "p.html")
    pg = page.open(tmp_path / "p.html")
    states = [(boxes(pg), panel(pg))]
    for _ in range(4):
        pg.keyboard.press("ArrowRight")
        states.append((boxes(pg), panel(pg)))
    for k in range(3, -1, -1):
        pg.keyboard.press("ArrowLeft")
        assert (boxes(pg), panel(pg)) == states[k]
    pg.keyboard.press("ArrowLeft")  # before the start: stays at the start
    assert counter(pg)[0] == 0
    pg.click("#next")
    pg.click("#next")
    pg.click("#prev")
    assert (boxes(pg), panel(pg)) == states[1]
    pg.click("#next")
    pg.click("#reset")
    assert (boxes(pg), panel(pg)) == states[0]
    assert pg.locator("#prev").is_disabled() and pg.locator("#reset").is_disabled()
    clean(page)


def test_play_steps_by_itself_until_paused(page, tmp_path):
    ex = explore(fan_out(), tmp_path / "p.html")
    page.page.clock.install()  # a fake clock: no waiting for real seconds
    pg = page.open(tmp_path / "p.html")
    pg.click("#play")
    assert "pause" in pg.locator("#play").text_content()
    pg.clock.run_for(2500)  # two steps' time
    assert counter(pg)[0] == 2
    pg.click("#play")  # pause
    assert "play" in pg.locator("#play").text_content()
    pg.clock.run_for(5000)
    assert counter(pg)[0] == 2
    pg.click("#play")
    pg.clock.run_for(60000)  # plays to the end, then stops
    assert counter(pg) == (ex.n_steps, ex.n_steps)
    assert "play" in pg.locator("#play").text_content()
    clean(page)


def test_forward_pass_first(page, tmp_path):
    out = lecture_neuron()
    order = topological_order(out)
    ex = explore(out, tmp_path / "p.html", forward=True)
    interior = sum(1 for v in order if v._prev)
    assert ex.n_steps == explore(out, None).n_steps + interior
    pg = page.open(tmp_path / "p.html")
    first = boxes(pg)
    for n, v in names(out).items():
        assert first[n]["data"] == ("data ?" if v._prev else "data " + fmt(v.data))
    pg.keyboard.press("ArrowRight")
    assert "x1*w1 = x1 * w1 = 2 × (-3) = -6" in panel(pg)
    for _ in range(interior - 1):
        pg.keyboard.press("ArrowRight")
    assert pg.locator("#phase").text_content() == "forward"
    assert all(b["data"] == "data " + fmt(names(out)[n].data) for n, b in boxes(pg).items())
    assert all(b["grad"] == "grad ?" for b in boxes(pg).values())
    pg.keyboard.press("ArrowRight")
    assert pg.locator("#phase").text_content() == "backward"
    clean(page)


# --- the collapsed view: one neuron a step -------------------------------------------


def test_collapsed_mlp_steps_one_neuron_at_a_time(page, tmp_path):
    out = mlp_output()
    ex = explore(out, tmp_path / "p.html", collapse=True, forward=True)
    out.backward()
    by_name = names(out)
    pg = page.open(tmp_path / "p.html")
    shown = boxes(pg)
    neurons = [n for n in shown if by_name[n]._prev]
    assert len(neurons) == 5 and len(shown) == 7  # 4 + 1 neurons, x1 and x2
    # after the start: 5 forward, the seed (out.grad = 1), 5 backward, done
    assert ex.n_steps == 5 + 1 + 5 + 1
    for _ in range(ex.n_steps):
        pg.keyboard.press("ArrowRight")
    assert {n: b["grad"] for n, b in boxes(pg).items()} == {
        n: "grad " + fmt(by_name[n].grad) for n in shown}
    clean(page)


def test_collapsed_dot_and_activation_are_one_step(tmp_path):
    xs = [Value(1.0, label="x1"), Value(2.0, label="x2")]
    h = dot(xs, [Value(0.5), Value(-0.25)]).tanh()
    h.label = "h"
    full = explore(h, None)
    small = explore(h, None, collapse=True)
    assert small.n_steps == full.n_steps - 1  # the dot's step joins the tanh's
    # forward, the dot's step and the tanh's are one step too
    assert explore(h, None, forward=True).n_steps - 2 == \
        explore(h, None, collapse=True, forward=True).n_steps
    h.backward()
    by_name = names(h)
    assert {n: f[1] for n, f in final_fields(small).items()} == {
        n: "grad " + fmt(by_name[n].grad) for n in final_fields(small)}
    data = page_data(small)
    neuron = [s for s in data["steps"] if s["title"].startswith("h = tanh")][0]
    assert any("grad +=" in line for line in neuron["lines"])
    assert {t for s in data["steps"] for t in s["targets"]} <= {"n0", "n1"}


@pytest.mark.parametrize("collapse", [False, True])
def test_the_limit_is_draw_dots(collapse):
    from micrograd_like.draw import draw_dot

    out = mlp_output()
    with pytest.raises(ValueError) as err:
        draw_dot(out, collapse=collapse, max_nodes=1)
    count = int(re.search(r"would have (\d+) nodes", str(err.value)).group(1))
    explore(out, None, collapse=collapse, max_nodes=count)  # at the limit: fine
    with pytest.raises(ValueError, match=f"would have {count} nodes"):
        explore(out, None, collapse=collapse, max_nodes=count - 1)


def test_over_the_limit_offers_the_same_choices_as_draw_dot():
    out = mlp_output()
    with pytest.raises(ValueError) as err:
        explore(out, None, max_nodes=10)
    msg = str(err.value)
    assert msg.startswith("explore:") and "max_nodes=10" in msg
    assert "collapse=True" in msg and "None" in msg
    assert explore(out, None, max_nodes=10, collapse=True).n_steps > 0
    assert explore(out, None, max_nodes=None).n_steps > 0


# --- the file ------------------------------------------------------------------------


def test_self_contained_no_network_no_errors(page, tmp_path):
    ex = explore(lecture_neuron(), tmp_path / "p.html")
    text = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert text == ex.html
    assert "<link" not in text and " src=" not in text and "http://" not in text.replace(
        "http://www.w3.org/", "")
    pg = page.open(tmp_path / "p.html")
    pg.keyboard.press("ArrowRight")
    clean(page)


def test_labels_cannot_break_the_page(page, tmp_path):
    x = Value(1.0, label="</script><b>x & y")
    y = x * 2
    y.label = "{{DATA}} \"q\""
    explore(y, tmp_path / "p.html")
    pg = page.open(tmp_path / "p.html")
    pg.keyboard.press("ArrowRight")
    pg.keyboard.press("ArrowRight")
    assert "</script><b>x & y" in pg.locator("#graph").inner_text()
    assert "grad 2" in pg.locator("#graph").inner_text()
    clean(page)


def test_same_program_same_bytes(tmp_path):
    explore(lecture_neuron(), tmp_path / "a.html", forward=True)
    explore(lecture_neuron(), tmp_path / "b.html", forward=True)
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def page_data(ex):
    return json.loads(re.search(r'id="explore-data">(.*?)</script>', ex.html).group(1))


def final_fields(ex):
    """The boxes' texts after the last step, replayed from the page's data."""
    data = page_data(ex)
    fields = {n: list(f) for n, f in data["fields"].items()}
    for step in data["steps"]:
        for n, which, text in step["set"]:
            fields[n][which] = text
    return fields


def test_grads_of_the_graph_are_left_alone():
    out = lecture_neuron()
    out.backward()
    out.backward()  # grads accumulate: now twice one backward()'s
    before = [v.grad for v in topological_order(out)]
    ex = explore(out, None)
    assert [v.grad for v in topological_order(out)] == before
    # The page shows what one backward() computes, from zero gradients.
    assert {n: f[1] for n, f in final_fields(ex).items()} == {
        n: "grad " + fmt(g / 2) for n, g in zip(names(out), before)}


def test_a_micrograd_style_op_with_its_own_backward():
    x = Value(3.0, label="x")
    y = Value(x.data**2, (x,), "square")  # micrograd's way of adding an op
    y.label = "y"

    def _backward():
        x.grad += 2 * x.data * y.grad

    y._backward = _backward
    z = y * x
    ex = explore(z, None)
    z.backward()
    assert final_fields(ex)["n0"][1] == "grad " + fmt(x.grad) == "grad 27"
    lines = [line for s in page_data(ex)["steps"] for line in s["lines"]]
    assert "x.grad += y.grad × (your own _backward) = 3 × 6 = 18" in lines


def test_a_leaf_alone():
    x = Value(3.0, label="x")
    ex = explore(x, None)
    assert ex.n_steps == 2  # the seed x.grad = 1, then done
    assert final_fields(ex) == {"n0": ["data 3", "grad 1"]}


def test_graphviz_pure_draws_the_same_page(page, tmp_path):
    out = lecture_neuron()
    ex = explore(out, tmp_path / "p.html", renderer="graphviz-pure")
    out.backward()
    pg = page.open(tmp_path / "p.html")
    for _ in range(ex.n_steps):
        pg.keyboard.press("ArrowRight")
    assert {n: b["grad"] for n, b in boxes(pg).items()} == {
        n: "grad " + fmt(v.grad) for n, v in names(out).items()}
    clean(page)


def test_path_none_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ex = explore(fan_out(), path=None)
    assert ex.path is None and os.listdir(tmp_path) == []
    assert ex.html.startswith("<!DOCTYPE html>")


def test_default_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ex = explore(fan_out())
    assert ex.path == "backprop.html" and os.listdir(tmp_path) == ["backprop.html"]


# --- Jupyter -------------------------------------------------------------------------


def test_jupyter_shows_the_page_in_an_iframe(page, tmp_path):
    ex = explore(fan_out(), None)
    assert isinstance(ex, Explorer) and "steps=" in repr(ex)
    frame_html = ex._repr_html_()
    m = re.fullmatch(r'<iframe srcdoc="([^"]*)" (.*)></iframe>', frame_html, re.S)
    assert m and html.unescape(m.group(1)) == ex.html
    assert 'sandbox="allow-scripts"' in m.group(2)
    pg = page.page
    pg.set_content(frame_html)
    frame = pg.frames[1]
    frame.wait_for_selector("#counter")
    assert frame.locator("#counter").text_content() == f"step 0 of {ex.n_steps}"
    frame.click("#next")
    frame.click("#next")
    assert frame.locator("#counter").text_content() == f"step 2 of {ex.n_steps}"
    clean(page)


# --- bad input -------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [3.0, [Value(1.0)], None, "loss"])
def test_output_must_be_a_value(bad):
    with pytest.raises(TypeError, match=r"^explore: output must be a Value.*Pass the Value"):
        explore(bad, None)


def test_a_list_of_outputs_gets_a_hint():
    with pytest.raises(TypeError, match=r"pass out\[0\]"):
        explore([fan_out()], None)


@pytest.mark.parametrize("kwargs, error, text", [
    ({"forward": "yes"}, TypeError, "explore: forward must be True or False"),
    ({"collapse": 1}, TypeError, "explore: collapse must be True or False"),
    ({"max_nodes": 0}, ValueError, "explore: max_nodes must be a positive int or None"),
    ({"max_nodes": "10"}, ValueError, "explore: max_nodes must be a positive int or None"),
    ({"title": 3}, TypeError, "explore: title must be a str"),
    ({"rankdir": "up"}, ValueError, "explore: rankdir must be one of 'LR'"),
    ({"renderer": "neato"}, ValueError, "explore: renderer must be one of 'auto'"),
])
def test_bad_options(kwargs, error, text):
    with pytest.raises(error, match=text):
        explore(fan_out(), None, **kwargs)


def test_missing_directory_names_the_path(tmp_path):
    path = tmp_path / "no" / "such" / "page.html"
    with pytest.raises(FileNotFoundError) as err:
        explore(fan_out(), path)
    assert str(path) in str(err.value) and "explore" in str(err.value)
    assert not (tmp_path / "no").exists()


def test_a_directory_is_not_a_file_name(tmp_path):
    with pytest.raises(ValueError, match="explore: path must name an HTML file"):
        explore(fan_out(), tmp_path)


def test_nothing_half_written_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "p.html"
    target.write_text("the old page", encoding="utf-8")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        explore(fan_out(), target)
    assert os.listdir(tmp_path) == ["p.html"]  # no temporary file left behind
    assert target.read_text(encoding="utf-8") == "the old page"


def test_numbers_that_4_digits_would_not_add_up_get_more():
    # tanh(-8) = -0.99999977493; 1 - 0.9999997749**2 = 4.498e-07, the rule's 4.501e-07
    # to 0.1%, where the 4-digit 1 - (-1)**2 would be 0.
    x = Value(-8.0, label="x")
    lines = [line for s in page_data(explore(x.tanh(), None))["steps"] for line in s["lines"]]
    assert "x.grad += n1.grad × (1 − n1²) = 1 × (1 − (-0.9999997749)²) = 4.501e-07" in lines
    # a gradient that adds up: 1.00001 + (-1) = 1e-05, not "1 + (-1)"
    x = Value(1.0, label="x")
    y = x * Value(1.00001) + x * Value(-1.0)
    lines = [line for s in page_data(explore(y, None))["steps"] for line in s["lines"]]
    assert "    so x.grad = -1 + 1.00001 = 1e-05 (it adds up)" in lines
    # normal numbers keep their 4 digits: 1 - 0.2913**2 = 0.9151
    x = Value(0.3, label="x")
    lines = [line for s in page_data(explore(x.tanh(), None))["steps"] for line in s["lines"]]
    assert "x.grad += n1.grad × (1 − n1²) = 1 × (1 − 0.2913²) = 0.9151" in lines


def test_an_op_without_a_rule_is_named_by_explore():
    x = Value(2.0, label="x")
    y = Value(x.data**2, (x,), "square")  # an op with neither a rule nor a _backward
    with pytest.raises(ValueError, match=r"^explore: node .* has op 'square', which has no rule"):
        explore(y * x, None)
