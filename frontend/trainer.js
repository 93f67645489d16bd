// Trainer mode's view (docs/trainer.md). app.js loads this module only when the BFF says the
// mode is on. Every value shown comes from the BFF's recording of this browser session. Whether
// the projector view is on is kept in the page's address (?projector=1), so a reload or a
// bookmark keeps it; nothing is put in the browser's storage.
import * as trainerApi from "./trainer-api.js";
import { drawDiagram } from "./trainer-diagram.js";
import { installGate } from "./trainer-gate.js";
import { handout } from "./trainer-handout.js";
import { attackDetail, checkText, renderEvent, tickCountdowns } from "./trainer-render.js";

const ATTACKS = [
  ["csrf", "Cross-site call without X-CSRF"],
  ["code-replay", "Replay the used code (kills this session's refresh token)"],
  ["wrong-verifier", "Wrong PKCE verifier (runs a new sign-in)"],
  ["id-token-to-api", "ID token to the API (another audience)"],
  ["tampered-token", "Tampered access token"],
  ["open-redirect", "Open-redirect returnTo"],
];
const POLL_MS = 1000;
const PROJECTOR = "trainer-projector";

const projectorWanted = () => new URLSearchParams(window.location.search).get("projector") === "1";

function rememberProjector(on) {
  const url = new URL(window.location.href);
  if (on) url.searchParams.set("projector", "1");
  else url.searchParams.delete("projector");
  window.history.replaceState(null, "", url);
}

function el(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(label, onClick) {
  const node = el("button", { type: "button" }, label);
  node.addEventListener("click", onClick);
  return node;
}

function toggle(id, label, checked, onChange) {
  const box = el("input", { type: "checkbox", id });
  box.checked = checked;
  box.addEventListener("change", () => onChange(box.checked));
  const node = el("label", { for: id, class: "trainer-toggle" });
  node.append(box, document.createTextNode(` ${label}`));
  return node;
}

function banner() {
  const note = el("p", { class: "trainer-banner", role: "note" });
  note.append(el("strong", {}, "Trainer mode"), document.createTextNode(
    " · every step of this session is recorded and explained; tokens are shown. Never run it in production."));
  return note;
}

function showAttack(results, outcome) {
  const item = el("li", { class: outcome.stopped ? "trainer-ok" : "trainer-failed", "data-attack": outcome.attack });
  const answer = outcome.answer || {};
  item.append(el("strong", {}, `${outcome.stopped ? "Stopped" : "Not stopped"}: ${outcome.title}`));
  item.append(el("p", {}, `Defence answered ${answer.status} ${answer.error || ""} ${answer.error_description || ""}`));
  if (answer.checks && answer.checks.length) {
    const line = el("p", { class: "trainer-verdict" }, "API verdict: ");
    answer.checks.forEach((check, index) => {
      if (index) line.append(document.createTextNode(" · "));
      line.append(el("span", { class: `trainer-${check.result}`, "data-result": check.result }, checkText(check)));
    });
    item.append(line);
  }
  item.append(attackDetail(outcome));
  item.append(el("p", {}, outcome.explanation), el("p", { class: "trainer-standard" }, `Standard: ${outcome.standard}`));
  results.prepend(item);
}

function attacks(say) {
  const box = el("div", { class: "trainer-attacks" });
  const buttons = el("div", { class: "trainer-attack-buttons" });
  const results = el("ul", { id: "trainer-attack-results" });
  box.append(el("h3", {}, "Attacks (the defences stay on)"), buttons, results);
  for (const [name, label] of ATTACKS) {
    buttons.append(button(label, async () => {
      try {
        const outcome = await trainerApi.attack(name);
        if (outcome.armed) window.location.assign(outcome.next);
        else if (outcome.stopped === null) say(outcome.explanation);
        else showAttack(results, outcome);
      } catch (error) {
        say(error.message);
      }
    }));
  }
  return box;
}

export async function mount() {
  const state = await trainerApi.status();
  document.head.append(el("link", { rel: "stylesheet", href: "/trainer.css" }));
  const top = banner();
  document.body.prepend(top);
  const dialog = el("dialog", { id: "trainer-dialog" });
  const note = el("p", { class: "trainer-note", role: "status" });
  const say = (text) => { note.textContent = text; };
  const diagram = el("div", { class: "trainer-diagram" });
  const current = el("div", { id: "trainer-current" });
  const list = el("ol", { id: "trainer-timeline" });
  const section = el("section", { id: "trainer", class: "card trainer" });
  let events = [];
  let lastSeq = 0;

  const redraw = () => drawDiagram(diagram, state.lanes, events);
  function showNewest() {
    const newest = events[events.length - 1];
    current.replaceChildren(newest ? renderEvent(newest, { open: true }) : el("p", {}, "No step recorded yet."));
  }
  function project(on) {
    rememberProjector(on);
    document.body.classList.toggle(PROJECTOR, on);
    // On a projector the flow view comes first, right under the banner, above the calendar.
    if (on) top.after(section);
    else document.body.insertBefore(section, dialog.isConnected ? dialog : null);
    redraw();
    if (on) window.scrollTo(0, 0);
  }
  async function clear() {
    await trainerApi.clearTimeline();
    events = [];
    list.replaceChildren();
    document.getElementById("trainer-attack-results")?.replaceChildren();
    showNewest();
    redraw();
    say("Timeline cleared.");
  }
  const act = (label, action, done) => button(label, () => action().then(() => done && say(done)).catch((e) => say(e.message)));
  const controls = el("div", { class: "trainer-controls" });
  controls.append(
    toggle("trainer-step", "Step-by-step mode", Boolean(state.step_mode),
      (on) => trainerApi.setStepMode(on).catch((e) => say(e.message))),
    toggle("trainer-projector", "Projector view", projectorWanted(), project),
    act("Expire access token now", trainerApi.expireNow, "Access token marked as expired: the next API call refreshes it."),
    act("Run the reminder job once", trainerApi.runReminderJob, "Reminder job ran: see its lane."),
    act("Clear timeline", clear),
    act("Export hand-out", () => handout(section), "Hand-out saved: one HTML file, tokens redacted."),
  );
  const stage = el("div", { class: "trainer-stage" });
  const drawingBox = el("div", { class: "trainer-drawing" });
  drawingBox.append(el("h3", {}, "Sequence diagram"), diagram);
  const currentBox = el("div", { class: "trainer-current-box" });
  currentBox.append(el("h3", {}, "Current step"), current);
  stage.append(drawingBox, currentBox);
  section.append(el("h2", {}, "Flow view"), controls, note, attacks(say), stage,
    el("h3", {}, "Timeline (newest first)"), list);
  document.body.append(section, dialog);
  project(projectorWanted());
  showNewest();
  installGate(dialog);
  if (window.location.hash === "#trainer") section.scrollIntoView();
  window.addEventListener("resize", redraw);

  async function poll() {
    try {
      const { events: fresh } = await trainerApi.timeline(lastSeq);
      if (fresh.length) {
        events.push(...fresh);
        lastSeq = fresh[fresh.length - 1].seq;
        for (const event of fresh) list.prepend(renderEvent(event));
        showNewest();
        redraw();
      }
    } catch (error) {
      say(error.message);
    }
    window.setTimeout(poll, POLL_MS);
  }
  poll();
  window.setInterval(() => tickCountdowns(section), 1000);
}
