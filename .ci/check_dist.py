"""Check what the built wheel and sdist contain: python .ci/check_dist.py DIST_DIR.

The wheel must carry the package, its page templates, py.typed and the
licence; the sdist must carry everything its own test suite needs (the
tests, their data, the demos, the benchmarks and the docs' pictures).
"""

import sys
import tarfile
import zipfile
from pathlib import Path

dist = Path(sys.argv[1])
[wheel] = dist.glob("*.whl")
[sdist] = dist.glob("*.tar.gz")

in_wheel = set(zipfile.ZipFile(wheel).namelist())
with tarfile.open(sdist) as t:
    root = t.getnames()[0].split("/")[0]
    in_sdist = {n[len(root) + 1:] for n in t.getnames()}

problems = []
for name in ["micrograd_like/__init__.py", "micrograd_like/engine.py", "micrograd_like/py.typed",
             "micrograd_like/explorer/template.html", "micrograd_like/explorer/page.js",
             "micrograd_like/explorer/page.css", "micrograd_like/draw/__main__.py"]:
    if name not in in_wheel:
        problems.append(f"wheel lacks {name}")
if not any(n.endswith(".dist-info/licenses/LICENSE") for n in in_wheel):
    problems.append("wheel lacks the LICENSE")
if any(n.startswith(("tests/", "demos/", "benchmarks/")) for n in in_wheel):
    problems.append("wheel carries tests, demos or benchmarks")
for name in ["LICENSE", "README.md", "pyproject.toml", "setup.cfg", "tests/conftest.py",
             "tests/test_engine.py", "demos/moons.py", "benchmarks/bench.py",
             "docs/screenshots.py", "docs/images/explorer.png", "micrograd_like/py.typed",
             "micrograd_like/explorer/template.html"]:
    if name not in in_sdist:
        problems.append(f"sdist lacks {name}")
for problem in problems:
    print("check_dist:", problem)
print(f"check_dist: {wheel.name} ({len(in_wheel)} files), {sdist.name} ({len(in_sdist)} files):",
      "FAILED" if problems else "ok")
sys.exit(1 if problems else 0)
