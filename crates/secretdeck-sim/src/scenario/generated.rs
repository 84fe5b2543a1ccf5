//! Generated apps with the trouble on-call engineers meet: a missing remote
//! key, a store with bad credentials, an OutOfSync app, a Degraded rollout,
//! pods running a value that changed, a sync-once ExternalSecret, and one
//! AWS secret read by several ExternalSecrets.

use super::{
    CLUSTER_STORE, FollowUp, GitPath, PLATFORM_REPO, REGION, Scenario, application, eso_api,
    namespace,
};
use crate::kube::resources::EsoVersion;
use serde_json::{Value, json};

const NAMES: [&str; 12] = [
    "payments-api",
    "orders-worker",
    "billing-service",
    "auth-gateway",
    "search-indexer",
    "notifications",
    "inventory-api",
    "reporting-jobs",
    "checkout-web",
    "catalog-api",
    "ledger-service",
    "shipping-tracker",
];

pub const SHARED_SECRET: &str = "shared/datadog-api-key";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trouble {
    MissingRemoteKey,
    BadStoreCredentials,
    OutOfSync,
    DegradedRollout,
    StalePods,
    SyncOnce,
    SharedSecret,
    None,
}

fn trouble(i: usize) -> Trouble {
    match i % 12 {
        0 => Trouble::MissingRemoteKey,
        1 => Trouble::BadStoreCredentials,
        2 => Trouble::OutOfSync,
        3 => Trouble::DegradedRollout,
        4 => Trouble::StalePods,
        5 => Trouble::SyncOnce,
        6 | 9 => Trouble::SharedSecret,
        _ => Trouble::None,
    }
}

fn app_name(i: usize) -> String {
    let base = NAMES[i % NAMES.len()];
    match i / NAMES.len() {
        0 => base.to_string(),
        n => format!("{base}-{n}"),
    }
}

fn password(seed: usize, round: usize) -> String {
    format!(
        "sim-{:08x}-{round}",
        (seed as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32
    )
}

pub fn add(s: &mut Scenario, apps: usize, eso: EsoVersion) {
    if apps > 0 {
        s.aws_secrets.push((
            SHARED_SECRET.into(),
            json!({"api_key": password(999_999, 1)}).to_string(),
            "Datadog API key shared by several services".into(),
        ));
    }
    for i in 0..apps {
        let name = app_name(i);
        let t = trouble(i);
        let db = format!("{name}/db");
        s.aws_secrets.push((
            db.clone(),
            json!({"username": format!("{}_svc", name.replace('-', "_")), "password": password(i, 1), "host": "db.internal.example"}).to_string(),
            format!("database credentials of {name}"),
        ));
        let mut data = vec![
            remote("DB_USERNAME", &db, Some("username")),
            remote("DB_PASSWORD", &db, Some("password")),
        ];
        if t == Trouble::MissingRemoteKey {
            data.push(remote(
                "WEBHOOK_SIGNING_KEY",
                &format!("{name}/webhook-signing-key"),
                None,
            ));
        }
        let mut manifests = vec![namespace(&name), configmap(&name)];
        let store = if t == Trouble::BadStoreCredentials {
            manifests.push(static_store(&name, eso));
            ("aws-static-creds", "SecretStore")
        } else {
            (CLUSTER_STORE, "ClusterSecretStore")
        };
        let interval = if t == Trouble::SyncOnce { "0s" } else { "1h" };
        manifests.push(external_secret(
            &name,
            &format!("{name}-secrets"),
            store,
            interval,
            data,
            eso,
        ));
        if t == Trouble::SharedSecret {
            let es = external_secret(
                &name,
                &format!("{name}-datadog"),
                store,
                "15m",
                vec![remote("DD_API_KEY", SHARED_SECRET, Some("api_key"))],
                eso,
            );
            manifests.push(es);
        }
        let image = format!("registry.example/{name}:v1.{}.0", i % 7 + 2);
        let volume_mount = i % 3 == 1 && t != Trouble::StalePods;
        manifests.push(deployment(
            &name,
            &image,
            volume_mount,
            t == Trouble::SharedSecret,
        ));
        manifests.push(service(&name));
        let path = format!("apps/{name}");
        let git = GitPath {
            repo: PLATFORM_REPO.into(),
            path: path.clone(),
            manifests,
        };
        s.objects.push(application(
            &name,
            PLATFORM_REPO,
            &path,
            &name,
            t != Trouble::OutOfSync,
        ));
        match t {
            Trouble::OutOfSync => s.follow_ups.push(FollowUp::LiveEdit {
                namespace: name.clone(),
                configmap: format!("{name}-config"),
                key: "LOG_LEVEL".into(),
                value: "debug".into(),
            }),
            Trouble::StalePods => s.follow_ups.push(FollowUp::RotateUnderRunningPods {
                namespace: name.clone(),
                deployment: name.clone(),
                aws_secret: db.clone(),
                value: json!({"username": format!("{}_svc", name.replace('-', "_")), "password": password(i, 2), "host": "db.internal.example"}).to_string(),
                external_secret: format!("{name}-secrets"),
            }),
            Trouble::DegradedRollout => {
                let mut next = git.clone();
                for m in next.manifests.iter_mut().filter(|m| m["kind"] == "Deployment") {
                    m["spec"]["template"]["spec"]["containers"][0]["image"] = json!(format!("registry.example/{name}:broken"));
                }
                s.follow_ups.push(FollowUp::GitChange { namespace: name.clone(), deployment: name.clone(), git: next });
            }
            _ => {}
        }
        s.git.push(git);
    }
}

fn remote(secret_key: &str, key: &str, property: Option<&str>) -> Value {
    let mut r = json!({"secretKey": secret_key, "remoteRef": {"key": key}});
    if let Some(p) = property {
        r["remoteRef"]["property"] = json!(p);
    }
    r
}

fn configmap(app: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": format!("{app}-config"), "namespace": app},
        "data": {"LOG_LEVEL": "info", "HTTP_PORT": "8080", "FEATURE_FLAGS": "new-checkout=false,fast-search=true"}})
}

