// Trainer mode's view (docs/trainer.md). app.js loads this module only when the BFF says the
// mode is on. Every value shown comes from the BFF's recording of this browser session.
import * as trainerApi from "./trainer-api.js";
import { drawDiagram } from "./trainer-diagram.js";
import { installGate } from "./trainer-gate.js";
import { renderEvent, tickCountdowns } from "./trainer-render.js";

const ATTACKS = [
  ["csrf", "Cross-site call without X-CSRF"],
  ["code-replay", "Replay the used code (kills this session's refresh token)"],
  ["wrong-verifier", "Wrong PKCE verifier (runs a new sign-in)"],
  ["id-token-to-api", "ID token to the API (another audience)"],
  ["tampered-token", "Tampered access token"],
  ["open-redirect", "Open-redirect returnTo"],
];
const POLL_MS = 1000;

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
  if (answer.verdict) {
    const checks = Object.entries(JSON.parse(answer.verdict)).map(([name, value]) => `${name}: ${value}`);
    item.append(el("p", { class: "trainer-verdict" }, `API verdict: ${checks.join(" · ")}`));
  }
  item.append(el("p", {}, outcome.explanation), el("p", { class: "trainer-standard" }, `Standard: ${outcome.standard}`));
  results.prepend(item);
}

function controls(state, say) {
  const box = el("div", { class: "trainer-controls" });
  const step = el("input", { type: "checkbox", id: "trainer-step" });
  step.checked = Boolean(state.step_mode);
  step.addEventListener("change", () => trainerApi.setStepMode(step.checked).catch((e) => say(e.message)));
  const label = el("label", { for: "trainer-step", class: "trainer-toggle" });
  label.append(step, document.createTextNode(" Step-by-step mode"));
  const act = (label, action, done) => button(label, () => action().then(() => say(done)).catch((e) => say(e.message)));
  box.append(
    label,
    act("Expire access token now", trainerApi.expireNow, "Access token marked as expired: the next API call refreshes it."),
    act("Run the reminder job once", trainerApi.runReminderJob, "Reminder job ran: see its lane."),
  );
  return box;
}

function attacks(say) {
  const box = el("div", { class: "trainer-attacks" });
  const results = el("ul", { id: "trainer-attack-results" });
  box.append(el("h3", {}, "Attacks (the defences stay on)"));
  for (const [name, label] of ATTACKS) {
    box.append(button(label, async () => {
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
  box.append(results);
  return box;
}

export function mount(state) {
  document.head.append(el("link", { rel: "stylesheet", href: "/trainer.css" }));
  document.body.prepend(banner());
  const dialog = el("dialog", { id: "trainer-dialog" });
  const note = el("p", { class: "trainer-note", role: "status" });
  const say = (text) => { note.textContent = text; };
  const diagram = el("div", { class: "trainer-diagram" });
  const list = el("ol", { id: "trainer-timeline" });
  const section = el("section", { id: "trainer", class: "card trainer" });
  section.append(el("h2", {}, "Flow view"), controls(state, say), note, attacks(say),
    el("h3", {}, "Sequence diagram"), diagram, el("h3", {}, "Timeline"), list);
  document.body.append(section, dialog);
  installGate(dialog);
  if (window.location.hash === "#trainer") section.scrollIntoView();
  const events = [];
  async function poll() {
    try {
      const after = events.length ? events[events.length - 1].seq : 0;
      const { events: fresh } = await trainerApi.timeline(after);
      if (fresh.length) {
        events.push(...fresh);
        for (const event of fresh) list.append(renderEvent(event));
        drawDiagram(diagram, state.lanes, events);
      }
    } catch (error) {
      say(error.message);
    }
    window.setTimeout(poll, POLL_MS);
  }
  poll();
  window.setInterval(() => tickCountdowns(list), 1000);
}
