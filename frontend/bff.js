// The only module that talks to the server. It calls the BFF, never the IdP or the API,
// and never sees a token: the browser holds an HttpOnly session cookie and nothing else.

export class SignedOut extends Error {
  constructor() {
    super("You are signed out.");
  }
}

// A fresh id per call, sent as X-Request-Id: the BFF, the IdP and the API log it on every line
// the call causes, and an error shown to the user quotes it.
function newRequestId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function call(method, url, body) {
  const requestId = newRequestId();
  const headers = { "X-CSRF": "1", Accept: "application/json", "X-Request-Id": requestId };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  // 401 means "no session": a normal state for the app, not an error to show.
  if (response.status === 401) throw new SignedOut();
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const reason = data?.error_description || data?.error || response.statusText;
    throw new Error(`${reason} (request ${requestId})`);
  }
  return data;
}

// Answered 200 signed in or not, so a normal page load logs no 401 or 404 in the console.
export const pageState = () => call("GET", "/bff/state");
export const currentUser = () => call("GET", "/bff/user");
export const listEvents = () => call("GET", "/api/events").then((data) => data.events);
export const addEvent = (event) => call("POST", "/api/events", event);
export const deleteEvent = (id) => call("DELETE", `/api/events/${encodeURIComponent(id)}`);

export const listSessions = () => call("GET", "/bff/sessions").then((data) => data.sessions);
export const endSession = (id) => call("DELETE", `/bff/sessions/${encodeURIComponent(id)}`);

export function signIn(returnTo) {
  const here = returnTo || window.location.pathname + window.location.search;
  window.location.assign(`/bff/login?returnTo=${encodeURIComponent(here)}`);
}

// Sign-out is a navigation, not a fetch: the BFF answers with a redirect to the IdP's
// end-session page, so the ID token it sends there never passes through page JavaScript.
export async function signOut() {
  const { logout_url: logoutUrl } = await currentUser();
  window.location.assign(logoutUrl);
}
