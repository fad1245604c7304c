//! The designer's map of a dialogue: cards as boxes laid out by depth from the first card
//! (left to right), branches as arrows between them, a question's choices named on their
//! arrows. It is drawn on the server as SVG, so it shows without JavaScript; every box is a
//! link to its card's form. With `web/designer.js`, dragging from a branch's handle onto a
//! box sets that branch's select in the card's form and submits it.

use switchboard_i18n::Texts;

use super::forms::Editable;

/// A box's width, the gap between columns and between boxes of a column, the margin.
const W: i32 = 176;
const GAP_X: i32 = 92;
const GAP_Y: i32 = 28;
const PAD: i32 = 16;
/// A line of text in a box, and the characters that fit on one.
const LINE: i32 = 17;
const CHARS: usize = 25;

pub(super) struct Flow {
    pub width: i32,
    pub height: i32,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// Branches that lead nowhere: a short stub marked "End".
    pub ends: Vec<End>,
}

pub(super) struct Node {
    pub id: String,
    pub x: i32,
    pub y: i32,
    pub h: i32,
    /// `message`, `question`, `capture` or `live_chat` (a CSS class).
    pub kind: String,
    /// The kind, and what marks it (start, hand-off, refused...), as read.
    pub badge: String,
    /// The card's text, shortened, then its error or tip: `(y, text, class)`.
    pub lines: Vec<(i32, String, &'static str)>,
    pub fault: bool,
    pub tip: bool,
    pub handoff: bool,
    pub start: bool,
    /// Not reached from the first card, or not saved: drawn dashed.
    pub loose: bool,
    /// What a screen reader says of the box.
    pub label: String,
    pub ports: Vec<Port>,
}

/// Where a branch leaves its box: the handle to drag from.
pub(super) struct Port {
    pub x: i32,
    pub y: i32,
    /// The id of the select of the card's form that sets this branch.
    pub select: String,
    pub label: String,
}

pub(super) struct Edge {
    pub from: String,
    pub to: String,
    pub path: String,
    /// A choice's label, at the arrow's start: `(x, y, text)`.
    pub label: Option<(i32, i32, String)>,
    pub refused: bool,
}

pub(super) struct End {
    pub path: String,
    pub x: i32,
    pub y: i32,
    pub label: String,
}

/// What the map marks on a card besides its content.
pub(super) struct Marks<'a> {
    /// The card at fault and why.
    pub fault: Option<(&'a str, &'a str)>,
    /// Per card, its tips.
    pub tips: &'a [(String, Vec<String>)],
    /// Cards shown but not saved.
    pub unsaved: &'a [String],
}

fn kind_name(kind: &str, tx: Texts) -> String {
    tx.t(match kind {
        "question" => "kind-question",
        "capture" => "kind-capture",
        "live_chat" => "kind-live-chat",
        _ => "kind-message",
    })
}

/// `text` cut into lines of at most `CHARS` characters at spaces (a word too long is cut).
fn wrap(text: &str, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let word: String = word.chars().take(CHARS).collect();
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > CHARS {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            let kept: String = last.chars().take(CHARS - 1).collect();
            *last = format!("{kept}…");
        }
    }
    lines
}

fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let kept: String = text.chars().take(max - 1).collect();
        format!("{}…", kept.trim_end())
    }
}

/// The branches of `card`: `(select id, choice label, next)`.
fn branches(card: &Editable) -> Vec<(String, Option<String>, String)> {
    match card.kind.as_str() {
        "question" => card
            .choices
            .iter()
            .enumerate()
            .map(|(j, c)| {
                (
                    format!("choice-next-{}-{j}", card.id),
                    Some(c.label.clone()),
                    c.next.clone(),
                )
            })
            .collect(),
        "live_chat" => Vec::new(),
        _ => vec![(format!("next-{}", card.id), None, card.next.clone())],
    }
}

/// Each card's column: its depth from the first card; cards not reached go in a last column.
fn depths(cards: &[Editable]) -> Vec<Option<usize>> {
    let mut depth = vec![None; cards.len()];
    if cards.is_empty() {
        return depth;
    }
    depth[0] = Some(0);
    let mut queue = std::collections::VecDeque::from([0usize]);
    while let Some(i) = queue.pop_front() {
        let d = depth[i].unwrap_or(0);
        // A live-chat card's link is refused, but the refused card is drawn beside it.
        let refused = (cards[i].kind == "live_chat").then(|| cards[i].next.clone());
        let nexts = branches(&cards[i]).into_iter().map(|b| b.2).chain(refused);
        for next in nexts {
            if let Some(j) = cards.iter().position(|c| c.id == next)
                && depth[j].is_none()
            {
                depth[j] = Some(d + 1);
                queue.push_back(j);
            }
        }
    }
    depth
}

