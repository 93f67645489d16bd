// One timeline entry: what happened, each value with why it is there, the checks, the tokens
// decoded with their verdict, and PKCE recomputed here with WebCrypto. textContent only.

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function table(headings, rows) {
  const node = el("table", "trainer-params");
  const head = el("tr");
  for (const heading of headings) head.append(el("th", "", heading));
  node.append(head);
  for (const row of rows) {
    const line = el("tr");
    row.forEach((cell, index) => line.append(el("td", index < 2 ? "trainer-value" : "", cell)));
    node.append(line);
  }
  return node;
}

function checks(items) {
  const list = el("ul", "trainer-checks");
  for (const item of items) {
    const line = el("li", item.result === "ok" ? "trainer-ok" : "trainer-failed");
    line.append(el("strong", "", `${item.name}: ${item.result}`), el("span", "", ` ${item.detail || ""}`));
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

function token(view) {
  const box = el("div", "trainer-token");
  box.append(el("h4", "", view.name));
  box.append(el("p", view.verdict.startsWith("ok") ? "trainer-ok" : "", `verdict: ${view.verdict}`));
  if (view.claims && view.claims.exp) {
    const countdown = el("p", "trainer-countdown");
    countdown.dataset.exp = view.claims.exp;
    box.append(countdown);
  }
  if (view.header) box.append(el("h5", "", "header"), el("pre", "", JSON.stringify(view.header, null, 2)));
  if (view.claims) box.append(el("h5", "", "claims"), el("pre", "", JSON.stringify(view.claims, null, 2)));
  if (view.raw) {
    const raw = el("details");
    raw.append(el("summary", "", "raw value"), el("code", "trainer-raw", view.raw));
    box.append(raw);
  }
  return box;
}

export function renderEvent(event) {
  const item = el("li", `trainer-event trainer-${event.kind}`);
  item.dataset.kind = event.kind;
  const when = new Date(event.time * 1000).toLocaleTimeString();
  item.append(el("h3", "", `${event.seq}. ${event.title}`));
  item.append(el("p", "trainer-time", `${when} · ${event.lanes.join(" / ")}`));
  if (event.explanation) item.append(el("p", "", event.explanation));
  if (event.url) item.append(el("p", "trainer-value", event.url));
  const rows = (event.params || []).map((param) => [param.name, param.value, param.why]);
  if (rows.length) item.append(table(["Parameter", "Value", "Why"], rows));
  if (event.checks) item.append(checks(event.checks));
  if (event.pkce && event.pkce.verifier && event.pkce.challenge) item.append(pkce(event.pkce));
  for (const view of event.tokens || []) item.append(token(view));
  return item;
}

// Expiry countdowns of every decoded token, updated once a second.
export function tickCountdowns(root) {
  const now = Date.now() / 1000;
  for (const node of root.querySelectorAll(".trainer-countdown")) {
    const left = Math.round(Number(node.dataset.exp) - now);
    node.textContent = left > 0 ? `expires in ${left} s` : `expired ${-left} s ago`;
  }
}
