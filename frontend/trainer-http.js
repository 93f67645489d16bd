// Raw HTTP of one timeline entry, as it went over the wire: request line, headers, body, and
// the answer. The BFF already removed client secrets and cookies; tokens are hidden here until
// the trainer reveals one, and only that one.
import * as trainerApi from "./trainer-api.js";

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

// A button standing for one token; clicking shows that token, clicking again hides it.
function masked(token) {
  const button = el("button", "trainer-mask", `[${token.name}: hidden, click to reveal]`);
  button.type = "button";
  button.dataset.token = token.name;
  button.addEventListener("click", () => {
    const shown = button.classList.toggle("trainer-revealed");
    button.textContent = shown ? token.value : `[${token.name}: hidden, click to reveal]`;
  });
  return button;
}

// The text with every occurrence of a token replaced by its mask, longest tokens first.
function withMasks(pre, text, tokens) {
  const sorted = [...tokens].sort((a, b) => b.value.length - a.value.length);
  let rest = text;
  while (rest) {
    let first = null;
    for (const token of sorted) {
      const at = rest.indexOf(token.value);
      if (at >= 0 && (!first || at < first.at)) first = { at, token };
    }
    if (!first) break;
    pre.append(document.createTextNode(rest.slice(0, first.at)), masked(first.token));
    rest = rest.slice(first.at + first.token.value.length);
  }
  pre.append(document.createTextNode(rest));
}

function message(start, headers, body) {
  const lines = [start, ...headers.map(([name, value]) => `${name}: ${value}`)];
  return `${lines.join("\n")}\n\n${body || ""}`;
}

function exchangeView(exchange) {
  const box = el("div", "trainer-exchange");
  const request = exchange.request;
  const url = new URL(request.url);
  const headers = request.headers.some(([name]) => name.toLowerCase() === "host")
    ? request.headers : [["Host", url.host], ...request.headers];
  box.append(el("h5", "", `${exchange.from} → ${exchange.to}`));
  const sent = el("pre", "trainer-wire trainer-wire-request");
  withMasks(sent, message(`${request.method} ${url.pathname}${url.search} HTTP/1.1`, headers, request.body), exchange.tokens);
  const answer = exchange.response;
  const got = el("pre", "trainer-wire trainer-wire-response");
  withMasks(got, message(`HTTP/1.1 ${answer.status}`, answer.headers, answer.body), exchange.tokens);
  box.append(sent, el("h5", "", `${exchange.to} → ${exchange.from}`), got);
  return box;
}

export function rawHttp(seq, { load = false } = {}) {
  const box = el("section", "trainer-http");
  const show = el("button", "trainer-http-show", "Show raw HTTP");
  show.type = "button";
  const wire = el("div", "trainer-http-exchanges");
  box.append(el("h4", "", "Raw HTTP (tokens hidden; secrets and cookies removed by the BFF)"), show, wire);
  async function fill() {
    try {
      const { exchanges } = await trainerApi.rawHttp(seq);
      wire.replaceChildren(...(exchanges.length
        ? exchanges.map(exchangeView) : [el("p", "", "No HTTP exchange recorded for this step.")]));
      show.textContent = "Reload raw HTTP";
    } catch (error) {
      wire.replaceChildren(el("p", "", error.message));
    }
  }
  show.addEventListener("click", fill);
  if (load) fill();
  return box;
}
