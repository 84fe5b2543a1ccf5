//! Running a sync: apply every desired manifest, prune what Git dropped.

use super::compare::Extra;
use super::desired::{AppSpec, Desired, declared_equal};
use crate::kube::patch::PatchKind;
use crate::kube::store::Writer;
use crate::kube::{ResourceType, Store};
use serde_json::{Value, json};

pub const MANAGER: &str = "argocd-application-controller";

pub struct Outcome {
    pub ok: bool,
    pub message: String,
    pub resources: Vec<Value>,
}

fn result(rt: &ResourceType, ns: &str, name: &str, status: &str, message: String) -> Value {
    let mut r = json!({
        "group": rt.group, "version": rt.version, "kind": rt.kind, "name": name,
        "status": status, "message": message, "hookPhase": "Running", "syncPhase": "Sync",
    });
    if !ns.is_empty() {
        r["namespace"] = json!(ns);
    }
    r
}

pub fn run(
    store: &Store,
    app: &AppSpec,
    desired: &[Desired],
    extras: &[Extra],
    prune: bool,
) -> Outcome {
    let w = Writer::update(MANAGER);
    let mut resources = Vec::new();
    let mut first_error: Option<String> = None;
    if app.create_namespace
        && !app.dest_ns.is_empty()
        && let Some(ns_rt) = store.registry().by_kind("", "Namespace")
        && store.get(ns_rt, "", &app.dest_ns).is_err()
        && !desired
            .iter()
            .any(|d| d.rt.kind == "Namespace" && d.name == app.dest_ns)
        && let Err(e) = store.create(ns_rt, "", json!({"metadata": {"name": app.dest_ns}}), w)
        && e.code != 409
    {
        first_error = Some(e.message.clone());
    }
    for d in desired {
        let what = format!("{}/{}", d.rt.kind.to_ascii_lowercase(), d.name);
        let outcome = match store.get(&d.rt, &d.namespace, &d.name) {
            Err(_) => store
                .create(&d.rt, &d.namespace, d.object.clone(), w)
                .map(|_| "created"),
            Ok(live) if declared_equal(&d.object, &live) => Ok("unchanged"),
            Ok(_) => store
                .patch(
                    &d.rt,
                    &d.namespace,
                    &d.name,
                    PatchKind::Merge,
                    &d.object,
                    w,
                    false,
                )
                .map(|_| "configured"),
        };
        match outcome {
            Ok(verb) => resources.push(result(
                &d.rt,
                &d.namespace,
                &d.name,
                "Synced",
                format!("{what} {verb}"),
            )),
            Err(e) => {
                first_error.get_or_insert_with(|| e.message.clone());
                resources.push(result(
                    &d.rt,
                    &d.namespace,
                    &d.name,
                    "SyncFailed",
                    e.message,
                ));
            }
        }
    }
    for e in extras {
        if !prune {
            resources.push(result(
                &e.rt,
                &e.namespace,
                &e.name,
                "PruneSkipped",
                "ignored (requires pruning)".into(),
            ));
            continue;
        }
        match store.delete(&e.rt, &e.namespace, &e.name) {
            Ok(_) => resources.push(result(
                &e.rt,
                &e.namespace,
                &e.name,
                "Pruned",
                "pruned".into(),
            )),
            Err(err) if err.code == 404 => {}
            Err(err) => {
                first_error.get_or_insert_with(|| err.message.clone());
                resources.push(result(
                    &e.rt,
                    &e.namespace,
                    &e.name,
                    "SyncFailed",
                    err.message,
                ));
            }
        }
    }
    match first_error {
        None => Outcome {
            ok: true,
            message: "successfully synced (all tasks run)".into(),
            resources,
        },
        Some(e) => Outcome {
            ok: false,
            message: format!("one or more objects failed to apply, reason: {e}"),
            resources,
        },
    }
}
