// Trainer mode's calls to the BFF (JSON, X-CSRF like every other call). Only /bff/trainer/*.

async function call(method, url, body) {
  const headers = { "X-CSRF": "1", Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error_description || data.error || response.statusText);
  return data;
}

export const status = () => call("GET", "/bff/trainer/status");
export const timeline = (after) => call("GET", `/bff/trainer/timeline?after=${after}`);
export const setStepMode = (on) => call("PUT", "/bff/trainer/step-mode", { on });
export const nextCall = () => call("GET", "/bff/trainer/next-call");
export const expireNow = () => call("POST", "/bff/trainer/expire-now");
export const runReminderJob = () => call("POST", "/bff/trainer/m2m");
export const attack = (name) => call("POST", `/bff/trainer/attacks/${encodeURIComponent(name)}`);