/// Whether card `i` cannot be reached from the first card.
pub(super) fn unreached(cards: &[Editable], i: usize) -> bool {
    depths(cards).get(i).is_some_and(Option::is_none)
}

pub(super) fn flow(cards: &[Editable], marks: &Marks<'_>, tx: Texts) -> Flow {
    let depth = depths(cards);
    let reached_columns = depth.iter().flatten().max().map_or(0, |d| d + 1);
    let column = |i: usize| depth[i].unwrap_or(reached_columns);
    let columns = if depth.iter().any(Option::is_none) {
        reached_columns + 1
    } else {
        reached_columns
    };
    // Cards in the order they are met from the start (breadth first), then the rest.
    let mut order: Vec<usize> = (0..cards.len()).collect();
    order.sort_by_key(|&i| (column(i), depth[i].is_none()));
    let mut bottom = vec![PAD; columns.max(1)];
    let mut nodes: Vec<Node> = Vec::with_capacity(cards.len());
    for &i in &order {
        let c = &cards[i];
        let col = column(i);
        let fault = marks.fault.filter(|(id, _)| *id == c.id).map(|(_, m)| m);
        let tips: &[String] = marks
            .tips
            .iter()
            .find(|(id, _)| *id == c.id)
            .map_or(&[], |(_, t)| t.as_slice());
        let unsaved = marks.unsaved.contains(&c.id);
        let handoff = c.kind == "live_chat";
        let mut badge = kind_name(&c.kind, tx);
        let mut flags = Vec::new();
        if i == 0 {
            flags.push(tx.t("flow-start"));
        }
        if handoff {
            badge = tx.t("flow-handoff");
        }
        if unsaved {
            flags.push(tx.t("flow-unsaved"));
        } else if depth[i].is_none() {
            flags.push(tx.t("flow-unreached"));
        }
        if !flags.is_empty() {
            badge = format!("{badge} · {}", flags.join(" · "));
        }
        let x = PAD + col as i32 * (W + GAP_X);
        let y = bottom[col];
        // From the top: the name and the kind (drawn by the template), the text, a
        // question's choices each with its handle, then the error or the tips.
        let mut lines: Vec<(i32, String, &'static str)> = Vec::new();
        let mut cursor = y + 58;
        for l in wrap(&c.text, 2) {
            lines.push((cursor, l, "node-text"));
            cursor += LINE;
        }
        let bs = branches(c);
        let mut ports = Vec::new();
        if c.kind == "question" && !unsaved {
            cursor += 4;
            for (select, label, _) in &bs {
                let label = label.clone().unwrap_or_default();
                lines.push((cursor, format!("→ {}", short(&label, 22)), "node-choice"));
                ports.push(Port {
                    x: x + W,
                    y: cursor - 4,
                    select: select.clone(),
                    label,
                });
                cursor += 22;
            }
        }
        let notes: Vec<String> = match fault {
            Some(m) => wrap(
                &format!(
                    "⚠ {} {m}",
                    tx.t1("label-colon", "label", tx.t("flow-error"))
                ),
                10,
            ),
            None => tips
                .iter()
                .flat_map(|t| {
                    let tip = tx.t1("label-colon", "label", tx.t("flow-tip"));
                    wrap(&format!("ⓘ {tip} {t}"), 5)
                })
                .collect(),
        };
        let class = if fault.is_some() {
            "node-error"
        } else {
            "node-tip"
        };
        if !notes.is_empty() {
            cursor += 4;
        }
        for n in notes {
            lines.push((cursor, n, class));
            cursor += LINE;
        }
        let h = (cursor - y - LINE + 14).max(62);
        if c.kind != "question" && !unsaved {
            for (select, _, _) in &bs {
                ports.push(Port {
                    x: x + W,
                    y: y + 31,
                    select: select.clone(),
                    label: tx.t("card-then"),
                });
            }
        }
        bottom[col] = y + h + GAP_Y;
        let mut label = tx.t2("flow-node-label", "card", &c.id, "kind", &badge);
        if let Some(m) = fault {
            label = format!(
                "{label}. {} {m}",
                tx.t1("label-colon", "label", tx.t("flow-error"))
            );
        }
        for t in tips {
            label = format!(
                "{label}. {} {t}",
                tx.t1("label-colon", "label", tx.t("flow-tip"))
            );
        }
        nodes.push(Node {
            id: c.id.clone(),
            x,
            y,
            h,
            kind: c.kind.clone(),
            badge,
            lines,
            fault: fault.is_some(),
            tip: !tips.is_empty() && fault.is_none(),
            handoff,
            start: i == 0,
            loose: unsaved || depth[i].is_none(),
            label,
            ports,
        });
    }
    let mut edges = Vec::new();
    let mut ends = Vec::new();
    for c in cards {
        let Some(from) = nodes.iter().find(|n| n.id == c.id) else {
            continue;
        };
        for ((_, label, next), port) in branches(c).into_iter().zip(&from.ports) {
            let (x1, y1) = (port.x, port.y);
            let short_label = label.as_deref().map(|l| short(l, 14));
            match nodes.iter().find(|n| n.id == next && !next.is_empty()) {
                Some(to) => {
                    let (x2, y2) = (to.x, to.y + 22);
                    let bend = ((x2 - x1).abs() / 2).max(60);
                    let path = format!(
                        "M{x1} {y1} C{} {y1}, {} {y2}, {} {y2}",
                        x1 + bend,
                        x2 - bend,
                        x2 - 2
                    );
                    edges.push(Edge {
                        from: c.id.clone(),
                        to: to.id.clone(),
                        path,
                        label: short_label.map(|l| ((x1 + x2) / 2 - 20, (y1 + y2) / 2 - 6, l)),
                        refused: marks.fault.is_some_and(|(id, _)| id == to.id || id == c.id)
                            && (to.fault || from.fault),
                    });
                }
                None => {
                    ends.push(End {
                        path: format!("M{x1} {y1} H{}", x1 + 34),
                        x: x1 + 40,
                        y: y1 + 4,
                        label: tx.t("flow-end"),
                    });
                }
            }
        }
    }
    // A card after a live-chat card: the refused link, in red.
    for c in cards
        .iter()
        .filter(|c| c.kind == "live_chat" && !c.next.is_empty())
    {
        let (Some(from), Some(to)) = (
            nodes.iter().find(|n| n.id == c.id),
            nodes.iter().find(|n| n.id == c.next),
        ) else {
            continue;
        };
        let (x1, y1, x2, y2) = (from.x + W, from.y + 31, to.x, to.y + 22);
        edges.push(Edge {
            from: c.id.clone(),
            to: to.id.clone(),
            path: format!(
                "M{x1} {y1} C{} {y1}, {} {y2}, {} {y2}",
                x1 + 60,
                x2 - 60,
                x2 - 2
            ),
            label: None,
            refused: true,
        });
    }
    let width = PAD * 2 + columns.max(1) as i32 * W + (columns.max(1) as i32 - 1) * GAP_X;
    // Room on the right for the last column's "End" stubs.
    let width = width + 72;
    let height = bottom.iter().copied().max().unwrap_or(PAD) + PAD;
    Flow {
        width,
        height,
        nodes,
        edges,
        ends,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_core::Locale;

    #[test]
    fn the_map_lays_cards_out_by_depth_with_one_arrow_per_link() {
        let mut welcome = Editable::new("welcome", "message", "Hi");
        welcome.next = "ask".into();
        let mut ask = Editable::new("ask", "question", "Talk?");
        ask.choices[0].next = "connect".into();
        let cards = [
            welcome,
            ask,
            Editable::new("connect", "live_chat", ""),
            Editable::new("lost", "message", "Nobody leads here"),
        ];
        let tips = [("connect".to_owned(), vec!["Ask first".to_owned()])];
        let marks = Marks {
            fault: None,
            tips: &tips,
            unsaved: &[],
        };
        let f = flow(&cards, &marks, Texts(Locale::En));
        let x = |id: &str| f.nodes.iter().find(|n| n.id == id).unwrap().x;
        assert!(x("welcome") < x("ask") && x("ask") < x("connect"));
        assert!(x("connect") < x("lost"), "not reached: last column");
        let links: Vec<_> = f
            .edges
            .iter()
            .map(|e| (e.from.as_str(), e.to.as_str()))
            .collect();
        assert_eq!(links, [("welcome", "ask"), ("ask", "connect")]);
        assert_eq!(f.edges[1].label.as_ref().unwrap().2, "Yes");
        // "No" ends, and so does "lost"; the live-chat card has no branch.
        assert_eq!(f.ends.len(), 2);
        let connect = f.nodes.iter().find(|n| n.id == "connect").unwrap();
        assert!(connect.handoff && connect.tip && connect.ports.is_empty());
        assert!(connect.badge.contains("Hand-off"), "{}", connect.badge);
        assert!(f.nodes.iter().find(|n| n.id == "lost").unwrap().loose);
    }

    #[test]
    fn long_texts_wrap_on_words_and_stop_with_an_ellipsis() {
        let lines = wrap(
            "A rather long sentence that goes on and on well past two lines of a box",
            2,
        );
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| l.chars().count() <= CHARS));
        assert!(lines[1].ends_with('…'));
    }
}
