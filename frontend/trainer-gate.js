// Step-by-step mode in the SPA: before an API call the BFF marks as worth a pause (the first
// call of a session, a call that will refresh), show what is about to happen and wait for Next.
import * as trainerApi from "./trainer-api.js";

function ask(dialog, pause) {
  dialog.replaceChildren();
  const title = document.createElement("h2");
  title.textContent = pause.title;
  const why = document.createElement("p");
  why.textContent = pause.why;
  const next = document.createElement("button");
  next.type = "button";
  next.textContent = "Next";
  dialog.append(title, why, next);
  dialog.showModal();
  return new Promise((resolve) => next.addEventListener("click", () => {
    dialog.close();
    resolve();
  }, { once: true }));
}

// Wraps window.fetch once: only calls to /api/ are gated, one at a time, in order.
export function installGate(dialog) {
  const realFetch = window.fetch.bind(window);
  let queue = Promise.resolve();
  window.fetch = (input, init) => {
    const url = new URL(typeof input === "string" ? input : input.url, window.location.href);
    if (!url.pathname.startsWith("/api/")) return realFetch(input, init);
    const run = queue.then(async () => {
      const { pause } = await trainerApi.nextCall().catch(() => ({ pause: null }));
      if (pause) await ask(dialog, pause);
      return realFetch(input, init);
    });
    queue = run.catch(() => undefined);
    return run;
  };
}
