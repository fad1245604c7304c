/* The chats: the live, watched (admins) and past lists — each chat with its last message,
 * how long the visitor has waited and what is unread, the longest wait first — and the open
 * chat's pane: who the visitor is, the dialogue part then the live messages (sender, avatar,
 * local time, notes marked, files shown), the typing note, a draft per chat, switching with
 * Alt+Up/Down, and the chat a notification asked for (/inbox?conversation=<id>). */

import { api, accessToken } from "./api.js";
import { $, el, locale, t, timeOf, visitorName, showDetails } from "./dom.js";

const chats = {};      // conversation id → chat (see openChat)
// Each message item's <li> while it is in #sb-messages, so that an acknowledgement or a
// refused send changes that one node instead of drawing the list again.
const shown = new WeakMap();
let current = null;
let typingTimer = 0;
let root = null;
const names = {};      // agent id → display name (for "who wrote")
const baseTitle = document.title;

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

export function currentChat() {
  return current ? chats[current] : null;
}

export function me() {
  return root.dataset.me;
}

/** Learns agents' names (for the senders of messages). */
export function learnNames(list) {
  list.forEach((a) => { names[a.id] = a.display_name; });
}

export function nameOf(id) {
  return id === me() ? t("inbox-you") : (names[id] || t("inbox-colleague"));
}

// ------------------------------------------------------------------ the lists

/** Lists the chat under live, watched or past chats (moving it if it was listed) and
 * returns it. `status`: `live` (the agent's), `joined` (another's an admin joined: listed with
 * the live ones), `watch` (another's, for an admin), `ended`, `transferred`. */
export function openChat(id, visitor, status) {
  let c = chats[id];
  if (!c) {
    c = chats[id] = {
      id, status, visitor: visitor || null, lastSeq: 0, items: [], unread: 0, draft: "",
      visitorAt: 0, answeredAt: 0, lastAt: 0, preview: "", visitorId: null
    };
    c.li = el("li");
    c.link = el("button", "chat-link");
    c.link.type = "button";
    c.link.onclick = () => {
      select(id);
      // On a phone the list comes first: show the chat just picked.
      if (window.innerWidth <= 640) $("sb-pane").scrollIntoView({ block: "start" });
    };
    c.nameEl = el("span", "chat-name", visitorName(visitor));
    c.waitEl = el("span", "chat-wait");
    c.unreadEl = el("span", "chat-unread");
    c.previewEl = el("span", "chat-preview");
    const top = el("span", "chat-top");
    top.append(c.nameEl, c.waitEl, c.unreadEl);
    c.link.append(top, c.previewEl);
    c.li.appendChild(c.link);
    if (!visitor) refreshVisitor(c);
  }
  c.status = status;
  const list = mine(c) ? $("sb-live") : status === "watch" ? $("sb-watch") : $("sb-past");
  if (list) list.appendChild(c.li);
  drawItem(c);
  sortLists();
  return c;
}

/** A chat the user writes in: theirs, or one they joined. */
function mine(c) {
  return c.status === "live" || c.status === "joined";
}

function refreshVisitor(c) {
  return api("GET", "/conversations/" + c.id).then((conv) => {
    c.visitor = conv.visitor;
    c.visitorId = conv.visitor_id;
    c.agentId = conv.assigned_agent_id;
    // A chat the socket follows that another agent holds is one this admin joined; one
    // they joined and now hold was transferred to them.
    if (c.status === "live" && conv.assigned_agent_id && conv.assigned_agent_id !== me()) {
      openChat(c.id, c.visitor, "joined");
      if (current === c.id) select(c.id);
    } else if (c.status === "joined" && conv.assigned_agent_id === me()) {
      openChat(c.id, c.visitor, "live");
      if (current === c.id) select(c.id);
    }
    c.nameEl.textContent = visitorName(conv.visitor);
    // The open pane's title too: messages are appended, so nothing else redraws it.
    if (current === c.id) drawHeader(c);
  }, () => {});
}

function minutesSince(t) {
  return Math.floor((Date.now() - t) / 60000);
}

function waitText(c) {
  if (c.status === "ended" || !c.visitorAt || c.answeredAt >= c.visitorAt) return "";
  const m = minutesSince(c.visitorAt);
  return t("inbox-waits", { minutes: Math.max(0, m) });
}

