//! The real `aws` CLI against the simulated Secrets Manager, reached through
//! `AWS_ENDPOINT_URL_SECRETS_MANAGER` as a user of `secretdeck sim` would.

use crate::support;

use secretdeck_sim::sm::{self, SmState};
use serde_json::Value;
use std::process::Output;

struct Cli {
    endpoint: String,
    _config: tempfile::TempDir,
}

impl Cli {
    async fn run(&self, args: &[&str]) -> Output {
        tokio::process::Command::new("aws")
            .args(args)
            .args(["--output", "json"])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self._config.path())
            .env("AWS_ENDPOINT_URL_SECRETS_MANAGER", &self.endpoint)
            .env("AWS_ENDPOINT_URL_STS", &self.endpoint)
            .env("AWS_REGION", "ap-northeast-2")
            .env("AWS_DEFAULT_REGION", "ap-northeast-2")
            .env("AWS_ACCESS_KEY_ID", "AKIDSIM")
            .env("AWS_SECRET_ACCESS_KEY", "sim")
            .env("AWS_CONFIG_FILE", self._config.path().join("config"))
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                self._config.path().join("credentials"),
            )
            .env("AWS_PAGER", "")
            .env("AWS_MAX_ATTEMPTS", "1")
            .output()
            .await
            .expect("aws runs")
    }

    /// Runs a command that must succeed and returns its JSON output.
    async fn json(&self, args: &[&str]) -> Value {
        let out = self.run(args).await;
        assert!(
            out.status.success(),
            "aws {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
    }
}

/// Whether the aws CLI can run; when it cannot, the test fails under CI.
async fn aws_available() -> bool {
    let found = tokio::process::Command::new("aws")
        .arg("--version")
        .output()
        .await
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !found {
        assert!(!support::in_ci(), "the aws CLI is required when CI is set");
        eprintln!("skipping: the aws CLI is not installed");
    }
    found
}

fn stages(v: &Value) -> Vec<String> {
    let mut s: Vec<String> = v
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    s.sort();
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aws_cli_round_trip() {
    if !aws_available().await {
        return;
    }
    let state = SmState::new("ap-northeast-2", "123456789012");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(sm::serve(listener, state.clone()));
    let cli = Cli {
        endpoint,
        _config: tempfile::tempdir().unwrap(),
    };
    let name = "onthetop/backend/properties";

    let created = cli
        .json(&[
            "secretsmanager",
            "create-secret",
            "--name",
            name,
            "--secret-string",
            "db.password=one",
            "--description",
            "backend",
        ])
        .await;
    assert_eq!(created["Name"], name);
    let arn = created["ARN"].as_str().unwrap().to_string();
    assert!(arn.starts_with(
        "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:onthetop/backend/properties-"
    ));
    let v1 = created["VersionId"].as_str().unwrap().to_string();

    let put = cli
        .json(&[
            "secretsmanager",
            "put-secret-value",
            "--secret-id",
            name,
            "--secret-string",
            "db.password=two",
        ])
        .await;
    let v2 = put["VersionId"].as_str().unwrap().to_string();
    assert_eq!(stages(&put["VersionStages"]), ["AWSCURRENT"]);
    assert_eq!(
        state.current_value(name).as_deref(),
        Some("db.password=two")
    );

    let cur = cli
        .json(&[
            "secretsmanager",
            "get-secret-value",
            "--secret-id",
            name,
            "--version-stage",
            "AWSCURRENT",
        ])
        .await;
    assert_eq!(cur["SecretString"], "db.password=two");
    assert_eq!(cur["VersionId"], v2.as_str());
    // CLI v1 prints timestamps as received (epoch seconds), v2 as ISO 8601.
    assert!(
        cur["CreatedDate"].is_number() || cur["CreatedDate"].is_string(),
        "a CreatedDate: {cur}"
    );
    let prev = cli
        .json(&[
            "secretsmanager",
            "get-secret-value",
            "--secret-id",
            &arn,
            "--version-stage",
            "AWSPREVIOUS",
        ])
        .await;
    assert_eq!(prev["SecretString"], "db.password=one");
    assert_eq!(prev["VersionId"], v1.as_str());

    let described = cli
        .json(&["secretsmanager", "describe-secret", "--secret-id", name])
        .await;
    assert_eq!(described["Description"], "backend");
    assert_eq!(described["RotationEnabled"], false);
    assert_eq!(
        stages(&described["VersionIdsToStages"][&v1]),
        ["AWSPREVIOUS"]
    );
    assert_eq!(
        stages(&described["VersionIdsToStages"][&v2]),
        ["AWSCURRENT"]
    );

    let updated = cli
        .json(&[
            "secretsmanager",
            "update-secret-version-stage",
            "--secret-id",
            name,
            "--version-stage",
            "AWSCURRENT",
            "--remove-from-version-id",
            &v2,
            "--move-to-version-id",
            &v1,
        ])
        .await;
    assert_eq!(updated["ARN"], arn.as_str());
    assert_eq!(
        state.current_value(name).as_deref(),
        Some("db.password=one")
    );

    let versions = cli
        .json(&[
            "secretsmanager",
            "list-secret-version-ids",
            "--secret-id",
            name,
        ])
        .await;
    let list = versions["Versions"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    for v in list {
        let want = if v["VersionId"] == v1.as_str() {
            "AWSCURRENT"
        } else {
            "AWSPREVIOUS"
        };
        assert_eq!(stages(&v["VersionStages"]), [want]);
    }

    state.create_secret("other/one", "x", None).unwrap();
    state.create_secret("other/two", "y", None).unwrap();
    // The CLI follows NextToken itself; a page size of 1 forces three pages.
    let listed = cli
        .json(&["secretsmanager", "list-secrets", "--page-size", "1"])
        .await;
    let mut names: Vec<&str> = listed["SecretList"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["Name"].as_str())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["onthetop/backend/properties", "other/one", "other/two"]
    );
    let filtered = cli
        .json(&[
            "secretsmanager",
            "list-secrets",
            "--filters",
            "Key=name,Values=other/",
        ])
        .await;
    assert_eq!(filtered["SecretList"].as_array().unwrap().len(), 2);

    let missing = cli
        .run(&[
            "secretsmanager",
            "get-secret-value",
            "--secret-id",
            "does/not/exist",
        ])
        .await;
    assert!(!missing.status.success());
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(stderr.contains("ResourceNotFoundException"), "{stderr}");
    assert!(
        stderr.contains("can't find the specified secret"),
        "{stderr}"
    );

    let dup = cli
        .run(&[
            "secretsmanager",
            "create-secret",
            "--name",
            name,
            "--secret-string",
            "z",
        ])
        .await;
    assert!(!dup.status.success());
    assert!(String::from_utf8_lossy(&dup.stderr).contains("ResourceExistsException"));

    // "Who am I" is answered on the same listener.
    let who = cli.json(&["sts", "get-caller-identity"]).await;
    assert_eq!(who["Account"], "123456789012");
    assert_eq!(who["Arn"], "arn:aws:iam::123456789012:user/AKIDSIM");

    server.abort();
}
