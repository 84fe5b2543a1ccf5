//! When each ExternalSecret is next reconciled: the version last seen per
//! object and a queue ordered by due time, so finding what is due reads
//! only the due ones (not every ExternalSecret on every event).

use super::reconcile::Trigger;
use std::collections::{BTreeSet, HashMap};
use tokio::time::Instant;

/// `(namespace, name)`.
pub type Key = (String, String);

#[derive(Default)]
struct Entry {
    due: Option<(Instant, Trigger)>,
    seen_version: String,
}

#[derive(Default)]
pub struct Schedule {
    entries: HashMap<Key, Entry>,
    queue: BTreeSet<(Instant, Key)>,
}

impl Schedule {
    /// Record the version of `key` seen; true when it differs from the last
    /// one (or the object is new).
    pub fn see(&mut self, key: &Key, version: String) -> bool {
        let e = self.entries.entry(key.clone()).or_default();
        if e.seen_version == version && !e.seen_version.is_empty() {
            return false;
        }
        e.seen_version = version;
        true
    }

    pub fn knows(&self, key: &Key) -> bool {
        self.entries.contains_key(key)
    }

    /// Due at `due` (or never); replaces what was set before.
    pub fn set_due(&mut self, key: &Key, due: Option<(Instant, Trigger)>) {
        let Some(e) = self.entries.get_mut(key) else {
            return;
        };
        if let Some((t, _)) = e.due.take() {
            self.queue.remove(&(t, key.clone()));
        }
        if let Some((t, _)) = due {
            self.queue.insert((t, key.clone()));
        }
        e.due = due;
    }

    /// Due now unless already due earlier.
    pub fn due_by(&mut self, key: &Key, now: Instant, trigger: Trigger) {
        let earlier = self
            .entries
            .get(key)
            .and_then(|e| e.due)
            .is_some_and(|(t, _)| t <= now);
        if !earlier {
            self.set_due(key, Some((now, trigger)));
        }
    }

    pub fn remove(&mut self, key: &Key) {
        if let Some(e) = self.entries.remove(key)
            && let Some((t, _)) = e.due
        {
            self.queue.remove(&(t, key.clone()));
        }
    }

    /// Up to `limit` of the ExternalSecrets due at `now`, earliest first,
    /// taken off the queue; and whether more are due.
    pub fn take_due(&mut self, now: Instant, limit: usize) -> (Vec<(Key, Trigger)>, bool) {
        let mut out = Vec::new();
        while let Some((t, _)) = self.queue.first() {
            if *t > now {
                break;
            }
            if out.len() == limit {
                return (out, true);
            }
            let Some((_, key)) = self.queue.pop_first() else {
                break;
            };
            if let Some(e) = self.entries.get_mut(&key)
                && let Some((_, trigger)) = e.due.take()
            {
                out.push((key, trigger));
            }
        }
        (out, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn key(n: &str) -> Key {
        ("ns".into(), n.into())
    }

    #[test]
    fn takes_only_what_is_due_in_order_and_reports_more() {
        let mut s = Schedule::default();
        let now = Instant::now();
        for (n, after) in [("c", 3), ("a", 1), ("b", 2), ("later", 60)] {
            assert!(s.see(&key(n), "1-x".into()));
            s.set_due(
                &key(n),
                Some((now + Duration::from_secs(after), Trigger::Timer)),
            );
        }
        let at = now + Duration::from_secs(5);
        let (first, more) = s.take_due(at, 2);
        assert_eq!(
            first.iter().map(|(k, _)| k.1.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert!(more);
        let (rest, more) = s.take_due(at, 2);
        assert_eq!(
            rest.iter().map(|(k, _)| k.1.as_str()).collect::<Vec<_>>(),
            ["c"]
        );
        assert!(!more);
        assert!(
            s.take_due(at, 2).0.is_empty(),
            "taken ones are not due again"
        );
    }

    #[test]
    fn rescheduling_and_removal_leave_no_stale_entry() {
        let mut s = Schedule::default();
        let now = Instant::now();
        s.see(&key("a"), "1-x".into());
        s.set_due(&key("a"), Some((now, Trigger::Timer)));
        s.set_due(
            &key("a"),
            Some((now + Duration::from_secs(9), Trigger::Timer)),
        );
        assert!(
            s.take_due(now, 10).0.is_empty(),
            "the earlier time was replaced"
        );
        s.due_by(&key("a"), now, Trigger::Change);
        assert_eq!(s.take_due(now, 10).0, vec![(key("a"), Trigger::Change)]);
        s.set_due(&key("a"), Some((now, Trigger::Timer)));
        s.remove(&key("a"));
        assert!(s.take_due(now, 10).0.is_empty());
        assert!(!s.knows(&key("a")));
    }

    #[test]
    fn a_version_seen_again_is_not_a_change() {
        let mut s = Schedule::default();
        assert!(s.see(&key("a"), "1-x".into()));
        assert!(!s.see(&key("a"), "1-x".into()));
        assert!(s.see(&key("a"), "2-x".into()));
    }
}
