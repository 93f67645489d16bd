// The sequence diagram, drawn from the recorded events with DOM APIs: one column per lane,
// one arrow per message, numbered by the timeline entry it belongs to.
const SVG = "http://www.w3.org/2000/svg";
const COLUMN = 150;
const ROW = 26;
const TOP = 40;

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

export function drawDiagram(root, lanes, events) {
  const messages = events.flatMap((event) => (event.arrows || []).map((arrow) => ({ event, arrow })));
  const width = COLUMN * lanes.length;
  const height = TOP + ROW * (messages.length + 1);
  const x = (lane) => COLUMN / 2 + COLUMN * Math.max(0, lanes.indexOf(lane));
  const drawing = svg("svg", {
    width, height, viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": "Sequence diagram",
  });
  drawing.append(arrowHead());
  for (const lane of lanes) {
    drawing.append(svg("text", { x: x(lane), y: 18, class: "trainer-lane", "text-anchor": "middle" }, lane));
    drawing.append(svg("line", { x1: x(lane), y1: 26, x2: x(lane), y2: height, class: "trainer-lifeline" }));
  }
  messages.forEach(({ event, arrow: [from, to, label] }, index) => {
    const y = TOP + ROW * (index + 1);
    const group = svg("g", { class: `trainer-message trainer-${event.kind}` });
    if (from === to) {
      group.append(svg("circle", { cx: x(from), cy: y, r: 4 }));
    } else {
      group.append(svg("line", { x1: x(from), y1: y, x2: x(to), y2: y, "marker-end": "url(#trainer-arrow)" }));
    }
    const middle = (x(from) + x(to)) / 2;
    group.append(svg("text", { x: middle, y: y - 5, "text-anchor": "middle" }, `${event.seq}: ${label}`));
    drawing.append(group);
  });
  root.replaceChildren(drawing);
}
