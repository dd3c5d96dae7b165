/* The step page: the forward pass, then the backward pass, one step at a time, over one picture.
 * A live page recomputes every value and gradient when an input changes, with F (each primitive's
 * forward) and D (each primitive's rules), written out in Python from the primitives' definitions:
 * the page and the engine compute the same thing. Sentences are templates whose slots ({g:3}, the
 * gradient of value 3; {l:5:0}, the local derivative of value 5 by its operand 0; ...) are filled
 * here, with the same number format as the picture. In forward mode (model.mode) there is no
 * backward pass: each value carries its tangent ({t:3}) instead of a gradient, from the same rules.
 */
(function () {
  "use strict";
  var model = JSON.parse(document.getElementById("graph-data").textContent);
  var nodes = model.nodes, steps = model.steps, boxes = model.boxes;
  var data = nodes.map(function (n) { return num(n.data); });
  var grads = nodes.map(function (n) { return num(n.grad); });
  var forward = model.mode === "forward", tangents = nodes.map(function (n) { return num(n.tangent); });
  var current = 0, timer = null, scale = 1, fit = 1, width = 0, height = 0, hot = [];
  var main = document.querySelector("#picture svg");
  function $(id) { return document.getElementById(id); }
  function num(v) { return typeof v === "string" ? (v === "nan" ? NaN : v === "inf" ? Infinity : -Infinity) : v; }
  var found = {};  // id -> the elements with it (a value drawn in the picture and in an open module)
  function all(id) {
    if (!found[id]) { found[id] = Array.prototype.slice.call(document.querySelectorAll('[id="' + id + '"]')); }
    return found[id];
  }

  // --- numbers, written as Python's viz writes them (4 significant digits) ----------------------
  function fmt(x) {
    if (x !== x) { return "nan"; }
    if (!isFinite(x)) { return x > 0 ? "inf" : "-inf"; }
    if (Number.isInteger(x) && Math.abs(x) < 1e15) { return String(x === 0 ? 0 : x); }
    // An exact tie (100.25 to 4 digits) rounds to even, as Python does; JavaScript rounds it up.
    var digits = Math.abs(x).toPrecision(100).replace(/e.*$/, "").replace(".", "").replace(/^0+/, "");
    if (/^\d{3}[02468]50*$/.test(digits)) { x -= x * 1e-15; }
    var parts = x.toExponential(3).split("e"), exp = parseInt(parts[1], 10);
    if (exp < -4 || exp >= 4) {
      var mantissa = parts[0].replace(/\.?0+$/, "");
      return mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
    return x.toFixed(3 - exp).replace(/\.?0+$/, "");
  }

  // --- the graph's numbers, from the primitives' own forward and rules --------------------------
  function operands(i, values) {
    return nodes[i].args.map(function (a) { return a.n !== undefined ? values[a.n] : num(a.k); });
  }
  function defined(table, op) {  // a primitive's function; a js= that did not load is named
    if (!table[op]) { fail(op + ": its JavaScript did not load (see the js= of " + op + ")"); }
    return table[op];
  }
  function local(i, j, g) {  // what value i sends its operand j when its gradient is g
    return defined(D, nodes[i].op).apply(null, [g, data[i]].concat(operands(i, data)))[j];
  }
  function recompute(leaves) {
    var values = data.slice();
    nodes.forEach(function (n, i) {
      if (n.leaf) { if (leaves[i] !== undefined) { values[i] = leaves[i]; } return; }
      var args = operands(i, values);
      if (n.op === "**" && n.args[1].n !== undefined && args[0] < 0) {
        fail("**: the base " + fmt(args[0]) + " is negative; a Value exponent needs a base >= 0");
      }
      values[i] = defined(F, n.op).apply(null, args);
    });
    if (forward) { return [values, tangentsOf(values)]; }
    var g = nodes.map(function () { return 0; });
    g[model.root] = 1;
    for (var i = nodes.length - 1; i >= 0; i--) {  // the nodes are in topological order
      if (nodes[i].leaf || !nodes[i].reached) { continue; }
      var sent = defined(D, nodes[i].op).apply(null, [g[i], values[i]].concat(operands(i, values)));
      nodes[i].args.forEach(function (a, j) {
        if (a.n !== undefined && sent[j] !== null) { g[a.n] += sent[j]; }
      });
    }
    return [values, g];
  }
  // Forward mode: a value's tangent is the sum of its operands' terms, each the operand's rule given
  // the operand's tangent as g (the rules are linear in g); as in a jvp, an operand that carries no
  // tangent (it does not depend on wrt) adds no term, and a leaf keeps its seed (1 for wrt, else 0).
  function tangentsOf(values) {
    var t = tangents.slice();
    nodes.forEach(function (n, i) {
      if (n.leaf) { return; }
      var total = null;
      n.args.forEach(function (a, j) {
        if (a.n === undefined || !nodes[a.n].carries) { return; }
        var term = defined(D, n.op).apply(null, [t[a.n], values[i]].concat(operands(i, values)))[j];
        if (term !== null) { total = total === null ? term : total + term; }
      });
      t[i] = total === null ? 0 : total;
    });
    return t;
  }

  // --- sentences: templates with number slots ---------------------------------------------------
  function slot(kind, i, j) {
    if (kind === "d") { return data[i]; }
    if (kind === "g") { return grads[i]; }
    if (kind === "t") { return tangents[i]; }
    if (kind === "l") { return local(i, j, 1); }
    return local(i, j, grads[i]);  // "s": what value i sends its operand j
  }
  function render(template, text) {
    if (!model.live) { return text; }  // the numbers Python wrote
    return template.replace(/\{\{|\}\}|\{([dglsvt]):(\d+)(?::(\d+))?\}/g, function (m, kind, i, j, at, whole) {
      if (kind === undefined) { return m.charAt(0); }  // {{ or }}: a brace of a name
      i = +i; j = j === undefined ? 0 : +j;
      if (kind === "v") { return local(i, j, 1) === 0 ? "blocks it" : "passes it on"; }
      var shown = fmt(slot(kind, i, j));
      var afterOperator = /[·*\/^+\-×] ?$/.test(whole.slice(0, at));
      return afterOperator && shown.charAt(0) === "-" ? "(" + shown + ")" : shown;
    });
  }

  // --- one step on the picture ------------------------------------------------------------------
  function setText(group, fromEnd, text) {  // a record's fields are its <text>s; count from the end
    var texts = group.getElementsByTagName("text");
    var t = texts[texts.length - 1 - fromEnd];
    if (t) { t.textContent = text; }
  }
  function stateOf(i, k) {
    var s = steps[k], n = nodes[i];
    if (model.body === "collapsed") { return { data: true, grad: true, cls: "final" }; }
    var cls, known = n.known <= k && s.kind !== "backward" || s.kind === "backward";
    var final = s.kind === "backward" && n.final !== null && n.final <= k;
    cls = i === s.node ? "current" : final ? "final" : s.kind === "backward" ? "waiting" : known ? "known" : "pending";
    return { data: known, grad: final, cls: cls };
  }
  function show(k) {
    current = Math.max(0, Math.min(steps.length - 1, k));
    var s = steps[current];
    nodes.forEach(function (n, i) {
      var st = stateOf(i, current);
      all("v" + i).forEach(function (group) {
        group.setAttribute("class", "node value " + st.cls + (n.wrt ? " wrt" : ""));  // wrt: forward mode's seed
        group.setAttribute("data-node", n.name);
        if (!model.scalar) { return; }
        group.setAttribute("data-data", String(data[i]));
        setText(group, 1, "data " + (st.data ? fmt(data[i]) : "?"));
        if (forward) {
          group.setAttribute("data-tangent", String(tangents[i]));
          setText(group, 0, "tangent " + (st.data ? fmt(tangents[i]) : "?"));
          return;
        }
        group.setAttribute("data-grad", String(grads[i]));
        setText(group, 0, "grad " + (!n.reached ? "none" : st.grad ? fmt(grads[i]) : "?"));
      });
      all("o" + i).forEach(function (op) {
        op.setAttribute("class", "node op " + (i === s.node && s.kind === "forward" ? "current" : ""));
      });
    });
    boxes.forEach(function (box, b) {
      all("b" + b).forEach(function (group) {
        var norm = 0;
        box.params.forEach(function (p) { norm += grads[p] * grads[p]; });
        var shift = 0;
        if (box.params.length) { setText(group, 0, "‖grad‖ " + fmt(Math.sqrt(norm))); shift = 1; }
        if (box.out !== null) { setText(group, shift, "out " + fmt(data[box.out]) + "  grad " + fmt(grads[box.out])); }
      });
    });
    hot.forEach(function (e) { e.classList.remove("hot", "back"); });
    hot = [];
    (s.edges || []).forEach(function (e) {
      ["e" + e[0] + "_" + e[1], "r" + e[1]].forEach(function (id) {
        all(id).forEach(function (edge) {
          edge.classList.add("hot");
          if (s.kind === "backward") { edge.classList.add("back"); }
          hot.push(edge);
        });
      });
    });
    var sentence = $("sentence");
    sentence.textContent = render(s.template, s.text);
    sentence.setAttribute("data-step", String(current + 1));
    $("phase").textContent = forward ? "forward mode" :
      { inputs: "the inputs", forward: "forward pass", backward: "backward pass" }[s.kind];
    document.body.setAttribute("data-phase", s.kind);
    $("counter").textContent = "Step " + (current + 1) + " of " + steps.length;
    $("slider").value = current + 1;
    $("prev").disabled = current === 0;
    $("next").disabled = current === steps.length - 1;
    var sofar = $("sofar");
    sofar.textContent = "";
    for (var j = 0; j <= current; j++) {  // the steps with a head: gradients, or tangents
      if (!steps[j].head) { continue; }
      var li = document.createElement("li");
      li.textContent = render(steps[j].head, steps[j].head_text);
      sofar.appendChild(li);
    }
    $("sofar-title").hidden = !sofar.firstChild;
    placeLabels(s);
    follow(s.node);
    try { history.replaceState(null, "", "#step=" + (current + 1)); } catch (e) { /* about:srcdoc */ }
  }
  function follow(i) {  // keep the current value in sight: scroll the picture to it if it is not
    var group = main && main.querySelector('[id="v' + i + '"]'), box = $("picture");
    if (!group) { return; }
    var r = group.getBoundingClientRect(), view = box.getBoundingClientRect();
    if (r.left >= view.left && r.right <= view.right && r.top >= view.top && r.bottom <= view.bottom) { return; }
    box.scrollLeft += (r.left + r.right) / 2 - (view.left + view.right) / 2;
    box.scrollTop += (r.top + r.bottom) / 2 - (view.top + view.bottom) / 2;
    placeLabels(steps[current]);
  }
  function placeLabels(s) {
    var layer = $("labels"), box = $("picture").getBoundingClientRect();
    layer.textContent = "";
    (s.labels || []).forEach(function (label) {
      var edge = main && main.querySelector('[id="e' + label.edge[0] + "_" + label.edge[1] + '"] path');
      if (!edge) { return; }
      var mid = edge.getPointAtLength(edge.getTotalLength() / 2);
      var point = main.createSVGPoint();
      point.x = mid.x; point.y = mid.y;
      var screen = point.matrixTransform(edge.getScreenCTM());
      var div = document.createElement("div");
      div.className = "edge-label";
      div.textContent = render(label.template, label.text);
      div.style.left = (screen.x - box.left + $("picture").scrollLeft) + "px";
      div.style.top = (screen.y - box.top + $("picture").scrollTop) + "px";
      layer.appendChild(div);
    });
  }

  // --- editing an input ---------------------------------------------------------------------------
  var NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
  function edited() {
    var leaves = {}, bad = null;
    document.querySelectorAll("input[data-leaf]").forEach(function (input) {
      var text = input.value.trim(), v = NUMBER.test(text) ? Number(text) : NaN;
      var ok = isFinite(v);
      input.classList.toggle("bad", !ok);
      if (!ok && !bad) { bad = input.getAttribute("data-leaf") + ": " + JSON.stringify(text) + " is not a finite number"; }
      leaves[+input.getAttribute("data-index")] = v;
    });
    if (bad) { return error(bad); }
    try {
      var out = recompute(leaves);
      data = out[0];
      if (forward) { tangents = out[1]; } else { grads = out[1]; }
      error("");
    } catch (e) {
      return error(e.message);
    }
    show(current);
  }
  function error(text) { $("error").textContent = text; $("error").hidden = !text; }

  // --- moving around ------------------------------------------------------------------------------
  function play() {
    if (timer) { clearInterval(timer); timer = null; $("play").textContent = "▶ Play"; return; }
    if (current === steps.length - 1) { show(0); }
    $("play").textContent = "❚❚ Pause";
    timer = setInterval(function () { if (current === steps.length - 1) { play(); } else { show(current + 1); } }, 1400);
  }
  function zoom(factor) {
    if (!main) { return; }
    scale = factor === 0 ? fit : Math.max(0.8, Math.min(4, scale * factor));  // never unreadably small
    main.setAttribute("width", width * scale + "pt");
    main.setAttribute("height", height * scale + "pt");
    placeLabels(steps[current]);
  }
  function pan(e) {
    if (e.button !== 0 || /INPUT|BUTTON/.test(e.target.tagName)) { return; }
    var box = $("picture"), x = e.clientX, y = e.clientY, left = box.scrollLeft, top = box.scrollTop;
    function move(ev) { box.scrollLeft = left - (ev.clientX - x); box.scrollTop = top - (ev.clientY - y); }
    function up() { document.removeEventListener("pointermove", move); document.removeEventListener("pointerup", up); }
    document.addEventListener("pointermove", move);
    document.addEventListener("pointerup", up);
  }
  function open(b) {
    document.querySelectorAll(".detail").forEach(function (d) { d.hidden = d.getAttribute("data-box") !== String(b); });
    var shown = document.querySelector('.detail[data-box="' + b + '"]');
    if (!shown) { return; }
    var svg = shown.querySelector("svg"), room = shown.clientWidth - 24;
    if (svg && !svg.hasAttribute("data-width")) {  // once: as wide as the panel, or scroll past 0.6
      var w = parseFloat(svg.getAttribute("width")), h = parseFloat(svg.getAttribute("height"));
      var s = Math.max(0.6, Math.min(1.2, room / (w * 4 / 3)));
      svg.setAttribute("data-width", w);
      svg.setAttribute("width", w * s + "pt");
      svg.setAttribute("height", h * s + "pt");
    }
    shown.scrollIntoView({ block: "nearest" });
  }

  $("prev").addEventListener("click", function () { show(current - 1); });
  $("next").addEventListener("click", function () { show(current + 1); });
  $("play").addEventListener("click", play);
  $("slider").addEventListener("input", function () { show($("slider").valueAsNumber - 1); });
  $("zoom-in").addEventListener("click", function () { zoom(1.25); });
  $("zoom-out").addEventListener("click", function () { zoom(0.8); });
  $("zoom-fit").addEventListener("click", function () { zoom(0); });
  if ($("reset")) {
    $("reset").addEventListener("click", function () {  // Python's numbers again (a leaf may start as nan)
      document.querySelectorAll("input[data-leaf]").forEach(function (input) {
        input.value = input.getAttribute("data-initial");
        input.classList.remove("bad");
      });
      data = nodes.map(function (n) { return num(n.data); });
      grads = nodes.map(function (n) { return num(n.grad); });
      tangents = nodes.map(function (n) { return num(n.tangent); });
      error("");
      show(current);
    });
  }
  document.querySelectorAll("input[data-leaf]").forEach(function (input) { input.addEventListener("input", edited); });
  $("picture").addEventListener("pointerdown", pan);
  $("picture").addEventListener("wheel", function (e) {
    if (!e.ctrlKey) { return; }
    e.preventDefault();
    zoom(e.deltaY < 0 ? 1.1 : 0.9);
  }, { passive: false });
  boxes.forEach(function (box, b) {
    all("b" + b).forEach(function (group) { group.addEventListener("click", function () { open(b); }); });
  });
  document.querySelectorAll(".detail .close").forEach(function (button) {
    button.addEventListener("click", function () { open(-1); });
  });
  document.addEventListener("keydown", function (e) {
    if (/INPUT|BUTTON/.test(e.target.tagName) && e.key !== "Escape") { return; }
    if (e.key === "ArrowRight" || e.key === "ArrowDown") { show(current + 1); }
    else if (e.key === "ArrowLeft" || e.key === "ArrowUp") { show(current - 1); }
    else if (e.key === "Home") { show(0); }
    else if (e.key === "End") { show(steps.length - 1); }
    else if (e.key === " ") { play(); }
    else { return; }
    e.preventDefault();
  });
  function fromHash() {
    var m = /step=(\d+)/.exec(location.hash);
    show(m ? +m[1] - 1 : current);
  }
  window.addEventListener("hashchange", fromHash);
  window.addEventListener("resize", function () { placeLabels(steps[current]); });
  // A live page first recomputes Python's own numbers: if its JavaScript disagrees (a primitive's
  // js= that is not its floats=), editing is turned off rather than showing wrong numbers.
  function agrees(a, b) { return a === b || (a !== a && b !== b) || Math.abs(a - b) <= 1e-7 * Math.max(1, Math.abs(a), Math.abs(b)); }
  if (model.live) {
    var why = null;
    try {
      var check = recompute({}), second = forward ? tangents : grads;
      for (var i = 0; i < nodes.length && !why; i++) {
        if (!agrees(check[0][i], data[i]) || !agrees(check[1][i], second[i])) {
          why = "in the browser " + nodes[i].name + " = " + fmt(check[0][i]) + " with " + (forward ? "tangent " : "gradient ") +
            fmt(check[1][i]) + ", in Python " + fmt(data[i]) + " and " + fmt(second[i]) +
            (nodes[i].op ? " (see the js= " + (forward ? "and the jvp= " : "") + "of " + nodes[i].op + ")" : "");
        }
      }
    } catch (e) { why = e.message; }
    if (why) {
      model.live = false;
      document.querySelectorAll("input[data-leaf]").forEach(function (input) { input.disabled = true; });
      error("Editing is off: " + why + ".");
    }
  }
  model.body = document.body.className;
  if (main) {
    width = parseFloat(main.getAttribute("width"));
    height = parseFloat(main.getAttribute("height"));
    fit = Math.max(0.8, Math.min(1.5, ($("picture").clientWidth - 24) / (width * 4 / 3)));
    scale = fit;
    zoom(1);
  }
  fromHash();
})();
