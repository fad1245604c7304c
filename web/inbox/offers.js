/* Offers and how they reach the agent: the offer banners (visitor, countdown, Accept and
 * Decline) with their sound, the availability and notification preferences, and the Web Push
 * subscription that brings offers while no inbox is open (sw.js shows those). */

import { api } from "./api.js";
import { $, el, t, visitorName, showDetails } from "./dom.js";
import { send } from "./socket.js";
import { nameOf, openChat, select, takeWanted } from "./chats.js";

let root = null;
const offers = {};     // offer id → {banner, timer, visitor}

export function showOffer(f) {
  if (offers[f.offer_id]) return;
  send({ type: "offer_ack", offer_id: f.offer_id });
  const banner = el("div", "offer-banner");
  banner.setAttribute("role", "alert");
  banner.dataset.offer = f.offer_id;
  const text = el("div", "offer-text");
  if (f.transfer) {
    text.append(el("strong", "offer-name", visitorName(f.visitor)),
      el("span", "", " " + t("inbox-asks-you", { name: nameOf(f.transfer.from_agent_id) })));
    if (f.transfer.note) text.append(el("q", "offer-note", f.transfer.note));
  } else {
    text.append(el("strong", "offer-name", visitorName(f.visitor)), el("span", "", " " + t("inbox-wants-to-chat")));
  }
  const dl = el("dl", "offer-details");
  showDetails(dl, f.visitor);
  const count = el("span", "offer-countdown");
  const accept = el("button", "accept", t("inbox-accept"));
  const decline = el("button", "decline", t("inbox-decline"));
  accept.type = decline.type = "button";
  // The countdown and both buttons stay together (they wrap as one when details are long).
  const actions = el("span", "offer-actions");
  actions.append(count, accept, decline);
  banner.append(text, dl, actions);
  $("sb-offers").appendChild(banner);
  if (takeWanted(f.conversation_id)) accept.focus();
  const deadline = Date.parse(f.expires_at);
  const tick = () => {
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    count.textContent = t("inbox-seconds-left", { seconds: left });
    if (left === 0) dropOffer(f.offer_id);
  };
  tick();
  offers[f.offer_id] = { banner, timer: setInterval(tick, 1000), visitor: f.visitor };
  accept.onclick = () => {
    accept.disabled = decline.disabled = true;
    api("POST", "/offers/" + f.offer_id + "/accept").then(() => {
      dropOffer(f.offer_id);
      // The chat opens; the draft of the one the agent was in is kept with it.
      openChat(f.conversation_id, f.visitor, "live");
      select(f.conversation_id);
      document.getElementById("sb-text").focus();
    }, (p) => {
      // Another agent took it, or it expired: say so for a moment, then take the banner away.
      count.textContent = t("inbox-offer-gone");
      setTimeout(() => dropOffer(f.offer_id), 3000);
    });
  };
  decline.onclick = () => {
    accept.disabled = decline.disabled = true;
    api("POST", "/offers/" + f.offer_id + "/decline").then(null, () => {}).then(() => {
      dropOffer(f.offer_id);
    });
  };
  if (root.dataset.sound === "true") {
    const sound = $("sb-sound");
    sound.currentTime = 0;
    const played = sound.play();
    // Counted whether or not the browser lets it play: the page's record that it tried.
    root.dataset.sounds = String(Number(root.dataset.sounds || 0) + 1);
    if (played && played.catch) played.catch(() => { /* the browser wants a click first */ });
  }
}

export function dropOffer(id) {
  const o = offers[id];
  if (!o) return;
  clearInterval(o.timer);
  o.banner.remove();
  delete offers[id];
}

// Notification preferences: the three boxes are saved together, as the API takes them.
function savePreferences() {
  api("PUT", "/me/notification-preferences", {
    sound: $("sb-sound-on").checked,
    browser_notifications: $("sb-browser-on").checked,
    email_missed_chats: $("sb-email-on").checked
  }).then((p) => {
    root.dataset.sound = String(p.sound);
    const wasOn = root.dataset.browser === "true";
    root.dataset.browser = String(p.browser_notifications);
    if (!p.browser_notifications) $("sb-push-banner").hidden = true;
    else if (!wasOn) setUpPush();
    $("sb-connection").textContent = t("inbox-preferences-saved");
  }, () => {
    $("sb-connection").textContent = t("inbox-not-saved");
  });
}

