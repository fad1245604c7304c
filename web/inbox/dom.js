/* DOM helpers the other inbox modules share: building elements, and how a visitor is shown
 * (a name and a details list). Visitors' texts only ever go in through textContent. */

export const $ = (id) => document.getElementById(id);

export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
}

const LABELS = {
  first_name: "First name", last_name: "Last name", email: "Email",
  job_title: "Job title", company: "Company", phone: "Phone"
};

export function visitorName(v) {
  const c = (v && v.captured) || {};
  const name = [c.first_name, c.last_name].filter(Boolean).join(" ");
  return name || c.email || "A visitor";
}

function place(v) {
  return [v.city, v.region, v.country].filter(Boolean).join(", ");
}

/** Fills `dl` with what the visitor gave, where they are and the page they are on. */
export function showDetails(dl, v) {
  dl.textContent = "";
  const c = (v && v.captured) || {};
  const rows = Object.keys(c).map((k) => [LABELS[k] || k, c[k]]);
  if (v && v.user_id) {
    // Verified: the tenant's own site vouched for this id (identity verification).
    rows.push(["Customer ID", v.verified ? v.user_id + " \u2713 verified" : v.user_id + " (not verified)"]);
  }
  if (place(v || {})) rows.push(["Location", place(v)]);
  if (v && v.page_url) rows.push(["Page", v.page_url]);
  rows.forEach(([term, value]) => dl.append(el("dt", "", term), el("dd", "", value)));
  // The pages visited during this conversation, the latest first, with when.
  const pages = (v && Array.isArray(v.pages)) ? v.pages.slice().reverse() : [];
  if (pages.length > 1) {
    const list = el("ol", "pages");
    pages.forEach((p) => {
      const li = el("li", "", p.url);
      const at = Date.parse(p.at);
      if (at) li.append(el("span", "muted", " · " + new Date(at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })));
      list.appendChild(li);
    });
    const dd = el("dd");
    dd.appendChild(list);
    dl.append(el("dt", "", "Pages visited (" + pages.length + ")"), dd);
  }
}
