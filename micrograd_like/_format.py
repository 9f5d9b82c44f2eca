"""How numbers are shown to a learner: in graphs, in explanations, on pages.

One format everywhere, so the number in an ``explain()`` line is the number
on the node in the picture.
"""


def fmt(x: float) -> str:
    """4 significant digits: 46, 0.5, -1.23e-05, 1.235e+06; never '-0'.

    >>> fmt(0.70710678), fmt(-0.0), fmt(1234567.0)
    ('0.7071', '0', '1.235e+06')
    """
    s = f"{x:.4g}"
    return "0" if s == "-0" else s
