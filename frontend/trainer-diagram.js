// The sequence diagram, drawn from the recorded events with DOM APIs: one column per lane,
// one arrow per message, numbered by the timeline entry it belongs to. It is as wide as its
// box (no scaling, so the text is exactly the CSS font size) and its lane headers are an HTML
// row that stays at the top of the scrolling box.
const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attributes, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

function arrowHead() {
  const defs = svg("defs", {});
  const marker = svg("marker", {
    id: "trainer-arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto",
  });
  marker.append(svg("path", { d: "M 0 0 L 10 5 L 0 10 z", class: "trainer-arrow-head" }));
  defs.append(marker);
  return defs;
}

function laneHeaders(lanes) {
  const row = document.createElement("div");
  row.className = "trainer-lanes";
  row.style.gridTemplateColumns = `repeat(${lanes.length}, 1fr)`;
  for (const lane of lanes) {
    const name = document.createElement("span");
    name.className = "trainer-lane";
    name.textContent = lane;
    row.append(name);
  }
  return row;
}

// Keeps a label inside the drawing: long labels near the edge move inwards instead of clipping.
function keepInside(text, middle, width) {
  const half = text.getComputedTextLength() / 2 + 4;
  text.setAttribute("x", String(Math.min(Math.max(middle, half), Math.max(half, width - half))));
}

export function drawDiagram(root, lanes, events) {
  const width = Math.max(root.clientWidth - 2, 320);
  const font = parseFloat(getComputedStyle(root).fontSize) || 14;
  const row = Math.round(font * 2.1);
  const column = width / lanes.length;
  const messages = events.flatMap((event) => (event.arrows || []).map((arrow) => ({ event, arrow })));
  const height = row * (messages.length + 1);
  const x = (lane) => column / 2 + column * Math.max(0, lanes.indexOf(lane));
  const drawing = svg("svg", {
    width, height, viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": "Sequence diagram",
  });
  drawing.append(arrowHead());
  for (const lane of lanes) {
    drawing.append(svg("line", { x1: x(lane), y1: 0, x2: x(lane), y2: height, class: "trainer-lifeline" }));
  }
  const labels = [];
  messages.forEach(({ event, arrow: [from, to, label] }, index) => {
    const y = row * (index + 1);
    const group = svg("g", { class: `trainer-message trainer-${event.kind}` });
    if (from === to) {
      group.append(svg("circle", { cx: x(from), cy: y, r: 4 }));
    } else {
      group.append(svg("line", { x1: x(from), y1: y, x2: x(to), y2: y, "marker-end": "url(#trainer-arrow)" }));
    }
    const middle = (x(from) + x(to)) / 2;
    const text = svg("text", { x: middle, y: y - font * 0.35, "text-anchor": "middle" }, `${event.seq}: ${label}`);
    group.append(text);
    labels.push([text, middle]);
    drawing.append(group);
  });
  root.replaceChildren(laneHeaders(lanes), drawing);
  for (const [text, middle] of labels) keepInside(text, middle, width);
  root.scrollTop = root.scrollHeight; // the newest message in view; the headers stay on top
}
