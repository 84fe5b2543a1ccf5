//! Content identity of the Secrets and ConfigMaps pods read, and when the
//! console first saw each identity become current.
//!
//! A managedFields entry's time moves on *any* write by that manager (a
//! label or an annotation too), so it cannot say when the data changed.
//! The identity can: ESO's `reconcile.external-secrets.io/data-hash` for a
//! Secret (values are never read), a hash of `data` for a ConfigMap. A pod
//! is stale when it started before the current identity became current and
//! the identity current at its start was another one — so an edit that Argo
//! CD's selfHeal reverts leaves no pod stale. The log is kept in the state
//! dir by the backend, so it survives restarts; on first sight of an object
//! its managedFields time is the only hint, marked `inferred`.

use super::{ConfigMapObj, ObjKey, SecretMeta, Text};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Identities kept per object (the newest).
pub const KEEP: usize = 16;

/// One identity of an object and since when it was current.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen {
    /// 24 hex digits: held inline.
    pub id: Text,
    #[serde(with = "rfc3339")]
    pub since: DateTime<Utc>,
    /// `since` is the managedFields time (a hint), not a time the console
    /// saw the change.
    #[serde(default)]
    pub inferred: bool,
    /// The manager of the write (from managedFields), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<Text>,
}

/// Identities per object, per cluster scope (the kube context).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentLog {
    /// scope -> `Kind/namespace/name` -> identities, oldest first.
    pub scopes: BTreeMap<String, BTreeMap<String, Vec<Seen>>>,
    /// The scope new observations go to.
    #[serde(skip)]
    pub scope: String,
    /// Changed since the last save.
    #[serde(skip)]
    pub dirty: bool,
}

/// What a pod's start is compared with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub at: DateTime<Utc>,
    /// Only the managedFields time says so.
    pub inferred: bool,
}

fn object_key(kind: &str, key: &ObjKey) -> String {
    format!("{kind}/{}/{}", key.namespace, key.name)
}

/// A ConfigMap's identity: a hash of `data` and the keys of `binaryData`.
pub fn config_map_id(cm: &ConfigMapObj) -> String {
    let mut h = Sha256::new();
    for (k, v) in &cm.data {
        h.update((k.len() as u64).to_le_bytes());
        h.update(k.as_bytes());
        h.update((v.len() as u64).to_le_bytes());
        h.update(v.as_bytes());
    }
    for k in &cm.binary_data {
        h.update(b"\x00binary:");
        h.update(k.as_bytes());
    }
    let digest = h.finalize();
    digest[..12].iter().map(|b| format!("{b:02x}")).collect()
}

/// A Secret's identity: ESO's data-hash (values are never read).
pub fn secret_id(s: &SecretMeta) -> Option<String> {
    s.data_hash().map(str::to_string)
}

impl ContentLog {
    /// The scope of one cluster: its kube context and API server.
    pub fn scope_of(context: &str, server: &str) -> String {
        format!("{context} {server}")
    }

    pub fn history(&self, kind: &str, key: &ObjKey) -> &[Seen] {
        self.scopes
            .get(&self.scope)
            .and_then(|m| m.get(&object_key(kind, key)))
            .map_or(&[], Vec::as_slice)
    }

    /// The object's content is `id` as of `now` (`None`: the clock is not
    /// known yet). `written` is its data manager's managedFields time and
    /// name, the hint used on first sight. Returns whether the log changed.
    /// What is saved: this cluster's part only (the file keeps the
    /// others' as they are on disk).
    pub fn to_save(&self) -> ContentLog {
        let mine = self.scopes.get(&self.scope).cloned();
        ContentLog {
            scopes: mine.map(|m| (self.scope.clone(), m)).into_iter().collect(),
            scope: self.scope.clone(),
            dirty: false,
        }
    }