function drawItem(c) {
  c.nameEl.textContent = visitorName(c.visitor);
  c.waitEl.textContent = waitText(c);
  c.unreadEl.textContent = c.unread ? String(c.unread) : "";
  c.unreadEl.hidden = !c.unread;
  c.unreadEl.setAttribute("aria-label", t("inbox-unread", { count: c.unread }));
  c.previewEl.textContent = c.preview;
  c.link.classList.toggle("unread", c.unread > 0);
  c.link.classList.toggle("waiting", waitText(c) !== "");
}

// Who waits longest first (the visitor wrote last, longest ago), then the others by their
// latest message.
function order(a, b) {
  const wa = a.visitorAt > a.answeredAt ? a.visitorAt : 0;
  const wb = b.visitorAt > b.answeredAt ? b.visitorAt : 0;
  if (wa && wb) return wa - wb;
  if (wa || wb) return wa ? -1 : 1;
  return b.lastAt - a.lastAt;
}

function sortLists() {
  ["sb-live", "sb-watch"].forEach((listId) => {
    const list = $(listId);
    if (!list) return;
    const items = Object.values(chats).filter((c) => c.li.parentNode === list).sort(order);
    items.forEach((c) => list.appendChild(c.li));
  });
  const live = $("sb-live").children.length;
  $("sb-live-count").textContent = live ? "(" + live + ")" : "";
  $("sb-live-empty").hidden = live > 0;
  if ($("sb-watch")) {
    const n = $("sb-watch").children.length;
    $("sb-watch-count").textContent = n ? "(" + n + ")" : "";
    $("sb-watch-empty").hidden = n > 0;
  }
  const unread = Object.values(chats).reduce((n, c) => n + c.unread, 0);
  document.title = unread ? "(" + unread + ") " + baseTitle : baseTitle;
}

/** The chats Alt+Up/Down walks through, in the order shown. */
function walkable() {
  return ["sb-live", "sb-watch", "sb-past"].flatMap((listId) => {
    const list = $(listId);
    return list ? Array.from(list.children) : [];
  }).map((li) => Object.values(chats).find((c) => c.li === li)).filter(Boolean);
}

// ------------------------------------------------------------------ the pane

function drawHeader(c) {
  $("sb-pane-title").textContent = visitorName(c.visitor);
  const cap = (c.visitor && c.visitor.captured) || {};
  const bits = [];
  if (cap.email) bits.push(cap.email);
  if (c.status === "ended") bits.push("ended");
  if (c.status === "watch") bits.push("watching");
  if (c.status === "joined") bits.push("joined");
  if ((c.status === "watch" || c.status === "joined") && c.agentId) bits.push("with " + nameOf(c.agentId));
  if (c.status === "transferred") bits.push("transferred");
  $("sb-pane-sub").textContent = bits.join(" · ");
  showDetails($("sb-details"), c.visitor);
  loadEarlier(c);
}

// The visitor's details change as they browse (pages visited): read again on opening a chat.
function freshen(c) {
  if (mine(c) || c.status === "watch") refreshVisitor(c);
}

function loadEarlier(c) {
  const list = $("sb-earlier");
  list.textContent = "";
  const show = () => {
    if (!c.visitorId) { list.append(el("li", "muted", t("inbox-none"))); return; }
    api("GET", "/conversations?visitor_id=" + c.visitorId + "&limit=10").then((page) => {
      if (current !== c.id) return;
      const others = page.items.filter((x) => x.id !== c.id);
      list.textContent = "";
      if (!others.length) list.append(el("li", "muted", t("inbox-first-conversation")));
      others.forEach((x) => {
        const when = new Date(x.created_at).toLocaleDateString(locale, { day: "numeric", month: "short", year: "numeric" });
        list.append(el("li", "", when + " · " + t("inbox-conversation-status", { status: x.status }) +
          (x.rating ? " · " + t("inbox-rated", { score: x.rating.score }) : "")));
      });
    }, () => {});
  };
  if (c.visitorId) show(); else refreshVisitor(c).then(show);
}

/** Opens the chat in the pane, drawing its whole transcript and restoring its draft; a
 * past or watched chat's messages are fetched the first time. */
