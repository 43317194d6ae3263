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