    pub fn observe(
        &mut self,
        kind: &str,
        key: &ObjKey,
        id: &str,
        written: (Option<DateTime<Utc>>, Option<String>),
        now: Option<DateTime<Utc>>,
    ) -> bool {
        let list = self
            .scopes
            .entry(self.scope.clone())
            .or_default()
            .entry(object_key(kind, key))
            .or_default();
        let (hint, by) = written;
        let by: Option<Text> = by.map(Into::into);
        let seen = match list.last() {
            Some(last) if last.id == id => return false,
            // A change seen while watching: now is when it became current.
            Some(_) => match (now, hint) {
                (Some(now), _) => Seen {
                    id: id.into(),
                    since: now,
                    inferred: false,
                    by,
                },
                (None, Some(h)) => Seen {
                    id: id.into(),
                    since: h,
                    inferred: true,
                    by,
                },
                (None, None) => return false,
            },
            // First sight: only the hint says since when; without one,
            // as far as anyone knows it has always been so.
            None => Seen {
                id: id.into(),
                since: hint.unwrap_or(DateTime::UNIX_EPOCH),
                inferred: true,
                by,
            },
        };
        list.push(seen);
        if list.len() > KEEP {
            let extra = list.len() - KEEP;
            list.drain(..extra);
        }
        self.dirty = true;
        true
    }

    /// Lay a log loaded from disk under what this one saw since the start:
    /// for each object, the loaded identities first, then the ones seen
    /// here (a first-sight guess equal to the loaded current is dropped).
    pub fn merge_loaded(&mut self, loaded: ContentLog) {
        for (scope, objects) in loaded.scopes {
            let mine = self.scopes.entry(scope).or_default();
            for (obj, old) in objects {
                let seen = mine.remove(&obj).unwrap_or_default();
                let mut merged = old;
                for s in seen {
                    if merged.last().is_some_and(|l| l.id == s.id) {
                        continue;
                    }
                    merged.push(s);
                }
                if merged.len() > KEEP {
                    let extra = merged.len() - KEEP;
                    merged.drain(..extra);
                }
                mine.insert(obj, merged);
            }
        }
    }

    /// Whether a pod that started at `started` missed a change of the
    /// object: the time the current identity became current, when it did so
    /// after the start and the identity at the start was another. `None`
    /// when nothing is known (the caller falls back to managedFields).
    pub fn missed(
        &self,
        kind: &str,
        key: &ObjKey,
        started: DateTime<Utc>,
    ) -> Option<Option<Change>> {
        let history = self.history(kind, key);
        let current = history.last()?;
        if started >= current.since {
            return Some(None);
        }
        let at_start = history.iter().rev().find(|s| s.since <= started);
        Some(match at_start {
            Some(s) if s.id == current.id => None,
            Some(_) => Some(Change {
                at: current.since,
                inferred: current.inferred,
            }),
            // Older than everything known: the first entry's time is a
            // managedFields hint, unless it was seen changing.
            None => Some(Change {
                at: current.since,
                inferred: history[0].inferred,
            }),
        })
    }

    /// The last change of the object away from and back to the same
    /// identity, if its current content went back to an earlier one:
    /// `(edit, revert)`.
    pub fn reverted(&self, kind: &str, key: &ObjKey) -> Option<(&Seen, &Seen)> {
        let history = self.history(kind, key);
        match history {
            [.., before, edit, now] if before.id == now.id && edit.id != now.id => {
                Some((edit, now))
            }
            _ => None,
        }
    }
}

/// Times as RFC 3339 text in the file.
mod rfc3339 {
    use chrono::{DateTime, SecondsFormat, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.to_rfc3339_opts(SecondsFormat::Millis, true))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let text = String::deserialize(d)?;
        DateTime::parse_from_rfc3339(&text)
            .map(|t| t.to_utc())
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    fn key() -> ObjKey {
        ObjKey::new("ns", "cfg")
    }

