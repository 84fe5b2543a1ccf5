//! AWS: the caller's identity (STS), a secret's metadata (DescribeSecret)
//! and, on an explicit reveal only, its current value (GetSecretValue at
//! `AWSCURRENT`). Credentials come from the default chain; the endpoint
//! from `AWS_ENDPOINT_URL_SECRETS_MANAGER` / `AWS_ENDPOINT_URL` (read by
//! the SDK) or `AwsOptions::endpoint`. Errors are words with the AWS error
//! code; a value never appears in one.

use crate::domain::{AwsIdentity, AwsSecretMeta, SecretValue};
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_secretsmanager::error::{ProvideErrorMetadata, SdkError};
use chrono::{DateTime, Utc};
use tokio::sync::OnceCell;

/// How to reach AWS.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AwsOptions {
    /// Endpoint for Secrets Manager and STS (e.g. the simulator's).
    pub endpoint: Option<String>,
    /// Region when no store names one (else the SDK's default chain).
    pub region: Option<String>,
    /// Fixed dummy credentials instead of the default chain (the demo).
    pub test_credentials: bool,
}

/// Lazily loaded SDK configuration, shared by every call.
#[derive(Debug, Default)]
pub struct Aws {
    opts: AwsOptions,
    config: OnceCell<SdkConfig>,
}

impl Aws {
    pub fn new(opts: AwsOptions) -> Self {
        Aws {
            opts,
            config: OnceCell::new(),
        }
    }

    async fn config(&self) -> &SdkConfig {
        self.config
            .get_or_init(|| async {
                let mut loader = aws_config::defaults(BehaviorVersion::latest());
                if let Some(e) = &self.opts.endpoint {
                    loader = loader.endpoint_url(e);
                }
                if let Some(r) = &self.opts.region {
                    loader = loader.region(Region::new(r.clone()));
                }
                if self.opts.test_credentials {
                    loader = loader.credentials_provider(
                        aws_sdk_secretsmanager::config::Credentials::new(
                            "AKIDSECRETDECKDEMO",
                            "demo",
                            None,
                            None,
                            "secretdeck-demo",
                        ),
                    );
                }
                loader.load().await
            })
            .await
    }

    pub(crate) async fn sm(&self, region: Option<&str>) -> aws_sdk_secretsmanager::Client {
        let mut b = aws_sdk_secretsmanager::config::Builder::from(self.config().await);
        if let Some(r) = region.filter(|r| !r.is_empty()) {
            b = b.region(Region::new(r.to_string()));
        }
        aws_sdk_secretsmanager::Client::from_conf(b.build())
    }

    /// The region a call in `region` (or the default) goes to.
    pub async fn region_of(&self, region: Option<&str>) -> String {
        match region.filter(|r| !r.is_empty()) {
            Some(r) => r.to_string(),
            None => self
                .config()
                .await
                .region()
                .map(|r| r.to_string())
                .unwrap_or_default(),
        }
    }

    pub async fn identity(&self) -> Result<AwsIdentity, String> {
        let client = aws_sdk_sts::Client::new(self.config().await);
        let out = client
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| words("GetCallerIdentity", &e))?;
        Ok(AwsIdentity {
            account: out.account().unwrap_or_default().to_string(),
            arn: out.arn().unwrap_or_default().to_string(),
        })
    }

    pub async fn describe(
        &self,
        name: &str,
        region: Option<&str>,
    ) -> Result<AwsSecretMeta, String> {
        let out = self
            .sm(region)
            .await
            .describe_secret()
            .secret_id(name)
            .send()
            .await
            .map_err(|e| words("DescribeSecret", &e))?;
        let mut versions: Vec<(String, Vec<String>, Option<DateTime<Utc>>)> = out
            .version_ids_to_stages()
            .map(|m| {
                m.iter()
                    .map(|(id, stages)| (id.clone(), stages.clone(), None))
                    .collect()
            })
            .unwrap_or_default();
        // Creation dates come from ListSecretVersionIds; without permission
        // for it the versions are still shown, undated.
        if let Ok(list) = self
            .sm(region)
            .await
            .list_secret_version_ids()
            .secret_id(name)
            .send()
            .await
        {
            for v in list.versions() {
                let created = v.created_date().and_then(to_chrono);
                if let Some(e) = versions
                    .iter_mut()
                    .find(|e| Some(e.0.as_str()) == v.version_id())
                {
                    e.2 = created;
                }
            }
        }
        // AWSCURRENT first, then AWSPENDING, AWSPREVIOUS, the rest by id.
        let rank = |stages: &[String]| {
            ["AWSCURRENT", "AWSPENDING", "AWSPREVIOUS"]
                .iter()
                .position(|s| stages.iter().any(|x| x == s))
                .unwrap_or(3)
        };
        versions.sort_by(|a, b| rank(&a.1).cmp(&rank(&b.1)).then(a.0.cmp(&b.0)));
        Ok(AwsSecretMeta {
            name: out.name().unwrap_or(name).to_string(),
            arn: out.arn().unwrap_or_default().to_string(),
            region: self.region_of(region).await,
            versions,
            last_changed: out.last_changed_date().and_then(to_chrono),
            read_at: Some(Utc::now()),
        })
    }

    /// The current value (`VersionStage=AWSCURRENT`, asked explicitly).
    pub async fn value(&self, name: &str, region: Option<&str>) -> Result<SecretValue, String> {
        let out = self
            .sm(region)
            .await
            .get_secret_value()
            .secret_id(name)
            .version_stage("AWSCURRENT")
            .send()
            .await
            .map_err(|e| words("GetSecretValue", &e))?;
        let version = out.version_id().map(str::to_string);
        match (out.secret_string(), out.secret_binary()) {
            (Some(s), _) => Ok(SecretValue::new(s, version)),
            (None, Some(b)) => Ok(SecretValue::new(
                format!("(binary value, {} bytes)", b.as_ref().len()),
                version,
            )),
            (None, None) => Err(format!("GetSecretValue: {name} has no value")),
        }
    }
}

