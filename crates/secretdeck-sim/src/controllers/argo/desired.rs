//! What an Application wants: its spec, the manifests its Git path holds
//! made ready to apply, and how they compare with live objects.

use crate::kube::{Registry, ResourceType};
use base64::Engine as _;
use serde_json::{Value, json};

pub const TRACKING_ANNOTATION: &str = "argocd.argoproj.io/tracking-id";
pub const REFRESH_ANNOTATION: &str = "argocd.argoproj.io/refresh";

/// The parts of an Application the controller acts on.
#[derive(Debug, Clone, PartialEq)]
pub struct AppSpec {
    pub name: String,
    pub repo: String,
    pub path: String,
    pub dest_ns: String,
    pub source: Value,
    pub destination: Value,
    pub automated: bool,
    pub prune: bool,
    pub self_heal: bool,
    pub create_namespace: bool,
}

fn s<'v>(v: &'v Value, ptr: &str) -> Option<&'v str> {
    v.pointer(ptr).and_then(Value::as_str)
}

/// Read an Application; the error is an InvalidSpecError message.
pub fn parse_app(app: &Value) -> Result<AppSpec, String> {
    let name = s(app, "/metadata/name").unwrap_or_default().to_string();
    let repo = s(app, "/spec/source/repoURL").filter(|r| !r.is_empty());
    let Some(repo) = repo else {
        return Err("spec.source.repoURL is required".into());
    };
    let path = s(app, "/spec/source/path").unwrap_or(".");
    let auto = app
        .pointer("/spec/syncPolicy/automated")
        .filter(|a| a.is_object());
    let flag = |k: &str| auto.and_then(|a| a.get(k)).and_then(Value::as_bool) == Some(true);
    let create_namespace = app
        .pointer("/spec/syncPolicy/syncOptions")
        .and_then(Value::as_array)
        .is_some_and(|o| o.iter().any(|x| x.as_str() == Some("CreateNamespace=true")));
    Ok(AppSpec {
        name,
        repo: repo.to_string(),
        path: path.to_string(),
        dest_ns: s(app, "/spec/destination/namespace")
            .unwrap_or_default()
            .to_string(),
        source: app.pointer("/spec/source").cloned().unwrap_or(Value::Null),
        destination: app
            .pointer("/spec/destination")
            .cloned()
            .unwrap_or(Value::Null),
        automated: auto.is_some(),
        prune: flag("prune"),
        self_heal: flag("selfHeal"),
        create_namespace,
    })
}

pub fn tracking_id(app: &str, group: &str, kind: &str, ns: &str, name: &str) -> String {
    format!("{app}:{group}/{kind}:{ns}/{name}")
}

/// The app a tracking id names.
pub fn tracked_app(id: &str) -> Option<&str> {
    id.split_once(':').map(|(a, _)| a).filter(|a| !a.is_empty())
}

/// One manifest, ready to compare and apply.
#[derive(Debug, Clone)]
pub struct Desired {
    pub rt: ResourceType,
    /// Empty for cluster-scoped kinds.
    pub namespace: String,
    pub name: String,
    pub object: Value,
}

/// The app's manifests with namespaces defaulted, the tracking annotation
/// set and status dropped; the error is a ComparisonError message.
pub fn desired(
    registry: &Registry,
    app: &AppSpec,
    manifests: &[Value],
) -> Result<Vec<Desired>, String> {
    let mut out = Vec::new();
    for m in manifests {
        if m.is_null() {
            continue;
        }
        let av = s(m, "/apiVersion").unwrap_or_default();
        let kind = s(m, "/kind").unwrap_or_default();
        let name = s(m, "/metadata/name").unwrap_or_default();
        if av.is_empty() || kind.is_empty() || name.is_empty() {
            return Err(format!(
                "Failed to load target state: a manifest in {} lacks apiVersion, kind or metadata.name",
                app.path
            ));
        }
        let (group, version) = av.rsplit_once('/').unwrap_or(("", av));
        let Some(rt) = registry.by_kind(group, kind) else {
            return Err(format!(
                "The Kubernetes API could not find {group}/{kind} for requested resource {}/{name}. Make sure the \"{kind}\" CRD is installed on the destination cluster.",
                s(m, "/metadata/namespace").unwrap_or(&app.dest_ns)
            ));
        };
        let ns = if rt.namespaced {
            s(m, "/metadata/namespace")
                .filter(|n| !n.is_empty())
                .unwrap_or(&app.dest_ns)
                .to_string()
        } else {
            String::new()
        };
        if rt.version != version {
            return Err(format!(
                "The Kubernetes API could not find version \"{version}\" of {group}/{kind} for requested resource {ns}/{name}. Version \"{}\" of {group}/{kind} is installed on the destination cluster.",
                rt.version
            ));
        }
        if rt.namespaced && ns.is_empty() {
            return Err(format!(
                "{kind} {name} has no namespace and the application has no destination namespace"
            ));
        }
        let mut obj = m.clone();
        if let Some(o) = obj.as_object_mut() {
            o.remove("status");
        }
        if !obj["metadata"].is_object() {
            obj["metadata"] = json!({});
        }
        if rt.namespaced {
            obj["metadata"]["namespace"] = json!(ns);
        } else if let Some(meta) = obj["metadata"].as_object_mut() {
            meta.remove("namespace");
        }
        if !obj["metadata"]["annotations"].is_object() {
            obj["metadata"]["annotations"] = json!({});
        }
        obj["metadata"]["annotations"][TRACKING_ANNOTATION] =
            json!(tracking_id(&app.name, group, kind, &ns, name));
        if kind == "Secret" {
            fold_string_data(&mut obj);
        }
        out.push(Desired {
            rt: rt.clone(),
            namespace: ns,
            name: name.to_string(),
            object: obj,
        });
    }
    out.sort_by_key(|d| kind_order(d.rt.kind));
    Ok(out)
}

