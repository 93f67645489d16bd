// Renders the calendar. All data comes through bff.js; text is set with textContent only.
import * as bff from "./bff.js";

const $ = (id) => document.getElementById(id);
const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

function show(id, visible) {
  $(id).hidden = !visible;
}

function say(text) {
  $("message").textContent = text || "";
  show("message", Boolean(text));
}

// Was this page signed in? Then a 401 means the session ended while the page was open.
let signedIn = false;
const SESSIONS_POLL_MS = 15_000;

function renderSignedOut() {
  if (signedIn) {
    signedIn = false;
    say("Your session has ended: it was ended from another browser or at the identity provider, "
      + "or it expired. Sign in again to continue; an event you were adding is kept.");
  }
  $("who").textContent = "";
  show("sign-in", true);
  show("sign-out", false);
  show("signed-out", true);
  show("calendar", false);
  show("sessions", false);
}

function renderSessions(sessions) {
  const list = $("session-list");
  list.replaceChildren();
  for (const session of sessions) {
    const item = document.createElement("li");
    const device = document.createElement("strong");
    device.textContent = session.current ? "This browser" : describeDevice(session.device);
    const when = document.createElement("span");
    const seen = timeFormat.format(new Date(session.last_seen * 1000));
    when.textContent = `signed in ${timeFormat.format(new Date(session.created_at * 1000))}, last seen ${seen}`;
    item.append(device, when);
    if (!session.current) {
      const end = document.createElement("button");
      end.type = "button";
      end.textContent = "End session";
      end.addEventListener("click", () => guarded(async () => {
        await bff.endSession(session.id);
        await refresh();
      }));
      item.append(end);
    }
    list.append(item);
  }
}

function describeDevice(userAgent) {
  const browser = /(Firefox|Edg|Chrome|Safari)\/[\d.]+/.exec(userAgent || "");
  return browser ? `${browser[1].replace("Edg", "Edge")} browser` : userAgent || "Unknown device";
}

function renderEvents(events) {
  const list = $("events");
  list.replaceChildren();
  for (const event of events) {
    const item = document.createElement("li");
    const title = document.createElement("strong");
    title.textContent = event.title;
    const when = document.createElement("span");
    when.textContent = `${timeFormat.format(new Date(event.start))} – ${timeFormat.format(new Date(event.end))}`;
    if (event.location) when.textContent += ` · ${event.location}`;
    const remove = document.createElement("button");
    remove.type = "button";
    remove.textContent = "Delete";
    remove.setAttribute("aria-label", `Delete ${event.title}`);
    remove.addEventListener("click", () => guarded(async () => {
      await bff.deleteEvent(event.id);
      await refresh();
    }));
    item.append(title, when, remove);
    list.append(item);
  }
  show("empty", events.length === 0);
}

async function refresh() {
  const user = await bff.currentUser();
  signedIn = true;
  $("who").textContent = `Signed in as ${user.claims.name || user.claims.preferred_username || user.claims.sub}`;
  show("sign-in", false);
  show("sign-out", true);
  show("signed-out", false);
  show("calendar", true);
  show("sessions", true);
  const [events, sessions] = await Promise.all([bff.listEvents(), bff.listSessions()]);
  renderEvents(events);
  renderSessions(sessions);
}

// Every user action goes through here: a lost session shows the signed-out view, other errors a message.
async function guarded(action) {
  say("");
  try {
    await action();
  } catch (error) {
    if (error instanceof bff.SignedOut) renderSignedOut();
    else say(error.message);
  }
}

// Signing in again keeps an unsaved event: it rides along in the return path (kept by the BFF,
// never sent to the IdP) and fills the form again when the page comes back.
const DRAFT_FIELDS = ["title", "start", "end", "location"];

function draft() {
  const form = new FormData($("add-event"));
  const fields = DRAFT_FIELDS.map((name) => [name, form.get(name) || ""]);
  return fields.some(([, value]) => value) ? new URLSearchParams(fields).toString() : "";
}

function restoreDraft() {
  const params = new URLSearchParams(window.location.search);
  if (!params.has("draft")) return;
  const saved = new URLSearchParams(params.get("draft"));
  for (const name of DRAFT_FIELDS) $("add-event").elements[name].value = saved.get(name) || "";
  const url = new URL(window.location.href);
  url.searchParams.delete("draft");
  window.history.replaceState(null, "", url);
  say("Your unsaved event is back in the form: check it and add it.");
}

$("sign-in").addEventListener("click", () => {
  const unsaved = draft();
  bff.signIn(unsaved ? `/?draft=${encodeURIComponent(unsaved)}` : undefined);
});
$("sign-out").addEventListener("click", () => guarded(bff.signOut));
$("add-event").addEventListener("submit", (submit) => {
  submit.preventDefault();
  const form = new FormData(submit.target);
  guarded(async () => {
    const location = form.get("location").trim();
    await bff.addEvent({
      title: form.get("title"),
      start: new Date(form.get("start")).toISOString(),
      end: new Date(form.get("end")).toISOString(),
      ...(location ? { location } : {}),  // optional: left out when empty
    });
    submit.target.reset();
    await refresh();
  });
});

// Trainer mode (docs/trainer.md): its view is loaded only when the BFF says the mode is on;
// with it off the status endpoint does not exist and nothing of the trainer is loaded.
guarded(async () => {
  const state = await bff.pageState();
  if (state.trainer_mode) await (await import("./trainer.js")).mount();
  if (!state.signed_in) return renderSignedOut();
  await refresh();
  restoreDraft();
});

// The sessions list keeps itself current (a session ended elsewhere, a new sign-in), and a
// session that ended while this page was open is noticed without waiting for a click.
async function poll() {
  if (!signedIn || document.hidden) return;
  try {
    renderSessions(await bff.listSessions());
  } catch (error) {
    if (error instanceof bff.SignedOut) renderSignedOut();
  }
}
setInterval(poll, SESSIONS_POLL_MS);
document.addEventListener("visibilitychange", poll);
