"""Tests for micrograd_like.serialization: save, load, atomic writes, damaged files.

Oracles: the bytes of floats (struct), JSON written by hand, and the file
system itself (what is left in the directory after a failure).
"""

import json
import math
import os
import random
import struct

import pytest

from micrograd_like.nn import MLP, Layer, Neuron
import micrograd_like.serialization as serialization
from micrograd_like.serialization import load


def bits(x):
    return struct.pack("<d", x)


def as_list(out):
    return out if isinstance(out, list) else [out]


# --- save / load --------------------------------------------------------------

AWKWARD = [
    0.1,
    1e-300,
    -0.0,
    5e-324,  # the smallest subnormal
    1.0 / 3.0,
    math.pi,
    1.7976931348623157e308,  # the largest float
    -2.2250738585072014e-308,  # the smallest normal
    2.5e-310,
    0.30000000000000004,
    -123456789.12345679,
    2.0**-1022 * 1.5,
]


def set_params(model, values):
    for i, p in enumerate(model.parameters()):
        p.data = values[i % len(values)]


def test_save_load_round_trip_is_bit_exact(tmp_path):
    model = MLP(2, [4, 1], seed=0)  # 17 parameters: every awkward value is used
    set_params(model, AWKWARD)
    path = tmp_path / "model.json"
    model.save(path)
    expected = [bits(p.data) for p in model.parameters()]

    rebuilt = load(path)  # from the file alone
    assert [bits(p.data) for p in rebuilt.parameters()] == expected
    assert math.copysign(1.0, rebuilt.parameters()[2].data) == -1.0  # -0.0 kept its sign

    into = MLP(2, [4, 1], seed=9).load(str(path))  # into an existing model
    assert [bits(p.data) for p in into.parameters()] == expected


