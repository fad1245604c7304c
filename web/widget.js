/* Switchboard chat widget. Embed with:
 *   <script src="https://YOUR-SWITCHBOARD/widget.js" data-key="WIDGET_KEY" async></script>
 * No framework, no build. The server runs the dialogue; this only renders the card it is
 * given and the live chat. Text from visitors, agents and tenants is only ever set with
 * textContent, never parsed as HTML. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__switchboardWidget) return;
  window.__switchboardWidget = true;
  var key = script.getAttribute("data-key");
  var base = new URL(script.src, location.href).origin;
  var store = "switchboard:" + key;
  var LABELS = { first_name: "First name", last_name: "Last name", email: "Email",
    job_title: "Job title", company: "Company", phone: "Phone" };
  var TYPES = { email: "email", phone: "tel" };
  var state = null, socket = null, lastSeq = 0, retry = 0, typingSent = 0, typingTimer = 0;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  var css = el("style");
  css.textContent =
    ".sbw-bubble{position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;border:0;background:#1d4ed8;color:#fff;display:flex;align-items:center;justify-content:center;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);z-index:2147483000}" +
    ".sbw-panel{position:fixed;right:20px;bottom:88px;width:340px;max-width:calc(100vw - 40px);height:480px;max-height:calc(100vh - 120px);display:none;flex-direction:column;background:#fff;color:#111;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.25);font:14px/1.4 system-ui,sans-serif;z-index:2147483000;overflow:hidden}" +
    ".sbw-open{display:flex}.sbw-head{background:#1d4ed8;color:#fff;padding:12px 14px;display:flex;align-items:center;gap:10px;font-weight:600}" +
    ".sbw-head img{width:32px;height:32px;border-radius:50%;object-fit:cover;background:#fff}.sbw-body{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px}" +
    ".sbw-msg{max-width:80%;padding:8px 10px;border-radius:10px;white-space:pre-wrap;word-wrap:break-word}.sbw-visitor{align-self:flex-end;background:#1d4ed8;color:#fff}" +
    ".sbw-agent,.sbw-bot{align-self:flex-start;background:#f1f5f9}.sbw-system{align-self:center;color:#475569;font-size:12px}.sbw-pending{opacity:.6}" +
    ".sbw-choices{display:flex;flex-wrap:wrap;gap:6px}.sbw-btn{border:1px solid #1d4ed8;background:#fff;color:#1d4ed8;border-radius:16px;padding:6px 12px;cursor:pointer;font:inherit}" +
    ".sbw-form label{display:block;margin-top:6px;font-size:12px}.sbw-form input{width:100%;box-sizing:border-box;padding:6px;border:1px solid #94a3b8;border-radius:6px;font:inherit}" +
    ".sbw-error{color:#b91c1c;font-size:12px}.sbw-typing{color:#475569;font-size:12px;min-height:16px;padding:0 12px}" +
    ".sbw-foot{display:flex;border-top:1px solid #e2e8f0}.sbw-foot textarea{flex:1;border:0;padding:10px;resize:none;font:inherit}.sbw-foot button{border:0;background:#fff;color:#1d4ed8;font-weight:600;padding:0 14px;cursor:pointer}";
  document.head.appendChild(css);

  var bubble = el("button", "sbw-bubble");
  bubble.setAttribute("aria-label", "Chat with us");
  var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", "28");
  svg.setAttribute("height", "28");
  svg.setAttribute("aria-hidden", "true");
  var path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("fill", "currentColor");
  path.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z");
  svg.appendChild(path);
  bubble.appendChild(svg);
  var panel = el("div", "sbw-panel");
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", "Chat");
  var head = el("div", "sbw-head");
  var avatar = el("img");
  avatar.alt = "";
  avatar.style.display = "none";
  var title = el("span", "sbw-title", "Chat with us");
  head.append(avatar, title);
  var body = el("div", "sbw-body");
  body.setAttribute("aria-live", "polite");
  var typing = el("div", "sbw-typing");
  var foot = el("form", "sbw-foot");
  var input = el("textarea");
  input.rows = 2;
  input.maxLength = 4000;
  input.setAttribute("aria-label", "Your message");
  input.placeholder = "Write a message…";
  var send = el("button", "", "Send");
  send.type = "submit";
  foot.append(input, send);
  foot.style.display = "none";
  panel.append(head, body, typing, foot);
  document.body.append(panel, bubble);

  bubble.onclick = function () {
    panel.classList.toggle("sbw-open");
    if (!state) start();
  };

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

  function line(text, who) {
    var m = el("div", "sbw-msg sbw-" + who, text);
    body.appendChild(m);
    body.scrollTop = body.scrollHeight;
    return m;
  }

  function start() {
    var saved = null;
    try { saved = localStorage.getItem(store); } catch (e) { /* private mode */ }
    api("POST", "/widget/sessions", { widget_key: key, page_url: location.href, visitor_token: saved })
      .then(show, function (p) { line(p.detail || "The chat is unavailable right now.", "system"); });
  }

  function show(s) {
    state = s;
    try { localStorage.setItem(store, s.visitor_token); } catch (e) { /* private mode */ }
    if (s.card && s.status === "dialogue") renderCard(s.card);
    if (s.status === "waiting" || s.status === "live" || s.status === "ended" || s.status === "fallback") {
      if (s.status === "waiting") line("Connecting you to an agent…", "system");
      connect();
    }
    if (s.status === "completed" && !s.card) foot.style.display = "none";
  }

  function answer(data) {
    return api("POST", "/widget/conversations/" + state.conversation_id + "/answers", data, state.visitor_token);
  }

  function renderCard(card) {
    if (card.text) line(card.text, "bot");
    if (card.kind === "message") {
      var next = el("div", "sbw-choices");
      var ok = el("button", "sbw-btn", "Continue");
      ok.type = "button";
      ok.onclick = function () { next.remove(); answer({ card_id: card.id }).then(show); };
      next.appendChild(ok);
      body.appendChild(next);
    } else if (card.kind === "question") {
      var box = el("div", "sbw-choices");
      (card.choices || []).forEach(function (c) {
        var b = el("button", "sbw-btn", c.label);
        b.type = "button";
        b.onclick = function () {
          box.remove();
          line(c.label, "visitor");
          answer({ card_id: card.id, choice: c.id }).then(show);
        };
        box.appendChild(b);
      });
      body.appendChild(box);
    } else if (card.kind === "capture") {
      renderForm(card);
    }
    body.scrollTop = body.scrollHeight;
  }

  function renderForm(card) {
    var form = el("form", "sbw-form");
    form.noValidate = true;
    var errors = {};
    (card.fields || []).forEach(function (f) {
      var id = "sbw-" + card.id + "-" + f.name;
      var label = el("label", "", (LABELS[f.name] || f.name) + (f.required ? " *" : ""));
      label.htmlFor = id;
      var i = el("input");
      i.id = id;
      i.name = f.name;
      i.type = TYPES[f.name] || "text";
      i.required = !!f.required;
      var err = el("div", "sbw-error");
      err.id = id + "-error";
      i.setAttribute("aria-describedby", err.id);
      errors["fields." + f.name] = err;
      form.append(label, i, err);
    });
    var submit = el("button", "sbw-btn", "Send");
    submit.type = "submit";
    form.appendChild(submit);
    form.onsubmit = function (ev) {
      ev.preventDefault();
      var fields = {};
      Array.prototype.forEach.call(form.querySelectorAll("input"), function (i) {
        if (i.value.trim()) fields[i.name] = i.value.trim();
      });
      Object.keys(errors).forEach(function (k) { errors[k].textContent = ""; });
      answer({ card_id: card.id, fields: fields }).then(function (s) {
        form.remove();
        line(Object.keys(fields).map(function (k) { return fields[k]; }).join(" · "), "visitor");
        show(s);
      }, function (p) {
        var target = errors[p.field];
        var label = p.field ? LABELS[p.field.replace("fields.", "")] : null;
        var text = (p.detail || "Please check this form.").replace(p.field + " ", "");
        if (target) target.textContent = (label ? label + " " : "") + text;
        else line(p.detail || "Please check this form.", "system");
      });
    };
    body.appendChild(form);
  }

  function connect() {
    if (socket) return;
    foot.style.display = state.status === "ended" || state.status === "fallback" ? "none" : "flex";
    socket = new WebSocket(base.replace(/^http/, "ws") + "/api/v1/ws/visitor?token=" + encodeURIComponent(state.visitor_token));
    socket.onopen = function () {
      retry = 0;
      socket.send(JSON.stringify({ type: "resume", after_seq: lastSeq }));
      // Messages not acknowledged before the connection dropped go again, with the same
      // client id: the server stores each once.
      Array.prototype.forEach.call(body.querySelectorAll("[data-client-id]"), function (m) {
        socket.send(JSON.stringify({ type: "message", body: m.textContent, client_id: m.getAttribute("data-client-id") }));
      });
    };
    socket.onmessage = function (ev) { onFrame(JSON.parse(ev.data)); };
    socket.onclose = function () {
      socket = null;
      if (state.status === "ended" || state.status === "fallback") return;
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, 500 * retry);
    };
  }

  function onFrame(f) {
    if (f.type === "message") {
      if (f.seq <= lastSeq) return;
      lastSeq = f.seq;
      var pending = f.client_id && body.querySelector('[data-client-id="' + CSS.escape(f.client_id) + '"]');
      if (pending) {
        pending.classList.remove("sbw-pending");
        pending.removeAttribute("data-client-id");
      } else {
        line(f.body, f.sender);
      }
      if (f.sender === "agent") typing.textContent = "";
    } else if (f.type === "agent_joined") {
      state.status = "live";
      title.textContent = f.agent.display_name;
      if (f.agent.avatar_url) { avatar.src = f.agent.avatar_url; avatar.style.display = ""; }
      line(f.agent.display_name + " joined the chat.", "system");
    } else if (f.type === "typing") {
      clearTimeout(typingTimer);
      typing.textContent = f.typing ? (title.textContent || "The agent") + " is typing…" : "";
      typingTimer = setTimeout(function () { typing.textContent = ""; }, 4000);
    } else if (f.type === "fallback") {
      state.status = "fallback";
      line(f.message, "system");
      foot.style.display = "none";
    } else if (f.type === "conversation_ended") {
      state.status = "ended";
      typing.textContent = "";
      line("The chat has ended.", "system");
      foot.style.display = "none";
    } else if (f.type === "error" && f.client_id) {
      var failed = body.querySelector('[data-client-id="' + CSS.escape(f.client_id) + '"]');
      if (failed) failed.remove();
      line(f.detail, "system");
    }
  }

  foot.onsubmit = function (ev) {
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
  };
  input.onkeydown = function (ev) {
    if (ev.key === "Enter" && !ev.shiftKey) { ev.preventDefault(); foot.requestSubmit(); }
  };
  input.oninput = function () {
    var now = Date.now();
    if (socket && socket.readyState === 1 && now - typingSent > 2000) {
      typingSent = now;
      socket.send(JSON.stringify({ type: "typing", typing: true }));
    }
  };
})();
