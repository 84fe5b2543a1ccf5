use super::*;
use crate::kube::resources::EsoVersion;

fn store_with_ns(cap: usize) -> Arc<Store> {
    let s = Store::with_history(Registry::new(EsoVersion::V1, true), cap);
    let ns = s.registry().by_plural("", "namespaces").unwrap().clone();
    s.create(
        &ns,
        "",
        json!({"metadata": {"name": "app"}}),
        Writer::update("test"),
    )
    .unwrap();
    s
}

fn cm(s: &Store) -> ResourceType {
    s.registry().by_plural("", "configmaps").unwrap().clone()
}

fn rv(o: &Value) -> u64 {
    o["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn create_fills_metadata_and_rejects_duplicates() {
    let s = store_with_ns(100);
    let rt = cm(&s);
    let o = s
        .create(
            &rt,
            "app",
            json!({"metadata": {"name": "c"}, "data": {"a": "1"}}),
            Writer::update("kubectl"),
        )
        .unwrap();
    assert_eq!(o["kind"], "ConfigMap");
    assert_eq!(o["metadata"]["namespace"], "app");
    assert!(o["metadata"]["uid"].as_str().unwrap().len() > 10);
    assert!(o["metadata"]["creationTimestamp"].is_string());
    assert_eq!(o["metadata"]["managedFields"][0]["manager"], "kubectl");
    let dup = s.create(
        &rt,
        "app",
        json!({"metadata": {"name": "c"}}),
        Writer::update("k"),
    );
    assert_eq!(dup.unwrap_err().reason, "AlreadyExists");
    let no_ns = s.create(
        &rt,
        "nope",
        json!({"metadata": {"name": "c"}}),
        Writer::update("k"),
    );
    assert_eq!(no_ns.unwrap_err().code, 404);
}

#[test]
fn resource_versions_are_monotonic_and_stale_updates_conflict() {
    let s = store_with_ns(100);
    let rt = cm(&s);
    let a = s
        .create(
            &rt,
            "app",
            json!({"metadata": {"name": "c"}, "data": {"a": "1"}}),
            Writer::update("k"),
        )
        .unwrap();
    let mut edit = a.clone();
    edit["data"]["a"] = json!("2");
    let b = s
        .update(&rt, "app", "c", edit.clone(), Writer::update("k"), false)
        .unwrap();
    assert!(rv(&b) > rv(&a));
    // The same edit again carries the old version: conflict, nothing written.
    edit["data"]["a"] = json!("3");
    let err = s
        .update(&rt, "app", "c", edit, Writer::update("k"), false)
        .unwrap_err();
    assert_eq!((err.code, err.reason), (409, "Conflict"));
    assert_eq!(s.get(&rt, "app", "c").unwrap()["data"]["a"], "2");
}

#[test]
fn generation_moves_on_spec_change_only() {
    let s = store_with_ns(100);
    let rt = s
        .registry()
        .by_plural("apps", "deployments")
        .unwrap()
        .clone();
    let d = s
        .create(
            &rt,
            "app",
            json!({"metadata": {"name": "d"}, "spec": {"replicas": 1}}),
            Writer::update("k"),
        )
        .unwrap();
    assert_eq!(d["metadata"]["generation"], 1);
    let p = json!({"metadata": {"labels": {"x": "y"}}});
    let d = s
        .patch(
            &rt,
            "app",
            "d",
            PatchKind::Merge,
            &p,
            Writer::update("k"),
            false,
        )
        .unwrap();
    assert_eq!(d["metadata"]["generation"], 1);
    let p = json!({"spec": {"replicas": 3}});
    let d = s
        .patch(
            &rt,
            "app",
            "d",
            PatchKind::Merge,
            &p,
            Writer::update("k"),
            false,
        )
        .unwrap();
    assert_eq!(d["metadata"]["generation"], 2);
    // status subresource: status changes, generation does not, spec is untouched
    let st = json!({"status": {"replicas": 3}, "spec": {"replicas": 9}});
    let d = s
        .patch(
            &rt,
            "app",
            "d",
            PatchKind::Merge,
            &st,
            Writer::update("ctl"),
            true,
        )
        .unwrap();
    assert_eq!(d["metadata"]["generation"], 2);
    assert_eq!(d["spec"]["replicas"], 3);
    assert_eq!(d["status"]["replicas"], 3);
    // and a main-resource write cannot change status
    let d = s
        .patch(
            &rt,
            "app",
            "d",
            PatchKind::Merge,
            &json!({"status": {"replicas": 0}}),
            Writer::update("k"),
            false,
        )
        .unwrap();
    assert_eq!(d["status"]["replicas"], 3);
}

#[test]
fn managed_fields_record_who_changed_data_and_when() {
    let s = store_with_ns(100);
    let rt = s.registry().by_plural("", "secrets").unwrap().clone();
    s.create(
        &rt,
        "app",
        json!({"metadata": {"name": "s"}, "stringData": {"k": "v1"}}),
        Writer::update("external-secrets"),
    )
    .unwrap();
    let o = s
        .patch(
            &rt,
            "app",
            "s",
            PatchKind::Merge,
            &json!({"metadata": {"annotations": {"a": "b"}}}),
            Writer::update("kubectl-annotate"),
            false,
        )
        .unwrap();
    assert_eq!(o["data"]["k"], "djE=");
    let mf = o["metadata"]["managedFields"].as_array().unwrap();
    let eso = mf
        .iter()
        .find(|e| e["manager"] == "external-secrets")
        .unwrap();
    assert!(eso["fieldsV1"]["f:data"]["f:k"].is_object());
    let kubectl = mf
        .iter()
        .find(|e| e["manager"] == "kubectl-annotate")
        .unwrap();
    assert!(kubectl["fieldsV1"]["f:metadata"]["f:annotations"]["f:a"].is_object());
    assert!(kubectl["fieldsV1"].get("f:data").is_none());
}

#[test]
fn watch_from_a_version_replays_only_later_events() {
    let s = store_with_ns(100);
    let rt = cm(&s);
    let a = s
        .create(
            &rt,
            "app",
            json!({"metadata": {"name": "a"}}),
            Writer::update("k"),
        )
        .unwrap();
    s.create(
        &rt,
        "app",
        json!({"metadata": {"name": "b"}}),
        Writer::update("k"),
    )
    .unwrap();
    s.delete(&rt, "app", "a").unwrap();
    let w = s.watch(Some(rv(&a))).unwrap();
    let seen: Vec<_> = w
        .backlog
        .iter()
        .map(|e| (e.kind, e.name.as_str()))
        .collect();
    assert_eq!(
        seen,
        vec![(EventType::Added, "b"), (EventType::Deleted, "a")]
    );
    // no version: the current objects, as ADDED
    let w = s.watch(None).unwrap();
    let names: Vec<_> = w
        .backlog
        .iter()
        .filter(|e| e.is_for(&rt))
        .map(|e| e.name.clone())
        .collect();
    assert_eq!(names, vec!["b".to_string()]);
}

#[tokio::test]
async fn live_events_follow_the_backlog() {
    let s = store_with_ns(100);
    let rt = cm(&s);
    let mut w = s.watch(Some(s.current_rv())).unwrap();
    assert!(w.backlog.is_empty());
    s.create(
        &rt,
        "app",
        json!({"metadata": {"name": "z"}}),
        Writer::update("k"),
    )
    .unwrap();
    let ev = w.live.recv().await.unwrap();
    assert_eq!((ev.kind, ev.name.as_str()), (EventType::Added, "z"));
}

#[test]
fn too_old_versions_are_gone() {
    let s = store_with_ns(3);
    let rt = cm(&s);
    let first = s.current_rv();
    for i in 0..10 {
        s.create(
            &rt,
            "app",
            json!({"metadata": {"name": format!("c{i}")}}),
            Writer::update("k"),
        )
        .unwrap();
    }
    let err = s.watch(Some(first)).err().expect("410");
    assert_eq!((err.code, err.reason), (410, "Expired"));
    assert!(s.watch(Some(s.current_rv() - 1)).is_ok());
}

#[test]
fn deleting_an_owner_collects_its_dependents() {
    let s = store_with_ns(100);
    let es_rt = s
        .registry()
        .by_plural("external-secrets.io", "externalsecrets")
        .unwrap()
        .clone();
    let sec = s.registry().by_plural("", "secrets").unwrap().clone();
    let es = s
        .create(
            &es_rt,
            "app",
            json!({"metadata": {"name": "es"}, "spec": {}}),
            Writer::update("k"),
        )
        .unwrap();
    let owner = json!([{"apiVersion": es_rt.api_version(), "kind": "ExternalSecret", "name": "es",
                        "uid": es["metadata"]["uid"], "controller": true}]);
    s.create(
        &sec,
        "app",
        json!({"metadata": {"name": "s", "ownerReferences": owner}}),
        Writer::update("eso"),
    )
    .unwrap();
    s.delete(&es_rt, "app", "es").unwrap();
    assert_eq!(s.get(&sec, "app", "s").unwrap_err().code, 404);
}

#[test]
fn bad_objects_are_refused_with_clear_errors() {
    let s = store_with_ns(100);
    let rt = cm(&s);
    let e = s
        .create(&rt, "app", json!({"metadata": {}}), Writer::update("k"))
        .unwrap_err();
    assert!(
        e.message.contains("name or generateName is required"),
        "{}",
        e.message
    );
    let e = s
        .create(
            &rt,
            "app",
            json!({"kind": "Secret", "metadata": {"name": "x"}}),
            Writer::update("k"),
        )
        .unwrap_err();
    assert_eq!(e.code, 400);
    let e = s
        .create(
            &rt,
            "app",
            json!({"metadata": {"name": "Bad_Name"}}),
            Writer::update("k"),
        )
        .unwrap_err();
    assert_eq!(e.code, 422);
    let sec = s.registry().by_plural("", "secrets").unwrap().clone();
    let e = s
        .create(
            &sec,
            "app",
            json!({"metadata": {"name": "s"}, "data": {"k": "***"}}),
            Writer::update("k"),
        )
        .unwrap_err();
    assert_eq!(e.code, 422);
}

#[test]
fn a_status_write_changes_only_status_and_an_equal_one_is_no_write() {
    let s = store_with_ns(100);
    let rt = s.registry().by_kind("apps", "Deployment").unwrap().clone();
    let created = s
        .create(
            &rt,
            "app",
            json!({"metadata": {"name": "d"}, "spec": {"replicas": 1}, "status": {"replicas": 9}}),
            Writer::update("kubectl"),
        )
        .unwrap();
    assert!(created.get("status").is_none(), "create ignores status");
    let st = json!({"replicas": 1, "readyReplicas": 1});
    let w = s
        .update_status(&rt, "app", "d", st.clone(), Writer::update("ctrl"))
        .unwrap();
    assert_eq!(w["status"], st);
    assert_eq!(w["spec"], created["spec"]);
    assert_eq!(
        w["metadata"]["generation"], 1,
        "a status write is not a new generation"
    );
    assert_eq!(rv(&w), rv(&created) + 1);
    let ctrl = w["metadata"]["managedFields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["manager"] == "ctrl")
        .unwrap();
    assert_eq!(ctrl["subresource"], "status");
    assert!(ctrl["fieldsV1"]["f:status"]["f:readyReplicas"].is_object());
    let again = s
        .update_status(&rt, "app", "d", st, Writer::update("ctrl"))
        .unwrap();
    assert_eq!(
        rv(&again),
        rv(&w),
        "an equal status does not bump the version"
    );
    assert_eq!(s.current_rv(), rv(&w));
    let missing = s.update_status(&rt, "app", "nope", json!({}), Writer::update("c"));
    assert_eq!(missing.unwrap_err().code, 404);
}