export function select(id) {
  const text = $("sb-text");
  if (current && chats[current]) chats[current].draft = text.value;
  current = id;
  const c = chats[id];
  Object.keys(chats).forEach((k) => chats[k].link.removeAttribute("aria-current"));
  c.link.setAttribute("aria-current", "true");
  c.unread = 0;
  drawItem(c);
  sortLists();
  drawHeader(c);
  freshen(c);
  const list = $("sb-messages");
  list.textContent = "";
  c.from = Math.max(0, c.items.length - PAGE);
  drawOlder(c, 0);
  list.scrollTop = list.scrollHeight;
  $("sb-pane-empty").hidden = true;
  $("sb-visitor").hidden = false;
  const live = c.status === "live";
  const joined = c.status === "joined";
  const watch = c.status === "watch";
  $("sb-compose").hidden = !(live || joined || watch);
  $("sb-end").hidden = !live;
  $("sb-transfer").hidden = !(live || joined || watch);
  $("sb-join").hidden = !watch;
  $("sb-leave").hidden = !joined;
  $("sb-readonly").hidden = !watch;
  $("sb-confirm-end").hidden = true;
  $("sb-transfer-form").hidden = true;
  const note = $("sb-note-on");
  note.checked = watch;
  note.disabled = watch;
  $("sb-file").disabled = !(live || joined);
  document.querySelector("label[for=sb-file]").hidden = !(live || joined);
  $("sb-compose").classList.toggle("note-mode", note.checked);
  text.value = c.draft || "";
  $("sb-typing").textContent = "";
  $("sb-compose-error").textContent = "";
  if (!mine(c) && !c.loaded) {
    c.loaded = true;
    loadFromApi(c);
  }
}

// A chat opens on its last messages; older ones are drawn as the agent scrolls up to them
// (or asks), so a long chat opens as fast as a short one.
const PAGE = 100;

/** Draws up to PAGE more of the open chat's older messages above those shown (all of
 * `c.items` from `c.from` on, the first time), keeping what the agent sees in place. */
function drawOlder(c, count) {
  const list = $("sb-messages");
  const start = Math.max(0, c.from - count);
  const stop = count ? c.from : c.items.length;
  const before = list.scrollHeight - list.scrollTop;
  const part = document.createDocumentFragment();
  c.items.slice(start, stop).forEach((m) => part.appendChild(render(m, c)));
  const more = $("sb-older");
  if (more) more.remove();
  list.prepend(part);
  c.from = start;
  if (start > 0) {
    const li = el("li", "older");
    li.id = "sb-older";
    const b = el("button", "secondary", t("inbox-show-earlier", { count: Math.min(PAGE, start) }));
    b.type = "button";
    b.onclick = () => drawOlder(c, PAGE);
    li.appendChild(b);
    list.prepend(li);
  }
  if (count) {
    list.scrollTop = list.scrollHeight - before;
    // Keyboard focus stays on the button, or goes to the oldest message once all are shown.
    const next = $("sb-older");
    if (next) next.querySelector("button").focus();
    else if (list.querySelector(".msg")) {
      const first = list.querySelector(".msg");
      first.tabIndex = -1;
      first.focus();
    }
  }
}

function loadFromApi(c) {
  return api("GET", "/conversations/" + c.id + "/messages?after=" + c.lastSeq).then((page) => {
    page.items.forEach((m) => addMessage(m, true));
  }, () => {});
}

function initials(name) {
  return name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0].toUpperCase()).join("") || "?";
}

function senderName(m, c) {
  if (m.sender === "visitor") return visitorName(c.visitor);
  if (m.sender === "bot") return t("inbox-bot");
  if (m.sender === "system") return "";
  return m.author_id ? nameOf(m.author_id) : t("inbox-you");
}

function render(m, c) {
  const note = m.kind === "note";
  const li = el("li", "msg msg-" + m.sender + (note ? " msg-note" : ""));
  const who = senderName(m, c);
  const head = el("div", "msg-head");
  if (who) {
    // The user's own messages read "You" but carry their initials.
    const avatar = el("span", "avatar", initials(who === t("inbox-you") ? names[me()] || who : who));
    avatar.setAttribute("aria-hidden", "true");
    head.append(avatar, el("span", "who", who));
  }
  if (note) head.append(el("span", "note-tag", t("inbox-internal-note")));
  if (m.sent_at) {
    const time = el("time", "", timeOf(m.sent_at));
    time.dateTime = m.sent_at;
    time.title = new Date(m.sent_at).toLocaleString(locale);
    head.append(time);
  }
  li.appendChild(head);
  if (m.attachment) li.appendChild(fileView(m.attachment));
  else li.appendChild(el("p", "body", m.body));
  if (m.pending) li.classList.add("pending");
  shown.set(m, li);
  return li;
}

/** A file in a message: an image shown in place, a PDF as a link; both read with the
 * agent's token (the file's address needs it), never by putting it in a page. */
