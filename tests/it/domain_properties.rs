//! Property tests: the secret editors keep every byte but the edited
//! value, and the domain conversion of arbitrary CRD JSON never panics
//! (objects are read leniently, then joined into every view).

use chrono::{DateTime, Utc};
use proptest::prelude::*;
use secretdeck::domain::rotation::{json, properties};
use secretdeck::domain::views::{
    app_views, config_map_views, es_views, event_views, secret_views, store_views,
};
use secretdeck::domain::{
    Application, ConfigMapObj, EventObj, ExternalSecret, HasMeta, Inventory, Pod, SecretMeta,
    SecretStore, Workload, from_value,
};
use serde_json::{Map, Value};

// ---------- properties files ----------

/// One line of a properties file: a comment, a blank, or `key SEP value`.
fn line(key: String) -> impl Strategy<Value = String> {
    (
        prop_oneof![Just("="), Just(":"), Just(" = "), Just(" : "), Just(" ")],
        "[ -~&&[^\\\\]]{0,20}",
    )
        .prop_map(move |(sep, value)| format!("{key}{sep}{}", value.trim_start()))
}

fn properties_file() -> impl Strategy<Value = (String, Vec<String>)> {
    let keys = prop::collection::btree_set("[a-z][a-z0-9_.]{0,12}", 1..6);
    (
        keys,
        prop_oneof![Just("\n"), Just("\r\n")],
        prop::collection::vec(
            prop_oneof![Just("# a comment"), Just("! other"), Just("")],
            0..4,
        ),
    )
        .prop_flat_map(|(keys, eol, extras)| {
            let keys: Vec<String> = keys.into_iter().collect();
            let lines: Vec<_> = keys.iter().cloned().map(line).collect();
            (lines, Just(keys), Just(eol), Just(extras))
        })
        .prop_map(|(lines, keys, eol, extras)| {
            let mut all: Vec<String> = lines;
            for (i, e) in extras.into_iter().enumerate() {
                let at = (i * 2).min(all.len());
                all.insert(at, e.to_string());
            }
            (all.join(eol), keys)
        })
}

/// `out` equals `text` outside the value span.
fn same_outside(text: &str, out: &str, span: &std::ops::Range<usize>) -> Result<(), TestCaseError> {
    let suffix = &out[span.end..];
    prop_assert!(text.starts_with(&out[..span.start]));
    prop_assert!(text.ends_with(suffix));
    prop_assert!(span.start + suffix.len() <= text.len());
    Ok(())
}

proptest! {
    #[test]
    fn properties_edit_changes_only_the_value(
        (text, keys) in properties_file(),
        pick in any::<prop::sample::Index>(),
        value in any::<String>(),
    ) {
        let key = pick.get(&keys);
        let (out, span) = properties::set(&text, key, &value).unwrap();
        same_outside(&text, &out, &span)?;
        prop_assert_eq!(properties::get(&out, key).unwrap(), value);
        for other in keys.iter().filter(|k| *k != key) {
            prop_assert_eq!(properties::get(&out, other), properties::get(&text, other));
        }
        prop_assert_eq!(properties::entries(&out).len(), properties::entries(&text).len());
    }

    #[test]
    fn properties_editor_never_panics_on_any_text(text in any::<String>(), key in ".{0,8}", value in any::<String>()) {
        let _ = properties::entries(&text);
        if let Ok((out, span)) = properties::set(&text, &key, &value) {
            same_outside(&text, &out, &span)?;
        }
    }
}

// ---------- JSON secrets ----------

fn json_file() -> impl Strategy<Value = (String, Vec<String>)> {
    let ws = prop_oneof![Just(""), Just(" "), Just("\n  "), Just("\t")];
    let member_value = prop_oneof![
        any::<String>().prop_map(|s| Value::String(s).to_string()),
        any::<i32>().prop_map(|n| n.to_string()),
        Just("true".to_string()),
        Just("null".to_string()),
        Just("[1, {\"a\": \"b\"}]".to_string()),
    ];
    (
        prop::collection::btree_map("[a-zA-Z_][a-zA-Z0-9_.-]{0,10}", member_value, 1..6),
        ws.clone(),
        ws,
    )
        .prop_map(|(members, a, b)| {
            let body: Vec<String> = members
                .iter()
                .map(|(k, v)| format!("{a}{}{b}:{a}{v}", Value::String(k.clone())))
                .collect();
            (
                format!("{{{}{b}}}", body.join(",")),
                members.keys().cloned().collect(),
            )
        })
}

proptest! {
    #[test]
    fn json_edit_changes_only_the_value(
        (text, keys) in json_file(),
        pick in any::<prop::sample::Index>(),
        value in any::<String>(),
    ) {
        let key = pick.get(&keys);
        let (out, span) = json::set(&text, key, &value).unwrap();
        same_outside(&text, &out, &span)?;
        let before: Map<String, Value> = serde_json::from_str(&text).unwrap();
        let after: Map<String, Value> = serde_json::from_str(&out).unwrap();
        prop_assert_eq!(&after[key.as_str()], &Value::String(value));
        for other in keys.iter().filter(|k| *k != key) {
            prop_assert_eq!(&after[other.as_str()], &before[other.as_str()]);
        }
    }

    #[test]
    fn json_editor_never_panics_on_any_text(text in any::<String>(), key in ".{0,8}", value in any::<String>()) {
        if let Ok((out, span)) = json::set(&text, &key, &value) {
            same_outside(&text, &out, &span)?;
        }
    }
}

// ---------- arbitrary CRD JSON ----------

