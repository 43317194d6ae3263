/* scn-graph WebGL pages (viz.webgl): frames while the camera moves.

   Without a GPU a frame's cost is mostly pixels: on the whole twin-cities map the 25,000
   links take about 100 ms to rasterise in software WebGL, the nodes about 50 ms, sigma's
   picking pass (the hidden drawing of node ids that finds the node under the mouse)
   30 ms. So while the camera moves:
   - the links' canvas keeps its last crisp picture, moved with the camera by a CSS
     transform, on pages where links are costly (`linksAsPicture`);
   - the nodes are drawn exactly while the zoom changes (their size follows the zoom),
     and moved as their picture while the camera only pans (a rigid shift: the same
     pixels), on the same pages;
   - the picking pass is skipped: nothing is found under the mouse until the camera rests;
   - labels are drawn exactly every frame.
   `restMs` after the last camera change, everything is drawn crisp again. A change of
   what is drawn (a selection, a filter: sigma's refresh) is always drawn exactly.
   webgl.js moves its country layer from cached bitmaps on the same signal (`moving()`). */
window.scnMotion = function (renderer, options) {
  "use strict";
  var camera = renderer.getCamera();
  var state = {moving: false, timer: null, exact: true};
  var layers = [];

  // Graph units to viewport pixels is affine (no camera rotation here): the camera now.
  function graphMatrix() {
    var o = renderer.graphToViewport({x: 0, y: 0});
    var ex = renderer.graphToViewport({x: 1, y: 0}), ey = renderer.graphToViewport({x: 0, y: 1});
    return new DOMMatrix([ex.x - o.x, ex.y - o.y, ey.x - o.x, ey.y - o.y, o.x, o.y]);
  }

  // A sigma WebGL layer whose programs draw nothing, and whose canvas is not cleared, in
  // a frame where `still()` holds: the canvas keeps its last picture, which is then moved.
  function pictureLayer(name, programs, still) {
    var canvas = renderer.elements[name], gl = renderer.webGLContexts[name];
    var layer = {canvas: canvas, still: still, now: false, matrix: null, ratio: null};
    var clear = gl.clear.bind(gl);
    gl.clear = function (mask) { if (!layer.now) { clear(mask); } };
    Object.keys(programs).forEach(function (type) {
      var program = programs[type], draw = program.render.bind(program);
      program.render = function (params) { if (!layer.now) { draw(params); } };
    });
    canvas.style.transformOrigin = "0 0";
    layers.push(layer);
    return layer;
  }
  if (options.linksAsPicture) {
    pictureLayer("edges", renderer.edgePrograms, function () { return true; });
    pictureLayer("nodes", renderer.nodePrograms, function (layer) {
      return camera.getState().ratio === layer.ratio;  // only panning
    });
  }

  // The picking pass, skipped while moving (sigma draws it inside each node program).
  Object.keys(renderer.nodePrograms).forEach(function (type) {
    var program = renderer.nodePrograms[type], draw = program.render.bind(program);
    var parts = program.programs || [program];
    program.render = function (params) {
      if (!state.moving) { draw(params); return; }
      var picks = parts.map(function (part) { var pick = part.pickProgram; part.pickProgram = null; return pick; });
      try { draw(params); } finally { parts.forEach(function (part, i) { part.pickProgram = picks[i]; }); }
    };
  });

  // The hover layer (a WebGL canvas) is cleared by sigma every frame; clearing an empty one
  // still makes the browser copy it back and composite it again, so it is cleared only
  // after something was drawn on it.
  var hoverGl = renderer.webGLContexts.hoverNodes;
  var hoverDrawn = true, hoverClear = hoverGl.clear.bind(hoverGl);
  hoverGl.clear = function (mask) { if (hoverDrawn) { hoverClear(mask); hoverDrawn = false; } };
  Object.keys(renderer.nodeHoverPrograms || {}).forEach(function (type) {
    var program = renderer.nodeHoverPrograms[type], draw = program.render.bind(program);
    var parts = program.programs || [program];
    program.render = function (params) {
      if (parts.some(function (part) { return !part.hasNothingToRender(); })) { hoverDrawn = true; }
      draw(params);
    };
  });

  var refresh = renderer.refresh.bind(renderer);
  renderer.refresh = function (opts) { state.exact = true; return refresh(opts); };
  renderer.on("beforeRender", function () {
    layers.forEach(function (layer) {
      layer.now = state.moving && !state.exact && layer.matrix !== null && layer.still(layer);
    });
  });
  renderer.on("afterRender", function () {
    var m = graphMatrix();
    layers.forEach(function (layer) {
      if (layer.now) {
        layer.canvas.style.transform = m.multiply(layer.matrix.inverse()).toString();
      } else {  // drawn exactly: the picture of this camera
        layer.matrix = m;
        layer.ratio = camera.getState().ratio;
        layer.canvas.style.transform = "";
      }
    });
    state.exact = false;
  });

  function say() { options.onChange(state.moving); }
  function settle() {
    state.timer = null;
    state.moving = false;
    say();
    renderer.render();  // everything crisp
  }
  function moved() {
    if (!state.moving) { state.moving = true; say(); }
    if (state.timer !== null) { clearTimeout(state.timer); }
    state.timer = setTimeout(settle, options.restMs);
  }
  return {
    moving: function () { return state.moving; },
    graphMatrix: graphMatrix,
    // Camera changes from now on are motion (not the page's opening camera).
    start: function () { camera.on("updated", moved); },
    // Rest now (tests).
    settle: function () {
      if (state.timer !== null) { clearTimeout(state.timer); }
      settle();
    }
  };
};
