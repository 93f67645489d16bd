// Step-by-step mode in the SPA: before an API call the BFF marks as worth a pause (the first
// call of a session, a call that will refresh), show what is about to happen and wait for Next.
// It installs itself around the page's fetch: bff.js knows nothing of it.
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

// While a call is held, the calendar behind the dialog must not claim "No events yet.": it
// says the events are on their way instead (app.js renders the real list when the call ends).
function waiting(on) {
  document.body.classList.toggle("trainer-waiting", on);
  const list = document.getElementById("events");
  if (on && list && !document.getElementById("trainer-waiting-note")) {
    const note = document.createElement("p");
    note.id = "trainer-waiting-note";
    note.textContent = "Your events load after Next: step-by-step mode is holding this API call.";
    list.before(note);
  } else if (!on) {
    document.getElementById("trainer-waiting-note")?.remove();
  }
}

const isApiCall = (input) => new URL(input instanceof Request ? input.url : String(input),
  window.location.href).pathname.startsWith("/api/");

// Gates the SPA's /api/ calls one at a time, in order: whether the next call is worth a pause
// depends on what the previous one did (the first call, a call that will refresh).
export function installGate(dialog) {
  const fetchNow = window.fetch.bind(window);
  let queue = Promise.resolve();
  window.fetch = (input, init) => {
    if (!isApiCall(input)) return fetchNow(input, init);
    const send = () => fetchNow(input, init);
    const run = queue.then(async () => {
      const { pause } = await trainerApi.nextCall().catch(() => ({ pause: null }));
      if (!pause) return send();
      waiting(true);
      await ask(dialog, pause);
      return send().finally(() => waiting(false));
    });
    queue = run.catch(() => undefined);
    return run;
  };
}
