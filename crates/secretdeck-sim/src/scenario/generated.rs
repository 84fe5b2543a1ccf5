//! Generated apps with the trouble on-call engineers meet: a missing remote
//! key, a store with bad credentials, an OutOfSync app, a Degraded rollout,
//! pods running a value that changed, a sync-once ExternalSecret, and one
//! AWS secret read by several ExternalSecrets. A `Shape` adds more of
//! each kind per app (extra ExternalSecrets, ConfigMaps and TLS Secrets
//! the Deployment consumes, more replicas) for clusters at scale.

use super::{
    CLUSTER_STORE, FollowUp, GitPath, PLATFORM_REPO, REGION, Scenario, Shape, application, eso_api,
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

/// App `i`'s part of `total` spread evenly over `apps`.
fn share(total: usize, apps: usize, i: usize) -> usize {
    total / apps + usize::from(i < total % apps)
}

/// What app `i` has beyond its trouble's objects.
struct Extras {
    external_secrets: usize,
    config_maps: usize,
    tls_secrets: usize,
    replicas: Option<usize>,
}

fn extras(shape: &Shape, apps: usize, i: usize, t: Trouble) -> Extras {
    let own_es = 1 + usize::from(t == Trouble::SharedSecret);
    let es = shape
        .external_secrets
        .map_or(own_es, |n| share(n, apps, i).max(own_es));
    let secrets = shape.secrets.map_or(es, |n| share(n, apps, i));
    Extras {
        external_secrets: es - own_es,
        config_maps: shape
            .config_maps
            .map_or(0, |n| share(n, apps, i).saturating_sub(1)),
        tls_secrets: secrets.saturating_sub(es),
        replicas: shape.pods.map(|n| share(n, apps, i)),
    }
}

pub fn add(s: &mut Scenario, apps: usize, shape: Shape, eso: EsoVersion) {
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
        let more = extras(&shape, apps, i, t);
        let mut manifests = vec![
            namespace(&name),
            configmap(&name, &format!("{name}-config")),
        ];
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
        let mut env_from = Vec::new();
        for k in 0..more.external_secrets {
            let es_name = format!("{name}-extra-{k}");
            let key = format!("{name}/extra-{k}");
            s.aws_secrets.push((
                key.clone(),
                json!({"token": password(i * 1_000 + k, 1)}).to_string(),
                format!("token {k} of {name}"),
            ));
            manifests.push(external_secret(
                &name,
                &es_name,
                store,
                "1h",
                vec![remote("TOKEN", &key, Some("token"))],
                eso,
            ));
            env_from.push(json!({"secretRef": {"name": es_name}}));
        }
        for k in 0..more.config_maps {
            let cm = format!("{name}-config-{k}");
            manifests.push(configmap(&name, &cm));
            env_from.push(json!({"configMapRef": {"name": cm}}));
        }
        for k in 0..more.tls_secrets {
            manifests.push(tls_secret(&name, &format!("{name}-tls-{k}")));
        }
        let image = format!("registry.example/{name}:v1.{}.0", i % 7 + 2);
        let volume_mount = i % 3 == 1 && t != Trouble::StalePods;
        let mut dep = deployment(&name, &image, volume_mount, t == Trouble::SharedSecret);
        if let Some(r) = more.replicas {
            dep["spec"]["replicas"] = json!(r);
        }
        if let Some(list) =
            dep["spec"]["template"]["spec"]["containers"][0]["envFrom"].as_array_mut()
        {
            list.extend(env_from);
        }
        manifests.push(dep);
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

fn configmap(app: &str, name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": app},
        "data": {"LOG_LEVEL": "info", "HTTP_PORT": "8080", "FEATURE_FLAGS": "new-checkout=false,fast-search=true"}})
}

/// A TLS Secret of the app's ingress (not from ESO): dummy PEM text.
fn tls_secret(app: &str, name: &str) -> Value {
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    json!({"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls",
        "metadata": {"name": name, "namespace": app},
        "data": {"tls.crt": b64(&format!("-----BEGIN CERTIFICATE-----\n{name}\n-----END CERTIFICATE-----\n")),
                 "tls.key": b64(&format!("-----BEGIN PRIVATE KEY-----\n{name}\n-----END PRIVATE KEY-----\n"))}})
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
