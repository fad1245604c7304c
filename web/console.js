/* Every console page: tells the server the browser's time zone (a cookie), so times are
 * shown in it until the user chooses one in their account. Pages work without it (UTC, or
 * the workspace's zone). */
(function () {
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone) return;
  var value = encodeURIComponent(zone);
  if (document.cookie.split("; ").indexOf("sb_tz=" + value) >= 0) return;
  document.cookie = "sb_tz=" + value + "; path=/; max-age=31536000; SameSite=Lax";
})();
