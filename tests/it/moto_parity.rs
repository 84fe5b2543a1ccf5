//! One Secrets Manager scenario run through aws-sdk-secretsmanager against
//! `moto_server` (the reference emulator) and against the simulated
//! endpoint: the observable results must be the same.
//!
//! Known moto differences are kept out of the comparison (see
//! api-facts.md): moto lists unlabelled (deprecated) versions in
//! DescribeSecret and ListSecretVersionIds, so only labelled versions are
//! compared; and moto goes wrong after UpdateSecretVersionStage, so the
//! shared scenario stops before a rollback, which is checked on the sim only.

use crate::support;

use aws_config::BehaviorVersion;
use aws_sdk_secretsmanager::Client;
use aws_sdk_secretsmanager::config::Credentials;
use aws_sdk_secretsmanager::error::ProvideErrorMetadata;
use aws_sdk_secretsmanager::primitives::Blob;
use aws_sdk_secretsmanager::types::{Filter, FilterNameStringType};
use secretdeck_sim::sm::{self, SmState};
use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running moto_server, killed when dropped (also on panic).
struct Moto {
    child: Child,
    port: u16,
    log: tempfile::NamedTempFile,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn require_or_skip(what: &str) {
    assert!(!support::in_ci(), "{what} (required when CI is set)");
    eprintln!("skipping moto parity: {what}");
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// Starts moto_server and waits until it accepts connections.
async fn start_moto() -> Option<Moto> {
    let port = free_port();
    let log = tempfile::NamedTempFile::new().unwrap();
    let child = Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log.reopen().unwrap())
        .spawn();
    let child = match child {
        Ok(c) => c,
        Err(e) => {
            require_or_skip(&format!("moto_server cannot start: {e}"));
            return None;
        }
    };
    let mut moto = Moto { child, port, log };
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(Some(status)) = moto.child.try_wait() {
            let log = std::fs::read_to_string(moto.log.path()).unwrap_or_default();
            require_or_skip(&format!("moto_server exited ({status}): {log}"));
            return None;
        }
        if tokio::net::TcpStream::connect(("127.0.0.1", moto.port))
            .await
            .is_ok()
        {
            return Some(moto);
        }
        assert!(
            Instant::now() < deadline,
            "moto_server did not answer within 60 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn client(endpoint: &str) -> Client {
    let config = aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region("ap-northeast-2")
        .credentials_provider(Credentials::new("AKIDSIM", "sim", None, None, "test"))
        .load()
        .await;
    Client::new(&config)
}

/// What the scenario observed, with version ids replaced by their order of
/// creation (ids are random on both sides).
#[derive(Debug, PartialEq, Default)]
struct Observed {
    values_by_stage: BTreeMap<String, Option<String>>,
    oldest_by_id: Option<String>,
    idempotent_put_same_version: bool,
    put_stages: Vec<Vec<String>>,
    /// version index -> sorted stages, labelled versions only
    describe_stages: BTreeMap<usize, Vec<String>>,
    listed_version_stages: BTreeMap<usize, Vec<String>>,
    listed_names: Vec<String>,
    binary: Option<Vec<u8>>,
    errors: BTreeMap<&'static str, Option<String>>,
}

fn err_code<T, E: ProvideErrorMetadata>(r: Result<T, E>) -> Option<String> {
    r.err().and_then(|e| e.code().map(str::to_string))
}

fn sorted(v: &[String]) -> Vec<String> {
    let mut v = v.to_vec();
    v.sort();
    v
}

async fn scenario(c: &Client) -> Observed {
    let mut o = Observed::default();
    let name = "parity/app";
    let mut ids: Vec<String> = Vec::new();
    let created = c
        .create_secret()
        .name(name)
        .secret_string("v1")
        .send()
        .await
        .unwrap();
    ids.push(created.version_id().unwrap().to_string());
    let put = c
        .put_secret_value()
        .secret_id(name)
        .secret_string("v2")
        .send()
        .await
        .unwrap();
    o.put_stages.push(sorted(put.version_stages()));
    ids.push(put.version_id().unwrap().to_string());

    let token = "11111111-2222-4333-8444-555555555555";
    let put3 = || {
        c.put_secret_value()
            .secret_id(name)
            .client_request_token(token)
    };
    let first = put3().secret_string("v3").send().await.unwrap();
    o.put_stages.push(sorted(first.version_stages()));
    ids.push(first.version_id().unwrap().to_string());
    let again = put3().secret_string("v3").send().await.unwrap();
    o.idempotent_put_same_version = again.version_id() == first.version_id();
    let clash = put3().secret_string("v3-other").send().await;
    o.errors.insert("same token, other value", err_code(clash));

    let pending = c
        .put_secret_value()
        .secret_id(name)
        .secret_string("v4")
        .version_stages("AWSPENDING")
        .send()
        .await
        .unwrap();
    o.put_stages.push(sorted(pending.version_stages()));
    ids.push(pending.version_id().unwrap().to_string());

    for stage in ["AWSCURRENT", "AWSPREVIOUS", "AWSPENDING"] {
        let got = c
            .get_secret_value()
            .secret_id(name)
            .version_stage(stage)
            .send()
            .await
            .unwrap();
        o.values_by_stage
            .insert(stage.to_string(), got.secret_string().map(str::to_string));
    }
    let oldest = c
        .get_secret_value()
        .secret_id(name)
        .version_id(&ids[0])
        .send()
        .await
        .unwrap();
    o.oldest_by_id = oldest.secret_string().map(str::to_string);

    let index = |id: &str| ids.iter().position(|x| x == id).unwrap_or(usize::MAX);
    let d = c.describe_secret().secret_id(name).send().await.unwrap();
    for (id, stages) in d.version_ids_to_stages().cloned().unwrap_or_default() {
        if !stages.is_empty() {
            o.describe_stages.insert(index(&id), sorted(&stages));
        }
    }
    let listed = c
        .list_secret_version_ids()
        .secret_id(name)
        .send()
        .await
        .unwrap();
    for v in listed.versions() {
        if !v.version_stages().is_empty() {
            o.listed_version_stages
                .insert(index(v.version_id().unwrap()), sorted(v.version_stages()));
        }
    }

    c.create_secret()
        .name("parity/bin")
        .secret_binary(Blob::new(vec![0u8, 159, 146, 150, 255]))
        .send()
        .await
        .unwrap();
    c.create_secret()
        .name("elsewhere/x")
        .secret_string("x")
        .send()
        .await
        .unwrap();
    let got = c
        .get_secret_value()
        .secret_id("parity/bin")
        .send()
        .await
        .unwrap();
    o.binary = got.secret_binary().map(|b| b.as_ref().to_vec());
    let list = c
        .list_secrets()
        .filters(
            Filter::builder()
                .key(FilterNameStringType::Name)
                .values("parity/")
                .build(),
        )
        .send()
        .await
        .unwrap();
    o.listed_names = list
        .secret_list()
        .iter()
        .filter_map(|s| s.name().map(str::to_string))
        .collect();
    o.listed_names.sort();

    let e = c
        .get_secret_value()
        .secret_id("parity/missing")
        .send()
        .await;
    o.errors.insert("missing secret", err_code(e));
    let e = c
        .create_secret()
        .name(name)
        .secret_string("again")
        .send()
        .await;
    o.errors.insert("duplicate create", err_code(e));
    let e = c
        .get_secret_value()
        .secret_id("elsewhere/x")
        .version_stage("AWSPREVIOUS")
        .send()
        .await;
    o.errors.insert("missing stage", err_code(e));
    let e = c.put_secret_value().secret_id(name).send().await;
    o.errors.insert("put without value", err_code(e));
    let e = c
        .update_secret_version_stage()
        .secret_id(name)
        .version_stage("AWSCURRENT")
        .move_to_version_id(&ids[1])
        .send()
        .await;
    o.errors
        .insert("move AWSCURRENT without RemoveFromVersionId", err_code(e));
    o
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sim_matches_moto() {
    let Some(moto) = start_moto().await else {
        return;
    };
    let moto_client = client(&format!("http://127.0.0.1:{}", moto.port)).await;
    let from_moto = scenario(&moto_client).await;
    drop(moto);

    let state = SmState::new("ap-northeast-2", "123456789012");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(sm::serve(listener, state.clone()));
    let sim_client = client(&endpoint).await;
    let from_sim = scenario(&sim_client).await;

    // The scenario really exercised something.
    assert_eq!(
        from_sim.values_by_stage["AWSCURRENT"].as_deref(),
        Some("v3")
    );
    assert_eq!(from_sim.errors.len(), 6);
    assert!(
        from_sim.errors.values().all(Option::is_some),
        "{:?}",
        from_sim.errors
    );
    assert_eq!(from_sim, from_moto);

    // Beyond moto: a rollback on the sim.
    let versions = state.version_stages("parity/app");
    let (v2, v3) = (versions[1].0.clone(), versions[2].0.clone());
    sim_client
        .update_secret_version_stage()
        .secret_id("parity/app")
        .version_stage("AWSCURRENT")
        .remove_from_version_id(&v3)
        .move_to_version_id(&v2)
        .send()
        .await
        .unwrap();
    let got = sim_client
        .get_secret_value()
        .secret_id("parity/app")
        .send()
        .await
        .unwrap();
    assert_eq!(got.secret_string(), Some("v2"));
    assert_eq!(
        state.value_at_stage("parity/app", "AWSPREVIOUS").as_deref(),
        Some("v3")
    );
    server.abort();
}
