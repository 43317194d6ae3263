/* scn-graph WebGL pages (viz.webgl): nodes drawn as points that a real click finds.

   sigma finds the node under the mouse by drawing every node's id into a hidden picking
   framebuffer at half the canvas's resolution, with the same shader as the visible
   points. That shader keeps a one-pixel antialiased rim out of its solid disc, and in the
   picking pass that rim is a whole framebuffer pixel: a city of size 3 is a 6-pixel dot
   on screen but only about 2 by 4 pixels in the picking framebuffer, beside its centre,
   so a click on the dot (a real mouse lands on whole pixels) found the empty stage.
   In the picking pass these points fill their whole disc, never less than `minPx`
   viewport pixels across; the visible drawing is unchanged. */
window.scnPickablePoints = function (NodePointProgram, minPx) {
  "use strict";
  var SIZE = "gl_PointSize = a_size / u_sizeRatio * u_pixelRatio * 2.0;";
  var BORDER = "v_border = (0.5 / a_size) * u_sizeRatio;";
  var base = NodePointProgram.prototype.getDefinition.call(null);
  var source = base.VERTEX_SHADER_SOURCE;
  if (source.indexOf(SIZE) < 0 || source.indexOf(BORDER) < 0) {
    throw new Error("sigma's point shader changed: webgl_pick.js must follow it");
  }
  var picked = source.replace(SIZE, "").replace(BORDER, [
    "#ifdef PICKING_MODE",
    "  gl_PointSize = max(a_size / u_sizeRatio * 2.0, " + Number(minPx).toFixed(1) + ") * u_pixelRatio;",
    "  v_border = 0.0;",
    "  #else",
    "  " + SIZE,
    "  " + BORDER,
    "  #endif"
  ].join("\n"));
  return class PickablePoints extends NodePointProgram {
    getDefinition() { return Object.assign({}, super.getDefinition(), {VERTEX_SHADER_SOURCE: picked}); }
  };
};

/* The node under the mouse: of the nodes whose picking disc covers the point (read from
   sigma's picking framebuffer around it in one call), the one whose centre is nearest.
   With discs of at least `minPx`, neighbours on a dense view overlap in the framebuffer,
   which keeps only the last drawn: a click on a dot's centre must not select the
   neighbour drawn over it. Nothing is found while the picking pass waits (a moving
   camera, webgl_motion.js): the framebuffer is empty then. */
window.scnNearestPick = function (renderer, minPx) {
  "use strict";
  var gl = renderer.webGLContexts.nodes, utils = Sigma.utils;
  function nodeAt(index) {
    var item = renderer.itemIDsIndex[index];
    return item && item.type === "node" ? item.id : null;
  }
  renderer.getNodeAtPosition = function (p) {
    var k = renderer.pickingDownSizingRatio, ratio = renderer.pixelRatio;
    var reach = Math.ceil(minPx / 2 / k * ratio), side = 2 * reach + 1;
    var fx = Math.floor(p.x / k * ratio), fy = Math.floor(gl.drawingBufferHeight / k - p.y / k * ratio);
    var block = new Uint8Array(side * side * 4);  // zero (no node) where outside the buffer
    gl.bindFramebuffer(gl.FRAMEBUFFER, renderer.frameBuffers.nodes);
    gl.readPixels(fx - reach, fy - reach, side, side, gl.RGBA, gl.UNSIGNED_BYTE, block);
    var best = null, bestDistance = Infinity, seen = new Set();
    for (var i = 0; i < block.length; i += 4) {
      var id = nodeAt(utils.colorToIndex(block[i], block[i + 1], block[i + 2], block[i + 3]));
      if (id === null || seen.has(id)) { continue; }
      seen.add(id);
      var d = renderer.getNodeDisplayData(id);
      if (!d || d.hidden) { continue; }
      var v = renderer.framedGraphToViewport(d);
      var distance = Math.hypot(v.x - p.x, v.y - p.y);
      var radius = Math.max(renderer.scaleSize(d.size), minPx / 2);
      if (distance <= radius + k && distance < bestDistance) { best = id; bestDistance = distance; }
    }
    return best;
  };
};