fn to_chrono(t: &aws_sdk_secretsmanager::primitives::DateTime) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(t.secs(), t.subsec_nanos())
}

/// An SDK error in words: the operation, the AWS error code and a short
/// explanation for the common ones.
pub fn words<E, R>(op: &str, e: &SdkError<E, R>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + 'static,
{
    if let Some(code) = e.code() {
        let hint = match code {
            "AccessDeniedException" | "AccessDenied" => "access denied by IAM",
            "ResourceNotFoundException" => "no such secret",
            "ExpiredTokenException" | "ExpiredToken" => {
                "the AWS credentials have expired: log in again (`aws sso login`, or refresh the profile's keys) and retry"
            }
            "ThrottlingException" | "Throttling" => "throttled by AWS: try again shortly",
            "DecryptionFailure" => "cannot decrypt with the secret's KMS key",
            "InvalidRequestException" => "invalid request (is the secret deleted?)",
            "UnrecognizedClientException" | "InvalidClientTokenId" => {
                "the AWS credentials are not recognised: check AWS_PROFILE / the access key, or log in again"
            }
            _ => "",
        };
        let msg = e.message().unwrap_or_default();
        return match (hint.is_empty(), msg.is_empty()) {
            (false, _) => format!("{op}: {code}: {hint}"),
            (true, false) => format!("{op}: {code}: {}", first_line(msg)),
            (true, true) => format!("{op}: {code}"),
        };
    }
    // The causes in words (Display only: `DisplayErrorContext` would add
    // the Rust debug form of the whole error).
    let chain = causes(e);
    let service = if op == "GetCallerIdentity" {
        "AWS STS"
    } else {
        "Secrets Manager"
    };
    match e {
        SdkError::ConstructionFailure(_) if chain.contains("credentials") => no_credentials(op),
        SdkError::ConstructionFailure(_) => format!("{op}: cannot build the request: {chain}"),
        SdkError::TimeoutError(_) => format!(
            "{op}: {service} did not answer in time: check the network/VPN and the endpoint, then retry"
        ),
        SdkError::DispatchFailure(_) if chain.contains("credentials") => no_credentials(op),
        SdkError::DispatchFailure(_) => {
            format!(
                "{op}: cannot reach {service}: {} — check the network/VPN and the endpoint (AWS_ENDPOINT_URL, region)",
                reach_problem(&chain)
            )
        }
        SdkError::ResponseError(_) => format!(
            "{op}: {service} sent an answer that cannot be read: {}",
            first_line(&chain)
        ),
        _ => format!("{op}: {}", first_line(&chain)),
    }
}

fn no_credentials(op: &str) -> String {
    format!(
        "{op}: no usable AWS credentials: set AWS_PROFILE (then `aws sso login`) or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, and retry"
    )
}

/// Why a connection failed, in words, from the error chain's text.
fn reach_problem(chain: &str) -> String {
    let lower = chain.to_lowercase();
    if lower.contains("connection refused") {
        "connection refused".into()
    } else if lower.contains("dns error") || lower.contains("failed to lookup") {
        "the host name does not resolve".into()
    } else if lower.contains("timed out") || lower.contains("timeout") {
        "the connection timed out".into()
    } else if lower.contains("certificate") || lower.contains("tls") {
        "the TLS handshake failed (certificate?)".into()
    } else if lower.contains("connection reset") || lower.contains("broken pipe") {
        "the connection was cut".into()
    } else {
        first_line(chain)
    }
}

/// The error's sources, each by its Display, joined by ": " (repeats
/// dropped).
pub(crate) fn causes(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next = Some(e);
    while let Some(err) = next {
        let text = err.to_string();
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = err.source();
    }
    parts.join(": ")
}

fn first_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or_default();
    if line.chars().count() > 200 {
        line.chars().take(199).collect::<String>() + "…"
    } else {
        line.to_string()
    }
}