fn static_store(app: &str, eso: EsoVersion) -> Value {
    let r = |k: &str| json!({"name": "aws-credentials", "key": k});
    json!({"apiVersion": eso_api(eso), "kind": "SecretStore",
        "metadata": {"name": "aws-static-creds", "namespace": app},
        "spec": {"provider": {"aws": {"service": "SecretsManager", "region": REGION,
            "auth": {"secretRef": {"accessKeyIDSecretRef": r("access-key-id"), "secretAccessKeySecretRef": r("secret-access-key")}}}}}})
}

fn external_secret(
    app: &str,
    name: &str,
    store: (&str, &str),
    interval: &str,
    data: Vec<Value>,
    eso: EsoVersion,
) -> Value {
    json!({"apiVersion": eso_api(eso), "kind": "ExternalSecret",
        "metadata": {"name": name, "namespace": app},
        "spec": {"refreshInterval": interval,
            "secretStoreRef": {"name": store.0, "kind": store.1},
            "target": {"name": name, "creationPolicy": "Owner"},
            "data": data}})
}

fn deployment(app: &str, image: &str, volume_mount: bool, datadog: bool) -> Value {
    let secret = format!("{app}-secrets");
    let mut container = json!({"name": app, "image": image,
        "ports": [{"containerPort": 8080}],
        "envFrom": [{"configMapRef": {"name": format!("{app}-config")}}]});
    let mut volumes = vec![];
    if volume_mount {
        container["volumeMounts"] =
            json!([{"name": "secrets", "mountPath": "/etc/secrets", "readOnly": true}]);
        volumes.push(json!({"name": "secrets", "secret": {"secretName": secret}}));
    } else {
        container["env"] = json!([
            {"name": "DB_USERNAME", "valueFrom": {"secretKeyRef": {"name": secret, "key": "DB_USERNAME"}}},
            {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": secret, "key": "DB_PASSWORD"}}},
        ]);
    }
    if datadog {
        let dd = json!({"name": "DD_API_KEY", "valueFrom": {"secretKeyRef": {"name": format!("{app}-datadog"), "key": "DD_API_KEY"}}});
        match container["env"].as_array_mut() {
            Some(env) => env.push(dd),
            None => container["env"] = json!([dd]),
        }
    }
    let replicas = if app.len().is_multiple_of(2) { 2 } else { 3 };
    json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": app, "namespace": app},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": app}},
            "template": {"metadata": {"labels": {"app": app}},
                "spec": {"containers": [container], "volumes": volumes}}}})
}

fn service(app: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Service",
        "metadata": {"name": app, "namespace": app},
        "spec": {"selector": {"app": app}, "ports": [{"port": 80, "targetPort": 8080}]}})
}
