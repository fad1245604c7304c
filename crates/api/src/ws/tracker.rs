//! What one socket delivered, per conversation it follows: a plain struct, no I/O. Messages
//! reach a client exactly once and in `seq` order: the socket sends a message only if it is
//! the next one, reads the gap from the database when the Bus skipped some, and drops what it
//! sent already. A client that reconnects says what it has (`resume {after_seq}`), and gets
//! what it lacks from before this socket opened.

use std::collections::HashMap;

use uuid::Uuid;

/// Where one followed conversation stands on this socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Position {
    /// What the client has, or said it does not need: everything up to here that is not
    /// above `delivered` was not sent on this socket.
    floor: i64,
    /// The highest `seq` sent on this socket.
    delivered: i64,
}

/// How a message with some `seq` relates to what was delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Arrival {
    /// The socket does not follow its conversation.
    NotFollowed,
    /// Sent already.
    Duplicate,
    /// The very next one: send it.
    Next,
    /// Some before it are missing: read them (and it) from the database.
    Gap,
}

/// Messages of a conversation to send again after a `resume`: those with `after < seq <=
/// through`, which the client lacks and this socket did not send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Backfill {
    pub after: i64,
    pub through: i64,
}

#[derive(Debug, Default)]
pub(crate) struct Tracker {
    followed: HashMap<Uuid, Position>,
}

impl Tracker {
    /// Starts following a conversation whose messages up to `floor` the client has (or gets
    /// by resuming). False when it was followed already (nothing changes).
    pub(crate) fn follow(&mut self, conversation: Uuid, floor: i64) -> bool {
        if self.followed.contains_key(&conversation) {
            return false;
        }
        self.followed.insert(
            conversation,
            Position {
                floor,
                delivered: floor,
            },
        );
        true
    }

    /// The client has everything up to `seq` already (it read the conversation's state after
    /// the socket subscribed): nothing up to there is to be sent.
    pub(crate) fn start_at(&mut self, conversation: Uuid, seq: i64) {
        if let Some(p) = self.followed.get_mut(&conversation) {
            *p = Position {
                floor: seq,
                delivered: seq,
            };
        }
    }

    pub(crate) fn unfollow(&mut self, conversation: Uuid) -> bool {
        self.followed.remove(&conversation).is_some()
    }

    pub(crate) fn follows(&self, conversation: Uuid) -> bool {
        self.followed.contains_key(&conversation)
    }

    /// Every followed conversation.
    pub(crate) fn conversations(&self) -> Vec<Uuid> {
        self.followed.keys().copied().collect()
    }

    /// The highest `seq` sent of a followed conversation.
    pub(crate) fn delivered(&self, conversation: Uuid) -> Option<i64> {
        self.followed.get(&conversation).map(|p| p.delivered)
    }

    pub(crate) fn arrival(&self, conversation: Uuid, seq: i64) -> Arrival {
        match self.followed.get(&conversation) {
            None => Arrival::NotFollowed,
            Some(p) if seq <= p.delivered => Arrival::Duplicate,
            Some(p) if seq == p.delivered + 1 => Arrival::Next,
            Some(_) => Arrival::Gap,
        }
    }

    /// Records `seq` as sent if it is above what was; false when it is not to be sent (sent
    /// already, or not followed).
    pub(crate) fn record(&mut self, conversation: Uuid, seq: i64) -> bool {
        match self.followed.get_mut(&conversation) {
            Some(p) if seq > p.delivered => {
                p.delivered = seq;
                true
            }
            _ => false,
        }
    }

    /// The client reconnected and has everything up to `after`: what it lacks from before
    /// this socket opened (the rest, above the floor, is caught up as usual). `None` when the
    /// conversation is not followed. A client cannot hold more than this socket's floor from
    /// before it opened, so an `after` above it changes nothing (and must not hide messages
    /// yet to come).
    pub(crate) fn resume(&mut self, conversation: Uuid, after: i64) -> Option<Backfill> {
        let p = self.followed.get_mut(&conversation)?;
        let after = after.max(0);
        let backfill = Backfill {
            after,
            through: p.floor,
        };
        p.floor = p.floor.min(after);
        Some(backfill)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tracker_at(floor: i64) -> (Tracker, Uuid) {
        let mut t = Tracker::default();
        let c = Uuid::now_v7();
        assert!(t.follow(c, floor));
        (t, c)
    }

    #[test]
    fn the_next_message_is_sent_once() {
        let (mut t, c) = tracker_at(4);
        assert_eq!(t.arrival(c, 5), Arrival::Next);
        assert!(t.record(c, 5));
        assert_eq!(t.arrival(c, 5), Arrival::Duplicate);
        assert!(!t.record(c, 5));
        assert_eq!(t.delivered(c), Some(5));
    }

    #[test]
    fn a_skipped_seq_is_a_gap_and_older_ones_are_duplicates() {
        let (t, c) = tracker_at(4);
        assert_eq!(t.arrival(c, 7), Arrival::Gap);
        assert_eq!(t.arrival(c, 3), Arrival::Duplicate);
        assert_eq!(t.arrival(Uuid::now_v7(), 1), Arrival::NotFollowed);
    }

    #[test]
    fn following_twice_keeps_the_first_position() {
        let (mut t, c) = tracker_at(4);
        assert!(!t.follow(c, 0));
        assert_eq!(t.delivered(c), Some(4));
        assert!(t.unfollow(c));
        assert!(!t.follows(c));
        assert!(!t.record(c, 9));
    }

    #[test]
    fn resume_sends_what_the_client_lacks_from_before_the_socket() {
        let (mut t, c) = tracker_at(10);
        assert!(t.record(c, 11));
        let b = t.resume(c, 6).unwrap();
        assert_eq!(
            b,
            Backfill {
                after: 6,
                through: 10
            }
        );
        assert!(b.after < b.through);
        // Asked again from further back: only what is still below the (now lower) floor.
        assert_eq!(
            t.resume(c, 2),
            Some(Backfill {
                after: 2,
                through: 6
            })
        );
        assert_eq!(t.delivered(c), Some(11));
    }

    #[test]
    fn resume_beyond_the_floor_changes_nothing() {
        let (mut t, c) = tracker_at(3);
        let b = t.resume(c, 50).unwrap();
        assert!(b.after >= b.through);
        assert_eq!(t.arrival(c, 4), Arrival::Next);
        assert_eq!(t.resume(Uuid::now_v7(), 0), None);
    }

    #[test]
    fn a_negative_after_reads_from_the_start() {
        let (mut t, c) = tracker_at(3);
        assert_eq!(
            t.resume(c, -5),
            Some(Backfill {
                after: 0,
                through: 3
            })
        );
    }

    #[test]
    fn start_at_moves_both_floor_and_delivered() {
        let (mut t, c) = tracker_at(0);
        t.start_at(c, 8);
        assert_eq!(t.arrival(c, 9), Arrival::Next);
        let b = t.resume(c, 8).unwrap();
        assert!(b.after >= b.through);
    }
}
