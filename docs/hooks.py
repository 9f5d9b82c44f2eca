"""MkDocs hooks: the build refuses stale pictures or notebooks (see make_pictures.py, notebooks.py)."""

import os
import sys

from mkdocs.exceptions import PluginError

HERE = os.path.dirname(os.path.abspath(__file__))


def on_pre_build(config, **kwargs):
    sys.path.insert(0, HERE)
    import make_pictures
    import notebooks

    old = make_pictures.stale()
    if old:
        raise PluginError("stale pictures, run python docs/make_pictures.py: " + ", ".join(old))
    old = notebooks.stale()
    if old:
        raise PluginError("stale notebooks, run python docs/notebooks.py: " + ", ".join(old))
