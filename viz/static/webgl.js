/* scn-graph WebGL pages (viz.webgl): draw the payload with sigma.js on graphology.
   Search (accent- and case-insensitive), details panel, filters, gap markers the user
   picks, an optional background layer of polygons, double-click to open a neighbourhood
   on served pages. The payload's format is documented in viz/webgl.py. */
(function () {
  "use strict";
  // When each part of the first draw ended (ms since navigation): the benchmark reads them.
  var marks = {html: performance.now()};
  window.drawTimings = marks;
  var payload = JSON.parse(document.getElementById("scn-payload").textContent);
  var settings = JSON.parse(document.getElementById("scn-settings").textContent);
  marks.payload = performance.now();
  var body = document.body;
  var container = document.getElementById("mynetwork");
  var detailsBox = document.getElementById("details");
  var statusBox = document.getElementById("status");
  window.nodes = payload.nodes;
  window.edges = payload.edges;

  function plural(n, word) {
    return n.toLocaleString("en") + " " + word + (n === 1 ? "" : "s");
  }
  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function say(text) { statusBox.textContent = text; }

  // ------------------------------------------------------------------ the graph
  // Directed (links have a direction), multi (two actors may have several links): cheaper
  // to build than graphology's default mixed graph, with the same neighbours and degrees.
  var graph = new graphology.MultiDirectedGraph({allowSelfLoops: false});
  window.graph = graph;
  var byId = new Map();
  payload.nodes.forEach(function (n) {
    byId.set(n.id, n);
    graph.addNode(n.id, {
      x: n.x, y: n.y, size: n.size, color: n.colour, label: n.label, kind: n.kind,
      zIndex: 0
    });
  });
  var looks = payload.legend.links;
  // sigma blends colours as premultiplied (ONE, ONE_MINUS_SRC_ALPHA): a see-through colour
  // goes to WebGL with its channels multiplied by its alpha, or overlapping links add up
  // to a bright haze (the faint dark blue of a dense map showed as cyan).
  function glColour(css) {
    var m = /^rgba\(([\d.]+),\s*([\d.]+),\s*([\d.]+),\s*([\d.]+)\)$/.exec(String(css).replace(/\s+/g, ""));
    if (!m) { return css; }
    var a = Number(m[4]);
    return "rgba(" + [m[1], m[2], m[3]].map(function (c) { return Math.round(Number(c) * a); }).join(",") + "," + a + ")";
  }
  looks.forEach(function (look) {
    look.glColour = glColour(look.colour);
    look.glFaint = glColour(look.faintColour || look.colour);
  });
  var kindLabels = {};
  payload.legend.kinds.forEach(function (k) { kindLabels[k.kind] = k.label; });
  payload.edges.forEach(function (e, i) {
    var look = looks[e.look];
    graph.addEdgeWithKey("e" + i, e.source, e.target, {
      color: look.glColour, size: 1, rel: e.type, index: i, look: e.look
    });
  });
  // How links are drawn (settings.links, from viz.webgl_view.link_rule): arcs or plain
  // lines, and each look's faint colour on a dense drawing seen from afar. The faint
  // colour depends on the zoom only through one threshold (`closeRatio`), so a zoom that
  // crosses it redraws the links once and any other frame costs nothing more.
  var linkRule = settings.links || {arcs: "never", faint: false, closeRatio: 0};
  var close = false;
  function isClose() { return renderer.getCamera().ratio <= linkRule.closeRatio; }
  function arcsNow() { return linkRule.arcs === "always"; }
  function faintNow() { return linkRule.faint && !close; }
  function publishLinks() {
    body.dataset.arcs = arcsNow() ? "true" : "false";
    body.dataset.faintLinks = faintNow() ? "true" : "false";
  }
  marks.graph = performance.now();
  var folded = payload.nodes.map(function (n) { return fold(n.label) + "\u0000" + fold(n.id); });

  // ------------------------------------------------------------------ state
  var hiddenKinds = new Set();
  var hiddenTypes = new Set();
  var marked = new Set();
  var selected = null;
  var neighbours = new Set();


  // sigma hands each reducer its own copy of the attributes, so they change it in place:
  // no second copy per node and link on every refresh (42,000 on the twin-cities pages).
  function nodeReducer(id, data) {
    var out = data;
    if (hiddenKinds.has(data.kind)) { out.hidden = true; return out; }
    if (marked.has(id)) {
      out.type = "ring";
      out.borderColor = settings.gapColour;
      out.zIndex = 1;
    }
    if (selected !== null) {
      if (id === selected) {
        out.highlighted = true; out.forceLabel = true; out.zIndex = 3;
      } else if (neighbours.has(id)) {
        out.zIndex = 2;
        if (neighbours.size <= 40) { out.forceLabel = true; }
      } else {
        // Away from the selection: hidden, since on a dense view any other nodes, pale
        // or see-through, cover the selection's links (drawn under every node).
        out.hidden = true;
      }
    }
    return out;
  }
  function edgeReducer(id, data) {
    var out = data;
    if (hiddenTypes.has(data.rel)) { out.hidden = true; return out; }
    if (arcsNow()) { out.type = "curve"; }
    if (faintNow() && selected === null) { out.color = looks[data.look].glFaint; }
    if (selected !== null) {
      var ends = graph.extremities(id);
      if (ends[0] !== selected && ends[1] !== selected) { out.hidden = true; }

    }
    return out;
  }

  // ------------------------------------------------------------------ labels
  // sigma offers the labels of the biggest nodes of each grid cell (sizes follow the
  // metric, so the most important first); a label that would overlap one already drawn
  // in this frame is skipped, so labels never pile up. The selected node's is always drawn.
  var placed = [];
  window.labelBoxes = placed;
  function overlaps(box) {
    for (var i = 0; i < placed.length; i++) {
      var b = placed[i];
      if (box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3]) { return true; }
    }
    return false;
  }
  function drawLabel(context, data, s) {
    if (!data.label) { return; }
    var size = s.labelSize;
    context.font = s.labelWeight + " " + size + "px " + s.labelFont;
    var x = data.x + data.size + 3, y = data.y + size / 3;
    var box = [x - 1, y - size, x + context.measureText(data.label).width + 1, y + 3];
    if (overlaps(box) && !data.highlighted) { return; }
    placed.push(box);
    context.lineWidth = 3;
    context.strokeStyle = "rgba(255,255,255,0.9)";
    context.strokeText(data.label, x, y);
    context.fillStyle = "#1d2330";
    context.fillText(data.label, x, y);
  }

  // ------------------------------------------------------------------ the renderer
  var ringProgram = Sigma.rendering.createNodeBorderProgram({
    borders: [
      {size: {value: 0.35}, color: {attribute: "borderColor"}},
      {size: {fill: true}, color: {attribute: "color"}}
    ]
  });
  // Points and plain lines: not instanced, so software WebGL (no GPU) draws a frame of
  // 17,000 nodes and 25,000 links about ten times faster than sigma's default discs and
  // rectangles. The points are found under the mouse over their whole dot, and over at
  // least PICK_PX pixels (webgl_pick.js): a click on a small city selects it.
  var PICK_PX = 10;
  var pointProgram = window.scnPickablePoints(Sigma.rendering.NodePointProgram, PICK_PX);
  // sigma starts on an empty graph and is handed the real one once the page knows the box
  // its nodes are fitted into (a map's layer), so the 42,000 nodes and links are processed
  // and drawn once, not once per box.
  var renderer = new Sigma.Sigma(new graphology.MultiDirectedGraph(), container, {
    nodeProgramClasses: {circle: pointProgram, ring: ringProgram},
    edgeProgramClasses: {line: Sigma.rendering.EdgeLineProgram, curve: Sigma.rendering.EdgeCurveProgram},
    nodeReducer: nodeReducer,
    edgeReducer: edgeReducer,
    zIndex: true,
    defaultDrawNodeLabel: drawLabel,
    labelDensity: 0.5,
    labelGridCellSize: 120,
    labelRenderedSizeThreshold: 5,
    labelFont: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
    labelSize: 13,
    minCameraRatio: 0.002,
    maxCameraRatio: 4,
    stagePadding: 24,
    enableEdgeEvents: false,
    defaultEdgeType: "line"
  });
  window.renderer = renderer;
  window.scnNearestPick(renderer, PICK_PX);
  marks.renderer = performance.now();
  renderer.on("beforeRender", function () {
    placed = [];
    window.labelBoxes = placed;
  });
  renderer.getCamera().on("updated", function () {
    if (isClose() !== close) {  // crossed the threshold: links faint or not
      close = !close;
      publishLinks();
      renderer.refresh();
    }
  });

  // ------------------------------------------------------------------ frames while moving
  // webgl_motion.js: costly layers move as pictures while the camera moves, and are drawn
  // crisp once it rests. Links are costly from PICTURE_LINKS lines; an arc costs ten.
  var PICTURE_LINKS = 2000, ARC_COST = 10;
  var linksAsPicture = graph.size * (arcsNow() ? ARC_COST : 1) >= PICTURE_LINKS;
  var motion = window.scnMotion(renderer, {
    restMs: settings.restMs || 160,
    linksAsPicture: linksAsPicture,
    onChange: function (moving) { body.dataset.moving = moving ? "true" : "false"; }
  });
  window.scnSettle = motion.settle;
  var graphMatrix = motion.graphMatrix;
  body.dataset.moving = "false";
  body.dataset.linksAsPicture = linksAsPicture ? "true" : "false";

  // ------------------------------------------------------------------ background layer
  var background = payload.background || null;
  var bgCanvas = null;
  var layer = {world: null, painting: null, worldMatrix: null, lastMatrix: null, box: null};
  function tracePaths() {
    background.polygons.forEach(function (p) {
      if (p.path) { return; }
      p.path = new Path2D();
      p.rings.forEach(function (ring) {
        ring.forEach(function (pt, i) {
          if (i === 0) { p.path.moveTo(pt[0], pt[1]); } else { p.path.lineTo(pt[0], pt[1]); }
        });
        p.path.closePath();
      });
    });
  }
  // Each polygon's path is built once in graph units and only transformed, so drawing the
  // 50m outlines costs a few native calls per country, not one projection per point.
  function paintLayer(ctx, m, from, to) {
    tracePaths();
    ctx.lineWidth = 0.6;
    background.polygons.slice(from || 0, to).forEach(function (p) {
      var path = new Path2D();
      path.addPath(p.path, m);
      ctx.fillStyle = p.fill || "#f0f0f0";
      ctx.fill(path, "evenodd");
      ctx.strokeStyle = p.stroke || "#9a9a9a";
      ctx.stroke(path);
    });
  }
  // The whole layer once, at about twice the first view's resolution, in a canvas of its
  // own under the crisp one: what a moving camera shows where the last crisp frame does not
  // reach (zooming out, panning to a new part). Shown only while moving. It is painted after
  // the first draw, a few countries per task, so neither the first frame nor the first
  // move waits for it.
  var WORLD_SLICE = 6;
  function worldPicture() {
    if (layer.world || layer.painting || !layer.box) { return layer.world; }
    var b = layer.box, gw = b.x[1] - b.x[0] || 1, gh = b.y[1] - b.y[0] || 1;
    var scale = Math.min(4096 / gw, 4096 / gh, 2 * Math.max(container.clientWidth, 1) / gw);
    var c = el("canvas", {"class": "background-world", "aria-hidden": "true"});
    c.width = Math.max(1, Math.ceil(gw * scale)); c.height = Math.max(1, Math.ceil(gh * scale));
    c.style.width = c.width + "px"; c.style.height = c.height + "px";
    c.hidden = true;
    var matrix = new DOMMatrix([scale, 0, 0, -scale, -b.x[0] * scale, b.y[1] * scale]);
    layer.painting = c;
    var ctx = c.getContext("2d"), from = 0;
    (function paintSome() {
      if (layer.painting !== c) { return; }  // replaced (another measure)
      paintLayer(ctx, matrix, from, from + WORLD_SLICE);
      from += WORLD_SLICE;
      if (from < background.polygons.length) { setTimeout(paintSome, 0); return; }
      // Only a whole picture joins the page (a canvas changed while shown is sent to the
      // compositor again on every change).
      layer.painting = null;
      layer.world = c;
      layer.worldMatrix = matrix;
      container.insertBefore(c, bgCanvas);
      marks.world = performance.now();
      body.dataset.worldLayer = "painted";
    })();
    return layer.world;
  }
  function drawBackground() {
    if (!bgCanvas) { return; }
    var m = graphMatrix();
    if (motion.moving() && layer.lastMatrix) {
      // Moving: the whole layer's picture and the last crisp frame over it, both moved by
      // the browser's compositor (CSS transforms): nothing is drawn again.
      var world = worldPicture();
      if (world) {
        world.style.transform = m.multiply(layer.worldMatrix.inverse()).toString();
        world.hidden = false;
      }
      bgCanvas.style.transform = m.multiply(layer.lastMatrix.inverse()).toString();
      return;
    }
    if (layer.world) { layer.world.hidden = true; }
    bgCanvas.style.transform = "";
    var w = container.clientWidth, h = container.clientHeight, ratio = window.devicePixelRatio || 1;
    if (bgCanvas.width !== Math.round(w * ratio) || bgCanvas.height !== Math.round(h * ratio)) {
      bgCanvas.width = Math.round(w * ratio); bgCanvas.height = Math.round(h * ratio);
      bgCanvas.style.width = w + "px"; bgCanvas.style.height = h + "px";
    }
    var ctx = bgCanvas.getContext("2d");
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, bgCanvas.width, bgCanvas.height);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    paintLayer(ctx, m);
    layer.lastMatrix = m;
  }
  renderer.on("afterRender", drawBackground);
  function insideRing(x, y, ring) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) { inside = !inside; }
    }
    return inside;
  }
  function polygonAt(viewportPoint) {
    if (!background) { return null; }
    var g = renderer.viewportToGraph(viewportPoint);
    for (var k = background.polygons.length - 1; k >= 0; k--) {
      var p = background.polygons[k], hits = 0;
      p.rings.forEach(function (ring) { if (insideRing(g.x, g.y, ring)) { hits++; } });
      if (hits % 2 === 1) { return p; }
    }
    return null;
  }
  if (background) {
    bgCanvas = el("canvas", {"class": "background-layer", "aria-hidden": "true"});
    container.insertBefore(bgCanvas, container.firstChild);
    var box = {x: [Infinity, -Infinity], y: [Infinity, -Infinity]};
    var extend = function (x, y) {
      if (x < box.x[0]) { box.x[0] = x; } if (x > box.x[1]) { box.x[1] = x; }
      if (y < box.y[0]) { box.y[0] = y; } if (y > box.y[1]) { box.y[1] = y; }
    };
    payload.nodes.forEach(function (n) { extend(n.x, n.y); });
    background.polygons.forEach(function (p) {
      p.rings.forEach(function (ring) { ring.forEach(function (pt) { extend(pt[0], pt[1]); }); });
    });
    if (box.x[0] <= box.x[1]) {
      layer.box = box;
      renderer.setCustomBBox(box);
    }
  }
  renderer.setGraph(graph);  // the one full pass: reducers, positions, first frame
  if (background && background.focus) {  // open on a part of the layer (a one-country map)
    var f = background.focus, norm = renderer.normalizationFunction;
    var a = norm({x: f[0], y: f[1]}), b = norm({x: f[2], y: f[3]});
    renderer.getCamera().setState({x: (a.x + b.x) / 2, y: (a.y + b.y) / 2,
      ratio: 1.1 * Math.max(Math.abs(b.x - a.x), Math.abs(b.y - a.y))});
  }

  marks.layer = performance.now();

  // ------------------------------------------------------------------ coverage measure
  // The map's select beside its legend: every country carries its fill for each measure
  // (background.polygons[].fills, coloured by viz.geo.measures), so switching the measure
  // recolours the layer and retitles its legend without a reload.
  var SHADING = " (shading)";
  function useMeasure(name) {
    var chosen = (background.measures || []).filter(function (m) { return m.name === name; })[0];
    if (!chosen) { return; }
    background.measure = name;
    background.polygons.forEach(function (p) {
      if (p.fills && p.fills[name]) { p.fill = p.fills[name]; }
      (p.details || []).forEach(function (row) {
        var label = row[0].replace(SHADING, "");
        var isMeasure = background.measures.some(function (m) { return m.title === label; });
        if (isMeasure) { row[0] = label + (label === chosen.title ? SHADING : ""); }
      });
    });
    document.getElementById("background-title").textContent = chosen.title;
    body.dataset.measure = name;
    if (layer.world) { layer.world.remove(); }  // it has the old fills
    layer.world = null; layer.painting = null;
    worldPicture();
    drawBackground();
    if (shownPolygon && !detailsBox.hidden) { showPolygon(shownPolygon); }  // its shading line
  }
  var measureSelect = document.getElementById("measure");
  if (background && measureSelect) {
    measureSelect.addEventListener("change", function () { useMeasure(measureSelect.value); });
    body.dataset.measure = background.measure || "";
  }

  // ------------------------------------------------------------------ details panel
  function dl(pairs) {
    var list = el("dl");
    (pairs || []).forEach(function (kv) {
      list.appendChild(el("dt", {}, kv[0]));
      list.appendChild(el("dd", {}, kv[1]));
    });
    return list;
  }
  function closeButton() {
    var b = el("button", {type: "button", "class": "close", "aria-label": "Close"}, "×");
    b.addEventListener("click", function () { selectNode(null); });
    return b;
  }
  var LINKS_SHOWN = 200;
  function showNode(id) {
    shownPolygon = null;
    var n = byId.get(id);
    var facts = [["Kind", kindLabels[n.kind] || n.kind]];
    if (n.country) { facts.push(["Country", (payload.countries || {})[n.country] || n.country]); }
    facts.push(["id", n.id], ["Links", graph.degree(id).toLocaleString("en")]);
    detailsBox.replaceChildren(closeButton(), el("h3", {}, n.label), dl(facts.concat(n.details || [])));
    if (n.gaps && n.gaps.length) {
      var gaps = el("div", {"class": "gaps"});
      gaps.appendChild(el("strong", {}, plural(n.gaps.length, "gap finding")));
      var gl = el("ul");
      n.gaps.forEach(function (g) {
        gl.appendChild(el("li", {}, (payload.gapTypes[g[0]] || g[0]) + " (" + g[1] + ")"));
      });
      gaps.appendChild(gl);
      detailsBox.appendChild(gaps);
    }
    var links = [];
    graph.forEachEdge(id, function (key, attrs, source, target) {
      links.push({other: source === id ? target : source, attrs: attrs, out: source === id});
    });
    detailsBox.appendChild(el("p", {"class": "links-count"}, plural(links.length, "link")));
    var ul = el("ul", {"class": "links"});
    links.slice(0, LINKS_SHOWN).forEach(function (lk) {
      var li = el("li");
      var b = el("button", {type: "button", "class": "link", "data-node": lk.other},
                 byId.get(lk.other).label);
      b.addEventListener("click", function () { selectNode(lk.other, true); });
      li.appendChild(document.createTextNode(lk.attrs.rel + (lk.out ? " → " : " ← ")));
      li.appendChild(b);
      var e = payload.edges[lk.attrs.index], look = looks[e.look];
      var words = (look.crossBorder ? ["cross-border"] : []).concat(look.confidential ? ["confidential"] : [])
        .concat((e.details || []).map(function (kv) { return kv[0] + ": " + kv[1]; }));
      if (words.length) { li.appendChild(document.createTextNode(" · " + words.join(", "))); }
      ul.appendChild(li);
    });
    detailsBox.appendChild(ul);
    if (links.length > LINKS_SHOWN) {
      detailsBox.appendChild(el("p", {"class": "hint"}, "… and " + plural(links.length - LINKS_SHOWN, "more link")));
    }
    if (settings.actorUrl) {
      detailsBox.appendChild(el("p", {"class": "hint"}, "Double-click the node to open its neighbourhood."));
    }
    detailsBox.hidden = false;
  }
  var shownPolygon = null;
  function showPolygon(p) {
    shownPolygon = p;
    detailsBox.replaceChildren(closeButton(), el("h3", {}, p.name), dl(p.details));
    if (settings.countryUrl && p.open !== false) {
      detailsBox.appendChild(el("p", {"class": "hint"}, "Double-click the country to open it."));
    }
    detailsBox.hidden = false;
  }

  // ------------------------------------------------------------------ selection
  function selectNode(id, centre) {
    selected = id;
    neighbours = new Set(id === null ? [] : graph.neighbors(id));
    body.dataset.selected = id === null ? "" : id;
    if (id === null) {
      detailsBox.hidden = true;
    } else {
      showNode(id);
      if (centre) {
        var d = renderer.getNodeDisplayData(id);
        var camera = renderer.getCamera();
        camera.animate({x: d.x, y: d.y, ratio: Math.min(camera.ratio, 0.08)}, {duration: 350});
      }
    }
    renderer.refresh();
  }
  window.selectNode = function (id) { selectNode(id, true); };

  // The panel opens on the half of the drawing away from the click: over the node it
  // would take the second click of a double-click, and the node could not be opened.
  function placeDetails(event) {
    detailsBox.dataset.side = event.x < container.clientWidth / 2 ? "right" : "left";
  }
  renderer.on("clickNode", function (e) { placeDetails(e.event); selectNode(e.node, false); });
  // The node under the mouse (sigma draws its label in a box): "" when none.
  renderer.on("enterNode", function (e) { body.dataset.hovered = e.node; });
  renderer.on("leaveNode", function () { body.dataset.hovered = ""; });
  renderer.on("clickStage", function (e) {
    var p = polygonAt(e.event);
    placeDetails(e.event);
    selectNode(null);
    if (p) { showPolygon(p); }
  });
  renderer.on("doubleClickNode", function (e) {
    e.preventSigmaDefault();
    if (settings.actorUrl) {
      window.location.href = settings.actorUrl.replace("{id}", encodeURIComponent(e.node));
    }
  });
  renderer.on("doubleClickStage", function (e) {
    var p = polygonAt(e.event);
    if (p && p.open !== false && settings.countryUrl) {
      e.preventSigmaDefault();
      window.location.href = settings.countryUrl.replace("{code}", encodeURIComponent(p.id));
    }
  });

  // ------------------------------------------------------------------ search
  var search = document.getElementById("search");
  var results = document.getElementById("search-results");
  var MAX_RESULTS = 12;
  function matches(query) {
    var q = fold(query.trim());
    if (!q) { return []; }
    var ranked = [[], [], []];  // name prefix, word prefix, anywhere
    for (var i = 0; i < folded.length; i++) {
      var at = folded[i].indexOf(q);
      if (at < 0) { continue; }
      var rank = at === 0 ? 0 : (/[\s\-'(]/.test(folded[i].charAt(at - 1)) ? 1 : 2);
      ranked[rank].push(payload.nodes[i]);
    }
    var byImportance = function (a, b) { return b.importance - a.importance; };
    return ranked[0].sort(byImportance).concat(ranked[1].sort(byImportance), ranked[2].sort(byImportance));
  }
  function showResults() {
    var found = matches(search.value);
    results.replaceChildren();
    if (!search.value.trim()) { results.hidden = true; return found; }
    if (!found.length) {
      results.appendChild(el("li", {"class": "none"}, "No node matches"));
    }
    found.slice(0, MAX_RESULTS).forEach(function (n, i) {
      var li = el("li", {role: "option", "data-node": n.id, "aria-selected": i === 0 ? "true" : "false"});
      li.appendChild(document.createTextNode(n.label + " "));
      li.appendChild(el("span", {"class": "meta"}, (n.country && n.country !== "none" ? n.country + " · " : "") + n.kind));
      li.addEventListener("mousedown", function (ev) {
        ev.preventDefault();
        pick(n.id);
      });
      results.appendChild(li);
    });
    if (found.length > MAX_RESULTS) {
      results.appendChild(el("li", {"class": "meta"}, "… " + plural(found.length - MAX_RESULTS, "more match") + "; type more"));
    }
    results.hidden = false;
    return found;
  }
  function pick(id) {
    results.hidden = true;
    if (hiddenKinds.has(byId.get(id).kind)) {
      hiddenKinds.delete(byId.get(id).kind);
      var box = document.querySelector('input[data-kind="' + CSS.escape(byId.get(id).kind) + '"]');
      if (box) { box.checked = true; }
      applyFilters();
    }
    selectNode(id, true);
    say("Selected " + byId.get(id).label + ".");
  }
  search.addEventListener("input", showResults);
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var found = matches(search.value);
      if (found.length) { pick(found[0].id); } else { say("No node matches “" + search.value + "”."); }
    } else if (ev.key === "Escape") {
      results.hidden = true;
    }
  });
  search.addEventListener("blur", function () { setTimeout(function () { results.hidden = true; }, 150); });

  // ------------------------------------------------------------------ filters
  function applyFilters() {
    showCounts();
    if (selected !== null && hiddenKinds.has(byId.get(selected).kind)) { selectNode(null); }
    renderer.refresh();
  }
  function showCounts() {
    var visible = 0;
    payload.nodes.forEach(function (n) { if (!hiddenKinds.has(n.kind)) { visible++; } });
    var links = 0;
    payload.edges.forEach(function (e) {
      if (!hiddenTypes.has(e.type) && !hiddenKinds.has(byId.get(e.source).kind)
          && !hiddenKinds.has(byId.get(e.target).kind)) { links++; }
    });
    body.dataset.visibleNodes = String(visible);
    body.dataset.visibleEdges = String(links);
    document.getElementById("shown-nodes").textContent = visible.toLocaleString("en");
    document.getElementById("shown-nodes-word").textContent = visible === 1 ? "node" : "nodes";
    document.getElementById("shown-edges").textContent = links.toLocaleString("en");
    document.getElementById("shown-edges-word").textContent = links === 1 ? "link" : "links";
    var filtered = visible < payload.nodes.length || links < payload.edges.length;
    document.getElementById("filtered-note").textContent = filtered
      ? "(filtered from " + plural(payload.nodes.length, "node") + " and " + plural(payload.edges.length, "link") + ")"
      : "";
  }
  document.querySelectorAll("input[data-kind]").forEach(function (box) {
    box.addEventListener("change", function () {
      if (box.checked) { hiddenKinds.delete(box.dataset.kind); } else { hiddenKinds.add(box.dataset.kind); }
      applyFilters();
    });
  });
  document.querySelectorAll("input[data-rel]").forEach(function (box) {
    box.addEventListener("change", function () {
      if (box.checked) { hiddenTypes.delete(box.dataset.rel); } else { hiddenTypes.add(box.dataset.rel); }
      applyFilters();
    });
  });
  document.getElementById("reset").addEventListener("click", function () {
    hiddenKinds.clear(); hiddenTypes.clear();
    document.querySelectorAll("input[data-kind], input[data-rel]").forEach(function (b) { b.checked = true; });
    applyFilters();
  });
  document.getElementById("fit").addEventListener("click", function () {
    renderer.getCamera().animatedReset({duration: 300});
  });

  // ------------------------------------------------------------------ gap markers
  var gapType = document.getElementById("gap-type");
  var gapSeverity = document.getElementById("gap-severity");
  function applyGaps() {
    marked = new Set();
    var t = gapType.value, s = gapSeverity.value;
    if (t) {
      payload.nodes.forEach(function (n) {
        (n.gaps || []).forEach(function (g) {
          if ((t === "*" || g[0] === t) && (!s || g[1] === s)) { marked.add(n.id); }
        });
      });
      var what = t === "*" ? "any gap" : (payload.gapTypes[t] || t);
      say("Ringed " + plural(marked.size, "node") + " with " + what + (s ? " (" + s + ")" : "") + ".");
    } else {
      say("");
    }
    body.dataset.markedNodes = String(marked.size);
    renderer.refresh();
  }
  gapType.addEventListener("change", applyGaps);
  gapSeverity.addEventListener("change", applyGaps);

  // ------------------------------------------------------------------ drawn
  body.dataset.markedNodes = "0";
  body.dataset.hovered = "";
  close = isClose();
  publishLinks();
  showCounts();  // nothing is filtered yet: sigma has drawn every node and link already
  motion.start();  // after the opening camera: not a motion
  marks.script = performance.now();
  requestAnimationFrame(function () {
    marks.frame = performance.now();
    requestAnimationFrame(function () {
      marks.drawn = performance.now();
      if (background) { setTimeout(worldPicture, 0); }  // after the first frame is shown
      body.dataset.drawnMs = String(Math.round(performance.now()));
      body.dataset.drawn = "true";
    });
  });
})();
