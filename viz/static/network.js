/* scn-graph network page: legend filters, search, details, settle, expand.
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

  // ------------------------------------------------------------------ counts and "drawn"
  function publishCounts() {
    body.dataset.nodeCount = String(N.length);
    body.dataset.edgeCount = String(E.length);
  }
  publishCounts();

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
    net.once("afterDrawing", function () {
      body.dataset.drawnMs = String(Math.round(performance.now() - started));
      body.dataset.drawn = "true";
      if (cfg.focus) { focusNode(cfg.focus, false); }
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
    document.getElementById("shown-nodes").textContent = fmt(shownNodes);
    document.getElementById("shown-edges").textContent = fmt(shownEdges);
    var filtered = shownNodes !== N.length || shownEdges !== E.length;
    document.getElementById("filtered-note").textContent = filtered
      ? "(filtered from " + fmt(N.length) + " nodes and " + fmt(E.length) + " links on this page)"
      : "";
    body.dataset.visibleNodes = String(shownNodes);
    body.dataset.visibleEdges = String(shownEdges);
  }

  function bindChecks(selector, attr, bucket) {
    var boxes = document.querySelectorAll(selector);
    Array.prototype.forEach.call(boxes, function (box) {
      box.addEventListener("change", function () {
        bucket[box.getAttribute(attr)] = !box.checked;
        applyFilters();
      });
    });
    return boxes;
  }
  var kindBoxes = bindChecks("input[data-kind]", "data-kind", hidden.kind);
  var relBoxes = bindChecks("input[data-rel]", "data-rel", hidden.rel);
  var countryBoxes = bindChecks("input[data-country]", "data-country", hidden.country);
  if (onlyGaps) { onlyGaps.addEventListener("change", applyFilters); }

  Array.prototype.forEach.call(document.querySelectorAll("button[data-countries]"), function (b) {
    b.addEventListener("click", function () {
      var on = b.getAttribute("data-countries") === "all";
      Array.prototype.forEach.call(countryBoxes, function (box) {
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
      Array.prototype.forEach.call(countryBoxes, function (box) {
        var label = box.parentNode;
        label.style.display = !q || label.getAttribute("data-name").indexOf(q) >= 0 ? "" : "none";
      });
    });
  }

  function resetFilters() {
    [kindBoxes, relBoxes, countryBoxes].forEach(function (boxes) {
      Array.prototype.forEach.call(boxes, function (box) { box.checked = true; });
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

  function focusNode(id, animate) {
    if (!N.get(id)) { return; }
    net.selectNodes([id]);
    net.focus(id, { scale: Math.max(net.getScale(), 1.0), animation: animate ? { duration: 450 } : false });
    showDetails({ nodes: [id], edges: [] });
  }

  // ------------------------------------------------------------------ details panel
  var details = document.getElementById("details");
  function showDetails(params) {
    var text = null, extra = null;
    if (params.nodes && params.nodes.length) {
      var n = N.get(params.nodes[0]);
      if (!n) { return; }
      text = typeof n.title === "string" ? n.title : (n.name || n.id);
      var nb = net.getConnectedNodes(n.id).map(function (id) {
        var m = N.get(id); return m ? (m.name || m.label || id) : id;
      });
      if (nb.length) {
        extra = "Linked to (" + nb.length + "): " + nb.slice(0, 20).join("; ") + (nb.length > 20 ? "; …" : "");
      }
    } else if (params.edges && params.edges.length) {
      var e = E.get(params.edges[0]);
      if (e) { text = typeof e.title === "string" ? e.title : e.id; }
    }
    if (text === null) { return; }
    details.innerHTML = "";
    var pre = document.createElement("pre");
    pre.textContent = text + (extra ? "\n\n" + extra : "");
    details.appendChild(pre);
  }
  net.on("click", showDetails);

  // ------------------------------------------------------------------ double-click: expand / open
  var added = 0;
  net.on("doubleClick", function (params) {
    if (!params.nodes || !params.nodes.length) { return; }
    var id = params.nodes[0];
    if (cfg.countryUrl) {
      var n = N.get(id);
      if (n && n.kind === "country" && n.country !== "none") {
        window.location.href = cfg.countryUrl.replace("{code}", encodeURIComponent(n.country));
      }
      return;
    }
    if (cfg.expandUrl) { expand(id); }
  });

  function expand(id) {
    var n = N.get(id);
    setStatus("Loading the neighbours of " + (n && n.name || id) + "…");
    fetch(cfg.expandUrl.replace("{id}", encodeURIComponent(id)), {
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

  function styleNode(raw) {
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
        "\nid: " + raw.id + "\n(added from the API)"
    };
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

  function addNeighbourhood(centre, data) {
    var rawNodes = data.nodes || data.actors || [];
    var rawEdges = data.edges || data.relationships || data.links || [];
    var c = net.getPositions([centre])[centre] || { x: 0, y: 0 };
    var fresh = rawNodes.filter(function (r) { return r && r.id != null && !N.get(String(r.id)); });
    var radius = 140 + 8 * fresh.length;
    var newNodes = fresh.map(function (r, i) {
      var s = styleNode(r);
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
    if (newEdges.length) { E.add(newEdges); }
    publishCounts();
    applyFilters();
    var n = N.get(centre);
    setStatus("Added " + newNodes.length + " nodes and " + newEdges.length + " links around " +
      (n && n.name || centre) + ".");
  }

  applyFilters();
})();
