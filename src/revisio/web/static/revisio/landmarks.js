// Draggable landmarks over a photo. Every [x, y] pair found in the landmarks JSON becomes a point
// that can be dragged; lists of points are drawn as lines. Saving sends the corrected JSON.
(function () {
  "use strict";
  var svg = document.getElementById("overlay");
  var data = JSON.parse(document.getElementById("landmarks-data").textContent || "{}");
  var input = document.getElementById("landmarks-input");
  if (!svg || !input) { return; }
  var NS = "http://www.w3.org/2000/svg";
  var box = svg.viewBox.baseVal;
  var radius = Math.max(box.width, box.height) / 160;

  function isPoint(value) {
    return Array.isArray(value) && value.length === 2 && typeof value[0] === "number" && typeof value[1] === "number";
  }
  function isLine(value) {
    return Array.isArray(value) && value.length > 1 && value.every(isPoint);
  }

  var handles = [];
  function draw() {
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    Object.keys(data).forEach(function (key) {
      var value = data[key];
      if (isLine(value)) {
        var line = document.createElementNS(NS, "polyline");
        line.setAttribute("points", value.map(function (p) { return p.join(","); }).join(" "));
        line.setAttribute("class", key === "outline" ? "lm-line closed" : "lm-line");
        svg.appendChild(line);
      }
    });
    handles = [];
    walk(data, [], function (point, path) {
      var dot = document.createElementNS(NS, "circle");
      dot.setAttribute("cx", point[0]);
      dot.setAttribute("cy", point[1]);
      dot.setAttribute("r", radius);
      dot.setAttribute("class", "lm-point");
      dot.setAttribute("data-path", JSON.stringify(path));
      var title = document.createElementNS(NS, "title");
      title.textContent = path.filter(function (p) { return typeof p === "string"; }).join(" ").replace(/_/g, " ");
      dot.appendChild(title);
      svg.appendChild(dot);
      handles.push(dot);
    });
    input.value = JSON.stringify(data);
  }

  function walk(value, path, visit) {
    if (isPoint(value)) { visit(value, path); return; }
    if (Array.isArray(value)) { value.forEach(function (item, i) { walk(item, path.concat([i]), visit); }); return; }
    if (value && typeof value === "object") {
      Object.keys(value).forEach(function (key) { walk(value[key], path.concat([key]), visit); });
    }
  }

  function pointAt(path) {
    return path.reduce(function (node, step) { return node[step]; }, data);
  }

  function toImage(event) {
    var p = svg.createSVGPoint();
    p.x = event.clientX; p.y = event.clientY;
    return p.matrixTransform(svg.getScreenCTM().inverse());
  }

  var dragging = null;
  svg.addEventListener("pointerdown", function (event) {
    if (event.target.classList.contains("lm-point")) {
      dragging = JSON.parse(event.target.getAttribute("data-path"));
      svg.setPointerCapture(event.pointerId);
      event.preventDefault();
    }
  });
  svg.addEventListener("pointermove", function (event) {
    if (!dragging) { return; }
    var at = toImage(event);
    var point = pointAt(dragging);
    point[0] = Math.round(Math.min(Math.max(at.x, 0), box.width) * 10) / 10;
    point[1] = Math.round(Math.min(Math.max(at.y, 0), box.height) * 10) / 10;
    draw();
  });
  ["pointerup", "pointercancel"].forEach(function (name) {
    svg.addEventListener(name, function () { dragging = null; });
  });
  draw();
})();