function fileView(a) {
  const box = el("div", "file");
  const fetchBlob = () => fetch("/api/v1/attachments/" + a.id, {
    headers: { Authorization: "Bearer " + accessToken() }
  }).then((r) => (r.ok ? r.blob() : Promise.reject(r.status)));
  if (a.content_type.startsWith("image/")) {
    const img = el("img", "file-image");
    img.alt = a.name;
    box.appendChild(img);
    // A new image at the end keeps the end in view; older ones drawn above stay put.
    img.onload = () => { if (box.closest("li") === $("sb-messages").lastElementChild) followEnd(); };
    fetchBlob().then((b) => { img.src = URL.createObjectURL(b); }, () => { box.textContent = a.name + " (could not be loaded)"; });
  } else {
    const link = el("a", "file-link", a.name + " (PDF, " + Math.max(1, Math.round(a.size / 1024)) + " KB)");
    link.href = "#";
    link.onclick = (ev) => {
      ev.preventDefault();
      fetchBlob().then((b) => {
        const url = URL.createObjectURL(b);
        const save = document.createElement("a");
        save.href = url;
        save.download = a.name;
        save.click();
        setTimeout(() => URL.revokeObjectURL(url), 10000);
      });
    };
    box.appendChild(link);
  }
  return box;
}

// After a change at the end of the open transcript: keep the newest message in view, and
// clear the typing note (a message from the visitor means they stopped typing). Done once
// per frame, with the lists' order: a catch-up of thousands of messages lays out once.
let frame = 0;
let scrollDue = false;
function later() {
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    sortLists();
    if (scrollDue) {
      scrollDue = false;
      const list = $("sb-messages");
      list.scrollTop = list.scrollHeight;
    }
  });
}

function followEnd() {
  scrollDue = true;
  $("sb-typing").textContent = "";
  later();
}

function playSound() {
  if (root.dataset.sound !== "true") return;
  const sound = $("sb-sound");
  sound.currentTime = 0;
  const played = sound.play();
  root.dataset.sounds = String(Number(root.dataset.sounds || 0) + 1);
  if (played && played.catch) played.catch(() => {});
}

/** A message from the socket or the history: the echo of one of the agent's own settles
 * the pending copy; anything else is added to its chat, and to the pane if that chat is open.
 * `history`: read from the API (no sound, not unread). */
export function addMessage(m, history) {
  const c = chats[m.conversation_id];
  if (!c || m.seq <= c.lastSeq) return;
  c.lastSeq = m.seq;
  const pending = m.client_id && c.items.find((x) => x.pending && x.client_id === m.client_id);
  if (pending) { pending.pending = false; pending.seq = m.seq; }
  else c.items.push(m);
  const at = m.sent_at ? Date.parse(m.sent_at) : Date.now();
  c.lastAt = at;
  if (m.sender === "visitor") c.visitorAt = at;
  if (m.sender === "agent" && m.kind !== "note") c.answeredAt = at;
  const text = m.attachment ? t("inbox-preview-file", { name: m.body }) : m.body;
  if (m.kind === "note") c.preview = t("inbox-preview-note", { text: text });
  else if (m.sender === "agent" && m.author_id && m.author_id !== me()) c.preview = t("inbox-preview-by", { name: nameOf(m.author_id), text: text });
  else if (m.sender === "agent") c.preview = t("inbox-preview-you", { text: text });
  else if (m.sender === "bot") c.preview = t("inbox-preview-bot", { text: text });
  else c.preview = text;
  if (current !== c.id) {
    if (!history && m.sender === "visitor") {
      c.unread += 1;
      playSound();
    }
    drawItem(c);
    later();
    return;
  }
  drawItem(c);
  later();
  if (pending) {
    const li = shown.get(pending);
    if (li) li.classList.remove("pending");
  } else {
    $("sb-messages").appendChild(render(m, c));
  }
  followEnd();
}

