/* Every console page: tells the server the browser's time zone (a cookie), so times are
 * shown in it until the user chooses one in their account; folds the navigation behind a
 * Menu button on a phone; closes a navigation group when another opens or on a click
 * elsewhere. Pages work without it (UTC or the workspace's zone, the whole navigation). */
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  var groups = Array.prototype.slice.call(document.querySelectorAll(".nav-group"));
  groups.forEach(function (g) {
    g.addEventListener("toggle", function () {
      if (g.open) groups.forEach(function (o) { if (o !== g) o.open = false; });
    });
  });
  document.addEventListener("click", function (ev) {
    groups.forEach(function (g) { if (g.open && !g.contains(ev.target)) g.open = false; });
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") groups.forEach(function (g) { g.open = false; });
  });
  // A Copy button after each value meant to be copied (the widget tag, a new key, an
  // invitation link).
  var labels = document.body.dataset;
  Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), function (field) {
    var copy = document.createElement("button");
    copy.type = "button";
    copy.className = "secondary copy-button";
    copy.textContent = labels.copyLabel;
    copy.addEventListener("click", function () {
      var text = field.value !== undefined && field.tagName !== "CODE" ? field.value : field.textContent;
      var done = function () {
        copy.textContent = labels.copiedLabel;
        setTimeout(function () { copy.textContent = labels.copyLabel; }, 2000);
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () { field.select && field.select(); });
      } else if (field.select) {
        field.select();
        document.execCommand("copy");
        done();
      }
    });
    field.insertAdjacentElement("afterend", copy);
  });
  var button = document.querySelector(".menu-button");
  var nav = document.getElementById("console-nav");
  if (!button || !nav) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = nav.classList.toggle("open");
    button.setAttribute("aria-expanded", String(open));
  });
});
(function () {
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone) return;
  var value = encodeURIComponent(zone);
  if (document.cookie.split("; ").indexOf("sb_tz=" + value) >= 0) return;
  document.cookie = "sb_tz=" + value + "; path=/; max-age=31536000; SameSite=Lax";
})();
/* Destructive forms (delete a webhook, revoke a key) carry their question in
 * `data-confirm`: the browser asks it, and the confirmed form says so (`confirm=yes`), which
 * the server checks. Without the script the server asks the question on a page of its own. */
document.addEventListener("DOMContentLoaded", function () {
  Array.prototype.forEach.call(document.querySelectorAll("form[data-confirm]"), function (form) {
    form.addEventListener("submit", function (ev) {
      if (!window.confirm(form.dataset.confirm)) {
        ev.preventDefault();
        return;
      }
      if (!form.querySelector("input[name=confirm]")) {
        var yes = document.createElement("input");
        yes.type = "hidden";
        yes.name = "confirm";
        yes.value = "yes";
        form.appendChild(yes);
      }
    });
  });
});
