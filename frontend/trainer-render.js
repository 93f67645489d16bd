// One timeline entry: what happened, each value with why it is there, the checks, the tokens
// decoded with their verdict, PKCE recomputed here with WebCrypto, an attack beside its
// original, and the raw HTTP beside the explanation. textContent only.
import { rawHttp } from "./trainer-http.js";

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function table(headings, rows, className = "trainer-params") {
  const node = el("table", className);
  const head = el("tr");
  for (const heading of headings) head.append(el("th", "", heading));
  node.append(head);
  for (const row of rows) {
    const line = el("tr");
    row.forEach((cell, index) => line.append(el("td", index < 2 || className !== "trainer-params" ? "trainer-value" : "", cell)));
    node.append(line);
  }
  return node;
}

// A check as it was made: "typ: passed · at+jwt", "aud: failed · calendar-bff, not calendar-api",
// "iss: skipped · not checked: signature stopped the token first". The API's checks carry their
// own outcome word; the BFF's own checks (state, iss at the callback) read "ok" or "failed".
export function checkText(item) {
  const word = item.outcome || item.result;
  return `${item.name}: ${word}${item.detail ? ` · ${item.detail}` : ""}`;
}

function checks(items) {
  const list = el("ul", "trainer-checks");
  for (const item of items) {
    const line = el("li", `trainer-${item.result}`);
    line.dataset.result = item.result;
    line.append(el("strong", "", checkText(item)));
    if (item.why) line.append(el("small", "", ` (${item.why})`));
    list.append(line);
  }
  return list;
}

export async function s256(verifier) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  const text = String.fromCharCode(...new Uint8Array(digest));
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function pkce({ verifier, challenge }) {
  const box = el("div", "trainer-pkce");
  box.append(el("h4", "", "PKCE, recomputed in this page (WebCrypto)"));
  box.append(el("p", "", `code_verifier: ${verifier}`));
  const computed = el("p", "", "base64url(SHA-256(code_verifier)) = …");
  const sent = el("p", "", `code_challenge sent to the IdP: ${challenge}`);
  const verdict = el("p", "trainer-pkce-verdict", "computing…");
  box.append(computed, sent, verdict);
  s256(verifier).then((value) => {
    computed.textContent = `base64url(SHA-256(code_verifier)) = ${value}`;
    const match = value === challenge;
    verdict.textContent = match ? "PKCE match: the challenge is the hash of the verifier" : "PKCE mismatch";
    verdict.classList.add(match ? "trainer-ok" : "trainer-failed");
  });
  return box;
}

const TIMES = ["exp", "iat", "nbf", "auth_time"];

// A JWT as jwt.io colours it: header, payload and signature, each its own colour.
function coloured(raw) {
  const code = el("code", "trainer-raw");
  raw.split(".").forEach((part, index, parts) => {
    code.append(el("span", `trainer-jwt-${["header", "payload", "signature"][index] || "extra"}`, part));
    if (index < parts.length - 1) code.append(document.createTextNode("."));
  });
  return code;
}

function times(claims) {
  const list = el("ul", "trainer-times");
  for (const name of TIMES.filter((claim) => typeof claims[claim] === "number")) {
    const line = el("li", "trainer-when");
    line.dataset.epoch = claims[name];
    line.dataset.name = name;
    list.append(line);
  }
  return list;
}

function token(view) {
  const box = el("div", "trainer-token");
  box.append(el("h4", "", view.name));
  box.append(el("p", view.verdict.startsWith("ok") ? "trainer-ok" : "", `verdict: ${view.verdict}`));
  if (view.claims && view.claims.exp) {
    const countdown = el("p", "trainer-countdown");
    countdown.dataset.exp = view.claims.exp;
    box.append(countdown);
  }
  if (view.header) box.append(el("h5", "trainer-jwt-header", "header"), el("pre", "trainer-jwt-header", JSON.stringify(view.header, null, 2)));
  if (view.claims) {
    box.append(el("h5", "trainer-jwt-payload", "payload (claims)"), el("pre", "trainer-jwt-payload", JSON.stringify(view.claims, null, 2)));
    box.append(times(view.claims));
  }
  if (view.raw) {
    const raw = el("details", "trainer-raw-token");
    raw.append(el("summary", "", view.header ? "raw value: header.payload.signature" : "raw value (opaque)"),
      view.header ? coloured(view.raw) : el("code", "trainer-raw", view.raw));
    box.append(raw);
  }
  return box;
}

