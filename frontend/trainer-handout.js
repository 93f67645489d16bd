// The hand-out: this run as one self-contained HTML file (diagram, steps, decoded tokens) that
// students keep. Raw token values, revealed tokens and controls are left out; styles are inlined.

// Parameters whose values are credentials: in the hand-out their rows keep the name, not the value.
const CREDENTIALS = new Set(["code", "code_verifier", "access_token", "id_token", "refresh_token",
  "token", "logout_token", "id_token_hint"]);

function redactRows(root) {
  for (const row of root.querySelectorAll(".trainer-params tr")) {
    const [name, ...values] = row.querySelectorAll("td");
    if (!name || !CREDENTIALS.has(name.textContent.trim())) continue;
    const cells = row.closest(".trainer-compare") ? values : values.slice(0, 1);
    for (const cell of cells) cell.textContent = "[redacted]";
  }
  for (const box of root.querySelectorAll(".trainer-pkce")) {
    for (const line of box.querySelectorAll("p")) {
      if (line.textContent.startsWith("code_verifier:")) line.textContent = "code_verifier: [redacted]";
    }
  }
}

function redacted(root) {
  redactRows(root);
  for (const node of root.querySelectorAll(".trainer-raw, .trainer-mask")) {
    const span = document.createElement("span");
    span.textContent = "[redacted]";
    node.replaceWith(span);
  }
  for (const node of root.querySelectorAll("button, input, label, .trainer-controls, .trainer-attack-buttons, dialog")) {
    node.remove();
  }
  for (const node of root.querySelectorAll("details")) node.open = true;
  return root;
}

async function styles() {
  const sheets = await Promise.all(["/style.css", "/trainer.css"].map(
    (url) => fetch(url).then((answer) => (answer.ok ? answer.text() : "")).catch(() => "")));
  return sheets.join("\n").replace(/<\/style/gi, "<\\/style");
}

export async function handout(section) {
  const copy = redacted(section.cloneNode(true));
  copy.removeAttribute("id");
  const stamp = new Date();
  const title = `OAuth 2.0 and OpenID Connect, step by step (${stamp.toLocaleString()})`;
  const page = [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title.replace(/[<&]/g, "")}</title>`,
    `<style>${await styles()}</style></head>`,
    '<body class="trainer-handout"><main>',
    `<p class="trainer-note">Hand-out of a trainer-mode run. Tokens and secrets are redacted; header and claims are shown decoded.</p>`,
    copy.outerHTML,
    "</main></body></html>",
  ].join("\n");
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([page], { type: "text/html" }));
  link.download = `oauth-lesson-${stamp.toISOString().slice(0, 16).replace(/[:T]/g, "-")}.html`;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
