"""Every public name has a docstring with a tiny example (issue 16).

The reference pages are generated from the docstrings (mkdocstrings), so a
public name without a ``>>>`` example is a reference entry without one.
tests/test_docstrings.py runs the examples; this file checks that they exist.

"Public" is read from the package itself, not from a list kept by hand:

- every name in ``micrograd_like.__all__``, plus ``micrograd_like.sum`` and
  ``micrograd_like.compile`` (public, kept out of ``__all__`` so that
  ``import *`` never hides the built-ins);
- the ``__all__`` of every module found by ``pkgutil`` whose dotted name has
  no part starting with ``_`` (a module without ``__all__``: the classes and
  functions defined in it whose names do not start with ``_``);
- the public methods of those classes, as the class resolves them (an
  inherited ``Module.parameters`` counts once, under ``Module``), except what
  comes from ``object`` or from outside the package, and dunder methods.

Constants (dicts, tuples, strings, numbers) need no example. A property needs
a docstring (it renders as an attribute), not an example. A method that
overrides a documented one and has no docstring of its own is covered by the
one it overrides, as ``help()`` shows it (and the reference hides it).
"""

import importlib
import inspect
import pkgutil

import pytest

import micrograd_like

# Names that are public by the rules above but are machinery, not API: they
# get no example. Each says why. Better still, their module's __all__ could
# leave them out (proposed to the lead).
_COMPILER_INSIDES = "compile()'s machinery: users call micrograd_like.compile, never this"
_PAGE_INSIDES = "the step-through page's machinery: users call explore(), never this"
INTERNAL = {
    "micrograd_like.compiler.trace.Input": _COMPILER_INSIDES + " (the Value subclass a trace feeds fn)",
    "micrograd_like.compiler.trace.Trace": _COMPILER_INSIDES + " (the record codegen reads)",
    "micrograd_like.compiler.trace.Mismatch": _COMPILER_INSIDES + " (raised inside, caught by compile)",
    "micrograd_like.compiler.trace.trace": _COMPILER_INSIDES + " (the module docstring shows it)",
    "micrograd_like.compiler.codegen.Guard": _COMPILER_INSIDES + " (its docstring says Internal)",
    "micrograd_like.compiler.codegen.generate": _COMPILER_INSIDES + " (writes the source text)",
    "micrograd_like.compiler.codegen.namespace": _COMPILER_INSIDES + " (globals for the source)",
    "micrograd_like.explorer.steps.build": _PAGE_INSIDES + " (the module docstring shows it)",
    "micrograd_like.explorer.steps.Steps": _PAGE_INSIDES + " (what build returns)",
    "micrograd_like.explorer.steps.Steps.page_data": _PAGE_INSIDES + " (the JSON the page's script reads)",
}


def _public_modules():
    found = ["micrograd_like"]
    for m in pkgutil.walk_packages(micrograd_like.__path__, "micrograd_like."):
        if not any(part.startswith("_") for part in m.name.split(".")):  # also skips __main__
            found.append(m.name)
    return sorted(found)


def _module_names(module):
    """The public names a module offers, by the rules in this file's docstring."""
    if module is micrograd_like:
        return list(module.__all__) + ["sum", "compile"]
    if hasattr(module, "__all__"):
        return list(module.__all__)
    return [k for k, v in vars(module).items()
            if not k.startswith("_") and (inspect.isclass(v) or inspect.isfunction(v))
            and v.__module__ == module.__name__]


def _ours(obj):
    return (getattr(obj, "__module__", None) or "").startswith("micrograd_like")


def _methods(cls):
    """(name, function or property, defining class) of the public methods ``cls`` resolves."""
    seen = set()
    for klass in cls.__mro__:
        for name, attr in vars(klass).items():
            if name.startswith("_") or name in seen:
                continue
            seen.add(name)  # the first class in the MRO wins, as attribute lookup does
            if isinstance(attr, (staticmethod, classmethod)):
                attr = attr.__func__
            if klass is not object and _ours(klass) and (inspect.isfunction(attr) or isinstance(attr, property)):
                yield name, attr, klass


def _doc_of_override(cls, name):
    """The docstring an undocumented override shows in help(): the first one up the MRO."""
    for klass in cls.__mro__[1:]:
        attr = vars(klass).get(name)
        attr = getattr(attr, "__func__", attr)
        if attr is not None and attr.__doc__:
            return attr.__doc__
    return None


def _entries():
    """{qualified name: (defining module, docstring or None, needs an example)}, once each."""
    entries = {}
    for module_name in _public_modules():
        module = importlib.import_module(module_name)
        for name in _module_names(module):
            obj = getattr(module, name)
            if inspect.ismodule(obj) or not (inspect.isclass(obj) or inspect.isroutine(obj)):
                continue  # a submodule (walked on its own) or a constant
            entries.setdefault(f"{obj.__module__}.{obj.__qualname__}", (obj.__module__, obj.__doc__, True))
            if not inspect.isclass(obj):
                continue
            for meth_name, attr, klass in _methods(obj):
                key = f"{klass.__module__}.{klass.__qualname__}.{meth_name}"
                if isinstance(attr, property):
                    entries.setdefault(key, (klass.__module__, attr.__doc__, False))
                else:
                    doc = attr.__doc__ or _doc_of_override(klass, meth_name)
                    entries.setdefault(key, (klass.__module__, doc, True))
    return entries


ENTRIES = _entries()
FILES = sorted({module for module, _, _ in ENTRIES.values()})


def _lacking(key):
    """Why ``key`` falls short, or None."""
    _, doc, needs_example = ENTRIES[key]
    if not doc or not doc.strip():
        return "no docstring"
    if needs_example and ">>>" not in doc:
        return "no >>> example"
    return None


def test_the_walk_finds_the_names_users_know():
    # Without this, a walk that found nothing would pass every test below.
    expected = {
        "micrograd_like.engine.Value", "micrograd_like.engine.Value.backward",
        "micrograd_like.fused.sum", "micrograd_like.compiler.compile",
        "micrograd_like.module.Module.state_dict", "micrograd_like.optim.optimizer.Optimizer.step",
        "micrograd_like.optim.lr_scheduler.StepLR", "micrograd_like.testing.classic.gradcheck",
        "micrograd_like.datasets.make_moons", "micrograd_like.draw.graph.draw_dot",
    }
    assert expected <= set(ENTRIES), sorted(expected - set(ENTRIES))
    assert not any(k.rsplit(".", 1)[-1].startswith("__") for k in ENTRIES), "dunders are not counted"
    assert len(FILES) > 20


def test_the_internal_list_names_real_public_names():
    # A renamed or removed name must leave the list too, or it hides nothing forever.
    assert set(INTERNAL) <= set(ENTRIES), sorted(set(INTERNAL) - set(ENTRIES))
    assert all(reason.strip() for reason in INTERNAL.values())


@pytest.mark.parametrize("module", FILES)
def test_public_names_have_examples(module):
    lacking = {key: why for key in sorted(ENTRIES)
               if ENTRIES[key][0] == module and key not in INTERNAL and (why := _lacking(key))}
    assert not lacking, f"{len(lacking)} public name(s) in {module} lack a docstring example:\n" + "\n".join(
        f"  {key}: {why}" for key, why in lacking.items())
