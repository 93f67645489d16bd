// The hand-out: this run as one self-contained HTML file (diagram, steps, decoded tokens) that
// students keep. Raw token values, revealed tokens and controls are left out; styles are inlined.

function redacted(root) {
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
