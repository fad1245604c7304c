/* DOM helpers the other inbox modules share: building elements, and how a visitor is shown
 * (a name and a details list). Visitors' texts only ever go in through textContent. */

import { makeTexts } from "./texts.js";

export const $ = (id) => document.getElementById(id);

/* The page's texts in the reader's language (the catalogue's inbox- messages). */
const TEXTS = (() => {
  try { return JSON.parse(document.getElementById("inbox").dataset.texts); } catch (e) { return { locale: "en", messages: {} }; }
})();
export const locale = TEXTS.locale;
export const t = makeTexts(TEXTS.locale, TEXTS.messages);

/** A time of day in the reader's language. */
export function timeOf(at) {
  return new Date(at).toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" });
}

export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
}

export function visitorName(v) {
  const c = (v && v.captured) || {};
  const name = [c.first_name, c.last_name].filter(Boolean).join(" ");
  return name || c.email || t("inbox-a-visitor");
}

function place(v) {
  return [v.city, v.region, v.country].filter(Boolean).join(", ");
}

/** Fills `dl` with what the visitor gave, where they are and the page they are on. */
export function showDetails(dl, v) {
  dl.textContent = "";
  const c = (v && v.captured) || {};
  const rows = Object.keys(c).map((k) => [t("inbox-field", { name: k }), c[k]]);
  if (v && v.user_id) {
    // Verified: the tenant's own site vouched for this id (identity verification).
    rows.push([t("inbox-customer-id"), t(v.verified ? "inbox-verified" : "inbox-not-verified", { id: v.user_id })]);
  }
  if (place(v || {})) rows.push([t("inbox-location"), place(v)]);
  if (v && v.page_url) rows.push([t("inbox-page"), v.page_url]);
  rows.forEach(([term, value]) => dl.append(el("dt", "", term), el("dd", "", value)));
  // The pages visited during this conversation, the latest first, with when.
  const pages = (v && Array.isArray(v.pages)) ? v.pages.slice().reverse() : [];
  if (pages.length > 1) {
    const list = el("ol", "pages");
    pages.forEach((p) => {
      const li = el("li", "", p.url);
      const at = Date.parse(p.at);
      if (at) li.append(el("span", "muted", " · " + timeOf(at)));
      list.appendChild(li);
    });
    const dd = el("dd");
    dd.appendChild(list);
    dl.append(el("dt", "", t("inbox-pages-visited", { count: pages.length })), dd);
  }
}
