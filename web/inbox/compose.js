/* Writing in the open chat: Enter sends (Shift+Enter: a new line), an internal note instead
 * of a message, a file, canned responses on `/` (completed as the shortcut is typed, filled
 * for this chat), handing the chat to a colleague, and ending it after a confirmation. */

import { api, accessToken } from "./api.js";
import { $, el, t } from "./dom.js";
import * as socket from "./socket.js";
import { addMessage, addPending, currentChat, ended, joined, left, nameOf } from "./chats.js";

let typingSent = 0;
let canned = { conversation: null, items: [] };
let menu = { open: false, items: [], at: 0 };

function error(text) {
  $("sb-compose-error").textContent = text || "";
}

function send() {
  const text = $("sb-text");
  const c = currentChat();
  const body = text.value.trim();
  if (!body || !c) return;
  error("");
  if ($("sb-note-on").checked) {
    api("POST", "/conversations/" + c.id + "/notes", { body }).then((m) => {
      addMessage(m);
      text.value = "";
      c.draft = "";
    }, () => error(t("inbox-note-failed")));
    return;
  }
  if (c.status !== "live" && c.status !== "joined") return;
  if (!socket.isOpen()) { error(t("inbox-not-connected")); return; }
  // The client id makes a resend after a reconnection harmless: the server keeps one copy.
  const clientId = "c" + Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
  addPending({ conversation_id: c.id, sender: "agent", author_id: document.getElementById("inbox").dataset.me,
    body, client_id: clientId, pending: true, sent_at: new Date().toISOString() });
  socket.sendMessage(c.id, body, clientId);
  text.value = "";
  c.draft = "";
  typingSent = 0;
}

// ------------------------------------------------------------------ canned responses

function loadCanned(c) {
  if (canned.conversation === c.id) return Promise.resolve(canned.items);
  return api("GET", "/canned-responses?conversation_id=" + c.id).then((list) => {
    canned = { conversation: c.id, items: list.items };
    return list.items;
  }, () => []);
}

function closeMenu() {
  menu.open = false;
  $("sb-canned").hidden = true;
  $("sb-text").removeAttribute("aria-activedescendant");
}

function drawMenu() {
  const box = $("sb-canned");
  box.textContent = "";
  if (!menu.items.length) {
    box.append(el("p", "muted", t(canned.items.length ? "inbox-no-canned-match" : "inbox-no-canned")));
  }
  menu.items.forEach((r, i) => {
    const option = el("button", "canned-option" + (i === menu.at ? " active" : ""));
    option.type = "button";
    option.id = "sb-canned-" + i;
    option.setAttribute("role", "option");
    option.setAttribute("aria-selected", String(i === menu.at));
    option.append(el("strong", "", "/" + r.shortcut), el("span", "canned-text", r.filled_text || r.text));
    option.onmousedown = (ev) => { ev.preventDefault(); pick(i); };
    box.appendChild(option);
  });
  box.hidden = false;
  menu.open = true;
  if (menu.items.length) $("sb-text").setAttribute("aria-activedescendant", "sb-canned-" + menu.at);
}

/** `/` then a shortcut at the start of the composer: the responses starting like it. */
function updateMenu() {
  const c = currentChat();
  const value = $("sb-text").value;
  const m = /^\/([A-Za-z0-9_-]*)$/.exec(value);
  if (!c || !m) { closeMenu(); return Promise.resolve(); }
  return loadCanned(c).then((items) => {
    const typed = m[1].toLowerCase();
    menu.items = items.filter((r) => r.shortcut.startsWith(typed));
    menu.at = Math.min(menu.at, Math.max(0, menu.items.length - 1));
    drawMenu();
  });
}

function pick(i) {
  const r = menu.items[i];
  if (!r) return;
  const text = $("sb-text");
  text.value = r.filled_text || r.text;
  closeMenu();
  text.focus();
  text.setSelectionRange(text.value.length, text.value.length);
}

// ------------------------------------------------------------------ files

function attach(file) {
  const c = currentChat();
  if (!c || !file) return;
  error("");
  if (file.size > 10 * 1024 * 1024) { error(t("inbox-file-too-large")); return; }
  const form = new FormData();
  form.append("file", file, file.name);
  $("sb-compose").classList.add("busy");
  fetch("/api/v1/conversations/" + c.id + "/attachments", {
    method: "POST", headers: { Authorization: "Bearer " + accessToken() }, body: form
  }).then((r) => r.json().catch(() => ({})).then((j) => {
    if (!r.ok) throw j;
    addMessage(j);
  })).catch(() => error(t("inbox-file-failed"))).then(() => {
    $("sb-compose").classList.remove("busy");
    $("sb-file").value = "";
  });
}

// ------------------------------------------------------------------ transfer

function transferNotice(text) {
  const n = $("sb-transfer-notice");
  n.textContent = text;
  n.hidden = !text;
}

