/* Switchboard inbox: the live part of /inbox. Offers arrive on the agent socket and show as a
 * blue banner with the visitor's details, a countdown and a sound; accepted chats open in the
 * pane. Every text from visitors is set with textContent, never parsed as HTML. */
(function () {
  "use strict";
  var root = document.getElementById("inbox");
  if (!root) return;
  var token = root.dataset.token;
  var $ = function (id) { return document.getElementById(id); };
  var LABELS = { first_name: "First name", last_name: "Last name", email: "Email",
    job_title: "Job title", company: "Company", phone: "Phone" };
  var chats = {};      // conversation id → {id, status, visitor, lastSeq, items: [], li}
  var offers = {};     // offer id → {banner, timer}
  var current = null, socket = null, retry = 0, typingSent = 0, typingTimer = 0, resendPending = false;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function api(method, path, data) {
    return fetch("/api/v1" + path, {
      method: method,
      headers: { "Content-Type": "application/json", Authorization: "Bearer " + token },
      body: data ? JSON.stringify(data) : undefined
    }).then(function (r) {
      if (r.status === 204) return {};
      return r.json().catch(function () { return {}; }).then(function (j) {
        if (!r.ok) { j.status = r.status; throw j; }
        return j;
      });
    });
  }

  // The page's token is short-lived: renew it from the session a minute before it expires.
  function renewLater(seconds) {
    setTimeout(function () {
      fetch("/inbox/token", { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) { location.href = "/console/login"; return; }
        return r.json().then(function (t) { token = t.access_token; renewLater(t.expires_in); });
      }, function () { renewLater(30); });
    }, Math.max(30, seconds - 60) * 1000);
  }
  renewLater(Number(root.dataset.expiresIn) || 900);

  function visitorName(v) {
    var c = (v && v.captured) || {};
    var name = [c.first_name, c.last_name].filter(Boolean).join(" ");
    return name || c.email || "A visitor";
  }

  function place(v) {
    return [v.city, v.region, v.country].filter(Boolean).join(", ");
  }

  function details(dl, v) {
    dl.textContent = "";
    var c = (v && v.captured) || {};
    var rows = Object.keys(c).map(function (k) { return [LABELS[k] || k, c[k]]; });
    if (place(v || {})) rows.push(["Location", place(v)]);
    if (v && v.page_url) rows.push(["Page", v.page_url]);
    rows.forEach(function (r) { dl.append(el("dt", "", r[0]), el("dd", "", r[1])); });
  }

  // ------------------------------------------------------------------ offers
  function showOffer(f) {
    if (offers[f.offer_id]) return;
    socket.send(JSON.stringify({ type: "offer_ack", offer_id: f.offer_id }));
    var banner = el("div", "offer-banner");
    banner.setAttribute("role", "alert");
    banner.dataset.offer = f.offer_id;
    var text = el("div", "offer-text");
    text.append(el("strong", "offer-name", visitorName(f.visitor)), el("span", "", " wants to chat"));
    var dl = el("dl", "offer-details");
    details(dl, f.visitor);
    var count = el("span", "offer-countdown");
    var accept = el("button", "accept", "Accept");
    var decline = el("button", "decline", "Decline");
    accept.type = decline.type = "button";
    banner.append(text, dl, count, accept, decline);
    $("sb-offers").appendChild(banner);
    if (f.conversation_id === wanted) { wanted = null; accept.focus(); }
    var deadline = Date.parse(f.expires_at);
    function tick() {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      count.textContent = left + " s left";
      if (left === 0) dropOffer(f.offer_id);
    }
    tick();
    offers[f.offer_id] = { banner: banner, timer: setInterval(tick, 1000), visitor: f.visitor };
    accept.onclick = function () {
      accept.disabled = decline.disabled = true;
      api("POST", "/offers/" + f.offer_id + "/accept").then(function () {
        dropOffer(f.offer_id);
        openChat(f.conversation_id, f.visitor, "live");
        select(f.conversation_id);
      }, function (p) {
        count.textContent = p.detail || "This offer is no longer open.";
        setTimeout(function () { dropOffer(f.offer_id); }, 3000);
      });
    };
    decline.onclick = function () {
      accept.disabled = decline.disabled = true;
      api("POST", "/offers/" + f.offer_id + "/decline").then(null, function () {}).then(function () {
        dropOffer(f.offer_id);
      });
    };
    if (root.dataset.sound === "true") {
      var sound = $("sb-sound");
      sound.currentTime = 0;
      var played = sound.play();
      root.dataset.sounds = String(Number(root.dataset.sounds || 0) + 1);
      if (played && played.catch) played.catch(function () { /* the browser wants a click first */ });
    }
  }

  function dropOffer(id) {
    var o = offers[id];
    if (!o) return;
    clearInterval(o.timer);
    o.banner.remove();
    delete offers[id];
  }

  // ------------------------------------------------------------------ chats
  function openChat(id, visitor, status) {
    var c = chats[id];
    if (!c) {
      c = chats[id] = { id: id, status: status, visitor: visitor || null, lastSeq: 0, items: [] };
      c.li = el("li");
      c.link = el("button", "chat-link", visitorName(visitor));
      c.link.type = "button";
      c.link.onclick = function () { select(id); };
      c.li.appendChild(c.link);
      if (!visitor) api("GET", "/conversations/" + id).then(function (conv) {
        c.visitor = conv.visitor;
        c.link.textContent = visitorName(conv.visitor);
        if (current === id) details($("sb-details"), conv.visitor);
      });
    }
    c.status = status;
    (status === "live" ? $("sb-live") : $("sb-past")).appendChild(c.li);
    $("sb-live-count").textContent = "(" + $("sb-live").children.length + ")";
    return c;
  }

  function select(id) {
    current = id;
    var c = chats[id];
    Object.keys(chats).forEach(function (k) { chats[k].link.removeAttribute("aria-current"); });
    c.link.setAttribute("aria-current", "true");
    $("sb-pane-title").textContent = visitorName(c.visitor);
    details($("sb-details"), c.visitor);
    var list = $("sb-messages");
    list.textContent = "";
    c.items.forEach(function (m) { list.appendChild(render(m)); });
    list.scrollTop = list.scrollHeight;
    $("sb-compose").hidden = c.status !== "live";
    $("sb-typing").textContent = "";
    if (c.status !== "live" && !c.loaded) {
      c.loaded = true;
      api("GET", "/conversations/" + id + "/messages?after=" + c.lastSeq).then(function (page) {
        page.items.forEach(function (m) { addMessage(m); });
      });
    }
  }

  function render(m) {
    var li = el("li", "msg msg-" + m.sender);
    li.appendChild(el("span", "body", m.body));
    if (m.pending) li.classList.add("pending");
    return li;
  }

  function addMessage(m) {
    var c = chats[m.conversation_id];
    if (!c || m.seq <= c.lastSeq) return;
    c.lastSeq = m.seq;
    var pending = m.client_id && c.items.filter(function (x) { return x.pending && x.client_id === m.client_id; })[0];
    if (pending) { pending.pending = false; pending.seq = m.seq; }
    else c.items.push(m);
    if (current === c.id) select(c.id);
    else c.link.classList.add("unread");
  }

  function ended(id) {
    var c = chats[id];
    if (!c) return;
    openChat(id, c.visitor, "ended");
    c.loaded = true;
    if (current === id) select(id);
  }

  // ------------------------------------------------------------------ socket
  function connect() {
    socket = new WebSocket(location.origin.replace(/^http/, "ws") + "/api/v1/ws/agent?token=" + encodeURIComponent(token));
    socket.onopen = function () { retry = 0; $("sb-connection").textContent = "Connected"; };
    resendPending = true;
    socket.onmessage = function (ev) { onFrame(JSON.parse(ev.data)); };
    socket.onclose = function () {
      $("sb-connection").textContent = "Reconnecting…";
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, 500 * retry);
    };
  }

  function onFrame(f) {
    if (f.type === "hello") {
      f.conversations.forEach(function (h) {
        var c = openChat(h.conversation_id, null, "live");
        showWanted(h.conversation_id);
        socket.send(JSON.stringify({ type: "resume", conversation_id: h.conversation_id, after_seq: c.lastSeq }));
        // Messages not acknowledged before the connection dropped go again (same client id).
        c.items.forEach(function (m) {
          if (m.pending && resendPending) {
            socket.send(JSON.stringify({ type: "message", conversation_id: c.id, body: m.body, client_id: m.client_id }));
          }
        });
      });
      resendPending = false;
    } else if (f.type === "offer") {
      showOffer(f);
    } else if (f.type === "offer_withdrawn") {
      dropOffer(f.offer_id);
    } else if (f.type === "conversation_assigned") {
      openChat(f.conversation_id, null, "live");
      if (!current) select(f.conversation_id);
      showWanted(f.conversation_id);
    } else if (f.type === "message") {
      addMessage(f);
    } else if (f.type === "typing") {
      if (f.conversation_id !== current) return;
      clearTimeout(typingTimer);
      $("sb-typing").textContent = f.typing ? "The visitor is typing…" : "";
      typingTimer = setTimeout(function () { $("sb-typing").textContent = ""; }, 4000);
    } else if (f.type === "conversation_ended") {
      ended(f.conversation_id);
    } else if (f.type === "error" && f.client_id) {
      Object.keys(chats).forEach(function (k) {
        chats[k].items = chats[k].items.filter(function (m) { return m.client_id !== f.client_id || !m.pending; });
      });
      if (current) select(current);
      $("sb-connection").textContent = f.detail;
    }
  }

  // ------------------------------------------------------------------ compose
  $("sb-compose").onsubmit = function (ev) {
    ev.preventDefault();
    var text = $("sb-text").value.trim();
    if (!text || !current || !socket || socket.readyState !== 1) return;
    var id = "c" + Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
    chats[current].items.push({ conversation_id: current, sender: "agent", body: text, client_id: id, pending: true });
    socket.send(JSON.stringify({ type: "message", conversation_id: current, body: text, client_id: id }));
    $("sb-text").value = "";
    typingSent = 0;
    select(current);
  };
  $("sb-text").onkeydown = function (ev) {
    if (ev.key === "Enter" && !ev.shiftKey) { ev.preventDefault(); $("sb-compose").requestSubmit(); }
  };
  $("sb-text").oninput = function () {
    var now = Date.now();
    if (current && socket && socket.readyState === 1 && now - typingSent > 2000) {
      typingSent = now;
      socket.send(JSON.stringify({ type: "typing", conversation_id: current, typing: true }));
    }
  };
  $("sb-end").onclick = function () {
    if (!current) return;
    var id = current;
    api("POST", "/conversations/" + id + "/end").then(function () { ended(id); }, function (p) {
      $("sb-connection").textContent = p.detail || "Could not end the chat.";
    });
  };
  // Notification preferences: the three boxes are saved together, as the API takes them.
  function savePreferences() {
    api("PUT", "/me/notification-preferences", {
      sound: $("sb-sound-on").checked,
      browser_notifications: $("sb-browser-on").checked,
      email_missed_chats: $("sb-email-on").checked
    }).then(function (p) {
      root.dataset.sound = String(p.sound);
      var wasOn = root.dataset.browser === "true";
      root.dataset.browser = String(p.browser_notifications);
      if (!p.browser_notifications) $("sb-push-banner").hidden = true;
      else if (!wasOn) setUpPush();
      $("sb-connection").textContent = "Preferences saved";
    }, function (p) {
      $("sb-connection").textContent = p.detail || "Could not save";
    });
  }
  ["sb-sound-on", "sb-browser-on", "sb-email-on"].forEach(function (id) { $(id).onchange = savePreferences; });
  $("sb-availability").onchange = function () {
    api("PUT", "/me/availability", { status: this.value }).then(function () {
      $("sb-connection").textContent = "Availability saved";
    }, function (p) { $("sb-connection").textContent = p.detail || "Could not save"; });
  };

  // ------------------------------------------------------------------ Web Push
  // The banner asks for browser notifications until this browser granted them and its push
  // subscription is stored; then offers reach the agent with no inbox open (sw.js shows them).
  function b64ToBytes(s) {
    var raw = atob((s + "===".slice((s.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/"));
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }
  function pushError(text) { $("sb-push-error").textContent = text; }
  function storeSubscription(sub) {
    return api("POST", "/me/push-subscriptions", sub.toJSON()).then(function () {
      $("sb-push-banner").hidden = true;
    });
  }
  function setUpPush() {
    var banner = $("sb-push-banner");
    if (root.dataset.browser !== "true" || !root.dataset.pushKey) return;
    if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
      banner.hidden = false;
      $("sb-push-enable").disabled = true;
      pushError("This browser cannot receive push notifications.");
      return;
    }
    navigator.serviceWorker.register("/sw.js").then(function (reg) {
      return reg.pushManager.getSubscription().then(function (sub) {
        if (sub && Notification.permission === "granted") return storeSubscription(sub);
        banner.hidden = false;
      });
    }).catch(function (e) {
      banner.hidden = false;
      pushError("Notifications could not be set up: " + (e && e.message || e));
    });
    $("sb-push-enable").onclick = function () {
      var button = this;
      button.disabled = true;
      pushError("");
      Promise.resolve(Notification.requestPermission()).then(function (permission) {
        if (permission !== "granted") {
          throw new Error("notifications are blocked for this site; allow them in the browser's site settings");
        }
        return navigator.serviceWorker.ready;
      }).then(function (reg) {
        pushError("Asking the browser's push service…");
        // The browser's push service may be unreachable (a closed network): give up after
        // 10 s rather than leave the button waiting for ever.
        return Promise.race([
          reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: b64ToBytes(root.dataset.pushKey) }),
          new Promise(function (_, reject) {
            setTimeout(function () { reject(new Error("the browser's push service did not answer; try again later")); }, 10000);
          })
        ]);
      }).then(function (sub) { pushError(""); return storeSubscription(sub); }).catch(function (e) {
        pushError("Could not enable notifications: " + ((e && (e.detail || e.message)) || e));
      }).then(function () { button.disabled = false; });
    };
  }
  setUpPush();

  // A notification opens /inbox?conversation=<id>: show that chat once it is known.
  var wanted = new URLSearchParams(location.search).get("conversation");
  function showWanted(id) {
    if (id !== wanted) return;
    wanted = null;
    if (chats[id]) select(id);
  }

  // Past chats: the agent's ended and handed-back conversations.
  api("GET", "/conversations?status=ended&limit=20").then(function (page) {
    page.items.forEach(function (conv) {
      var c = openChat(conv.id, conv.visitor, "ended");
      c.lastSeq = 0;
      showWanted(conv.id);
    });
  });
  connect();
})();
