// The step-through player. Every string it shows was computed in Python
// (micrograd_like/explorer); this script only puts them in place.
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("explore-data").textContent);
  var steps = DATA.steps;
  var PLAY_MS = 1200;
  var MIN_SCALE = 0.55;  // a wide graph shrinks to fit, but not below this: then it scrolls

  // Graphviz names each node group by a <title>: n<i> for the Value at place i
  // of topological_order(output), n<i>_op for its op oval; edges "n0->n1_op".
  var nodes = {}, edges = {};
  document.querySelectorAll("#graph g.node, #graph g.edge").forEach(function (g) {
    var t = g.querySelector("title");
    if (!t) return;
    if (g.classList.contains("node")) nodes[t.textContent] = g;
    else (edges[t.textContent] = edges[t.textContent] || []).push(g);  // x + x: two edges
  });
  // A box's last two fields are "data ..." and "grad ..." (draw_dot's order).
  var texts = {};
  Object.keys(nodes).forEach(function (name) {
    var t = nodes[name].querySelectorAll("text");
    if (t.length >= 2) texts[name] = [t[t.length - 2], t[t.length - 1]];
  });
  function field(name, which) { return texts[name] ? texts[name][which] : null; }

  var at = 0, timer = null, marked = [];
  var $ = function (id) { return document.getElementById(id); };

  function setText(name, which, text, changed) {
    var el = field(name, which);
    if (!el) return;
    el.textContent = text;
    el.classList.toggle("pending", / \?$/.test(text));
    el.classList.toggle("changed", !!changed);
  }

  function mark(list, table, cls) {
    (list || []).forEach(function (name) {
      [].concat(table[name] || []).forEach(function (g) {
        g.classList.add(cls);
        marked.push([g, cls]);
      });
    });
  }

  // Show the page as it is after step k: start from the initial fields and
  // replay every change up to k, so going back is exactly going forward less.
  function show(k) {
    at = Math.max(0, Math.min(steps.length - 1, k));
    Object.keys(DATA.fields).forEach(function (name) {
      DATA.fields[name].forEach(function (text, which) { setText(name, which, text, false); });
    });
    for (var i = 0; i <= at; i++) {
      steps[i].set.forEach(function (s) { setText(s[0], s[1], s[2], i === at); });
    }
    marked.forEach(function (m) { m[0].classList.remove(m[1]); });
    marked = [];
    var step = steps[at];
    mark(step.current, nodes, "current");
    mark(step.targets, nodes, "target");
    mark(step.edges, edges, "active");

    var panel = $("panel");
    panel.querySelector(".title").textContent = step.title;
    var lines = panel.querySelector(".lines");
    lines.textContent = "";
    step.lines.forEach(function (line) {
      var div = document.createElement("div");
      div.textContent = line;
      if (/^\u2026/.test(line)) div.className = "more";
      lines.appendChild(div);
    });
    panel.querySelector(".note").textContent = step.note || "";
    $("phase").textContent = step.phase;
    $("phase").className = step.phase;
    $("counter").textContent = "step " + at + " of " + (steps.length - 1);
    $("prev").disabled = $("reset").disabled = at === 0;
    $("next").disabled = at === steps.length - 1;
    if (at === steps.length - 1) pause();
    var first = step.current && nodes[step.current[0]];
    if (first) reveal(first);
  }

  // Scroll the graph's own box (not the page: in a notebook's iframe,
  // scrollIntoView would move the notebook too) to centre the current node
  // when it is out of sight, so that its inputs around it show as well.
  function reveal(el) {
    var box = $("graph"), r = el.getBoundingClientRect(), c = box.getBoundingClientRect();
    if (r.top < c.top || r.bottom > c.bottom) box.scrollTop += (r.top + r.bottom - c.top - c.bottom) / 2;
    if (r.left < c.left || r.right > c.right) box.scrollLeft += (r.left + r.right - c.left - c.right) / 2;
  }

  function pause() {
    if (timer !== null) { clearInterval(timer); timer = null; }
    $("play").innerHTML = "&#x25B6; play";
  }
  function play() {
    if (timer !== null) { pause(); return; }
    if (at === steps.length - 1) show(0);  // play again from the start
    $("play").innerHTML = "&#x275A;&#x275A; pause";
    timer = setInterval(function () { show(at + 1); }, PLAY_MS);
  }

  // Fit a wide graph to the page's width, as far as its text stays readable.
  var svg = document.querySelector("#graph svg");
  var natural = svg && [svg.width.baseVal.value, svg.height.baseVal.value];
  function fit() {
    if (!natural) return;
    var room = $("graph").clientWidth - 16;  // (its padding)
    var scale = Math.max(MIN_SCALE, Math.min(1, room / natural[0]));
    svg.setAttribute("width", natural[0] * scale + "px");
    svg.setAttribute("height", natural[1] * scale + "px");
  }
  fit();
  window.addEventListener("resize", fit);

  $("next").onclick = function () { pause(); show(at + 1); };
  $("prev").onclick = function () { pause(); show(at - 1); };
  $("reset").onclick = function () { pause(); show(0); };
  $("play").onclick = play;
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === "ArrowRight") { pause(); show(at + 1); e.preventDefault(); }
    else if (e.key === "ArrowLeft") { pause(); show(at - 1); e.preventDefault(); }
    else if (e.key === "Home") { pause(); show(0); e.preventDefault(); }
  });
  show(0);
})();