fn fold_string_data(obj: &mut Value) {
    if let Some(Value::Object(sd)) = obj.as_object_mut().and_then(|o| o.remove("stringData")) {
        for (k, v) in sd {
            let text = v.as_str().unwrap_or_default();
            obj["data"][k] = json!(base64::engine::general_purpose::STANDARD.encode(text));
        }
    }
}

/// Apply order, as Argo CD sorts a sync wave by kind.
fn kind_order(kind: &str) -> usize {
    const ORDER: &[&str] = &[
        "Namespace",
        "ServiceAccount",
        "Secret",
        "ConfigMap",
        "Service",
        "DaemonSet",
        "Pod",
        "Deployment",
        "StatefulSet",
    ];
    ORDER.iter().position(|k| *k == kind).unwrap_or(ORDER.len())
}

/// Every field Git declares equals live: maps compared key by key, lists
/// and scalars whole. `status` and server-set metadata are not compared.
pub fn declared_equal(desired: &Value, live: &Value) -> bool {
    let (Some(d), Some(l)) = (desired.as_object(), live.as_object()) else {
        return desired == live;
    };
    d.iter().all(|(k, v)| match k.as_str() {
        "status" | "apiVersion" | "kind" => true,
        "metadata" => ["labels", "annotations"].iter().all(|f| {
            v.get(*f).is_none_or(|dv| {
                subset(
                    dv,
                    l.get("metadata")
                        .and_then(|m| m.get(*f))
                        .unwrap_or(&Value::Null),
                )
            })
        }),
        _ => subset(v, l.get(k).unwrap_or(&Value::Null)),
    })
}

fn subset(desired: &Value, live: &Value) -> bool {
    match (desired, live) {
        (Value::Object(d), Value::Object(l)) => d
            .iter()
            .all(|(k, v)| subset(v, l.get(k).unwrap_or(&Value::Null))),
        (Value::Object(d), Value::Null) => d.is_empty(),
        (Value::Null, _) => true,
        _ => desired == live,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kube::resources::EsoVersion;

    fn app() -> AppSpec {
        let a = json!({"metadata": {"name": "shop"}, "spec": {
            "source": {"repoURL": "https://git/x.git", "path": "k"},
            "destination": {"namespace": "shop"},
            "syncPolicy": {"automated": {"selfHeal": true}, "syncOptions": ["CreateNamespace=true"]}}});
        parse_app(&a).unwrap()
    }

    #[test]
    fn manifests_get_namespace_and_tracking_id() {
        let reg = Registry::new(EsoVersion::V1, true);
        let a = app();
        assert!(a.automated && a.self_heal && !a.prune && a.create_namespace);
        let ms = vec![
            json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": {}}),
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}),
        ];
        let d = desired(&reg, &a, &ms).unwrap();
        assert_eq!(d[0].rt.kind, "Namespace");
        assert_eq!(
            d[0].object["metadata"]["annotations"][TRACKING_ANNOTATION],
            "shop:/Namespace:/shop"
        );
        assert_eq!(d[1].object["metadata"]["namespace"], "shop");
        assert_eq!(
            d[1].object["metadata"]["annotations"][TRACKING_ANNOTATION],
            "shop:apps/Deployment:shop/d"
        );
        let bad = vec![
            json!({"apiVersion": "example.io/v1", "kind": "Widget", "metadata": {"name": "w"}}),
        ];
        assert!(
            desired(&reg, &a, &bad)
                .unwrap_err()
                .contains("example.io/Widget")
        );
        let old = vec![
            json!({"apiVersion": "external-secrets.io/v1beta1", "kind": "ExternalSecret", "metadata": {"name": "e"}}),
        ];
        assert!(
            desired(&reg, &a, &old)
                .unwrap_err()
                .contains("version \"v1beta1\"")
        );
    }

    #[test]
    fn comparison_sees_declared_fields_only() {
        let d = json!({"kind": "ConfigMap", "metadata": {"name": "c", "annotations": {"a": "1"}}, "data": {"PORT": "8080"}});
        let mut live = json!({"kind": "ConfigMap", "metadata": {"name": "c", "uid": "u", "resourceVersion": "9",
                              "annotations": {"a": "1", "other": "x"}}, "data": {"PORT": "8080", "EXTRA": "1"}});
        assert!(declared_equal(&d, &live));
        live["data"]["PORT"] = json!("9090");
        assert!(!declared_equal(&d, &live));
        let list = json!({"spec": {"ports": [{"port": 80}]}});
        assert!(!declared_equal(
            &list,
            &json!({"spec": {"ports": [{"port": 80}, {"port": 81}]}})
        ));
        assert!(declared_equal(
            &list,
            &json!({"spec": {"ports": [{"port": 80}]}, "status": {}})
        ));
    }
}