const KEYS: &[&str] = &[
    "metadata",
    "name",
    "namespace",
    "annotations",
    "labels",
    "managedFields",
    "fieldsV1",
    "f:data",
    "time",
    "manager",
    "ownerReferences",
    "kind",
    "controller",
    "uid",
    "creationTimestamp",
    "spec",
    "status",
    "conditions",
    "type",
    "reason",
    "message",
    "lastTransitionTime",
    "refreshTime",
    "syncedResourceVersion",
    "secretStoreRef",
    "target",
    "data",
    "dataFrom",
    "remoteRef",
    "key",
    "property",
    "version",
    "extract",
    "find",
    "refreshInterval",
    "refreshPolicy",
    "creationPolicy",
    "provider",
    "aws",
    "service",
    "region",
    "auth",
    "jwt",
    "secretRef",
    "sync",
    "health",
    "resources",
    "operationState",
    "phase",
    "syncPolicy",
    "automated",
    "selfHeal",
    "destination",
    "source",
    "containers",
    "env",
    "valueFrom",
    "secretKeyRef",
    "configMapKeyRef",
    "envFrom",
    "volumes",
    "volumeMounts",
    "subPath",
    "secret",
    "secretName",
    "configMap",
    "containerStatuses",
    "state",
    "running",
    "startedAt",
    "template",
    "selector",
    "matchLabels",
    "replicas",
    "involvedObject",
    "count",
    "lastTimestamp",
    "series",
    "binaryData",
    "paused",
    "argocd.argoproj.io/tracking-id",
    "reconcile.external-secrets.io/data-hash",
];

const TEXTS: &[&str] = &[
    "",
    "x",
    "True",
    "False",
    "Ready",
    "SecretSyncedError",
    "OutOfSync",
    "Synced",
    "Degraded",
    "Healthy",
    "ExternalSecret",
    "ClusterSecretStore",
    "SecretStore",
    "Deployment",
    "Secret",
    "ConfigMap",
    "Running",
    "Failed",
    "1h",
    "0s",
    "15m30s",
    "CreatedOnce",
    "uuid/abc",
    "2026-01-01T12:00:00Z",
    "not-a-time",
    "app:/ConfigMap:ns/name",
    "app:apps/Deployment:ns/x",
    "ns",
    "app",
    "é✓\u{0}",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop::sample::select(TEXTS).prop_map(|s| Value::String(s.to_string())),
        any::<String>().prop_map(Value::String),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(5, 96, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..7).prop_map(|kv| {
                Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            }),
        ]
    })
}

/// Arbitrary JSON, most often an object with a name (so it is kept).
fn object() -> impl Strategy<Value = Value> {
    (
        value(),
        value(),
        any::<bool>(),
        prop::sample::select(&["ns", "app", ""][..]),
    )
        .prop_map(|(body, meta, named, ns)| {
            let mut body = match body {
                Value::Object(m) => m,
                other if !named => return other,
                _ => Map::new(),
            };
            if named {
                let mut meta = match meta {
                    Value::Object(m) => m,
                    _ => Map::new(),
                };
                meta.insert("name".into(), Value::String("obj".into()));
                meta.insert("namespace".into(), Value::String(ns.into()));
                body.insert("metadata".into(), Value::Object(meta));
            }
            Value::Object(body)
        })
}

fn read<T: serde::de::DeserializeOwned + HasMeta>(v: &Value) -> Option<T> {
    from_value::<T>(v.clone()).ok()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]
    #[test]
    fn arbitrary_crd_json_never_panics(objs in prop::collection::vec(object(), 1..8)) {
        let now: DateTime<Utc> = "2026-01-01T13:00:00Z".parse().unwrap();
        let mut inv = Inventory::default();
        for v in &objs {
            if let Some(o) = read::<Application>(v) {
                inv.apps.insert(o.metadata.key(), o);
            }
            if let Some(o) = read::<ExternalSecret>(v) {
                inv.external_secrets.insert(o.metadata.key(), o);
            }
            if let Some(o) = read::<SecretStore>(v) {
                if o.is_cluster_store() || o.metadata.namespace().is_empty() {
                    inv.cluster_secret_stores.insert(o.metadata.key(), o);
                } else {
                    inv.secret_stores.insert(o.metadata.key(), o);
                }
            }
            if let Some(o) = read::<ConfigMapObj>(v) {
                inv.config_maps.insert(o.metadata.key(), o);
            }
            if let Some(o) = read::<SecretMeta>(v) {
                inv.secrets.insert(o.metadata.key(), o);
            }
            if let Some(o) = read::<Workload>(v) {
                inv.workloads.insert(o.metadata.key(), o);
            }
            if let Some(o) = read::<Pod>(v) {
                inv.pods.insert(o.metadata.key(), o);
            }
            if let Some(o) = read::<EventObj>(v) {
                inv.events.insert(o.metadata.key(), o);
            }
        }
        let keys: Vec<_> = inv.config_maps.keys().cloned().collect();
        inv.observe_content("ConfigMap", &keys, Some(now));
        let keys: Vec<_> = inv.secrets.keys().cloned().collect();
        inv.observe_content("Secret", &keys, Some(now));
        let apps = app_views(&inv, now);
        prop_assert_eq!(apps.len(), inv.apps.len());
        for a in inv.apps.keys() {
            let _ = secretdeck::domain::views::app_detail(&inv, a, now);
        }
        prop_assert_eq!(es_views(&inv, now).len(), inv.external_secrets.len());
        let _ = (store_views(&inv), config_map_views(&inv), secret_views(&inv), event_views(&inv));
    }
}