// What the attack changed, beside the original, and the exact check that refused it.
export function attackDetail(outcome) {
  const box = el("div", "trainer-attack-detail");
  const detail = outcome.detail || {};
  if (detail.stopped_by) {
    const by = detail.stopped_by;
    const line = el("p", "trainer-stopped-by");
    line.append(el("strong", "", `Stopped by the ${by.by}: ${by.check}`));
    if (by.detail) line.append(el("span", "", ` · ${by.detail}`));
    box.append(line);
  }
  if (detail.rows && detail.rows.length) box.append(table(detail.columns || [], detail.rows, "trainer-params trainer-compare"));
  return box;
}

// Where the API's record comes from (the Trainer-Verdict header's "source").
const SOURCES = {
  verified: "verified now, check by check",
  cache: "verified earlier, taken from its cache",
  introspection: "the IdP decided: RFC 7662 introspection",
};

export function renderEvent(event, { open = false } = {}) {
  const item = el("li", `trainer-event trainer-${event.kind}`);
  item.dataset.kind = event.kind;
  item.dataset.seq = event.seq;
  const fold = el("details");
  fold.open = open;
  const when = new Date(event.time * 1000).toLocaleTimeString();
  const summary = el("summary");
  summary.append(el("h3", "", `${event.seq}. ${event.title}`), el("p", "trainer-time", `${when} · ${event.lanes.join(" / ")}`));
  fold.append(summary);
  const body = el("div", "trainer-event-body");
  const explained = el("div", "trainer-explained");
  if (event.explanation) explained.append(el("p", "", event.explanation));
  if (event.url) explained.append(el("p", "trainer-value", event.url));
  const rows = (event.params || []).map((param) => [param.name, param.value, param.why]);
  if (rows.length) explained.append(table(["Parameter", "Value", "Why"], rows));
  if (event.attack) explained.append(attackDetail(event.attack));
  if (event.api_verdict && event.api_verdict.decision) {
    const { source, decision } = event.api_verdict;
    explained.append(el("p", "trainer-api-decision", `The API ${decision} the token (${SOURCES[source] || source}):`));
  }
  if (event.checks) explained.append(checks(event.checks));
  if (event.pkce && event.pkce.verifier && event.pkce.challenge) explained.append(pkce(event.pkce));
  for (const view of event.tokens || []) explained.append(token(view));
  body.append(explained, rawHttp(event.seq, { load: open }));
  fold.append(body);
  item.append(fold);
  return item;
}

function relative(seconds) {
  const size = Math.abs(seconds);
  const text = size < 90 ? `${size} s` : size < 5400 ? `${Math.round(size / 60)} min` : `${Math.round(size / 3600)} h`;
  return seconds > 0 ? `in ${text}` : `${text} ago`;
}

// Expiry countdowns and the readable, relative times of every decoded token, once a second.
export function tickCountdowns(root) {
  const now = Date.now() / 1000;
  for (const node of root.querySelectorAll(".trainer-countdown")) {
    const left = Math.round(Number(node.dataset.exp) - now);
    node.textContent = left > 0 ? `expires in ${left} s` : `expired ${-left} s ago`;
  }
  for (const node of root.querySelectorAll(".trainer-when")) {
    const epoch = Number(node.dataset.epoch);
    const readable = new Date(epoch * 1000).toLocaleString();
    node.textContent = `${node.dataset.name}: ${readable} (${relative(Math.round(epoch - now))})`;
  }
}
