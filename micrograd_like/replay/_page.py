"""HTML for the replay: one snapshot's panels (``Panels``), and the whole page.

The page is one self-contained file: CSS, JavaScript and every picture are
inside it, so it opens with a double-click and asks nothing of the network.
Each snapshot is a ``<template>`` holding its status line and its four
SVG pictures, made in Python; the script only shows one template at a time
(play, pause, step, slider). A template's content is inert until shown, so
hundreds of SVGs with their own ids do not interfere with each other.

>>> Panels("Epoch 3", [("Loss", "", "<svg></svg>")]).fragment().count("<section")
1
"""

from __future__ import annotations

import html
from typing import List, Sequence, Tuple

CSS = """
.mgl-replay { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
  color: #222; }
.mgl-replay .status { font-size: 1.15em; margin: 0.4em 0; }
.mgl-replay .status b { font-size: 1.2em; }
.mgl-replay .panels { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr));
  gap: 10px; align-items: start; }
.mgl-replay .panel { border: 1px solid #ddd; border-radius: 6px; padding: 6px 8px;
  background: #fff; }
.mgl-replay .panel.wide { grid-column: 1 / -1; }
.mgl-replay .panel h2 { font-size: 0.95em; margin: 0 0 4px 0; }
.mgl-replay .panel .hint { font-size: 0.8em; color: #555; margin: 0 0 4px 0; }
.mgl-replay .panel svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
.mgl-replay .panel.wide svg { max-height: 520px; width: auto; }
.mgl-replay svg.gv text { font-family: Helvetica, Arial, sans-serif; }
.mgl-replay .note { color: #8a4b00; font-size: 0.9em; }
"""

PAGE_CSS = """
body { margin: 12px 18px; background: #f6f6f4; }
h1 { font-size: 1.4em; margin: 0 0 4px 0; }
.about { color: #444; margin: 0 0 8px 0; font-size: 0.9em; }
.controls { display: flex; gap: 8px; align-items: center; margin: 6px 0; flex-wrap: wrap; }
.controls button { font-size: 1em; padding: 4px 12px; min-width: 7.5em; cursor: pointer; }
.controls input[type=range] { flex: 1; min-width: 200px; }
.controls .where { font-variant-numeric: tabular-nums; color: #444; min-width: 10em; }
"""

# The player. It never builds markup: it clones the template of snapshot k.
SCRIPT = """
(function () {
  "use strict";
  var frames = Array.prototype.slice.call(document.querySelectorAll("template.snapshot"));
  var stage = document.getElementById("mgl-stage");
  var slider = document.getElementById("mgl-slider");
  var where = document.getElementById("mgl-where");
  var play = document.getElementById("mgl-play");
  var interval = Number(document.body.getAttribute("data-interval")) || 400;
  var k = 0, timer = null;
  function show(i) {
    k = Math.max(0, Math.min(frames.length - 1, i));
    slider.value = String(k);
    stage.replaceChildren(frames[k].content.cloneNode(true));
    stage.setAttribute("data-epoch", frames[k].getAttribute("data-epoch"));
    where.textContent = "snapshot " + (k + 1) + " of " + frames.length;
  }
  function pause() {
    if (timer !== null) { clearInterval(timer); timer = null; }
    play.textContent = "\\u25B6 Play";
    play.setAttribute("aria-pressed", "false");
  }
  function start() {
    if (k >= frames.length - 1) { show(0); }
    play.textContent = "\\u25AE\\u25AE Pause";
    play.setAttribute("aria-pressed", "true");
    timer = setInterval(function () {
      if (k >= frames.length - 1) { pause(); } else { show(k + 1); }
    }, interval);
  }
  play.addEventListener("click", function () {
    if (timer === null) { start(); } else { pause(); }
  });
  document.getElementById("mgl-back").addEventListener("click", function () {
    pause(); show(k - 1);
  });
  document.getElementById("mgl-step").addEventListener("click", function () {
    pause(); show(k + 1);
  });
  slider.addEventListener("input", function () { pause(); show(Number(slider.value)); });
  document.addEventListener("keydown", function (e) {
    if (e.target === slider) { return; }  // the slider moves itself with the arrow keys
    if (e.key === " " && e.target.tagName === "BUTTON") { return; }  // space clicks it already
    if (e.key === "ArrowRight") { pause(); show(k + 1); }
    else if (e.key === "ArrowLeft") { pause(); show(k - 1); }
    else if (e.key === " ") { e.preventDefault(); play.click(); }
  });
  show(0);
})();
"""

Panel = Tuple[str, str, str]  # (title, hint for the learner, picture as an SVG/HTML fragment)


class Panels:
    """The pictures of one snapshot; Jupyter shows them via ``_repr_html_``.

    ``status`` is the line above them (epoch, loss, metrics); ``panels``
    lists ``(title, hint, svg)``, the last one drawn full width.

    >>> p = Panels("Epoch 1", [("Loss", "", "<svg></svg>")])
    >>> "Epoch 1" in p._repr_html_()
    True
    """

    def __init__(self, status: str, panels: Sequence[Panel]) -> None:
        self.status = status
        self.panels = list(panels)

    def fragment(self) -> str:
        """The status line and the panels as HTML (no CSS).

        >>> print(Panels("Epoch 1", [("Loss", "", "<svg></svg>")]).fragment())
        <p class="status">Epoch 1</p>
        <div class="panels">
        <section class="panel"><h2>Loss</h2><svg></svg></section>
        </div>
        """
        parts = [f'<p class="status">{self.status}</p>', '<div class="panels">']
        for i, (title, hint, svg) in enumerate(self.panels):
            wide = " wide" if i == len(self.panels) - 1 and len(self.panels) > 1 else ""
            hint_html = f'<p class="hint">{html.escape(hint)}</p>' if hint else ""
            parts.append(f'<section class="panel{wide}"><h2>{html.escape(title)}</h2>'
                         f"{hint_html}{svg}</section>")
        parts.append("</div>")
        return "\n".join(parts)

    def _repr_html_(self) -> str:
        return f'<div class="mgl-replay"><style>{CSS}</style>{self.fragment()}</div>'

    def __repr__(self) -> str:
        return f"Panels({self.status!r}, {len(self.panels)} pictures)"


def page(title: str, about: str, frames: List[Tuple[int, Panels]], interval: int) -> str:
    """The whole self-contained page: header, controls, one template per frame."""
    templates = "\n".join(
        f'<template class="snapshot" data-epoch="{epoch}">\n{panels.fragment()}\n</template>'
        for epoch, panels in frames
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{CSS}{PAGE_CSS}</style>
</head>
<body class="mgl-replay" data-interval="{int(interval)}">
<h1>{html.escape(title)}</h1>
<p class="about">{about}</p>
<div class="controls">
<button id="mgl-back" type="button" title="one snapshot back (left arrow)">
&#x25C0; Step back</button>
<button id="mgl-play" type="button" title="play or pause (space)" aria-pressed="false">
&#x25B6; Play</button>
<button id="mgl-step" type="button" title="one snapshot on (right arrow)">Step &#x25B6;</button>
<input id="mgl-slider" type="range" min="0" max="{len(frames) - 1}" value="0" step="1"
 aria-label="snapshot (epoch)">
<span id="mgl-where" class="where"></span>
</div>
<noscript><p class="note">This replay needs JavaScript to show its pictures.</p></noscript>
<main id="mgl-stage"></main>
{templates}
<script>{SCRIPT}</script>
</body>
</html>
"""
