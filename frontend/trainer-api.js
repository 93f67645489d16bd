// Trainer mode's endpoints on the BFF (/bff/trainer/*), called through bff.js like every other.
import { call } from "./bff.js";

export const status = () => call("GET", "/bff/trainer/status");
export const timeline = (after) => call("GET", `/bff/trainer/timeline?after=${after}`);
export const setStepMode = (on) => call("PUT", "/bff/trainer/step-mode", { on });
export const nextCall = () => call("GET", "/bff/trainer/next-call");
export const expireNow = () => call("POST", "/bff/trainer/expire-now");
export const runReminderJob = () => call("POST", "/bff/trainer/m2m");
export const attack = (name) => call("POST", `/bff/trainer/attacks/${encodeURIComponent(name)}`);
export const rawHttp = (seq) => call("GET", `/bff/trainer/http/${encodeURIComponent(seq)}`);
export const clearTimeline = () => call("DELETE", "/bff/trainer/timeline");
