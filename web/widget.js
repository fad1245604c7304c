/* Switchboard chat widget. Embed with:
 *   <script src="https://YOUR-SWITCHBOARD/widget.js" data-key="WIDGET_KEY" async></script>
 * No framework, no build. The server runs the dialogue; this only renders the card it is
 * given and the live chat. Text from visitors, agents and tenants is only ever set with
 * textContent, never parsed as HTML.
 *
 * The server keeps the whole conversation, the dialogue included (what the bot said, what
 * the visitor answered), as numbered messages: the widget draws the transcript from them
 * (`GET …/messages?after=`) and only adds the controls of the card the visitor stands at,
 * so a reload shows everything in order. The visitor's token and whether the panel was open
 * are kept in localStorage. A conversation that is over (ended, fallen back, a dialogue
 * branch finished) offers a new one; after any fallback the visitor can leave a message.
 *
 * Before anything shows, the widget asks how it looks (`GET /widget/config`): the
 * workspace's colour, title, greeting, corner and whether agents' photos show, and its
 * texts in the visitor's language (the server picks it from the browser's among the
 * workspace's languages). The server serves this file after web/texts.js (`makeTexts`),
 * both in one function so nothing leaks into the page. With `data-preview` (the console's
 * live preview) it draws a sample conversation in the look given by the page's address
 * instead, and never starts a session. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__switchboardWidget) return;
  window.__switchboardWidget = true;
  var key = script.getAttribute("data-key");
  var preview = script.hasAttribute("data-preview");
  var base = new URL(script.src, location.href).origin;
  var store = "switchboard:" + key;
  var TYPES = { email: "email", phone: "tel" };
  var EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
  /* Statuses in which an agent is sought or here: the socket stays open. */
  var LIVE = { waiting: true, live: true, queued: true };
  var state = null, socket = null, lastSeq = 0, retry = 0, typingSent = 0, typingTimer = 0;
  var starting = null, unread = 0, pageTitle = document.title, advanceTimer = 0;
  var look = null, t = null, clock = null, agent = null, lastAuthor = null;
  var bubble, badge, panel, avatar, title, sub, body, typing, actions, foot, input, attach, fileInput;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function svgIcon(size, d, stroke) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", size);
    svg.setAttribute("height", size);
    svg.setAttribute("aria-hidden", "true");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", d);
    if (stroke) {
      path.setAttribute("fill", "none");
      path.setAttribute("stroke", "currentColor");
      path.setAttribute("stroke-width", "2");
      path.setAttribute("stroke-linecap", "round");
    } else {
      path.setAttribute("fill", "currentColor");
    }
    svg.appendChild(path);
    return svg;
  }
  function saved(name) {
    try { return localStorage.getItem(store + name); } catch (e) { return null; }
  }
  function keep(name, value) {
    try { localStorage.setItem(store + name, value); } catch (e) { /* private mode */ }
  }

  var STYLES =
    ".sbw-bubble{position:fixed;right:20px;bottom:20px;width:60px;height:60px;border-radius:50%;border:0;background:var(--sbw-c);color:#fff;display:flex;align-items:center;justify-content:center;cursor:pointer;box-shadow:0 6px 20px rgba(15,23,42,.3);z-index:2147483000;transition:transform .15s}" +
    ".sbw-bubble:hover{transform:scale(1.06)}.sbw-bubble:focus-visible,.sbw-panel button:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}" +
    ".sbw-badge{position:absolute;top:-2px;right:-2px;min-width:20px;height:20px;padding:0 5px;box-sizing:border-box;border-radius:10px;background:#dc2626;color:#fff;font:600 12px/20px system-ui,sans-serif;text-align:center;border:2px solid #fff}" +
    ".sbw-panel{position:fixed;right:20px;bottom:92px;width:370px;max-width:calc(100vw - 40px);height:600px;max-height:calc(100vh - 120px);display:none;flex-direction:column;background:#fff;color:#0f172a;border-radius:16px;box-shadow:0 12px 40px rgba(15,23,42,.25);font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;z-index:2147483000;overflow:hidden}" +
    ".sbw-left.sbw-bubble,.sbw-left.sbw-panel{right:auto;left:20px}" +
    ".sbw-open{display:flex}.sbw-head{background:var(--sbw-c);color:#fff;padding:14px 12px 14px 16px;display:flex;align-items:center;gap:12px}" +
    ".sbw-head img{width:38px;height:38px;border-radius:50%;object-fit:cover;background:#fff;border:2px solid rgba(255,255,255,.6)}.sbw-who{flex:1;min-width:0}.sbw-title{display:block;font-weight:650;font-size:16px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}.sbw-sub{display:block;font-size:12px}" +
    ".sbw-close{border:0;background:rgba(0,0,0,.18);color:#fff;width:36px;height:36px;border-radius:50%;cursor:pointer;display:flex;align-items:center;justify-content:center;flex:none}.sbw-close:hover{background:rgba(0,0,0,.3)}" +
    ".sbw-body{flex:1;overflow-y:auto;padding:16px;display:flex;flex-direction:column;gap:4px;background:#f8fafc}" +
    ".sbw-greeting{align-self:stretch;background:#fff;border:1px solid #e2e8f0;border-radius:12px;padding:10px 12px;margin-bottom:8px;color:#334155;white-space:pre-wrap}" +
    ".sbw-row{display:flex;align-items:flex-end;gap:8px;max-width:88%;margin-top:6px}.sbw-row-visitor{align-self:flex-end;flex-direction:row-reverse}.sbw-row-agent,.sbw-row-bot{align-self:flex-start}" +
    ".sbw-stack{display:flex;flex-direction:column;min-width:0}.sbw-row-visitor .sbw-stack{align-items:flex-end}" +
    ".sbw-face{width:28px;height:28px;border-radius:50%;flex:none;object-fit:cover;background:#e2e8f0}.sbw-bot-face{display:flex;align-items:center;justify-content:center;color:#475569}" +
    ".sbw-name{font-size:11px;font-weight:600;color:#475569;margin:0 4px 2px}.sbw-time{font-size:11px;color:#64748b;margin:2px 4px 0}" +
    ".sbw-msg{padding:9px 13px;border-radius:16px;white-space:pre-wrap;word-wrap:break-word;overflow-wrap:anywhere;box-shadow:0 1px 1px rgba(15,23,42,.06)}" +
    ".sbw-visitor{background:var(--sbw-c);color:#fff;border-bottom-right-radius:4px}" +
    ".sbw-agent{background:#fff;border:1px solid #e2e8f0;border-bottom-left-radius:4px}" +
    ".sbw-bot{background:#eef2f7;border:1px solid #e2e8f0;border-bottom-left-radius:4px}" +
    ".sbw-system{align-self:center;color:#475569;font-size:12px;text-align:center;box-shadow:none;padding:4px 10px;margin:6px 0;background:#eef2f7;border-radius:10px}.sbw-pending{opacity:.6}" +
    ".sbw-notice{align-self:stretch;background:#fef3c7;border:1px solid #fde68a;color:#78350f;border-radius:12px;margin-top:6px}" +
    ".sbw-choices{display:flex;flex-wrap:wrap;gap:6px;justify-content:flex-end;margin-top:6px}.sbw-btn{border:1px solid var(--sbw-c);background:#fff;color:var(--sbw-c);border-radius:18px;padding:7px 14px;cursor:pointer;font:inherit;font-weight:550}.sbw-btn:hover{background:#f1f5f9}" +
    ".sbw-primary{background:var(--sbw-c);color:#fff}.sbw-primary:hover{background:var(--sbw-c);filter:brightness(.9)}.sbw-btn:disabled{opacity:.6;cursor:default}" +
    ".sbw-form{align-self:stretch;background:#fff;border:1px solid #e2e8f0;border-radius:14px;padding:12px;margin-top:6px}.sbw-form h3{margin:0 0 2px;font-size:15px}.sbw-form p{margin:0 0 6px;color:#475569;font-size:13px}" +
    ".sbw-form label{display:block;margin-top:8px;font-size:12px;font-weight:600;color:#334155}.sbw-form input,.sbw-form textarea{width:100%;box-sizing:border-box;padding:8px 10px;border:1px solid #94a3b8;border-radius:8px;font:inherit;background:#fff;color:inherit}" +
    ".sbw-form textarea{resize:vertical;min-height:72px}.sbw-form input:focus,.sbw-form textarea:focus{outline:2px solid var(--sbw-c);border-color:var(--sbw-c)}.sbw-form .sbw-btn{margin-top:10px}" +
    ".sbw-error{color:#b91c1c;font-size:12px;min-height:0}.sbw-typing{color:#475569;font-size:12px;min-height:16px;padding:2px 16px;background:#f8fafc}" +
    ".sbw-actions{padding:10px 14px;border-top:1px solid #e2e8f0;background:#fff;display:flex;flex-direction:column;gap:8px}.sbw-actions:empty{display:none}.sbw-actions .sbw-btn{width:100%;padding:10px}" +
    ".sbw-foot{display:flex;align-items:flex-end;gap:8px;padding:10px 12px;border-top:1px solid #e2e8f0;background:#fff}.sbw-foot textarea{flex:1;border:1px solid #94a3b8;border-radius:18px;padding:8px 14px;resize:none;font:inherit;max-height:120px}" +
    ".sbw-foot button{border:0;background:var(--sbw-c);color:#fff;font-weight:600;padding:8px 16px;border-radius:18px;cursor:pointer}" +
    ".sbw-foot .sbw-attach{background:#fff;color:var(--sbw-c);border:1px solid #94a3b8;padding:6px 8px;line-height:0;border-radius:50%}.sbw-file-input{position:absolute;width:1px;height:1px;opacity:0;overflow:hidden}" +
    ".sbw-image{display:block;max-width:100%;max-height:220px;border-radius:10px}.sbw-file{color:inherit;text-decoration:underline}" +
    ".sbw-rate{align-self:stretch;background:#fff;border:1px solid #e2e8f0;border-radius:14px;padding:12px;text-align:center;margin-top:6px}.sbw-rate p{margin:0 0 8px;font-weight:600}" +
    ".sbw-stars{display:flex;justify-content:center;gap:4px}.sbw-star{border:0;background:none;font-size:26px;line-height:1;color:#94a3b8;cursor:pointer;padding:2px}.sbw-star.sbw-on{color:#b45309}" +
    ".sbw-rate textarea{width:100%;box-sizing:border-box;margin-top:8px;padding:8px 10px;border:1px solid #94a3b8;border-radius:8px;font:inherit;resize:vertical;min-height:56px}.sbw-rate .sbw-btn{margin-top:8px}" +
    "@media (max-width:480px){.sbw-panel,.sbw-left.sbw-panel{left:0;right:0;top:0;bottom:0;width:100%;max-width:100%;height:100%;max-height:100%;border-radius:0}.sbw-open~.sbw-bubble{display:none}}";

  /* The launcher, the panel and its parts, in the workspace's look. */
  function build() {
    var css = el("style");
    css.textContent = STYLES;
    document.head.appendChild(css);
    var side = look.position === "left" ? " sbw-left" : "";
    bubble = el("button", "sbw-bubble" + side);
    bubble.type = "button";
    bubble.appendChild(svgIcon(28, "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"));
    badge = el("span", "sbw-badge");
    badge.style.display = "none";
    bubble.appendChild(badge);
    panel = el("div", "sbw-panel" + side);
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", t("widget-dialog"));
    [bubble, panel].forEach(function (e) { e.style.setProperty("--sbw-c", look.color); });
    var head = el("div", "sbw-head");
    avatar = el("img");
    avatar.alt = "";
    avatar.style.display = "none";
    var who = el("div", "sbw-who");
    title = el("span", "sbw-title");
    sub = el("span", "sbw-sub");
    who.append(title, sub);
    var close = el("button", "sbw-close");
    close.type = "button";
    close.setAttribute("aria-label", t("widget-close"));
    close.title = t("widget-close");
    close.appendChild(svgIcon(18, "M6 6l12 12M18 6L6 18", true));
    close.onclick = function () { shut(); bubble.focus(); };
    head.append(avatar, who, close);
    body = el("div", "sbw-body");
    body.setAttribute("aria-live", "polite");
    typing = el("div", "sbw-typing");
    actions = el("div", "sbw-actions");
    foot = el("form", "sbw-foot");
    input = el("textarea");
    input.rows = 1;
    input.maxLength = 4000;
    input.setAttribute("aria-label", t("widget-message-label"));
    input.placeholder = t("widget-placeholder");
    var send = el("button", "", t("widget-send"));
    send.type = "submit";
    fileInput = el("input", "sbw-file-input");
    fileInput.type = "file";
    fileInput.accept = "image/png,image/jpeg,image/gif,image/webp,application/pdf";
    fileInput.setAttribute("aria-label", t("widget-attach"));
    fileInput.tabIndex = -1;
    attach = el("button", "sbw-attach");
    attach.type = "button";
    attach.appendChild(svgIcon(18, "M21 11.5l-8.6 8.6a5 5 0 0 1-7.1-7.1l8.6-8.6a3.3 3.3 0 0 1 4.7 4.7l-8.6 8.6a1.7 1.7 0 0 1-2.4-2.4l7.9-7.9", true));
    attach.title = t("widget-attach-title");
    attach.setAttribute("aria-label", t("widget-attach"));
    attach.onclick = function () { fileInput.click(); };
    foot.append(fileInput, attach, input, send);
    foot.style.display = "none";
    panel.append(head, body, typing, actions, foot);
    document.body.append(panel, bubble);
    bubble.onclick = function () { if (isOpen()) shut(); else open(); };
    // Esc closes the panel from anywhere inside it, and gives the focus back to the launcher.
    panel.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") { ev.stopPropagation(); shut(); bubble.focus(); }
    });
    fileInput.onchange = sendFile;
    foot.onsubmit = sendMessage;
    input.onkeydown = function (ev) {
      if (ev.key === "Enter" && !ev.shiftKey) { ev.preventDefault(); foot.requestSubmit(); }
    };
    input.oninput = sayTyping;
    blank();
    showUnread();
  }

  /* The header and greeting of a panel with no conversation drawn yet. */
  function blank() {
    title.textContent = look.title;
    sub.textContent = t("widget-subtitle");
    avatar.style.display = "none";
    agent = null;
    lastAuthor = null;
    if (look.greeting) body.appendChild(el("div", "sbw-greeting", look.greeting));
  }

  function isOpen() { return panel.classList.contains("sbw-open"); }
  function showUnread() {
    badge.textContent = String(unread);
    badge.style.display = unread ? "" : "none";
    bubble.setAttribute("aria-label", t("widget-launcher", { count: unread }));
    if (!preview) document.title = unread ? "(" + unread + ") " + pageTitle : pageTitle;
  }
  function open() {
    panel.classList.add("sbw-open");
    bubble.setAttribute("aria-expanded", "true");
    if (!preview) keep(":open", "1");
    unread = 0;
    showUnread();
    if (!state && !preview) start(false);
    body.scrollTop = body.scrollHeight;
    // The console's preview never takes the focus from the form being edited.
    if (foot.style.display !== "none" && !preview) input.focus();
  }
  function shut() {
    panel.classList.remove("sbw-open");
    bubble.setAttribute("aria-expanded", "false");
    if (!preview) keep(":open", "0");
  }

  function api(method, path, data, token) {
    var headers = { "Content-Type": "application/json" };
    if (token) headers.Authorization = "Bearer " + token;
    return fetch(base + "/api/v1" + path, {
      method: method, headers: headers, body: data ? JSON.stringify(data) : undefined
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) {
        if (!r.ok) { j.status = r.status; throw j; }
        return j;
      });
    });
  }

  /* A time of day in the visitor's language. */
  function timeOf(at) {
    var d = at ? new Date(at) : new Date();
    if (clock && !isNaN(d.getTime())) return clock.format(d);
    return "";
  }

  /* One line of the transcript. Visitor, agent and bot messages are bubbles with their time
   * (and, for agents and the bot, who says it at the start of a run); system lines and
   * notices are centred notes. Returns the bubble. */
  function line(text, kind, m) {
    if (kind === "system" || kind === "notice") {
      lastAuthor = null;
      var note = el("div", "sbw-msg sbw-" + kind, text);
      body.appendChild(note);
      body.scrollTop = body.scrollHeight;
      return note;
    }
    var author = kind + ":" + ((m && m.author_id) || "");
    var row = el("div", "sbw-row sbw-row-" + kind);
    var stack = el("div", "sbw-stack");
    if (author !== lastAuthor && kind !== "visitor") {
      stack.appendChild(el("div", "sbw-name", kind === "bot" ? t("widget-bot") : agentName(m)));
    }
    if (kind === "bot") {
      var face = el("span", "sbw-face sbw-bot-face");
      face.appendChild(svgIcon(16, "M12 2a1 1 0 0 1 1 1v1h4a3 3 0 0 1 3 3v9a3 3 0 0 1-3 3H7a3 3 0 0 1-3-3V7a3 3 0 0 1 3-3h4V3a1 1 0 0 1 1-1zM9 10a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm6 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z"));
      row.appendChild(face);
    } else if (kind === "agent" && look.agent_photos) {
      var photo = agentPhoto(m);
      if (photo) {
        var img = el("img", "sbw-face");
        img.alt = "";
        img.src = photo;
        row.appendChild(img);
      }
    }
    lastAuthor = author;
    var bubbleText = el("div", "sbw-msg sbw-" + kind, text);
    var when = el("time", "sbw-time", timeOf(m && m.sent_at));
    if (m && m.sent_at) when.dateTime = m.sent_at;
    stack.append(bubbleText, when);
    row.appendChild(stack);
    body.appendChild(row);
    body.scrollTop = body.scrollHeight;
    return bubbleText;
  }
  function agentName(m) {
    if (agent && (!m || !m.author_id || m.author_id === agent.id)) return agent.display_name;
    return t("widget-agent");
  }
  function agentPhoto(m) {
    if (!agent || !agent.avatar_url) return null;
    if (m && m.author_id && m.author_id !== agent.id) return null;
    return agent.avatar_url;
  }

  /* Starts or resumes the visitor's conversation; `fresh`: a new one for the same visitor. */
  function start(fresh) {
    if (starting) return starting;
    var data = { widget_key: key, page_url: location.href, visitor_token: saved("") };
    if (fresh) data.new_conversation = true;
    starting = api("POST", "/widget/sessions", data).then(function (s) {
      starting = null;
      if (!state || s.conversation_id !== state.conversation_id) reset();
      return settle(s);
    }, function () {
      starting = null;
      line(t("widget-unavailable"), "system");
    });
    return starting;
  }

  /* Forgets what is drawn: a new conversation starts from an empty panel. */
  function reset() {
    clearTimeout(advanceTimer);
    quiet();
    body.textContent = "";
    actions.textContent = "";
    typing.textContent = "";
    lastSeq = 0;
    foot.style.display = "none";
    blank();
  }

  /* Closes the socket for good (the conversation is over, or another one starts). */
  function quiet() {
    if (!socket) return;
    socket.onclose = null;
    socket.close();
    socket = null;
  }

  /* The transcript from `lastSeq` on, drawn in order. */
  function sync() {
    if (!state) return Promise.resolve();
    var at = state.conversation_id;
    return api("GET", "/widget/conversations/" + at + "/messages?after=" + lastSeq, null, state.visitor_token)
      .then(function (page) {
        if (!state || state.conversation_id !== at) return;
        (page.items || []).forEach(draw);
        if ((page.items || []).length === 500) return sync();
      });
  }

  function draw(m) {
    if (m.seq <= lastSeq) return false;
    lastSeq = m.seq;
    var pending = m.client_id && m.sender === "visitor" &&
      body.querySelector('[data-client-id="' + CSS.escape(m.client_id) + '"]');
    if (pending) {
      pending.classList.remove("sbw-pending");
      pending.removeAttribute("data-client-id");
    } else if (m.attachment) {
      fileLine(m.attachment, m);
    } else {
      line(m.body, m.sender, m);
    }
    return true;
  }

  /* A file in the conversation: an image shown in place, a PDF as a link; read with the
   * visitor's token, never by opening its address. */
  function fileLine(a, m) {
    var b = line("", m.sender, m);
    var token = state && state.visitor_token;
    var got = fetch(base + "/api/v1/attachments/" + a.id, { headers: { Authorization: "Bearer " + token } })
      .then(function (r) { if (!r.ok) throw r.status; return r.blob(); });
    if (a.content_type.indexOf("image/") === 0) {
      var img = el("img", "sbw-image");
      img.alt = a.name;
      b.appendChild(img);
      img.onload = function () { body.scrollTop = body.scrollHeight; };
      got.then(function (blob) { img.src = URL.createObjectURL(blob); },
        function () { b.textContent = a.name; });
    } else {
      var link = el("a", "sbw-file", t("widget-pdf", { name: a.name }));
      link.href = "#";
      b.appendChild(link);
      got.then(function (blob) { link.href = URL.createObjectURL(blob); link.download = a.name; },
        function () { b.textContent = a.name; });
    }
    return b;
  }

  function sendFile() {
    var file = fileInput.files[0];
    fileInput.value = "";
    if (!file || !state) return;
    if (file.size > 10 * 1024 * 1024) { line(t("widget-file-too-large"), "system"); return; }
    var form = new FormData();
    form.append("file", file, file.name);
    attach.disabled = true;
    fetch(base + "/api/v1/widget/conversations/" + state.conversation_id + "/attachments", {
      method: "POST", headers: { Authorization: "Bearer " + state.visitor_token }, body: form
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) {
        if (!r.ok) throw j;
        draw(j);
      });
    }).catch(function () {
      line(t("widget-file-failed"), "system");
    }).then(function () { attach.disabled = false; });
  }

  /* After a chat an agent took: how was it? 1 to 5 and a comment, once. */
  function askRating() {
    var box = el("div", "sbw-rate");
    box.appendChild(el("p", "", t("widget-rate-question")));
    var stars = el("div", "sbw-stars");
    stars.setAttribute("role", "radiogroup");
    stars.setAttribute("aria-label", t("widget-rate-label"));
    var score = 0;
    var buttons = [1, 2, 3, 4, 5].map(function (n) {
      var b = el("button", "sbw-star", "★");
      b.type = "button";
      b.setAttribute("role", "radio");
      b.setAttribute("aria-checked", "false");
      b.setAttribute("aria-label", t("widget-stars", { count: n }));
      b.onclick = function () {
        score = n;
        buttons.forEach(function (x, i) {
          x.classList.toggle("sbw-on", i < n);
          x.setAttribute("aria-checked", String(i === n - 1));
        });
        sendRating.disabled = false;
      };
      stars.appendChild(b);
      return b;
    });
    var comment = el("textarea");
    comment.maxLength = 2000;
    comment.placeholder = t("widget-rate-comment");
    comment.setAttribute("aria-label", t("widget-rate-comment-label"));
    var sendRating = el("button", "sbw-btn sbw-primary", t("widget-rate-send"));
    sendRating.type = "button";
    sendRating.disabled = true;
    var error = el("div", "sbw-error");
    sendRating.onclick = function () {
      sendRating.disabled = true;
      api("POST", "/widget/conversations/" + state.conversation_id + "/rating",
        { score: score, comment: comment.value.trim() || null }, state.visitor_token)
        .then(function () {
          box.textContent = "";
          box.appendChild(el("p", "sbw-rated", t("widget-rate-thanks")));
        }, function () {
          error.textContent = t("widget-rate-failed");
          sendRating.disabled = false;
        });
    };
    box.append(stars, comment, sendRating, error);
    body.appendChild(box);
    body.scrollTop = body.scrollHeight;
  }

  /* Takes the session the server answered, draws what is new, then what comes next. */
  function settle(s) {
    state = s;
    keep("", s.visitor_token);
    return sync().then(next);
  }

  function next() {
    var s = state;
    actions.textContent = "";
    if (s.status === "dialogue" && s.card) return controls(s.card);
    if (LIVE[s.status]) {
      if (s.status === "waiting" && !socket) line(t("widget-connecting"), "system");
      foot.style.display = "flex";
      return connect();
    }
    foot.style.display = "none";
    if (s.status === "fallback") {
      line(s.fallback_message || t("widget-no-agent"), "notice");
      if (s.left_message) thanks(s.left_message); else leaveForm();
    }
    // Back on the page after a chat an agent took, not rated yet: ask again.
    if (s.status === "ended" && s.rating_open && !body.querySelector(".sbw-rate")) askRating();
    offerNew();
  }

  function answer(data) {
    return api("POST", "/widget/conversations/" + state.conversation_id + "/answers", data, state.visitor_token);
  }

  function moveOn(data) {
    return answer(data).then(settle);
  }

  function wentWrong() { line(t("widget-went-wrong"), "system"); }

  /* The controls of the card the visitor stands at; its text is in the transcript already. */
  function controls(card) {
    if (card.kind === "message") {
      // A message card reads on by itself, after a moment to read it.
      clearTimeout(advanceTimer);
      advanceTimer = setTimeout(function () {
        moveOn({ card_id: card.id }).catch(wentWrong);
      }, 900);
    } else if (card.kind === "question") {
      var box = el("div", "sbw-choices");
      (card.choices || []).forEach(function (c) {
        var b = el("button", "sbw-btn", c.label);
        b.type = "button";
        b.onclick = function () {
          box.remove();
          moveOn({ card_id: card.id, choice: c.id }).catch(wentWrong);
        };
        box.appendChild(b);
      });
      body.appendChild(box);
    } else if (card.kind === "capture") {
      captureForm(card);
    }
    body.scrollTop = body.scrollHeight;
  }

  /* A labelled field with its error line; returns the input. */
  function field(form, id, name, type, required, errors) {
    var l = el("label", "", t("widget-field", { name: name }) + (required ? " *" : ""));
    l.htmlFor = id;
    var i = el(type === "textarea" ? "textarea" : "input");
    i.id = id;
    i.name = name;
    if (type !== "textarea") i.type = type;
    i.required = !!required;
    if (type === "email") i.autocomplete = "email";
    var err = el("div", "sbw-error");
    err.id = id + "-error";
    i.setAttribute("aria-describedby", err.id);
    errors[name] = { input: i, line: err };
    form.append(l, i, err);
    return i;
  }

  /* Checks a form's fields before it goes: required ones filled, emails that look like one.
   * Says what is wrong beside each field; true when nothing is. */
  function checked(errors) {
    var ok = true;
    Object.keys(errors).forEach(function (name) {
      var f = errors[name];
      var value = f.input.value.trim();
      var message = "";
      if (f.input.required && !value) message = t("widget-required");
      else if (value && f.input.type === "email" && !EMAIL.test(value)) message = t("widget-bad-email");
      f.line.textContent = message;
      f.input.setAttribute("aria-invalid", message ? "true" : "false");
      if (message && ok) { f.input.focus(); ok = false; }
    });
    return ok;
  }

  /* The server refused a form: beside the field it names, else below the form. */
  function refused(errors, p, fallback) {
    var name = p && p.field ? p.field.replace("fields.", "") : "";
    var f = errors[name];
    if (f) {
      f.line.textContent = f.input.type === "email" ? t("widget-bad-email") : t("widget-check-field");
      f.input.setAttribute("aria-invalid", "true");
      f.input.focus();
    } else {
      line(fallback, "system");
    }
  }

  function captureForm(card) {
    var form = el("form", "sbw-form");
    form.noValidate = true;
    var errors = {};
    (card.fields || []).forEach(function (f) {
      field(form, "sbw-" + card.id + "-" + f.name, f.name, TYPES[f.name] || "text", f.required, errors);
    });
    var submit = el("button", "sbw-btn sbw-primary", t("widget-send"));
    submit.type = "submit";
    form.appendChild(submit);
    form.onsubmit = function (ev) {
      ev.preventDefault();
      if (!checked(errors)) return;
      var fields = {};
      Array.prototype.forEach.call(form.querySelectorAll("input"), function (i) {
        if (i.value.trim()) fields[i.name] = i.value.trim();
      });
      submit.disabled = true;
      answer({ card_id: card.id, fields: fields }).then(function (s) {
        form.remove();
        return settle(s);
      }, function (p) {
        submit.disabled = false;
        refused(errors, p, t("widget-check-form"));
      });
    };
    body.appendChild(form);
  }

  /* After any fallback: the visitor leaves a message the team answers by email. */
  function leaveForm() {
    var form = el("form", "sbw-form sbw-leave");
    form.noValidate = true;
    form.setAttribute("aria-label", t("widget-leave-title"));
    form.append(el("h3", "", t("widget-leave-title")), el("p", "", t("widget-leave-intro")));
    var errors = {};
    var name = field(form, "sbw-leave-name", "name", "text", false, errors);
    var email = field(form, "sbw-leave-email", "email", "email", true, errors);
    var message = field(form, "sbw-leave-message", "message", "textarea", true, errors);
    message.maxLength = 4000;
    var submit = el("button", "sbw-btn sbw-primary", t("widget-leave-send"));
    submit.type = "submit";
    form.appendChild(submit);
    form.onsubmit = function (ev) {
      ev.preventDefault();
      if (!checked(errors)) return;
      var data = { email: email.value.trim(), message: message.value };
      if (name.value.trim()) data.name = name.value.trim();
      submit.disabled = true;
      api("POST", "/widget/conversations/" + state.conversation_id + "/leave-message", data, state.visitor_token)
        .then(function (left) {
          state.left_message = left;
          form.remove();
          thanks(left);
        }, function (p) {
          submit.disabled = false;
          refused(errors, p, t("widget-leave-failed"));
        });
    };
    body.appendChild(form);
    body.scrollTop = body.scrollHeight;
  }

  function thanks(left) {
    var text = left.name
      ? t("widget-thanks-named", { name: left.name, email: left.email })
      : t("widget-thanks", { email: left.email });
    line(text, "bot", { sent_at: left.created_at }).classList.add("sbw-thanks");
  }

  /* The conversation is over: the visitor may start another, or have this one emailed. */
  function offerNew() {
    actions.textContent = "";
    if (state && state.status === "ended") {
      var mail = el("button", "sbw-btn sbw-transcript", t("widget-transcript"));
      mail.type = "button";
      mail.onclick = function () {
        mail.disabled = true;
        api("POST", "/widget/conversations/" + state.conversation_id + "/transcript", {}, state.visitor_token)
          .then(function (sent) {
            mail.remove();
            line(t("widget-transcript-sent", { email: sent.to }), "system");
          }, function () {
            mail.remove();
            line(t("widget-transcript-failed"), "system");
          });
      };
      actions.appendChild(mail);
    }
    var b = el("button", "sbw-btn sbw-primary sbw-new", t("widget-new"));
    b.type = "button";
    b.onclick = function () { b.disabled = true; start(true); };
    actions.appendChild(b);
  }

  function connect() {
    if (socket || !state || !LIVE[state.status]) return;
    var at = state.conversation_id;
    socket = new WebSocket(base.replace(/^http/, "ws") + "/api/v1/ws/visitor?token=" + encodeURIComponent(state.visitor_token));
    var mine = socket;
    socket.onopen = function () {
      retry = 0;
      mine.send(JSON.stringify({ type: "resume", after_seq: lastSeq }));
      // Messages not acknowledged before the connection dropped go again, with the same
      // client id: the server stores each once.
      Array.prototype.forEach.call(body.querySelectorAll("[data-client-id]"), function (m) {
        mine.send(JSON.stringify({ type: "message", body: m.textContent, client_id: m.getAttribute("data-client-id") }));
      });
    };
    socket.onmessage = function (ev) {
      if (state && state.conversation_id === at) onFrame(JSON.parse(ev.data));
    };
    socket.onclose = function () {
      socket = null;
      if (!state || !LIVE[state.status]) return;
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, 500 * retry);
    };
  }

  function over(status) {
    state.status = status;
    if (status === "ended") sub.textContent = t("widget-ended");
    typing.textContent = "";
    foot.style.display = "none";
    quiet();
  }

  /* The agent who holds the chat: their name in the header, and their photo when the
   * workspace shows photos. */
  function meet(a) {
    agent = a;
    title.textContent = a.display_name;
    sub.textContent = t("widget-online");
    if (look.agent_photos && a.avatar_url) { avatar.src = a.avatar_url; avatar.style.display = ""; }
    else avatar.style.display = "none";
  }

  function onFrame(f) {
    if (f.type === "message") {
      if (draw(f) && f.sender === "agent") {
        typing.textContent = "";
        if (!isOpen()) { unread += 1; showUnread(); }
      }
    } else if (f.type === "agent_joined") {
      if (state.status !== "live") line(t("widget-joined", { name: f.agent.display_name }), "system");
      state.status = "live";
      typing.textContent = "";
      meet(f.agent);
    } else if (f.type === "queued") {
      state.status = "queued";
      var minutes = f.estimated_wait_seconds ? Math.max(1, Math.round(f.estimated_wait_seconds / 60)) : 0;
      typing.textContent = t("widget-queue", { position: f.position, minutes: minutes });
    } else if (f.type === "typing") {
      clearTimeout(typingTimer);
      typing.textContent = f.typing ? t("widget-typing", { name: agent ? agent.display_name : t("widget-agent") }) : "";
      typingTimer = setTimeout(function () { typing.textContent = ""; }, 4000);
    } else if (f.type === "fallback") {
      // Whatever the reason (no agent, the limit, a queue that timed out…): the message,
      // a way to leave one, and a new conversation.
      if (state.status === "fallback") return;
      over("fallback");
      state.fallback_message = f.message;
      state.fallback_reason = f.reason;
      next();
    } else if (f.type === "conversation_ended") {
      if (state.status === "ended") return;
      var hadAgent = state.status === "live";
      over("ended");
      // The end's own message (who ended it) is in the transcript.
      sync().then(function () {
        if (hadAgent) askRating();
        offerNew();
      });
    } else if (f.type === "error" && f.client_id) {
      var failed = body.querySelector('[data-client-id="' + CSS.escape(f.client_id) + '"]');
      if (failed) failed.closest(".sbw-row").remove();
      line(t("widget-message-refused"), "system");
    }
  }

  function sendMessage(ev) {
    ev.preventDefault();
    var text = input.value.trim();
    if (!text || !socket || socket.readyState !== 1) return;
    var id = "c" + Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
    var mine = line(text, "visitor");
    mine.classList.add("sbw-pending");
    mine.setAttribute("data-client-id", id);
    socket.send(JSON.stringify({ type: "message", body: text, client_id: id }));
    input.value = "";
    socket.send(JSON.stringify({ type: "typing", typing: false }));
    typingSent = 0;
  }
  function sayTyping() {
    var now = Date.now();
    if (socket && socket.readyState === 1 && now - typingSent > 2000) {
      typingSent = now;
      socket.send(JSON.stringify({ type: "typing", typing: true }));
    }
  }

  /* The console's preview: a sample conversation in the look being edited, open. */
  function sample() {
    var now = Date.now();
    var at = function (minutes) { return new Date(now - minutes * 60000).toISOString(); };
    line(t("widget-preview-bot"), "bot", { sent_at: at(3) });
    line(t("widget-preview-visitor"), "visitor", { sent_at: at(2) });
    meet({ id: "preview", display_name: t("widget-preview-agent-name"), avatar_url: null });
    line(t("widget-joined", { name: t("widget-preview-agent-name") }), "system");
    line(t("widget-preview-agent"), "agent", { sent_at: at(1), author_id: "preview" });
    foot.style.display = "flex";
    foot.onsubmit = function (ev) { ev.preventDefault(); };
    open();
  }

  function begin(config) {
    look = config;
    t = makeTexts(config.locale, config.texts);
    try {
      clock = new Intl.DateTimeFormat(config.locale, { hour: "numeric", minute: "2-digit" });
    } catch (e) { clock = null; }
    build();
    if (preview) { sample(); return; }
    // A returning visitor: their conversation comes back at once (so agent messages count
    // as unread while the panel is closed), and the panel as they left it.
    if (saved("")) start(false);
    if (saved(":open") === "1") open();
  }

  /* The look: the workspace's, or in the preview the one being edited (the page's query).
   * An unknown key (404) or a site the workspace does not allow (403) leaves no widget; a
   * failure on the way (the network, the server) is tried again, up to a minute apart. */
  var asked = "/widget/config?widget_key=" + encodeURIComponent(key || ""), tries = 0;
  function lookUp() {
  api("GET", asked).then(function (config) {
    if (preview) {
      var q = new URLSearchParams(location.search);
      if (/^#[0-9a-fA-F]{6}$/.test(q.get("color") || "")) config.color = q.get("color");
      if (q.has("title")) config.title = q.get("title") || config.title;
      if (q.has("greeting")) config.greeting = q.get("greeting") || null;
      if (q.get("position") === "left" || q.get("position") === "right") config.position = q.get("position");
      if (q.has("photos")) config.agent_photos = q.get("photos") === "1";
    }
    begin(config);
  }, function (p) {
    var final = p && (p.status === 403 || p.status === 404);
    if (window.console) console.warn("Switchboard widget:", (p && p.detail) || "unavailable");
    if (!final) setTimeout(lookUp, Math.min(60000, 1000 * Math.pow(2, tries++)));
  });
  }
  lookUp();
})();