// ------------------------------------------------------------------ Web Push
// The banner asks for browser notifications until this browser granted them and its push
// subscription is stored; then offers reach the agent with no inbox open (sw.js shows them).
function b64ToBytes(s) {
  const raw = atob((s + "===".slice((s.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/"));
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

function pushError(text) {
  $("sb-push-error").textContent = text;
}

function storeSubscription(sub) {
  return api("POST", "/me/push-subscriptions", sub.toJSON()).then(() => {
    $("sb-push-banner").hidden = true;
  });
}

function setUpPush() {
  const banner = $("sb-push-banner");
  if (root.dataset.browser !== "true" || !root.dataset.pushKey) return;
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    banner.hidden = false;
    $("sb-push-enable").disabled = true;
    pushError(t("inbox-push-unsupported"));
    return;
  }
  navigator.serviceWorker.register("/sw.js").then((reg) => {
    return reg.pushManager.getSubscription().then((sub) => {
      if (sub && Notification.permission === "granted") return storeSubscription(sub);
      banner.hidden = false;
    });
  }).catch((e) => {
    banner.hidden = false;
    pushError(t("inbox-push-failed", { reason: (e && e.message) || String(e) }));
  });
  const button = $("sb-push-enable");
  button.onclick = () => {
    button.disabled = true;
    pushError("");
    Promise.resolve(Notification.requestPermission()).then((permission) => {
      if (permission !== "granted") {
        throw new Error(t("inbox-push-blocked"));
      }
      return navigator.serviceWorker.ready;
    }).then((reg) => {
      pushError(t("inbox-push-asking"));
      // The browser's push service may be unreachable (a closed network): give up after
      // 10 s rather than leave the button waiting for ever.
      return Promise.race([
        reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: b64ToBytes(root.dataset.pushKey) }),
        new Promise((_, reject) => {
          setTimeout(() => reject(new Error(t("inbox-push-timeout"))), 10000);
        })
      ]);
    }).then((sub) => { pushError(""); return storeSubscription(sub); }).catch((e) => {
      pushError(t("inbox-push-refused", { reason: (e && (e.detail || e.message)) || String(e) }));
    }).then(() => { button.disabled = false; });
  };
}

/** Another inbox of the agent, their schedule or the server changed their availability: the
 * menu follows, and the inbox says why when the agent did not choose it. */
export function availabilityChanged(f) {
  $("sb-availability").value = f.status;
  const notice = $("sb-availability-notice");
  let text = "";
  if (f.reason === "missed_offers") {
    text = t("inbox-away-missed", { missed: f.missed || 0 });
  } else if (f.reason === "schedule") {
    text = f.status === "available" ? t("inbox-schedule-started") : t("inbox-schedule-ended", { status: f.status });
  }
  notice.textContent = text;
  notice.hidden = text === "";
}

/** How many visitors wait in line for an agent, refreshed every 10 s. */
function watchQueue() {
  const show = () => api("GET", "/queue").then((q) => {
    const n = q.items.length;
    const el = $("sb-queue");
    el.textContent = n === 0 ? "" : (n === 1 ? "1 visitor is waiting in line" : n + " visitors are waiting in line") +
      " — the longest for " + waitedFor(q.items[0].waiting_since) + ".";
    el.hidden = n === 0;
  }, () => {});
  show();
  setInterval(show, 10000);
}

function waitedFor(since) {
  const minutes = Math.floor((Date.now() - Date.parse(since)) / 60000);
  return minutes < 1 ? "less than a minute" : minutes === 1 ? "1 minute" : minutes + " minutes";
}

/** Wires the preference boxes and the availability menu, and sets up Web Push. */
export function startOffers(inbox) {
  root = inbox;
  ["sb-sound-on", "sb-browser-on", "sb-email-on"].forEach((id) => { $(id).onchange = savePreferences; });
  const availability = $("sb-availability");
  availability.onchange = () => {
    api("PUT", "/me/availability", { status: availability.value }).then(() => {
      $("sb-availability-notice").hidden = true;
      $("sb-connection").textContent = t("inbox-availability-saved");
    }, () => { $("sb-connection").textContent = t("inbox-not-saved"); });
  };
  setUpPush();
  watchQueue();
}
