/* The API client: the page's access token, its renewal, and the fetch wrapper every call to
 * /api/v1 goes through (a bearer token; the API takes no cookie, so no CSRF token either). */

let token = "";

/** Takes the token the page was rendered with and keeps it fresh from then on. */
export function startAuth(root) {
  token = root.dataset.token;
  renewLater(Number(root.dataset.expiresIn) || 900);
}

/** The current token: the socket reads it on every (re)connection, as it changes. */
export function accessToken() {
  return token;
}

/** Fetches a new token from the session now (the socket was told its token was revoked or
 * expired); none: the session is gone too, so the agent has to log in again. */
export function refreshToken() {
  return fetch("/inbox/token", { credentials: "same-origin" }).then((r) => {
    if (!r.ok) { location.href = "/console/login?notice=signed-out"; throw new Error("logged out"); }
    return r.json().then((t) => { token = t.access_token; });
  });
}

// The page's token is short-lived: renew it from the session a minute before it expires.
// A refused renewal means the session is gone, so the agent has to log in again.
function renewLater(seconds) {
  setTimeout(() => {
    fetch("/inbox/token", { credentials: "same-origin" }).then((r) => {
      if (!r.ok) { location.href = "/console/login"; return; }
      return r.json().then((t) => { token = t.access_token; renewLater(t.expires_in); });
    }, () => renewLater(30));
  }, Math.max(30, seconds - 60) * 1000);
}

/** Resolves with the JSON body ({} for 204 or no JSON); rejects with the problem document,
 * its HTTP status added, so callers can show its `detail`. */
export function api(method, path, data) {
  return fetch("/api/v1" + path, {
    method,
    headers: { "Content-Type": "application/json", Authorization: "Bearer " + token },
    body: data ? JSON.stringify(data) : undefined
  }).then((r) => {
    if (r.status === 204) return {};
    return r.json().catch(() => ({})).then((j) => {
      if (!r.ok) { j.status = r.status; throw j; }
      return j;
    });
  });
}