function openTransfer() {
  const c = currentChat();
  if (!c) return;
  const select = $("sb-transfer-to");
  select.textContent = "";
  $("sb-transfer-error").textContent = "";
  api("GET", "/transfer-targets").then((targets) => {
    const me = document.getElementById("inbox").dataset.me;
    targets.agents.filter((a) => a.id !== me).forEach((a) => {
      const o = el("option", "", a.display_name + " — " + t("inbox-status", { status: a.availability }));
      o.value = "agent:" + a.id;
      select.appendChild(o);
    });
    targets.teams.forEach((team) => {
      const o = el("option", "", t("inbox-team", { name: team.name }));
      o.value = "team:" + team.id;
      select.appendChild(o);
    });
    if (!select.children.length) {
      $("sb-transfer-error").textContent = t("inbox-nobody-else");
    }
    $("sb-transfer-form").hidden = false;
    select.focus();
  });
}

function sendTransfer(ev) {
  ev.preventDefault();
  const c = currentChat();
  const [kind, id] = $("sb-transfer-to").value.split(":");
  if (!c || !id) return;
  const note = $("sb-transfer-note").value.trim();
  api("POST", "/conversations/" + c.id + "/transfer", { to: { kind, id }, note: note || null }).then((offer) => {
    $("sb-transfer-form").hidden = true;
    $("sb-transfer-note").value = "";
    transferNotice(t("inbox-transfer-asked", { name: nameOf(offer.agent_id) }));
  }, () => { $("sb-transfer-error").textContent = t("inbox-transfer-failed"); });
}

/** The colleague did not take it: the chat stays here. */
export function transferFailed(f) {
  const why = f.reason === "declined" ? "declined" : f.reason === "expired" ? "did not answer in time" : "could not take it";
  transferNotice(nameOf(f.agent_id) + " " + why + ": the chat stays with you.");
}

export function transferDone(f) {
  transferNotice(t("inbox-transfer-done", { name: nameOf(f.to_agent_id) }));
}

// ------------------------------------------------------------------ wiring

export function startCompose() {
  const text = $("sb-text");
  $("sb-compose").onsubmit = (ev) => { ev.preventDefault(); send(); };
  text.addEventListener("keydown", (ev) => {
    if (menu.open && menu.items.length) {
      if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        ev.preventDefault();
        menu.at = (menu.at + (ev.key === "ArrowDown" ? 1 : -1) + menu.items.length) % menu.items.length;
        drawMenu();
        return;
      }
      if (ev.key === "Enter" || ev.key === "Tab") { ev.preventDefault(); pick(menu.at); return; }
    }
    if (ev.key === "Escape" && menu.open) { ev.preventDefault(); closeMenu(); return; }
    if (ev.key === "Enter" && !ev.shiftKey && !ev.altKey) {
      ev.preventDefault();
      // A shortcut alone is never sent as a message: Enter takes the first response it names.
      if (/^\/[A-Za-z0-9_-]*$/.test(text.value)) {
        updateMenu().then(() => { if (menu.items.length) pick(0); });
        return;
      }
      send();
    }
  });
  text.addEventListener("input", () => {
    updateMenu();
    const c = currentChat();
    const now = Date.now();
    // One typing frame per 2 s is enough for the visitor's note, whatever the key rate.
    if (c && (c.status === "live" || c.status === "joined") && !$("sb-note-on").checked && socket.isOpen() && now - typingSent > 2000) {
      typingSent = now;
      socket.send({ type: "typing", conversation_id: c.id, typing: true });
    }
  });
  text.addEventListener("blur", () => setTimeout(closeMenu, 150));
  text.addEventListener("focus", () => { updateMenu(); });
  $("sb-note-on").onchange = () => {
    $("sb-compose").classList.toggle("note-mode", $("sb-note-on").checked);
    text.placeholder = t($("sb-note-on").checked ? "inbox-note-placeholder" : "inbox-placeholder");
  };
  $("sb-file").onchange = () => attach($("sb-file").files[0]);
  $("sb-transfer").onclick = openTransfer;
  $("sb-transfer-form").onsubmit = sendTransfer;
  $("sb-transfer-cancel").onclick = () => { $("sb-transfer-form").hidden = true; };
  // Admins: join a colleague's chat to write to the visitor too, and leave it.
  $("sb-join").onclick = () => {
    const c = currentChat();
    if (!c) return;
    error("");
    api("POST", "/conversations/" + c.id + "/join").then(() => {
      joined(c.id);
      text.focus();
    }, () => error(t("inbox-join-failed")));
  };
  $("sb-leave").onclick = () => {
    const c = currentChat();
    if (!c) return;
    error("");
    api("POST", "/conversations/" + c.id + "/leave").then(() => left(c.id),
      () => error(t("inbox-leave-failed")));
  };
  $("sb-end").onclick = () => {
    $("sb-confirm-end").hidden = false;
    $("sb-end-cancel").focus();
  };
  $("sb-end-cancel").onclick = () => { $("sb-confirm-end").hidden = true; text.focus(); };
  $("sb-end-confirm").onclick = () => {
    const c = currentChat();
    if (!c) return;
    const id = c.id;
    $("sb-confirm-end").hidden = true;
    api("POST", "/conversations/" + id + "/end").then(() => ended(id), (p) => {
      error(t("inbox-end-failed"));
    });
  };
  document.addEventListener("keydown", (ev) => {
    if (ev.key !== "Escape") return;
    if (!$("sb-confirm-end").hidden) $("sb-confirm-end").hidden = true;
    if (!$("sb-transfer-form").hidden) $("sb-transfer-form").hidden = true;
  });
}
