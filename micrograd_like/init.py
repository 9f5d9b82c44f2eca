"""Weight initialisation: where a network's first weights come from.

Every weight starts as ``random.uniform(-b, b)``; the schemes differ only in
the bound ``b``, computed from the layer's fan-in and fan-out with the
formulas of ``torch.nn.init`` (default gains):

- ``"uniform"`` (micrograd's): b = 1, whatever the layer size;
- ``"xavier"`` (Glorot): b = sqrt(6 / (fan_in + fan_out));
- ``"he"`` (Kaiming, for ReLU): b = sqrt(6 / fan_in).

Biases start at 0, as in micrograd.

>>> round(INITS["xavier"](2, 16), 4)
0.5774
"""

from __future__ import annotations

import math
import random
from typing import Any, Callable, Dict, Optional

__all__ = ["INITS", "INIT_ALIASES"]

# name -> bound b of the weight distribution uniform(-b, b), from (fan_in, fan_out).
# The formulas are those of torch.nn.init with its default gains.
INITS: Dict[str, Callable[[int, int], float]] = {
    # micrograd: random.uniform(-1, 1), whatever the layer size
    "uniform": lambda fan_in, fan_out: 1.0,
    # Glorot/Xavier uniform (torch.nn.init.xavier_uniform_, gain 1): keeps the
    # variance of activations and of gradients about the same across layers
    "xavier": lambda fan_in, fan_out: math.sqrt(6.0 / (fan_in + fan_out)),
    # He/Kaiming uniform for ReLU (torch.nn.init.kaiming_uniform_, mode
    # fan_in, gain sqrt(2)): ReLU zeroes half the signal, so double the variance
    "he": lambda fan_in, fan_out: math.sqrt(6.0 / fan_in),
}

# Other names people use for the same inits; the model keeps the canonical one.
INIT_ALIASES: Dict[str, str] = {"micrograd": "uniform", "glorot": "xavier", "kaiming": "he"}


def _check_init(init: object, who: str) -> str:
    """The canonical init name for ``init`` (an ``INITS`` name or an alias)."""
    if isinstance(init, str) and init in INIT_ALIASES:
        return INIT_ALIASES[init]
    if not isinstance(init, str) or init not in INITS:
        valid = ", ".join(repr(c) for c in INITS)
        aliases = ", ".join(f"{a!r} (= {c!r})" for a, c in INIT_ALIASES.items())
        raise ValueError(
            f"{who}: unknown init {init!r}; choose one of {valid}, or an alias: {aliases}"
        )
    return init


def _make_rng(seed: Optional[int], rng: Any, who: str) -> Any:
    """The random source for weights: rng, or Random(seed), or global random."""
    if seed is not None and rng is not None:
        raise ValueError(f"{who}: pass seed= or rng=, not both")
    if rng is not None:
        if not callable(getattr(rng, "uniform", None)):
            raise TypeError(
                f"{who}: rng must be a random.Random, got {type(rng).__name__} {rng!r}"
            )
        return rng
    if seed is not None:
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise TypeError(f"{who}: seed must be an int, got {type(seed).__name__} {seed!r}")
        return random.Random(seed)
    return random  # the module: micrograd's behaviour, so random.seed() repeats runs
