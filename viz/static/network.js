/* scn-graph network page: legend filters, search, details, settle, expand.
 * The legend's counts and the header's are recounted from the DataSets after an
 * expansion adds nodes and links; the details of a clicked node open in a panel over
 * the canvas (#details), the hover tooltip keeps the short text (`title`).
 * Runs after pyvis's drawing script, which defines the globals `network`,
 * `nodes` and `edges` (vis.DataSet). Plain ES5-style JavaScript, no libraries.
 */
(function () {
  "use strict";
  var body = document.body;
  var cfg = JSON.parse(document.getElementById("scn-config").textContent);
  var statusEl = document.getElementById("status");

  function setStatus(text) { if (statusEl) { statusEl.textContent = text || ""; } }

  if (typeof network === "undefined" || !network || typeof nodes === "undefined") {
    setStatus("The network drawing library did not start.");
    return;
  }
  var net = network, N = nodes, E = edges;
  var started = (window.performance && performance.now) ? performance.now() : 0;

  function fmt(n) { return Number(n).toLocaleString("en-GB"); }
  function noun(n, one, many) { return n === 1 ? one : (many || one + "s"); }
  function counted(n, one, many) { return fmt(n) + " " + noun(n, one, many); }

  // ------------------------------------------------------------------ counts and "drawn"
  function publishCounts() {
    body.dataset.nodeCount = String(N.length);
    body.dataset.edgeCount = String(E.length);
  }
  publishCounts();

  // ------------------------------------------------------------------ labels by zoom
  // Each label is drawn from the zoom at which it overlaps no more important label and no
  // node (vis-network's per-node drawThreshold), so no view shows an overlapping mass:
  // the biggest nodes are named at the fitted zoom, the others as one zooms in (a label's
  // text stops growing at cfg.labels.maxVisible pixels while the distances keep growing).
  //
  // Divided by the zoom s, positions and nodes stay put and a label shrinks by
  // r(s) = min(1, maxVisible / (font * s)) about its anchor (centre of its top edge, just
  // under its node): two rectangles that come apart at some r stay apart for any smaller
  // one, so each pair has one zoom from which it is clear, found without a search.
  var measure = document.createElement("canvas").getContext("2d");
  var labelWidths = {};

  function labelBox(n, p) {
    var f = (n.font && n.font.size) || cfg.labels.size;
    var text = String(n.label || "");
    var key = f + "|" + (n.font && n.font.bold ? "b|" : "") + text;
    if (!(key in labelWidths)) {
      measure.font = (n.font && n.font.bold ? "bold " : "") + f + "px " + cfg.labels.face;
      labelWidths[key] = text.split("\n").reduce(function (w, line) {
        return Math.max(w, measure.measureText(line).width);
      }, 0);
    }
    var size = n.size || 10, pad = 2; // canvas units of room around the text
    return {
      id: n.id, x: p.x, y: p.y, size: size, font: f,
      w: labelWidths[key] + 2 * cfg.labels.stroke + 2 * pad,
      h: f * 1.3 * text.split("\n").length + 2 * pad,
      top: p.y + size - pad, m: cfg.labels.maxVisible / f,
      rank: -size - (n.id === cfg.focus ? 1e6 : 0)
    };
  }

  // The zoom from which a label shrunk to r <= `r` (of its full size) is clear.
  function zoomFor(r, m) { return r >= 1 ? 0 : r <= 0 ? Infinity : m / r; }

  // From which zoom label `a` clears node `o` (apart across, or the node wholly below).
  function clearOfNode(a, o) {
    if (a.top >= o.y + o.size) { return 0; }
    var across = Math.abs(a.x - o.x) - o.size, below = o.y - o.size - a.top;
    return zoomFor(Math.max(across > 0 ? 2 * across / a.w : 0, below > 0 ? below / a.h : 0), a.m);
  }

  // From which zoom labels `a` and `b` are apart (across, or one above the other).
  function clearOfLabel(a, b) {
    var upper = a.top <= b.top ? a : b, lower = upper === a ? b : a;
    var across = 2 * Math.abs(a.x - b.x) / (a.w + b.w);
    return zoomFor(Math.max(across, (lower.top - upper.top) / upper.h), Math.max(a.m, b.m));
  }

  function placeLabels() {
    var t0 = performance.now();
    var shown = N.get({ filter: function (n) { return !n.hidden && n.label; } });
    if (!shown.length || shown.length > cfg.labels.maxNodes) { return; }
    var pos = net.getPositions(shown.map(function (n) { return n.id; }));
    var boxes = shown.map(function (n) { return labelBox(n, pos[n.id]); });
    // a grid of cells wider than any label and node together: only neighbours can meet
    var cell = boxes.reduce(function (m, b) { return Math.max(m, b.w + 2 * b.size + b.h); }, 1);
    var grid = {};
    boxes.forEach(function (b) {
      var k = Math.floor(b.x / cell) + "," + Math.floor(b.y / cell);
      (grid[k] = grid[k] || []).push(b);
    });
    function near(b) {
      var cx = Math.floor(b.x / cell), cy = Math.floor(b.y / cell), out = [];
      for (var i = -1; i <= 1; i++) {
        for (var j = -1; j <= 1; j++) {
          var c = grid[(cx + i) + "," + (cy + j)];
          for (var q = 0; c && q < c.length; q++) { out.push(c[q]); }
        }
      }
      return out;
    }
    var byId = {};
    shown.forEach(function (n) { byId[n.id] = n; });
    boxes.sort(function (a, b) { return a.rank - b.rank || a.w - b.w; });
    var from = {}, updates = [];
    boxes.forEach(function (a) {
      var at = cfg.labels.minPx / a.font;
      near(a).forEach(function (o) {
        if (o === a) { return; }
        at = Math.max(at, clearOfNode(a, o));
        if (o.id in from) { // more important, placed: matters only once it shows
          var apart = clearOfLabel(a, o);
          if (from[o.id] < apart) { at = Math.max(at, apart); }
        }
      });
      from[a.id] = at;
      // vis-network draws a label when font * zoom >= drawThreshold - 1
      var threshold = at === Infinity ? 1e9 : Math.round((a.font * at + 1) * 100) / 100;
      var n = byId[a.id];
      if (!n.scaling || !n.scaling.label || n.scaling.label.drawThreshold !== threshold) {
        // (enabled: false, or vis-network would also scale the label's size by value)
        updates.push({ id: a.id, scaling: { label: { enabled: false, drawThreshold: threshold } } });
      }
    });
    var t1 = performance.now();
    if (updates.length) { N.update(updates); }
    // how long placing took, and updating vis-network with it (ms)
    body.dataset.labelsMs = Math.round(t1 - t0) + "+" + Math.round(performance.now() - t1);
  }

  // ------------------------------------------------------------------ link tooltips
  function nameOf(id) { var n = N.get(id); return n ? String(n.name || n.label || id) : String(id); }
  function edgeText(e) {
    var lines = [nameOf(e.from) + (e.arrows ? " → " : " — ") + nameOf(e.to)];
    var meaning = cfg.meanings[e.rel];
    lines.push(e.rel + (meaning ? " (" + meaning + ")" : ""));
    var cls = [];
    if (e.ax) { cls.push(e.ax); }
    if (e.cb) { cls.push("cross-border"); }
    if (e.cs) { cls.push("cross-sector"); }
    if (cls.length) { lines.push(cls.join(" · ")); }
    var st = ["status: " + (e.st || "active")];
    if (e.since) { st.push("since " + e.since); }
    if (e.conf) { st.push("CONFIDENTIAL"); }
    lines.push(st.join(" · "));
    if (e.ini) {
      lines.push("Both take part in: " + e.ini.slice(0, 3).join("; ") +
        (e.ini.length > 3 ? " and " + (e.ini.length - 3) + " more" : ""));
    }
    if (e.note) { lines.push("Note: " + e.note); }
    return lines.join("\n");
  }
  var titled = [];
  E.forEach(function (e) { if (!e.title) { titled.push({ id: e.id, title: edgeText(e) }); } });
  if (titled.length) { E.update(titled); }

  function markDrawn() {
    placeLabels();
    net.on("dragEnd", function (params) { if (params.nodes && params.nodes.length) { placeLabels(); } });
    net.once("afterDrawing", function () {
      body.dataset.drawnMs = String(Math.round(performance.now() - started));
      body.dataset.drawn = "true";
      // selected and centred, its details not opened: a panel open by itself would
      // cover the nodes under it, and take the clicks meant for them
      if (cfg.focus) { focusNode(cfg.focus, false, false); }
    });
    net.redraw();
  }

  if (cfg.stabilize > 0) {
    var settled = false;
    var finish = function () {
      if (settled) { return; }
      settled = true;
      net.setOptions({ physics: { enabled: false } });
      net.fit({ animation: false });
      setStatus("");
      markDrawn();
    };
    net.once("stabilizationIterationsDone", finish);
    setTimeout(finish, 5000); // never keep the page busy for long
    setStatus("Arranging…");
    net.setOptions({ physics: { enabled: true, stabilization: { enabled: false } } });
    net.stabilize(cfg.stabilize);
  } else {
    markDrawn();
  }

  // ------------------------------------------------------------------ filters
  var hidden = { kind: {}, country: {}, rel: {} };
  var onlyGaps = document.getElementById("only-gaps");

  function edgeTypeHidden(e) {
    if (e.rels) {
      for (var i = 0; i < e.rels.length; i++) { if (!hidden.rel[e.rels[i]]) { return false; } }
      return e.rels.length > 0;
    }
    return !!hidden.rel[e.rel];
  }

  function applyFilters() {
    var gapsOnly = onlyGaps && onlyGaps.checked;
    var visible = {};
    var nodeUpdates = [], shownNodes = 0;
    N.forEach(function (n) {
      var hide = !!(hidden.kind[n.kind] || hidden.country[n.country] || (gapsOnly && !n.gaps));
      if (!hide) { visible[n.id] = true; shownNodes++; }
      if (!!n.hidden !== hide) { nodeUpdates.push({ id: n.id, hidden: hide }); }
    });
    var edgeUpdates = [], shownEdges = 0;
    E.forEach(function (e) {
      var hide = edgeTypeHidden(e) || !visible[e.from] || !visible[e.to];
      if (!hide) { shownEdges++; }
      if (!!e.hidden !== hide) { edgeUpdates.push({ id: e.id, hidden: hide }); }
    });
    if (nodeUpdates.length) { N.update(nodeUpdates); }
    if (edgeUpdates.length) { E.update(edgeUpdates); }
    if (nodeUpdates.length && body.dataset.drawn === "true") { placeLabels(); }
    document.getElementById("shown-nodes").textContent = fmt(shownNodes);
    document.getElementById("shown-nodes-word").textContent = noun(shownNodes, "node");
    document.getElementById("shown-edges").textContent = fmt(shownEdges);
    document.getElementById("shown-edges-word").textContent = noun(shownEdges, "link");
    var filtered = shownNodes !== N.length || shownEdges !== E.length;
    document.getElementById("filtered-note").textContent = filtered
      ? "(filtered from " + counted(N.length, "node") + " and " + counted(E.length, "link") +
        " on this page)"
      : "";
    body.dataset.visibleNodes = String(shownNodes);
    body.dataset.visibleEdges = String(shownEdges);
  }

  // The three filters: which data attribute names a box's value, and which bucket it fills.
  var FILTERS = { kind: "data-kind", rel: "data-rel", country: "data-country" };
  function boxesOf(what) { return document.querySelectorAll("input[" + FILTERS[what] + "]"); }
  function bindBox(box, what) {
    box.addEventListener("change", function () {
      hidden[what][box.getAttribute(FILTERS[what])] = !box.checked;
      applyFilters();
    });
  }
  Object.keys(FILTERS).forEach(function (what) {
    Array.prototype.forEach.call(boxesOf(what), function (box) { bindBox(box, what); });
  });
  if (onlyGaps) { onlyGaps.addEventListener("change", applyFilters); }

  // ------------------------------------------------------------------ legend counts
  // Recounted from the DataSets (after an expansion); a kind, type or country the page
  // did not have gets its own legend row, checked, so it can be filtered like the others.
  function tally() {
    var t = { kind: {}, rel: {}, country: {} };
    N.forEach(function (n) {
      t.kind[n.kind] = (t.kind[n.kind] || 0) + 1;
      t.country[n.country] = (t.country[n.country] || 0) + 1;
    });
    E.forEach(function (e) {
      (e.rels || [e.rel]).forEach(function (r) { t.rel[r] = (t.rel[r] || 0) + 1; });
    });
    return t;
  }

  function legendRow(what, key) {
    var label = document.createElement("label");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.checked = true;
    box.setAttribute(FILTERS[what], key);
    label.appendChild(box);
    var k = cfg.kinds[key];
    if (what === "kind") {
      var sw = document.createElement("span");
      sw.className = "swatch " + (k ? k.legendShape : "dot");
      sw.style.setProperty("--c", k ? k.colour : "#b0b0b0");
      label.appendChild(sw);
    }
    var name = what === "kind" ? (k ? k.label : key) : what === "country" && key === "none" ? "No country" : key;
    label.appendChild(document.createTextNode(" " + name + " "));
    if (what === "rel") { label.title = cfg.meanings[key] || ""; }
    if (what === "country") { label.setAttribute("data-name", String(key).toLowerCase()); }
    var count = document.createElement("span");
    count.className = "count";
    count.setAttribute("data-count", what + ":" + key);
    label.appendChild(count);
    var parent = what === "kind" ? document.getElementById("filter-kinds")
      : what === "rel" ? document.getElementById("filter-types")
      : document.querySelector("#country-filter .filter-list");
    var before = what === "kind" ? parent.querySelector("p.hint") : null;
    parent.insertBefore(label, before);
    bindBox(box, what);
    return count;
  }

  function refreshLegend() {
    var t = tally(), spans = {};
    Array.prototype.forEach.call(document.querySelectorAll("[data-count]"), function (el) {
      spans[el.getAttribute("data-count")] = el;
    });
    Object.keys(t).forEach(function (what) {
      Object.keys(t[what]).forEach(function (key) {
        var el = spans[what + ":" + key] || legendRow(what, key);
        el.textContent = fmt(t[what][key]);
      });
    });
    var total = document.getElementById("country-total");
    if (total) { total.textContent = fmt(Object.keys(t.country).length); }
  }

  Array.prototype.forEach.call(document.querySelectorAll("button[data-countries]"), function (b) {
    b.addEventListener("click", function () {
      var on = b.getAttribute("data-countries") === "all";
      Array.prototype.forEach.call(boxesOf("country"), function (box) {
        if (box.parentNode.style.display === "none") { return; } // respect the list filter
        box.checked = on;
        hidden.country[box.getAttribute("data-country")] = !on;
      });
      applyFilters();
    });
  });
  var countrySearch = document.getElementById("country-search");
  if (countrySearch) {
    countrySearch.addEventListener("input", function () {
      var q = countrySearch.value.trim().toLowerCase();
      Array.prototype.forEach.call(boxesOf("country"), function (box) {
        var label = box.parentNode;
        label.style.display = !q || label.getAttribute("data-name").indexOf(q) >= 0 ? "" : "none";
      });
    });
  }

  function resetFilters() {
    Object.keys(FILTERS).forEach(function (what) {
      Array.prototype.forEach.call(boxesOf(what), function (box) { box.checked = true; });
    });
    hidden.kind = {}; hidden.country = {}; hidden.rel = {};
    if (onlyGaps) { onlyGaps.checked = false; }
    applyFilters();
  }
  document.getElementById("reset").addEventListener("click", function () {
    resetFilters();
    setStatus("");
  });
  document.getElementById("fit").addEventListener("click", function () {
    net.fit({ animation: { duration: 400 } });
  });

  // ------------------------------------------------------------------ search
  var search = document.getElementById("search");
  var results = document.getElementById("search-results");
  var active = -1, matches = [];

  function findMatches(q) {
    q = q.trim().toLowerCase();
    if (!q) { return []; }
    var out = [];
    N.forEach(function (n) {
      var name = String(n.name || n.label || n.id).toLowerCase();
      var pos = name.indexOf(q);
      if (pos < 0 && String(n.id).toLowerCase().indexOf(q) < 0) { return; }
      out.push({ n: n, rank: pos === 0 ? 0 : pos > 0 ? 1 : 2, len: name.length });
    });
    out.sort(function (a, b) { return a.rank - b.rank || a.len - b.len; });
    return out.slice(0, 10).map(function (m) { return m.n; });
  }

  function renderResults() {
    results.innerHTML = "";
    matches.forEach(function (n, i) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", i === active ? "true" : "false");
      li.appendChild(document.createTextNode(n.name || n.label || n.id));
      var meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = "  " + (cfg.kinds[n.kind] ? cfg.kinds[n.kind].label : n.kind) +
        (n.country && n.country !== "none" ? " · " + n.country : "");
      li.appendChild(meta);
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(n); });
      results.appendChild(li);
    });
    results.hidden = matches.length === 0;
  }

  function choose(n) {
    results.hidden = true;
    search.value = n.name || n.label || n.id;
    var current = N.get(n.id);
    if (current && current.hidden) {
      resetFilters();
      setStatus("Filters were reset to show " + (n.name || n.id) + ".");
    }
    focusNode(n.id, true);
  }

  search.addEventListener("input", function () {
    matches = findMatches(search.value);
    active = matches.length ? 0 : -1;
    renderResults();
    if (search.value.trim() && !matches.length) { setStatus("No node matches."); } else { setStatus(""); }
  });
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (!matches.length) { return; }
      active = (active + (ev.key === "ArrowDown" ? 1 : matches.length - 1)) % matches.length;
      renderResults();
      ev.preventDefault();
    } else if (ev.key === "Enter") {
      if (matches.length) { choose(matches[Math.max(active, 0)]); }
      ev.preventDefault();
    } else if (ev.key === "Escape") {
      results.hidden = true;
    }
  });
  search.addEventListener("blur", function () { setTimeout(function () { results.hidden = true; }, 150); });

  function focusNode(id, animate, withDetails) {
    if (!N.get(id)) { return; }
    net.selectNodes([id]);
    net.focus(id, { scale: Math.max(net.getScale(), 1.0), animation: animate ? { duration: 450 } : false });
    if (withDetails !== false) { showDetails({ nodes: [id], edges: [] }); }
  }

  // ------------------------------------------------------------------ details panel
  var details = document.getElementById("details");
  var detailsBody = document.getElementById("details-body");
  var detailsOf = null; // what the panel shows, to refresh it after an expansion
  function hideDetails() { details.hidden = true; detailsOf = null; }
  function showDetails(params) {
    var text = null;
    if (params.nodes && params.nodes.length) {
      var n = N.get(params.nodes[0]);
      if (!n) { return; }
      text = typeof n.title === "string" ? n.title : (n.name || n.id);
      if (n.more) { text += "\n\n" + n.more; }
      var nb = net.getConnectedNodes(n.id).map(function (id) {
        var m = N.get(id); return m ? (m.name || m.label || id) : id;
      });
      if (nb.length) {
        text += "\n\nLinked to (" + nb.length + "): " + nb.slice(0, 20).join("; ") +
          (nb.length > 20 ? "; …" : "");
      }
    } else if (params.edges && params.edges.length) {
      var e = E.get(params.edges[0]);
      if (e) { text = typeof e.title === "string" ? e.title : e.id; }
    }
    if (text === null) { hideDetails(); return; }
    detailsBody.innerHTML = "";
    var pre = document.createElement("pre");
    pre.textContent = text;
    detailsBody.appendChild(pre);
    details.hidden = false;
    if (detailsOf !== params) { details.scrollTop = 0; }
    detailsOf = params;
  }
  function refreshDetails() { if (detailsOf) { showDetails(detailsOf); } }
  // The panel opens on the half of the drawing away from the click: over the node it
  // would take the second click of a double-click, and the node could not be expanded.
  function placeDetails(pointer) {
    if (!pointer) { return; }
    var width = document.getElementById("mynetwork").clientWidth;
    details.dataset.side = pointer.x < width / 2 ? "right" : "left";
  }
  net.on("click", function (params) {
    placeDetails(params.pointer && params.pointer.DOM);
    showDetails(params);
  });
  document.getElementById("details-close").addEventListener("click", hideDetails);
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && ev.target === document.body) { hideDetails(); }
  });

  // ------------------------------------------------------------------ double-click: expand / open
  var added = 0;
  net.on("doubleClick", function (params) {
    if (!params.nodes || !params.nodes.length) { return; }
    var n = N.get(params.nodes[0]);
    if (!n) { return; }
    if (n.kind === "country") { openCountry(n); return; }
    if (!cfg.expandUrl) {
      setStatus("Double-clicking adds a node's neighbours on pages served by `scn-graph serve`.");
      return;
    }
    expand(n.id);
  });

  function openCountry(n) {
    if (n.country === "none") {
      setStatus("“No country” gathers the nodes with no country: it has no page of its own. " +
        "Find them by name with the search box, or in a country view, where they are linked.");
    } else if (cfg.countryUrl) {
      window.location.href = cfg.countryUrl.replace("{code}", encodeURIComponent(n.country));
    } else {
      setStatus("Open the country view of " + (n.name || n.country) + " with " +
        "`scn-graph viz --view country --country " + n.country + "`.");
    }
  }

  function expandUrl(n) {
    var k = cfg.kinds[n.kind];
    var collection = k && k.collection;
    if (!collection && cfg.expandUrl.indexOf("{collection}") >= 0) { return null; }
    return cfg.expandUrl.replace("{collection}", collection || "")
      .replace("{id}", encodeURIComponent(n.id));
  }

  function expand(id) {
    var n = N.get(id);
    var url = expandUrl(n);
    if (!url) {
      setStatus("Nodes of kind " + n.kind + " cannot be expanded.");
      return;
    }
    setStatus("Loading the neighbours of " + (n.name || id) + "…");
    fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (r) {
      if (!r.ok) {
        return r.json().catch(function () { return {}; }).then(function (b) {
          var msg = b && (b.detail || b.message || (b.error && (b.error.message || b.error)));
          throw new Error(typeof msg === "string" ? msg : "HTTP " + r.status);
        });
      }
      return r.json();
    }).then(function (data) {
      addNeighbourhood(id, data || {});
    }).catch(function (err) {
      setStatus("Could not load the neighbours: " + err.message);
    });
  }

  // The tooltip line "Links in this view: N" (cfg.degreeLine), when the page sizes by degree.
  var degreeRe = new RegExp("^" + cfg.degreeLine + "([0-9,]+)$", "m");
  function degreeOf(n) {
    var m = typeof n.title === "string" ? degreeRe.exec(n.title) : null;
    return m ? Number(m[1].replace(/,/g, "")) : null;
  }

  function styleNode(raw, withDegree) {
    var kind = raw.kind || "unknown";
    var k = cfg.kinds[kind] || { colour: "#b0b0b0", shape: "dot", label: kind };
    var name = String(raw.name || raw.id);
    return {
      id: String(raw.id),
      label: name.length > 32 ? name.slice(0, 31) + "…" : name,
      name: name,
      kind: kind,
      country: raw.country || "none",
      shape: k.shape,
      size: 12,
      color: { background: k.colour, border: "#333333" },
      borderWidth: 1,
      gaps: 0,
      title: name + "\n" + k.label + (raw.country ? " · " + raw.country : "") +
        "\nid: " + raw.id + (withDegree ? "\n" + cfg.degreeLine + "0" : "") +
        "\n(added by expanding a neighbour)"
    };
  }

  // After new links: each touched node's "Links in this view" grows by the neighbours it
  // gained (the count is of distinct neighbours in the view, as the page computed it).
  function updateDegrees(before) {
    var updates = [];
    Object.keys(before).forEach(function (id) {
      var n = N.get(id), old = n && degreeOf(n);
      if (old === null || !n) { return; }
      var gained = net.getConnectedNodes(id).length - before[id];
      if (gained > 0) {
        updates.push({ id: id, title: n.title.replace(degreeRe, cfg.degreeLine + fmt(old + gained)) });
      }
    });
    if (updates.length) { N.update(updates); }
  }

  function styleEdge(raw, id) {
    var axis = raw.axis === "horizontal" || raw.axis === "vertical" ? raw.axis : "initiative";
    var colour = raw.confidential ? "#7b1fa2" : cfg.axes[axis];
    var type = raw.type || raw.rel || "";
    var e = {
      id: id,
      from: String(raw.source != null ? raw.source : raw.from),
      to: String(raw.target != null ? raw.target : raw.to),
      rel: type,
      color: { color: colour, opacity: raw.status === "planned" ? 0.35 : 0.85 },
      width: axis === "initiative" ? 1.2 : 1.8,
      title: type + (raw.axis ? " · " + raw.axis : "") + (raw.cross_border ? " · cross-border" : "") +
        (raw.status ? " · " + raw.status : "") + (raw.confidential ? " · CONFIDENTIAL" : "")
    };
    if (raw.cross_border) { e.dashes = [8, 5]; }
    if (raw.symmetric === false) { e.arrows = { to: { enabled: true, scaleFactor: 0.5 } }; }
    return e;
  }

  // A small view settles again with the newcomers (physics for a moment, as on load), so
  // they do not sit on top of the nodes already there; then the labels are placed anew.
  function settleAfterExpanding() {
    if (!(cfg.stabilize > 0)) { placeLabels(); return; }
    net.once("stabilizationIterationsDone", function () {
      net.setOptions({ physics: { enabled: false } });
      placeLabels();
    });
    net.setOptions({ physics: { enabled: true, stabilization: { enabled: false } } });
    net.stabilize(Math.min(cfg.stabilize, 150));
  }

  function addNeighbourhood(centre, data) {
    var rawNodes = data.nodes || data.actors || [];
    var rawEdges = data.edges || data.relationships || data.links || [];
    var c = net.getPositions([centre])[centre] || { x: 0, y: 0 };
    var fresh = rawNodes.filter(function (r) { return r && r.id != null && !N.get(String(r.id)); });
    var radius = 140 + 8 * fresh.length;
    var centreNode = N.get(centre);
    var withDegree = !!centreNode && degreeOf(centreNode) !== null;
    var newNodes = fresh.map(function (r, i) {
      var s = styleNode(r, withDegree);
      var a = 2 * Math.PI * i / Math.max(fresh.length, 1);
      s.x = c.x + radius * Math.cos(a);
      s.y = c.y + radius * Math.sin(a);
      return s;
    });
    if (newNodes.length) { N.add(newNodes); }
    var have = {};
    E.forEach(function (e) { have[[e.from, e.to, e.rel].join("|")] = true; have[[e.to, e.from, e.rel].join("|")] = true; });
    var newEdges = [];
    rawEdges.forEach(function (r) {
      var e = styleEdge(r, "x" + (added++));
      var key = [e.from, e.to, e.rel].join("|");
      if (have[key] || !N.get(e.from) || !N.get(e.to)) { return; }
      have[key] = true;
      newEdges.push(e);
    });
    var before = {};
    newEdges.forEach(function (e) {
      [e.from, e.to].forEach(function (id) {
        if (!(id in before)) { before[id] = net.getConnectedNodes(id).length; }
      });
    });
    if (newEdges.length) { E.add(newEdges); }
    updateDegrees(before);
    publishCounts();
    refreshLegend();
    applyFilters();
    settleAfterExpanding();
    refreshDetails();
    var n = N.get(centre);
    setStatus("Added " + counted(newNodes.length, "node") + " and " + counted(newEdges.length, "link") +
      " around " + (n && n.name || centre) + ".");
  }

  applyFilters();
})();
