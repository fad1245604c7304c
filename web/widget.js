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
 * branch finished) offers a new one; after any fallback the visitor can leave a message. */
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
  /* Statuses in which an agent is sought or here: the socket stays open. */
  var LIVE = { waiting: true, live: true, queued: true };
  var state = null, socket = null, lastSeq = 0, retry = 0, typingSent = 0, typingTimer = 0;
  var starting = null, unread = 0, pageTitle = document.title, advanceTimer = 0;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function saved(name) {
    try { return localStorage.getItem(store + name); } catch (e) { return null; }
  }
  function keep(name, value) {
    try { localStorage.setItem(store + name, value); } catch (e) { /* private mode */ }
  }

  var css = el("style");
  css.textContent =
    ".sbw-bubble{position:fixed;right:20px;bottom:20px;width:60px;height:60px;border-radius:50%;border:0;background:#1d4ed8;color:#fff;display:flex;align-items:center;justify-content:center;cursor:pointer;box-shadow:0 6px 20px rgba(29,78,216,.35);z-index:2147483000;transition:transform .15s}" +
    ".sbw-bubble:hover{transform:scale(1.06)}.sbw-badge{position:absolute;top:-2px;right:-2px;min-width:20px;height:20px;padding:0 5px;box-sizing:border-box;border-radius:10px;background:#dc2626;color:#fff;font:600 12px/20px system-ui,sans-serif;text-align:center;border:2px solid #fff}" +
    ".sbw-panel{position:fixed;right:20px;bottom:92px;width:370px;max-width:calc(100vw - 40px);height:600px;max-height:calc(100vh - 120px);display:none;flex-direction:column;background:#fff;color:#0f172a;border-radius:16px;box-shadow:0 12px 40px rgba(15,23,42,.25);font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;z-index:2147483000;overflow:hidden}" +
    ".sbw-open{display:flex}.sbw-head{background:linear-gradient(135deg,#1d4ed8,#4f46e5);color:#fff;padding:16px 14px 16px 18px;display:flex;align-items:center;gap:12px}" +
    ".sbw-head img{width:38px;height:38px;border-radius:50%;object-fit:cover;background:#fff;border:2px solid rgba(255,255,255,.6)}.sbw-who{flex:1;min-width:0}.sbw-title{display:block;font-weight:650;font-size:16px}.sbw-sub{display:block;font-size:12px;opacity:.85}" +
    ".sbw-close{border:0;background:rgba(255,255,255,.15);color:#fff;width:32px;height:32px;border-radius:50%;font-size:20px;line-height:1;cursor:pointer}.sbw-close:hover{background:rgba(255,255,255,.3)}" +
    ".sbw-body{flex:1;overflow-y:auto;padding:16px;display:flex;flex-direction:column;gap:8px;background:#f8fafc}" +
    ".sbw-msg{max-width:82%;padding:9px 13px;border-radius:16px;white-space:pre-wrap;word-wrap:break-word;box-shadow:0 1px 1px rgba(15,23,42,.06)}.sbw-visitor{align-self:flex-end;background:#1d4ed8;color:#fff;border-bottom-right-radius:4px}" +
    ".sbw-agent,.sbw-bot{align-self:flex-start;background:#fff;border:1px solid #e2e8f0;border-bottom-left-radius:4px}.sbw-system{align-self:center;color:#64748b;font-size:12px;text-align:center;box-shadow:none;padding:2px 8px}.sbw-pending{opacity:.6}" +
    ".sbw-notice{align-self:stretch;max-width:none;background:#fef3c7;border:1px solid #fde68a;color:#78350f;border-radius:12px}" +
    ".sbw-choices{display:flex;flex-wrap:wrap;gap:6px;justify-content:flex-end}.sbw-btn{border:1px solid #1d4ed8;background:#fff;color:#1d4ed8;border-radius:18px;padding:7px 14px;cursor:pointer;font:inherit;font-weight:550}.sbw-btn:hover{background:#eff6ff}" +
    ".sbw-primary{background:#1d4ed8;color:#fff}.sbw-primary:hover{background:#1e40af}" +
    ".sbw-form{align-self:stretch;background:#fff;border:1px solid #e2e8f0;border-radius:14px;padding:12px}.sbw-form h3{margin:0 0 2px;font-size:15px}.sbw-form p{margin:0 0 6px;color:#475569;font-size:13px}" +
    ".sbw-form label{display:block;margin-top:8px;font-size:12px;font-weight:600;color:#334155}.sbw-form input,.sbw-form textarea{width:100%;box-sizing:border-box;padding:8px 10px;border:1px solid #cbd5e1;border-radius:8px;font:inherit;background:#fff;color:inherit}" +
    ".sbw-form textarea{resize:vertical;min-height:72px}.sbw-form input:focus,.sbw-form textarea:focus{outline:2px solid #93c5fd;border-color:#1d4ed8}.sbw-form .sbw-btn{margin-top:10px}" +
    ".sbw-error{color:#b91c1c;font-size:12px;min-height:0}.sbw-typing{color:#64748b;font-size:12px;min-height:16px;padding:2px 16px;background:#f8fafc}" +
    ".sbw-actions{padding:10px 14px;border-top:1px solid #e2e8f0;background:#fff;display:flex;flex-direction:column;gap:8px}.sbw-actions:empty{display:none}.sbw-actions .sbw-btn{width:100%;padding:10px}" +
    ".sbw-foot{display:flex;align-items:flex-end;gap:8px;padding:10px 12px;border-top:1px solid #e2e8f0;background:#fff}.sbw-foot textarea{flex:1;border:1px solid #cbd5e1;border-radius:18px;padding:8px 14px;resize:none;font:inherit;max-height:120px}" +
    ".sbw-foot button{border:0;background:#1d4ed8;color:#fff;font-weight:600;padding:8px 16px;border-radius:18px;cursor:pointer}" +
    ".sbw-foot .sbw-attach{background:#fff;color:#1d4ed8;border:1px solid #cbd5e1;padding:6px 8px;line-height:0;border-radius:50%}.sbw-file-input{position:absolute;width:1px;height:1px;opacity:0;overflow:hidden}" +
    ".sbw-image{display:block;max-width:100%;max-height:220px;border-radius:10px}.sbw-file{color:inherit;text-decoration:underline}" +
    ".sbw-rate{align-self:stretch;background:#fff;border:1px solid #e2e8f0;border-radius:14px;padding:12px;text-align:center}.sbw-rate p{margin:0 0 8px;font-weight:600}" +
    ".sbw-stars{display:flex;justify-content:center;gap:4px}.sbw-star{border:0;background:none;font-size:26px;line-height:1;color:#cbd5e1;cursor:pointer;padding:2px}.sbw-star.sbw-on{color:#f59e0b}" +
    ".sbw-rate textarea{width:100%;box-sizing:border-box;margin-top:8px;padding:8px 10px;border:1px solid #cbd5e1;border-radius:8px;font:inherit;resize:vertical;min-height:56px}.sbw-rate .sbw-btn{margin-top:8px}" +
    "@media (max-width:480px){.sbw-panel{right:0;bottom:0;width:100vw;max-width:100vw;height:100%;max-height:100%;border-radius:0}.sbw-open~.sbw-bubble{display:none}}";
  document.head.appendChild(css);

  var bubble = el("button", "sbw-bubble");
  bubble.type = "button";
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
  var badge = el("span", "sbw-badge");
  badge.style.display = "none";
  bubble.append(svg, badge);
  var panel = el("div", "sbw-panel");
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", "Chat");
  var head = el("div", "sbw-head");
  var avatar = el("img");
  avatar.alt = "";
  avatar.style.display = "none";
  var who = el("div", "sbw-who");
  var title = el("span", "sbw-title", "Chat with us");
  var sub = el("span", "sbw-sub", "We usually reply in a few minutes");
  who.append(title, sub);
  var close = el("button", "sbw-close", "×");
  close.type = "button";
  close.setAttribute("aria-label", "Close the chat");
  head.append(avatar, who, close);
  var body = el("div", "sbw-body");
  body.setAttribute("aria-live", "polite");
  var typing = el("div", "sbw-typing");
  var actions = el("div", "sbw-actions");
  var foot = el("form", "sbw-foot");
  var input = el("textarea");
  input.rows = 1;
  input.maxLength = 4000;
  input.setAttribute("aria-label", "Your message");
  input.placeholder = "Write a message…";
  var send = el("button", "", "Send");
  send.type = "submit";
  var fileInput = el("input", "sbw-file-input");
  fileInput.type = "file";
  fileInput.accept = "image/png,image/jpeg,image/gif,image/webp,application/pdf";
  fileInput.setAttribute("aria-label", "Attach a file");
  var attach = el("button", "sbw-attach");
  attach.type = "button";
  var clip = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  clip.setAttribute("viewBox", "0 0 24 24");
  clip.setAttribute("width", "18");
  clip.setAttribute("height", "18");
  clip.setAttribute("aria-hidden", "true");
  var clipPath = document.createElementNS("http://www.w3.org/2000/svg", "path");
  clipPath.setAttribute("fill", "none");
  clipPath.setAttribute("stroke", "currentColor");
  clipPath.setAttribute("stroke-width", "2");
  clipPath.setAttribute("stroke-linecap", "round");
  clipPath.setAttribute("d", "M21 11.5l-8.6 8.6a5 5 0 0 1-7.1-7.1l8.6-8.6a3.3 3.3 0 0 1 4.7 4.7l-8.6 8.6a1.7 1.7 0 0 1-2.4-2.4l7.9-7.9");
  clip.appendChild(clipPath);
  attach.appendChild(clip);
  attach.title = "Attach an image or a PDF (up to 10 MB)";
  attach.setAttribute("aria-label", "Attach an image or a PDF");
  attach.onclick = function () { fileInput.click(); };
  foot.append(fileInput, attach, input, send);
  foot.style.display = "none";
  panel.append(head, body, typing, actions, foot);
  document.body.append(panel, bubble);

  function isOpen() { return panel.classList.contains("sbw-open"); }
  function showUnread() {
    badge.textContent = String(unread);
    badge.style.display = unread ? "" : "none";
    bubble.setAttribute("aria-label", unread ? "Chat with us (" + unread + " unread)" : "Chat with us");
    document.title = unread ? "(" + unread + ") " + pageTitle : pageTitle;
  }
  function open() {
    panel.classList.add("sbw-open");
    keep(":open", "1");
    unread = 0;
    showUnread();
    if (!state) start(false);
    body.scrollTop = body.scrollHeight;
  }
  function shut() {
    panel.classList.remove("sbw-open");
    keep(":open", "0");
  }
  bubble.onclick = function () { if (isOpen()) shut(); else open(); };
  close.onclick = shut;

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

  function line(text, kind) {
    var m = el("div", "sbw-msg sbw-" + kind, text);
    body.appendChild(m);
    body.scrollTop = body.scrollHeight;
    return m;
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
    }, function (p) {
      starting = null;
      line(p.detail || "The chat is unavailable right now.", "system");
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
    title.textContent = "Chat with us";
    sub.textContent = "We usually reply in a few minutes";
    avatar.style.display = "none";
    foot.style.display = "none";
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
      fileLine(m.attachment, m.sender);
    } else {
      line(m.body, m.sender);
    }
    return true;
  }

  /* A file in the conversation: an image shown in place, a PDF as a link; read with the
   * visitor's token, never by opening its address. */
  function fileLine(a, sender) {
    var m = line("", sender);
    var token = state && state.visitor_token;
    var got = fetch(base + "/api/v1/attachments/" + a.id, { headers: { Authorization: "Bearer " + token } })
      .then(function (r) { if (!r.ok) throw r.status; return r.blob(); });
    if (a.content_type.indexOf("image/") === 0) {
      var img = el("img", "sbw-image");
      img.alt = a.name;
      m.appendChild(img);
      img.onload = function () { body.scrollTop = body.scrollHeight; };
      got.then(function (b) { img.src = URL.createObjectURL(b); },
        function () { m.textContent = a.name; });
    } else {
      var link = el("a", "sbw-file", a.name + " (PDF)");
      link.href = "#";
      m.appendChild(link);
      got.then(function (b) { link.href = URL.createObjectURL(b); link.download = a.name; },
        function () { m.textContent = a.name; });
    }
    return m;
  }

  fileInput.onchange = function () {
    var file = fileInput.files[0];
    fileInput.value = "";
    if (!file || !state) return;
    if (file.size > 10 * 1024 * 1024) { line("This file is larger than 10 MB: it was not sent.", "system"); return; }
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
    }).catch(function (p) {
      line((p && p.detail) || "The file could not be sent.", "system");
    }).then(function () { attach.disabled = false; });
  };

  /* After a chat an agent took: how was it? 1 to 5 and a comment, once. */
  function askRating() {
    var box = el("div", "sbw-rate");
    box.appendChild(el("p", "", "How was your chat?"));
    var stars = el("div", "sbw-stars");
    stars.setAttribute("role", "radiogroup");
    stars.setAttribute("aria-label", "Your rating, 1 to 5");
    var score = 0;
    var buttons = [1, 2, 3, 4, 5].map(function (n) {
      var b = el("button", "sbw-star", "★");
      b.type = "button";
      b.setAttribute("role", "radio");
      b.setAttribute("aria-checked", "false");
      b.setAttribute("aria-label", n + (n === 1 ? " star" : " stars"));
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
    comment.placeholder = "Anything to add? (optional)";
    comment.setAttribute("aria-label", "Your comment");
    var sendRating = el("button", "sbw-btn sbw-primary", "Send my rating");
    sendRating.type = "button";
    sendRating.disabled = true;
    var error = el("div", "sbw-error");
    sendRating.onclick = function () {
      sendRating.disabled = true;
      api("POST", "/widget/conversations/" + state.conversation_id + "/rating",
        { score: score, comment: comment.value.trim() || null }, state.visitor_token)
        .then(function () {
          box.textContent = "";
          box.appendChild(el("p", "sbw-rated", "Thank you for your feedback!"));
        }, function (p) {
          error.textContent = p.detail || "Your rating could not be sent.";
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
      if (s.status === "waiting" && !socket) line("Connecting you to an agent…", "system");
      foot.style.display = "flex";
      return connect();
    }
    foot.style.display = "none";
    if (s.status === "fallback") {
      line(s.fallback_message || "No agent is available right now.", "notice");
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

  /* The controls of the card the visitor stands at; its text is in the transcript already. */
  function controls(card) {
    if (card.kind === "message") {
      // A message card reads on by itself, after a moment to read it.
      clearTimeout(advanceTimer);
      advanceTimer = setTimeout(function () {
        moveOn({ card_id: card.id }).catch(function (p) { line(p.detail || "Something went wrong.", "system"); });
      }, 900);
    } else if (card.kind === "question") {
      var box = el("div", "sbw-choices");
      (card.choices || []).forEach(function (c) {
        var b = el("button", "sbw-btn", c.label);
        b.type = "button";
        b.onclick = function () {
          box.remove();
          moveOn({ card_id: card.id, choice: c.id }).catch(function (p) {
            line(p.detail || "Something went wrong.", "system");
          });
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
  function field(form, id, name, label, type, required, errors) {
    var l = el("label", "", label + (required ? " *" : ""));
    l.htmlFor = id;
    var i = el(type === "textarea" ? "textarea" : "input");
    i.id = id;
    i.name = name;
    if (type !== "textarea") i.type = type;
    i.required = !!required;
    var err = el("div", "sbw-error");
    err.id = id + "-error";
    i.setAttribute("aria-describedby", err.id);
    errors[name] = err;
    form.append(l, i, err);
    return i;
  }

  function captureForm(card) {
    var form = el("form", "sbw-form");
    form.noValidate = true;
    var errors = {};
    (card.fields || []).forEach(function (f) {
      field(form, "sbw-" + card.id + "-" + f.name, f.name, LABELS[f.name] || f.name,
        TYPES[f.name] || "text", f.required, errors);
      errors["fields." + f.name] = errors[f.name];
    });
    var submit = el("button", "sbw-btn sbw-primary", "Send");
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
        return settle(s);
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

  /* After any fallback: the visitor leaves a message the team answers by email. */
  function leaveForm() {
    var form = el("form", "sbw-form sbw-leave");
    form.noValidate = true;
    form.setAttribute("aria-label", "Leave us a message");
    form.append(el("h3", "", "Leave us a message"), el("p", "", "We will get back to you by email."));
    var errors = {};
    var name = field(form, "sbw-leave-name", "name", "Name", "text", false, errors);
    var email = field(form, "sbw-leave-email", "email", "Email", "email", true, errors);
    var message = field(form, "sbw-leave-message", "message", "Message", "textarea", true, errors);
    message.maxLength = 4000;
    var submit = el("button", "sbw-btn sbw-primary", "Send message");
    submit.type = "submit";
    form.appendChild(submit);
    form.onsubmit = function (ev) {
      ev.preventDefault();
      Object.keys(errors).forEach(function (k) { errors[k].textContent = ""; });
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
          var target = errors[p.field];
          var labels = { name: "Name", email: "Email", message: "Message" };
          var text = (p.detail || "Please check this form.").replace(p.field + " ", "");
          if (target) target.textContent = labels[p.field] + " " + text;
          else line(p.detail || "Your message could not be sent.", "system");
        });
    };
    body.appendChild(form);
    body.scrollTop = body.scrollHeight;
  }

  function thanks(left) {
    var m = line("Thanks" + (left.name ? ", " + left.name : "") + "! We got your message and will reply to " + left.email + ".", "bot");
    m.classList.add("sbw-thanks");
  }

  /* The conversation is over: the visitor may start another, or have this one emailed. */
  function offerNew() {
    actions.textContent = "";
    if (state && state.status === "ended") {
      var mail = el("button", "sbw-btn sbw-transcript", "Email me this conversation");
      mail.type = "button";
      mail.onclick = function () {
        mail.disabled = true;
        api("POST", "/widget/conversations/" + state.conversation_id + "/transcript", {}, state.visitor_token)
          .then(function (sent) {
            mail.remove();
            line("The conversation is on its way to " + sent.to + ".", "system");
          }, function (p) {
            mail.remove();
            line(p.detail || "The conversation could not be emailed.", "system");
          });
      };
      actions.appendChild(mail);
    }
    var b = el("button", "sbw-btn sbw-primary sbw-new", "Start a new conversation");
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
    if (status === "ended") sub.textContent = "This chat has ended";
    typing.textContent = "";
    foot.style.display = "none";
    quiet();
  }

  function onFrame(f) {
    if (f.type === "message") {
      if (draw(f) && f.sender === "agent") {
        typing.textContent = "";
        if (!isOpen()) { unread += 1; showUnread(); }
      }
    } else if (f.type === "agent_joined") {
      if (state.status !== "live") line(f.agent.display_name + " joined the chat.", "system");
      state.status = "live";
      typing.textContent = "";
      title.textContent = f.agent.display_name;
      sub.textContent = "Online";
      if (f.agent.avatar_url) { avatar.src = f.agent.avatar_url; avatar.style.display = ""; }
    } else if (f.type === "queued") {
      state.status = "queued";
      typing.textContent = "You are number " + f.position + " in line" +
        (f.estimated_wait_seconds ? " (about " + Math.max(1, Math.round(f.estimated_wait_seconds / 60)) + " min)" : "") + ".";
    } else if (f.type === "typing") {
      clearTimeout(typingTimer);
      typing.textContent = f.typing ? (title.textContent || "The agent") + " is typing…" : "";
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

  // A returning visitor: their conversation comes back at once (so agent messages count as
  // unread while the panel is closed), and the panel as they left it.
  if (saved("")) start(false);
  if (saved(":open") === "1") open();
})();