    #[test]
    fn a_reverted_edit_leaves_earlier_pods_current() {
        let mut log = ContentLog::default();
        let hint = (Some(t("2026-11-30T09:00:00Z")), None);
        assert!(log.observe("ConfigMap", &key(), "A", hint.clone(), None));
        assert!(!log.observe("ConfigMap", &key(), "A", hint.clone(), None));
        log.observe(
            "ConfigMap",
            &key(),
            "B",
            hint.clone(),
            Some(t("2026-11-30T10:00:00Z")),
        );
        log.observe(
            "ConfigMap",
            &key(),
            "A",
            (None, Some("argocd-controller".into())),
            Some(t("2026-11-30T10:00:12Z")),
        );
        // Started before the edit: it has A, A is current again.
        assert_eq!(
            log.missed("ConfigMap", &key(), t("2026-11-30T09:30:00Z")),
            Some(None)
        );
        // Started during the edit: it has B.
        assert_eq!(
            log.missed("ConfigMap", &key(), t("2026-11-30T10:00:05Z")),
            Some(Some(Change {
                at: t("2026-11-30T10:00:12Z"),
                inferred: false
            }))
        );
        // Started before anything known: only the hint says.
        assert_eq!(
            log.missed("ConfigMap", &key(), t("2026-11-30T08:00:00Z")),
            Some(Some(Change {
                at: t("2026-11-30T10:00:12Z"),
                inferred: true
            }))
        );
        let (edit, back) = log.reverted("ConfigMap", &key()).unwrap();
        assert_eq!(
            (edit.id.as_str(), back.by.as_deref()),
            ("B", Some("argocd-controller"))
        );
    }

    #[test]
    fn a_change_is_missed_by_pods_started_before_it() {
        let mut log = ContentLog::default();
        log.observe(
            "Secret",
            &key(),
            "h1",
            (Some(t("2026-11-30T09:00:00Z")), None),
            None,
        );
        log.observe(
            "Secret",
            &key(),
            "h2",
            (None, None),
            Some(t("2026-11-30T10:00:00Z")),
        );
        assert_eq!(
            log.missed("Secret", &key(), t("2026-11-30T09:30:00Z")),
            Some(Some(Change {
                at: t("2026-11-30T10:00:00Z"),
                inferred: false
            }))
        );
        assert_eq!(
            log.missed("Secret", &key(), t("2026-11-30T10:00:01Z")),
            Some(None)
        );
        assert_eq!(
            log.missed(
                "Secret",
                &ObjKey::new("ns", "other"),
                t("2026-11-30T10:00:01Z")
            ),
            None
        );
        assert!(log.reverted("Secret", &key()).is_none());
    }

    #[test]
    fn scopes_keep_clusters_apart_and_a_loaded_log_goes_underneath() {
        let mut log = ContentLog {
            scope: "prod".into(),
            ..Default::default()
        };
        log.observe(
            "ConfigMap",
            &key(),
            "A",
            (Some(t("2026-11-30T12:00:00Z")), None),
            None,
        );
        let mut loaded = ContentLog {
            scope: "prod".into(),
            ..Default::default()
        };
        loaded.observe(
            "ConfigMap",
            &key(),
            "A",
            (Some(t("2026-11-29T12:00:00Z")), None),
            None,
        );
        loaded.scope = "dev".into();
        loaded.observe(
            "ConfigMap",
            &key(),
            "Z",
            (Some(t("2026-11-29T12:00:00Z")), None),
            None,
        );
        let text = serde_json::to_string(&loaded).unwrap();
        log.merge_loaded(serde_json::from_str(&text).unwrap());
        let h = log.history("ConfigMap", &key());
        assert_eq!(h.len(), 1);
        assert_eq!(
            h[0].since,
            t("2026-11-29T12:00:00Z"),
            "the older knowledge wins"
        );
        log.scope = "dev".into();
        assert_eq!(log.history("ConfigMap", &key())[0].id, "Z");
    }

    #[test]
    fn config_map_identity_is_the_data() {
        let mut a = ConfigMapObj::default();
        a.data.insert("k", "v");
        let mut b = a.clone();
        b.metadata.labels.insert("touched", "yes");
        assert_eq!(
            config_map_id(&a),
            config_map_id(&b),
            "labels are not content"
        );
        b.data.insert("k", "w");
        assert_ne!(config_map_id(&a), config_map_id(&b));
    }
}