def test_saved_file_is_plain_json_with_tag_and_config(tmp_path):
    path = tmp_path / "m.json"
    MLP(2, [4, 1], seed=0).save(path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["format"] == "micrograd_like.model"
    assert doc["version"] == 1
    assert doc["class"] == "MLP"
    assert doc["config"] == {
        "nin": 2,
        "nouts": [4, 1],
        "activation": ["relu"],
        "output_activation": "linear",
    }
    assert len(doc["state_dict"]) == 17


@pytest.mark.parametrize(
    "make",
    [
        lambda: MLP(3, [4, 2], activation="tanh", output_activation="sigmoid", seed=0),
        lambda: MLP(2, [5, 1, 3], activation=["leaky_relu", "relu"], init="he", seed=1),
        lambda: Layer(3, 2, activation="tanh", seed=0),
        lambda: Layer(2, 1, nonlin=False, seed=0),
        lambda: Neuron(4, activation="sigmoid", seed=0),
    ],
)
def test_load_rebuilds_the_architecture(tmp_path, make):
    model = make()
    path = tmp_path / "m.json"
    model.save(path)
    state = random.getstate()
    loaded = load(path)
    assert random.getstate() == state  # loading does not consume global randomness
    assert type(loaded) is type(model)
    assert repr(loaded) == repr(model)
    assert loaded.state_dict() == model.state_dict()
    x = [0.5, -0.25, 1.0, 2.0][: model.get_config()["nin"]]
    assert [o.data for o in as_list(loaded(x))] == [o.data for o in as_list(model(x))]


def test_save_refuses_non_finite_weights(tmp_path):
    path = tmp_path / "m.json"
    model = MLP(1, [2], seed=0)
    model.save(path)
    old = path.read_bytes()
    model.layers[0].neurons[1].b.data = float("nan")
    with pytest.raises(ValueError, match="'layers.0.neurons.1.b' is nan"):
        model.save(path)
    assert path.read_bytes() == old


# --- atomic writes ------------------------------------------------------------


def _fail(*args, **kwargs):
    raise OSError("simulated crash: disk full")


@pytest.mark.parametrize("target", ["os.fsync", "os.replace", "json.dumps"])
def test_failed_save_keeps_the_old_file_and_leaves_no_litter(tmp_path, monkeypatch, target):
    path = tmp_path / "model.json"
    MLP(2, [3, 1], seed=0).save(path)
    old = path.read_bytes()
    module, name = target.split(".")
    monkeypatch.setattr(getattr(serialization, module), name, _fail)
    with pytest.raises(OSError, match="simulated crash"):
        MLP(2, [3, 1], seed=1).save(path)
    monkeypatch.undo()
    assert path.read_bytes() == old
    assert os.listdir(tmp_path) == ["model.json"]
    assert load(path).state_dict() == MLP(2, [3, 1], seed=0).state_dict()


def test_successful_save_replaces_the_file(tmp_path):
    path = tmp_path / "model.json"
    MLP(2, [3, 1], seed=0).save(path)
    MLP(2, [3, 1], seed=1).save(path)
    assert os.listdir(tmp_path) == ["model.json"]
    assert load(path).state_dict() == MLP(2, [3, 1], seed=1).state_dict()


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_saved_file_has_normal_permissions(tmp_path):
    reference = tmp_path / "plain.txt"
    reference.write_text("x")
    path = tmp_path / "model.json"
    MLP(1, [1], seed=0).save(path)
    assert os.stat(path).st_mode == os.stat(reference).st_mode  # umask, not 0600


# --- corrupt and mismatched files -----------------------------------------------

# A valid file written by hand, for MLP(1, [1]): y = 0.5 * x - 0.25
GOOD = (
    '{"format": "micrograd_like.model", "version": 1, "class": "MLP", '
    '"config": {"nin": 1, "nouts": [1], "activation": [], "output_activation": "linear"}, '
    '"state_dict": {"layers.0.neurons.0.w.0": 0.5, "layers.0.neurons.0.b": -0.25}}'
)


def test_hand_written_file_loads(tmp_path):
    path = tmp_path / "m.json"
    path.write_text(GOOD)
    model = load(path)
    assert repr(model) == "MLP(1 -> [1 linear])"
    assert model([2.0]).data == 0.75
    assert MLP(1, [1], seed=0).load(path)([2.0]).data == 0.75


def _edit(**changes):
    doc = json.loads(GOOD)
    for key, value in changes.items():
        if value is _DROP:
            del doc[key]
        else:
            doc[key] = value
    return json.dumps(doc).encode()


_DROP = object()
_W = "layers.0.neurons.0.w.0"


def no_model_built(monkeypatch):
    """Make building any Neuron, Layer or MLP fail the test: a huge config must be
    rejected from its numbers alone (counted, not timed)."""
    def refuse(self, *args, **kwargs):
        raise AssertionError(f"{type(self).__name__} was built for a config load rejects")
    for cls in (Neuron, Layer, MLP):
        monkeypatch.setattr(cls, "__init__", refuse)


@pytest.mark.parametrize(
    "content, fragment",
    [
        (b"", "is not valid JSON"),
        (b"{not json", "is not valid JSON"),
        (GOOD.encode()[:-20], "is not valid JSON"),  # truncated
        (b"\xff\xfe\x00garbage", "is not valid JSON"),
        (b"[1, 2]", "expected a JSON object at the top, got list"),
        (_edit(format="pickle"), "expected format 'micrograd_like.model', got 'pickle'"),
        (_edit(format=_DROP), "expected format 'micrograd_like.model', got None"),
        (_edit(version=2), "expected format version 1, got 2 (written by a newer"),
        (_edit(version="1"), "expected format version 1, got '1'"),
        (_edit(state_dict=_DROP), "missing key(s) ['state_dict']"),
        (_edit(config=_DROP, **{"class": _DROP}), "missing key(s) ['class', 'config']"),
        (_edit(state_dict=[0.5, -0.25]), "'state_dict' must be an object, got list"),
        (_edit(config=[1, [1]]), "'config' must be an object or null"),
        (_edit(**{"class": 3}), "'class' must be a string"),
        (_edit(state_dict={_W: "0.5", "layers.0.neurons.0.b": 0.0}),
         f"parameter '{_W}' must be a number, got str '0.5'"),
        (_edit(state_dict={_W: None, "layers.0.neurons.0.b": 0.0}), "must be a number, got NoneType"),
        (_edit(state_dict={_W: True, "layers.0.neurons.0.b": 0.0}), "must be a number, got bool"),
        (GOOD.replace("0.5", "NaN").encode(), "NaN is not a number JSON allows"),
        (GOOD.replace("0.5", "-Infinity").encode(), "-Infinity is not a number JSON allows"),
        (GOOD.replace("0.5", "1e999").encode(), f"parameter '{_W}' is not a finite number: inf"),
        (GOOD.replace("0.5", "1" + "0" * 400).encode(), "is not a finite number"),
    ],
)
@pytest.mark.parametrize("how", ["rebuild", "into"])
def test_corrupt_file_raises_value_error(tmp_path, content, fragment, how):
    path = tmp_path / "m.json"
    path.write_bytes(content)
    model = MLP(1, [1], seed=0)
    before = model.state_dict()
    with pytest.raises(ValueError) as err:
        load(path) if how == "rebuild" else model.load(path)
    assert fragment in str(err.value)
    assert str(path) in str(err.value)
    assert model.state_dict() == before


@pytest.mark.parametrize(
    "changes, fragment",
    [
        ({"class": "Evil"}, "holds a 'Evil' without a known architecture"),
        ({"class": "os.system"}, "holds a 'os.system'"),
        ({"config": None}, "build the model yourself and call model.load(path)"),
        ({"config": {"nin": -1, "nouts": [1]}}, "nin must be a positive int, got -1"),
        ({"config": {"nin": 1, "nouts": [1], "__class__": "x"}}, "unexpected key(s) ['__class__']"),
        ({"config": {"nin": 1, "nouts": [1], "rng": 1}}, "does not describe a valid MLP"),
        ({"config": {"nin": 1, "nouts": [1], "init": "he"}}, "unexpected key(s) ['init']"),
        ({"config": {"nouts": [1]}}, "missing key(s) ['nin']"),
        ({"config": {"nin": 1, "nouts": []}}, "nouts must be a non-empty list"),
        ({"config": {"nin": 1, "nouts": [1, 2.5]}}, "every size in nouts must be an int, got float"),
        ({"config": {"nin": True, "nouts": [1]}}, "nin must be an int, got bool"),
        ({"config": {"nin": 1, "nouts": [1], "activation": [], "output_activation": "gelu"}},
         "unknown activation 'gelu'"),
        # the config says one more layer than the weights hold: (1+1)*1 + (1+1)*1
        ({"config": {"nin": 1, "nouts": [1, 1]}}, "expected 4 parameters, got 2"),
        # same count, other names: the usual load_state_dict message
        ({"config": {"nin": 1, "nouts": [1]}, "state_dict": {"a": 1.0, "b": 2.0}},
         "missing keys ['layers.0.neurons.0.w.0', 'layers.0.neurons.0.b']"),
    ],
)
def test_module_level_load_rejects_bad_architecture(tmp_path, changes, fragment):
    path = tmp_path / "m.json"
    path.write_bytes(_edit(**changes))
    with pytest.raises(ValueError) as err:
        load(path)
    assert fragment in str(err.value)


def test_load_into_another_architecture_says_expected_and_got(tmp_path):
    path = tmp_path / "m.json"
    MLP(2, [16, 1], seed=0).save(path)
    big = MLP(2, [16, 16, 1], seed=0)
    before = big.state_dict()
    with pytest.raises(ValueError) as err:
        big.load(path)
    msg = str(err.value)
    assert "expected MLP with config {'nin': 2, 'nouts': [16, 16, 1]" in msg
    assert "the file holds MLP with config {'nin': 2, 'nouts': [16, 1]" in msg
    assert big.state_dict() == before

    with pytest.raises(ValueError, match="'output_activation': 'tanh'"):
        MLP(2, [16, 1], output_activation="tanh", seed=0).load(path)
    with pytest.raises(ValueError, match="expected Layer with config"):
        Layer(2, 16, seed=0).load(path)

    # strict=False: load whatever names match (here all of layer 0)
    big.load(path, strict=False)
    assert big.layers[0].neurons[5].w[1].data == load(path).layers[0].neurons[5].w[1].data


@pytest.mark.parametrize(
    "cls, config, expected",
    [
        # (nin + 1) * nout per layer, by hand: 3 * 10**7 + 10**7 + 1
        ("MLP", {"nin": 2, "nouts": [10**7, 1]}, 40_000_001),
        ("MLP", {"nin": 2, "nouts": [10**7]}, 30_000_000),
        ("MLP", {"nin": 10**9, "nouts": [10**9] * 3}, 3 * (10**9 + 1) * 10**9),
        ("Layer", {"nin": 10**7, "nout": 3}, 30_000_003),
        ("Neuron", {"nin": 10**8}, 100_000_001),
    ],
)
def test_load_rejects_a_huge_config_before_building_it(tmp_path, monkeypatch, cls, config,
                                                        expected):
    path = tmp_path / "m.json"
    path.write_bytes(_edit(config=config, **{"class": cls}))  # 2 weights in the file
    no_model_built(monkeypatch)
    with pytest.raises(ValueError) as err:
        load(path)  # no_model_built: building 30M Values would take minutes
    msg = str(err.value)
    assert f"expected {expected} parameters, got 2" in msg
    assert str(path) in msg


def test_load_rejects_a_huge_config_with_small_numbers_before_building_it(tmp_path,
                                                                          monkeypatch):
    # many small layers: the file lists 10**5 sizes, the state_dict 2 values
    path = tmp_path / "m.json"
    path.write_bytes(_edit(config={"nin": 1, "nouts": [100] * 10**5}))
    no_model_built(monkeypatch)
    with pytest.raises(ValueError, match=r"expected \d+ parameters, got 2; the file is damaged"):
        load(path)


def test_load_into_model_with_huge_file_config_builds_nothing(tmp_path, monkeypatch):
    # model.load compares with the model it has; the file's config is never built
    path = tmp_path / "m.json"
    path.write_bytes(_edit(config={"nin": 2, "nouts": [10**7]}))
    model = MLP(1, [1], seed=0)
    no_model_built(monkeypatch)
    with pytest.raises(ValueError, match="does not match this model"):
        model.load(path)


def test_save_into_a_missing_directory_names_the_path(tmp_path):
    path = tmp_path / "nodir" / "x.json"
    with pytest.raises(FileNotFoundError) as err:
        MLP(1, [1], seed=0).save(path)
    msg = str(err.value)
    assert repr(str(path)) in msg
    assert "does not exist; create it first" in msg
    assert ".tmp" not in msg  # not our temporary file
    assert not (tmp_path / "nodir").exists()  # not created behind the user's back
    (tmp_path / "nodir").mkdir()
    MLP(1, [1], seed=0).save(path)
    assert os.listdir(tmp_path / "nodir") == ["x.json"]


def test_load_missing_file_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "nope.json")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="os.mkfifo is POSIX only")
def test_save_onto_a_fifo_refuses_and_leaves_it_a_fifo(tmp_path):
    # The rename that makes a save atomic would replace the FIFO (or, as
    # root, a device such as /dev/full) by a plain file.
    import stat

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match=r"save: cannot write .*pipe.*not a regular file"):
        MLP(2, [1], seed=0).save(fifo)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]  # no temporary file left


def test_save_onto_a_directory_names_the_users_path_and_leaves_nothing(tmp_path):
    target = tmp_path / "model.json"
    target.mkdir()
    with pytest.raises(IsADirectoryError, match=r"save: cannot write .*model\.json.*not of a folder"):
        MLP(2, [1], seed=0).save(target)
    assert [p.name for p in tmp_path.iterdir()] == ["model.json"]  # no temporary file left
    assert list(target.iterdir()) == []