/** The agent's own message, shown at once as pending until the server's echo. */
export function addPending(m) {
  const c = chats[m.conversation_id];
  c.items.push(m);
  c.answeredAt = Date.now();
  c.preview = t("inbox-preview-you", { text: m.body });
  drawItem(c);
  sortLists();
  $("sb-messages").appendChild(render(m, c));
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

/** The chat went to a colleague who accepted: it leaves the live list. */
export function transferred(id, to) {
  const c = chats[id];
  if (!c) return;
  openChat(id, c.visitor, "transferred");
  $("sb-past").appendChild(c.li);
  c.loaded = true;
  c.preview = t("inbox-transferred-to", { name: nameOf(to) });
  drawItem(c);
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
  const known = chats[id];
  const c = openChat(id, known && known.visitor, known && known.status === "joined" ? "joined" : "live");
  if (!current) select(id);
  showWanted(id);
  return { afterSeq: c.lastSeq, unacknowledged: c.items.filter((m) => m.pending) };
}

export function showTyping(f) {
  if (f.conversation_id !== current) return;
  clearTimeout(typingTimer);
  $("sb-typing").textContent = f.typing ? t("inbox-visitor-typing") : "";
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
  $("sb-compose-error").textContent = t("inbox-message-refused", { reason: detail });
}

/** The agent's ended and handed-back conversations, under past chats. */
export function loadPastChats() {
  api("GET", "/conversations?status=ended&limit=20").then((page) => {
    page.items.forEach((conv) => {
      if (conv.assigned_agent_id && conv.assigned_agent_id !== me()) return;
      const c = openChat(conv.id, conv.visitor, "ended");
      c.visitorId = conv.visitor_id;
      c.lastAt = Date.parse(conv.updated_at);
      showWanted(conv.id);
    });
  });
}

/** Admins: every live chat of the workspace that is not theirs, read from the API (and
 * again every 5 s: new chats, new messages of the open one). */
function watchTeam() {
  if (!$("sb-watch")) return;
  const poll = () => api("GET", "/conversations?status=live&limit=200").then((page) => {
    const seen = new Set();
    page.items.forEach((conv) => {
      if (conv.assigned_agent_id === me()) return;
      seen.add(conv.id);
      const existing = chats[conv.id];
      if (existing && mine(existing)) return;
      const c = openChat(conv.id, conv.visitor, "watch");
      c.visitorId = conv.visitor_id;
      if (conv.assigned_agent_id) c.preview = c.preview || t("inbox-with", { name: nameOf(conv.assigned_agent_id) });
      drawItem(c);
    });
    Object.values(chats).forEach((c) => {
      if (c.status === "watch" && !seen.has(c.id)) ended(c.id);
    });
    const open = currentChat();
    if (open && open.status === "watch") loadFromApi(open);
  }, () => {});
  poll();
  setInterval(poll, 5000);
}

/** An admin joined a chat (conversation_joined): it is theirs to write in too. */
export function joined(id) {
  const c = openChat(id, chats[id] && chats[id].visitor, "joined");
  refreshVisitor(c);
  if (!current || current === id) select(id);
  showWanted(id);
}

/** The admin left a chat they joined: back to watching it (the next poll drops it if it
 * ended meanwhile). */
export function left(id) {
  const c = chats[id];
  if (!c || c.status !== "joined") return;
  openChat(id, c.visitor, "watch");
  if (current === id) select(id);
}

/** Alt+Up/Down: the chat above or below the open one. */
function walk(step) {
  const list = walkable();
  if (!list.length) return;
  const at = list.findIndex((c) => c.id === current);
  const next = list[(at + step + list.length) % list.length];
  select(next.id);
  next.link.focus();
  $("sb-text").focus();
}

export function startChats(inbox) {
  root = inbox;
  try { Object.assign(names, JSON.parse(root.dataset.people || "{}")); } catch (e) { /* names stay unknown */ }
  names[me()] = root.dataset.name;
  api("GET", "/transfer-targets").then((t) => learnNames(t.agents), () => {});
  document.addEventListener("keydown", (ev) => {
    if (ev.altKey && (ev.key === "ArrowUp" || ev.key === "ArrowDown")) {
      ev.preventDefault();
      walk(ev.key === "ArrowUp" ? -1 : 1);
    }
  });
  // The pane fills the window below its top, so the composer stays in view whatever shows
  // above it (notices, the push banner); on a phone the page scrolls instead.
  const fit = () => {
    const pane = $("sb-pane");
    if (window.innerWidth <= 640) { pane.style.height = ""; return; }
    const top = pane.getBoundingClientRect().top + window.scrollY;
    pane.style.height = Math.max(384, window.innerHeight - top - 16) + "px";
  };
  window.addEventListener("resize", fit);
  if (window.ResizeObserver) {
    const watch = new ResizeObserver(fit);
    ["sb-offers", "sb-push-banner", "sb-queue", "sb-transfer-notice", "sb-availability-notice"]
      .forEach((id) => { if ($(id)) watch.observe($(id)); });
  }
  setInterval(fit, 1000);
  fit();
  // The waiting times move on by themselves.
  setInterval(() => { Object.values(chats).forEach(drawItem); sortLists(); }, 30000);
  $("sb-back").onclick = () => $("sb-live").closest("nav").scrollIntoView({ block: "start" });
  watchTeam();
  sortLists();
}
