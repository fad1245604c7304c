/* Switchboard service worker: shows the Web Push notifications the server sends an agent
 * (an offer no open inbox acknowledged in time), and opens the inbox on that conversation
 * when one is clicked. The push's payload is the offer, as JSON:
 * {type: "offer", offer_id, conversation_id, expires_at, visitor, title, body, url}. */
"use strict";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {}; }
  var title = data.title || "Switchboard";
  var options = {
    body: data.body || "",
    // One notification per offer: a repeat replaces it instead of stacking.
    tag: data.offer_id ? "offer-" + data.offer_id : "switchboard",
    renotify: true,
    requireInteraction: true,
    data: { url: data.url || "/inbox", offer_id: data.offer_id, expires_at: data.expires_at }
  };
  event.waitUntil(self.registration.showNotification(title, options));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = new URL((event.notification.data && event.notification.data.url) || "/inbox", self.location.origin).href;
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
    // An inbox already open is brought forward on that conversation; else a new one opens.
    for (var i = 0; i < windows.length; i++) {
      var w = windows[i];
      if (new URL(w.url).pathname.indexOf("/inbox") === 0 && "focus" in w) {
        return (w.navigate ? w.navigate(target) : Promise.resolve(w)).then(function (n) { return (n || w).focus(); });
      }
    }
    return self.clients.openWindow(target);
  }));
});
