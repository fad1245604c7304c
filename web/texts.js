/* The catalogue's messages in a script (the widget, the inbox). The server sends a
 * language's messages as lists of parts (crates/i18n/src/script.rs): text, {v: name} for a
 * variable, {s: name, k: {key: parts}, d: key} for a choice on a variable — an exact value
 * first, else a number's plural category in that language (Intl.PluralRules), else the
 * default. makeTexts(locale, messages) returns t(id, args). A missing message reads as its
 * id (the catalogue test keeps that from happening). */
function makeTexts(locale, messages) {
  var rules = null;
  try { rules = new Intl.PluralRules(locale); } catch (e) { rules = null; }
  function render(parts, args) {
    var out = "";
    for (var i = 0; i < parts.length; i++) {
      var p = parts[i];
      if (typeof p === "string") out += p;
      else if (p.v !== undefined) out += args[p.v] == null ? "" : String(args[p.v]);
      else {
        var value = args[p.s];
        var key = p.d;
        if (value != null && p.k[String(value)] !== undefined) key = String(value);
        else if (typeof value === "number" && rules && p.k[rules.select(value)] !== undefined) key = rules.select(value);
        out += render(p.k[key] || [], args);
      }
    }
    return out;
  }
  return function t(id, args) {
    var parts = messages && messages[id];
    return parts ? render(parts, args || {}) : id;
  };
}
