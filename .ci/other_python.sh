#!/usr/bin/env bash
# The test suite on one more interpreter: .ci/other_python.sh NAME PYTHON
#
#   NAME    cpython3.9, cpython3.13 or pypy3: what can be installed there
#   PYTHON  the interpreter to make the virtualenv with
#
# The package is installed from a copy of this checkout (so that its build
# does not race the other runs), with the oracles that have a wheel for
# this interpreter. The tests of an oracle that has none are left out by
# their marker (tests/conftest.py), each with its reason printed: CI sets
# MICROGRAD_LIKE_REQUIRE_ORACLES=1, so an oracle test that ran without its
# oracle would fail, not skip. Exit status: pytest's.
set -euo pipefail
name="$1" python="$2"
repo="$(cd "$(dirname "$0")/.." && pwd)"

# marker -> why its tests are left out here
declare -A leave_out=(
  [torch]="torch==2.13.0, the oracle, exists only for Python 3.11 here (those tests run there)"
  [browser]="the browser tests check the pages (explorer, replay), not the interpreter; they run on 3.11"
  [docs]="the guidebook, README and notebook tests check the docs, not the interpreter; they run on 3.11"
  [sklearn_edges]="sample_weight's edge cases are compared with scikit-learn 1.9.1, the version on 3.11 (they run there); older releases, the ones installed here, check some differently"
)
# The oracles of the engine's, nn's, data's and metrics' tests, where wheels exist.
pytest_args=()
case "$name" in
  cpython*) oracles=(numpy scikit-learn matplotlib pandas "micrograd==0.1.0" tomli) ;;
  pypy*)
    oracles=(numpy matplotlib "micrograd==0.1.0" tomli)
    # PyPy 7.3.11 (Debian's) can segfault while pytest rewrites the test
    # modules' asserts (pypy/pypy#3959, fixed in later PyPys): plain asserts.
    pytest_args+=(--assert=plain)
    echo "pytest --assert=plain: Debian's PyPy 7.3.11 may segfault rewriting asserts (pypy/pypy#3959)"
    leave_out[gc_thresholds]="these test the pauses of CPython's collector thresholds; PyPy's collector has none"
    leave_out[sklearn]="scikit-learn has no wheel for PyPy (building it from source takes too long for CI)"
    leave_out[pandas]="pandas has no wheel for PyPy (building it from source takes too long for CI)"
    ;;
  *) echo "other_python.sh: unknown NAME $name (cpython3.9, cpython3.13 or pypy3)" >&2; exit 2 ;;
esac

work="$(mktemp -d)" && src="$work/src" && mkdir "$src"
# A copy of the checkout: pip builds the package in its source tree, and
# the tests then run against this copy, away from the other runs' files.
tar -C "$repo" --exclude=.git --exclude='*.egg-info' --exclude=build --exclude=__pycache__ \
  --exclude=.hypothesis --exclude=.pytest_cache -cf - . | tar -C "$src" -xf -
"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q "$src"
# wheels only: an oracle without a wheel here is left out below, not compiled
"$work/venv/bin/python" -m pip install -q --only-binary :all: pytest hypothesis "${oracles[@]}"
"$work/venv/bin/python" -c "import platform, sys; print(platform.python_implementation(), sys.version.split()[0], sys.executable)"

expr=""
for marker in $(printf '%s\n' "${!leave_out[@]}" | sort); do
  echo "left out (-m 'not $marker'): ${leave_out[$marker]}"
  expr+="${expr:+ and }not $marker"
done
cd "$src"
# (--disable-warnings: the oracles' own deprecation warnings would fill the log)
rc=0
"$work/venv/bin/python" -m pytest -q -p no:cacheprovider --disable-warnings "${pytest_args[@]}" -m "$expr" || rc=$?
cd / && rm -rf "$work"  # the copy and its virtualenv: about 0.5 GB
exit "$rc"
