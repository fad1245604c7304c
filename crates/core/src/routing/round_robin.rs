//! Round-robin over a stable order of agents (SPEC §5): start at the shared cursor, skip the
//! ineligible, take the first eligible one, and move the cursor just past it. N requests
//! over N eligible agents give each exactly one.

/// The outcome of one pick over `len` candidates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pick<R> {
    /// Index of the chosen candidate, if any was eligible.
    pub chosen: Option<usize>,
    /// Candidates passed over before the choice (or all of them), with why.
    pub skipped: Vec<(usize, R)>,
    /// The cursor to store for the next pick: just past the chosen one, or unchanged.
    pub next_cursor: u64,
}

/// Picks from `len` candidates in order, starting at `cursor` (taken modulo `len`), using
/// `check` to tell whether candidate `i` is eligible (`Ok`) or why not (`Err`).
pub fn pick<R>(len: usize, cursor: u64, mut check: impl FnMut(usize) -> Result<(), R>) -> Pick<R> {
    let mut skipped = Vec::new();
    if len == 0 {
        return Pick {
            chosen: None,
            skipped,
            next_cursor: cursor,
        };
    }
    let n = len as u64;
    let start = cursor % n;
    for step in 0..n {
        let i = usize::try_from((start + step) % n).unwrap_or(0);
        match check(i) {
            Ok(()) => {
                return Pick {
                    chosen: Some(i),
                    skipped,
                    next_cursor: (i as u64 + 1) % n,
                };
            }
            Err(reason) => skipped.push((i, reason)),
        }
    }
    Pick {
        chosen: None,
        skipped,
        next_cursor: cursor,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn n_picks_over_n_eligible_agents_give_each_exactly_one() {
        let mut cursor = 0;
        let mut got = Vec::new();
        for _ in 0..5 {
            let p = pick::<()>(5, cursor, |_| Ok(()));
            got.push(p.chosen.unwrap());
            cursor = p.next_cursor;
        }
        got.sort();
        assert_eq!(got, vec![0, 1, 2, 3, 4]);
    }

    #[test]
    fn round_robin_skips_the_ineligible_and_says_why() {
        let p = pick(4, 1, |i| {
            if i == 1 || i == 2 {
                Err("away")
            } else {
                Ok(())
            }
        });
        assert_eq!(p.chosen, Some(3));
        assert_eq!(p.skipped, vec![(1, "away"), (2, "away")]);
        assert_eq!(p.next_cursor, 0);
    }

    #[test]
    fn no_eligible_agent_leaves_the_cursor_where_it_was() {
        let p = pick(3, 2, |_| Err("offline"));
        assert_eq!(p.chosen, None);
        assert_eq!(p.skipped.len(), 3);
        assert_eq!(p.next_cursor, 2);
        assert_eq!(pick::<()>(0, 7, |_| Ok(())).chosen, None);
    }

    proptest! {
        #[test]
        fn picks_are_fair_over_the_eligible(eligible in proptest::collection::vec(any::<bool>(), 1..20), start in 0u64..1000, rounds in 1usize..5) {
            let count = eligible.iter().filter(|e| **e).count();
            let mut cursor = start;
            let mut seen = vec![0usize; eligible.len()];
            for _ in 0..count * rounds {
                let p = pick(eligible.len(), cursor, |i| if eligible[i] { Ok(()) } else { Err(()) });
                let i = p.chosen.unwrap();
                prop_assert!(eligible[i]);
                seen[i] += 1;
                cursor = p.next_cursor;
            }
            for (i, e) in eligible.iter().enumerate() {
                prop_assert_eq!(seen[i], if *e { rounds } else { 0 });
            }
        }
    }
}
