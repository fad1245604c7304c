/* The dialogue designer's map (console): drag from a branch's round handle onto another
 * card to make that branch lead there. It sets the branch's select in the card's form and
 * submits that form, exactly as choosing in the select and pressing Save would; the page
 * works without this script (the forms below the map). */
(function () {
  "use strict";
  var svg = document.getElementById("flow");
  if (!svg) return;
  document.documentElement.classList.add("designer-js");
  var NS = "http://www.w3.org/2000/svg";
  // After a refusal, the map scrolls (inside its box) to the card at fault.
  var fault = svg.querySelector("a.node.fault rect");
  if (fault && svg.parentNode) {
    svg.parentNode.scrollLeft = Math.max(0, fault.x.baseVal.value - 60);
    svg.parentNode.scrollTop = Math.max(0, fault.y.baseVal.value - 40);
  }
  var drag = null;

  function point(ev) {
    var p = svg.createSVGPoint();
    p.x = ev.clientX;
    p.y = ev.clientY;
    return p.matrixTransform(svg.getScreenCTM().inverse());
  }

  function nodeAt(ev) {
    var el = document.elementFromPoint(ev.clientX, ev.clientY);
    var node = el && el.closest ? el.closest("a.node") : null;
    return node && svg.contains(node) ? node : null;
  }

  function clearTarget() {
    Array.prototype.forEach.call(svg.querySelectorAll("a.node.drop-target"), function (n) {
      n.classList.remove("drop-target");
    });
  }

  svg.addEventListener("pointerdown", function (ev) {
    var port = ev.target.closest ? ev.target.closest(".port") : null;
    if (!port || ev.button !== 0) return;
    var select = document.getElementById(port.getAttribute("data-select"));
    if (!select) return;
    ev.preventDefault();
    var circle = port.querySelector("circle");
    var line = document.createElementNS(NS, "line");
    line.setAttribute("class", "drag-line");
    line.setAttribute("x1", circle.getAttribute("cx"));
    line.setAttribute("y1", circle.getAttribute("cy"));
    line.setAttribute("x2", circle.getAttribute("cx"));
    line.setAttribute("y2", circle.getAttribute("cy"));
    line.setAttribute("stroke", "#1f5fbf");
    line.setAttribute("stroke-width", "2.5");
    line.setAttribute("stroke-dasharray", "5 4");
    line.setAttribute("pointer-events", "none");
    svg.appendChild(line);
    drag = { port: port, select: select, line: line, from: port.getAttribute("data-card") };
    if (svg.setPointerCapture && ev.pointerId !== undefined) {
      try { svg.setPointerCapture(ev.pointerId); } catch (e) { /* a synthetic pointer */ }
    }
  });

  svg.addEventListener("pointermove", function (ev) {
    if (!drag) return;
    var p = point(ev);
    drag.line.setAttribute("x2", p.x);
    drag.line.setAttribute("y2", p.y);
    clearTarget();
    var node = nodeAt(ev);
    if (node && node.getAttribute("data-card") !== drag.from) node.classList.add("drop-target");
  });

  function finish(ev, cancelled) {
    if (!drag) return;
    var d = drag;
    drag = null;
    d.line.remove();
    clearTarget();
    if (cancelled) return;
    var node = nodeAt(ev);
    if (!node) return;
    var to = node.getAttribute("data-card");
    if (to === d.from) return;
    var option = Array.prototype.find.call(d.select.options, function (o) { return o.value === to; });
    if (!option || d.select.value === to) return;
    d.select.value = to;
    var form = d.select.form;
    svg.classList.add("saving");
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }

  svg.addEventListener("pointerup", function (ev) { finish(ev, false); });
  svg.addEventListener("pointercancel", function (ev) { finish(ev, true); });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && drag) finish(ev, true);
  });
  // A click on a handle (no drag) goes to the select it stands for, for keyboards too.
  Array.prototype.forEach.call(svg.querySelectorAll(".port"), function (port) {
    port.addEventListener("click", function () {
      var select = document.getElementById(port.getAttribute("data-select"));
      if (select) select.focus();
    });
  });
})();
