/* The chats: the live and past lists, the open chat's pane (title, visitor details, messages,
 * typing note), sending from the compose form, ending a chat, and the chat a notification
 * asked for (/inbox?conversation=<id>). */

import { api } from "./api.js";
import { $, el, visitorName, showDetails } from "./dom.js";
import * as socket from "./socket.js";

const chats = {};      // conversation id → {id, status, visitor, lastSeq, items: [], li, link, loaded}
// Each message item's <li> while it is in #sb-messages, so that an acknowledgement or a
// refused send changes that one node instead of drawing the list again.
const shown = new WeakMap();
let current = null;
let typingSent = 0;
let typingTimer = 0;

// A notification opens /inbox?conversation=<id>: that chat is shown, or its offer's Accept
// focused, as soon as the page learns of it; once only, so later frames do not steal focus.
let wanted = new URLSearchParams(location.search).get("conversation");

/** True (once) when `id` is the conversation the page was opened for. */
export function takeWanted(id) {
  if (id !== wanted) return false;
  wanted = null;
  return true;
}

function showWanted(id) {
  if (takeWanted(id) && chats[id]) select(id);
}

/** Lists the chat under live or past chats (moving it if it was listed) and returns it. */
export function openChat(id, visitor, status) {
  let c = chats[id];
  if (!c) {
    c = chats[id] = { id, status, visitor: visitor || null, lastSeq: 0, items: [] };
    c.li = el("li");
    c.link = el("button", "chat-link", visitorName(visitor));
    c.link.type = "button";
    c.link.onclick = () => select(id);
    c.li.appendChild(c.link);
    if (!visitor) api("GET", "/conversations/" + id).then((conv) => {
      c.visitor = conv.visitor;
      c.link.textContent = visitorName(conv.visitor);
      // The open pane's title too: messages are appended, so nothing else redraws it.
      if (current === id) {
        $("sb-pane-title").textContent = visitorName(conv.visitor);
        showDetails($("sb-details"), conv.visitor);
      }
    });
  }
  c.status = status;
  (status === "live" ? $("sb-live") : $("sb-past")).appendChild(c.li);
  $("sb-live-count").textContent = "(" + $("sb-live").children.length + ")";
  return c;
}

/** Opens the chat in the pane, drawing its whole transcript; a past chat's messages are
 * fetched the first time. */
export function select(id) {
  current = id;
  const c = chats[id];
  Object.keys(chats).forEach((k) => chats[k].link.removeAttribute("aria-current"));
  c.link.setAttribute("aria-current", "true");
  $("sb-pane-title").textContent = visitorName(c.visitor);
  showDetails($("sb-details"), c.visitor);
  const list = $("sb-messages");
  list.textContent = "";
  c.items.forEach((m) => list.appendChild(render(m)));
  list.scrollTop = list.scrollHeight;
  $("sb-compose").hidden = c.status !== "live";
  $("sb-typing").textContent = "";
  if (c.status !== "live" && !c.loaded) {
    c.loaded = true;
    api("GET", "/conversations/" + id + "/messages?after=" + c.lastSeq).then((page) => {
      page.items.forEach((m) => addMessage(m));
    });
  }
}

function render(m) {
  const li = el("li", "msg msg-" + m.sender);
  li.appendChild(el("span", "body", m.body));
  if (m.pending) li.classList.add("pending");
  shown.set(m, li);
  return li;
}

// After a change at the end of the open transcript: keep the newest message in view, and
// clear the typing note (a message from the visitor means they stopped typing; the page has
// always cleared it on every message).
function followEnd() {
  const list = $("sb-messages");
  list.scrollTop = list.scrollHeight;
  $("sb-typing").textContent = "";
}

/** A message from the socket or the history: the echo of one of the agent's own settles
 * the pending copy; anything else is added to its chat, and to the pane if that chat is open. */
export function addMessage(m) {
  const c = chats[m.conversation_id];
  if (!c || m.seq <= c.lastSeq) return;
  c.lastSeq = m.seq;
  const pending = m.client_id && c.items.find((x) => x.pending && x.client_id === m.client_id);
  if (pending) { pending.pending = false; pending.seq = m.seq; }
  else c.items.push(m);
  if (current !== c.id) { c.link.classList.add("unread"); return; }
  if (pending) {
    const li = shown.get(pending);
    if (li) li.classList.remove("pending");
  } else {
    $("sb-messages").appendChild(render(m));
  }
  followEnd();
}

export function ended(id) {
  const c = chats[id];
  if (!c) return;
  openChat(id, c.visitor, "ended");
  c.loaded = true;
  // Drawn again: the pane of an ended chat has no compose form.
  if (current === id) select(id);
}

/** A chat the agent was given (an accepted offer, or one assigned to them). */
export function assigned(id) {
  openChat(id, null, "live");
  if (!current) select(id);
  showWanted(id);
}

/** For the socket's resume after a hello: lists the live chat and says where it resumes. */
export function resumeFrom(id) {
  const c = openChat(id, null, "live");
  showWanted(id);
  return { afterSeq: c.lastSeq, unacknowledged: c.items.filter((m) => m.pending) };
}

export function showTyping(f) {
  if (f.conversation_id !== current) return;
  clearTimeout(typingTimer);
  $("sb-typing").textContent = f.typing ? "The visitor is typing…" : "";
  // The visitor's page may close without saying it stopped: the note does not outlive 4 s.
  typingTimer = setTimeout(() => { $("sb-typing").textContent = ""; }, 4000);
}

/** The server refused a message the agent sent: its pending copy goes, the reason shows. */
export function dropUnsent(clientId, detail) {
  Object.keys(chats).forEach((k) => {
    chats[k].items = chats[k].items.filter((m) => {
      const refused = m.client_id === clientId && m.pending;
      if (refused && shown.has(m)) shown.get(m).remove();
      return !refused;
    });
  });
  $("sb-connection").textContent = detail;
}

/** The agent's ended and handed-back conversations, under past chats. */
export function loadPastChats() {
  api("GET", "/conversations?status=ended&limit=20").then((page) => {
    page.items.forEach((conv) => {
      const c = openChat(conv.id, conv.visitor, "ended");
      c.lastSeq = 0;
      showWanted(conv.id);
    });
  });
}

/** Wires the compose form and the End chat button. */
export function startChats() {
  const text = $("sb-text");
  $("sb-compose").onsubmit = (ev) => {
    ev.preventDefault();
    const body = text.value.trim();
    if (!body || !current || !socket.isOpen()) return;
    // The client id makes a resend after a reconnection harmless: the server keeps one copy.
    const clientId = "c" + Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
    const m = { conversation_id: current, sender: "agent", body, client_id: clientId, pending: true };
    chats[current].items.push(m);
    socket.sendMessage(current, body, clientId);
    text.value = "";
    typingSent = 0;
    $("sb-messages").appendChild(render(m));
    followEnd();
  };
  text.onkeydown = (ev) => {
    if (ev.key === "Enter" && !ev.shiftKey) { ev.preventDefault(); $("sb-compose").requestSubmit(); }
  };
  text.oninput = () => {
    const now = Date.now();
    // One typing frame per 2 s is enough for the visitor's note, whatever the key rate.
    if (current && socket.isOpen() && now - typingSent > 2000) {
      typingSent = now;
      socket.send({ type: "typing", conversation_id: current, typing: true });
    }
  };
  $("sb-end").onclick = () => {
    if (!current) return;
    const id = current;
    api("POST", "/conversations/" + id + "/end").then(() => ended(id), (p) => {
      $("sb-connection").textContent = p.detail || "Could not end the chat.";
    });
  };
}
