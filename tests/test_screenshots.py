"""The README's screenshots come from a script in the repo (docs/screenshots.py), in a real browser."""

import importlib.util
import os

from conftest import CHROMIUM

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _script():
    spec = importlib.util.spec_from_file_location("screenshots", os.path.join(REPO, "docs", "screenshots.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_script_takes_every_screenshot(browser, matplotlib, tmp_path, capsys):
    import matplotlib.image

    script = _script()
    written = script.main(["--out", str(tmp_path), "--chromium", CHROMIUM], browser=browser)
    assert [os.path.basename(p) for p in written] == [s[0] for s in script.SHOTS]
    for path, (_, _, _, _, (width, height)) in zip(written, script.SHOTS):
        with open(path, "rb") as f:
            assert f.read(8) == PNG_MAGIC
        image = matplotlib.image.imread(path)
        assert image.shape[:2] == (height, width)  # the whole viewport, as asked
        assert image[..., :3].std() > 0.05, f"{path} is (almost) blank"


def test_the_readme_shows_the_committed_screenshots():
    readme = open(os.path.join(REPO, "README.md"), encoding="utf-8").read()
    for name, *_ in _script().SHOTS:
        assert f"](docs/images/{name})" in readme
        assert os.path.getsize(os.path.join(REPO, "docs", "images", name)) > 10_000
