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
/* The widget page (/console/widget): a colour picker beside the colour's text, and the
 * preview following the form as it is edited (the frame's address carries the look; the
 * saved look is unchanged until Save). */
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("brand-form");
  var frame = document.getElementById("widget-preview");
  if (!form || !frame) return;
  var picker = document.getElementById("color-picker");
  var color = document.getElementById("color");
  var hex = /^#[0-9a-fA-F]{6}$/;
  if (picker && color) {
    picker.hidden = false;
    picker.addEventListener("input", function () { color.value = picker.value; });
    color.addEventListener("input", function () { if (hex.test(color.value.trim())) picker.value = color.value.trim(); });
  }
  var timer = 0;
  function refresh() {
    var q = new URLSearchParams();
    q.set("color", color.value.trim());
    q.set("title", form.elements.title.value);
    q.set("greeting", form.elements.greeting.value);
    var side = form.querySelector("input[name=position]:checked");
    q.set("position", side ? side.value : "right");
    q.set("photos", form.elements.agent_photos.checked ? "1" : "0");
    var next = "/console/widget/preview?" + q.toString();
    if (frame.getAttribute("src") !== next) frame.setAttribute("src", next);
  }
  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(refresh, 350); });
  form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(refresh, 100); });
});
/* Destructive forms (users, teams, routing, settings, canned replies, webhooks, API keys): a form
 * with data-confirm asks its question in place; confirmed, it is sent with confirm=yes and
 * acts at once. Without the script (or when the question is dismissed nothing is sent), the
 * server answers an unconfirmed form with its own confirmation page. */
document.addEventListener("submit", function (ev) {
  var form = ev.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-confirm")) return;
  // A confirmation page's own form is confirmed already; an answer this script added earlier
  // (a page brought back by Back) is not an answer to this click.
  Array.prototype.forEach.call(form.querySelectorAll("input[data-asked]"), function (i) { i.remove(); });
  if (form.querySelector("input[name=confirm]")) return;
  if (!window.confirm(form.getAttribute("data-confirm"))) {
    ev.preventDefault();
    return;
  }
  var confirmed = document.createElement("input");
  confirmed.type = "hidden";
  confirmed.name = "confirm";
  confirmed.value = "yes";
  confirmed.setAttribute("data-asked", "");
  form.appendChild(confirmed);
});
