//! The AWS Secrets Manager provider of the ESO sim: reads remote refs over
//! HTTP with aws-sdk-secretsmanager, as ESO's AWS provider does.

use aws_sdk_secretsmanager::Client;
use aws_sdk_secretsmanager::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_secretsmanager::error::ProvideErrorMetadata;
use std::collections::HashMap;
use std::sync::Mutex;

/// Credentials the store authenticates with.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StoreAuth {
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
}

/// One client per region and credentials, against one endpoint.
pub struct Provider {
    endpoint: String,
    clients: Mutex<HashMap<StoreAuth, Client>>,
}

impl Provider {
    pub fn new(endpoint: impl Into<String>) -> Self {
        Provider {
            endpoint: endpoint.into(),
            clients: Mutex::new(HashMap::new()),
        }
    }

    fn client(&self, auth: &StoreAuth) -> Client {
        let mut clients = self.clients.lock().unwrap_or_else(|p| p.into_inner());
        clients
            .entry(auth.clone())
            .or_insert_with(|| {
                let creds = Credentials::new(
                    auth.access_key_id.clone(),
                    auth.secret_access_key.clone(),
                    None,
                    None,
                    "external-secrets",
                );
                let conf = aws_sdk_secretsmanager::Config::builder()
                    .behavior_version(BehaviorVersion::latest())
                    .region(Region::new(auth.region.clone()))
                    .endpoint_url(self.endpoint.clone())
                    .credentials_provider(creds)
                    .app_name(eso_app_name())
                    .build();
                Client::from_conf(conf)
            })
            .clone()
    }

    /// The secret string of `key` at `version` (a stage, or `uuid/<id>`).
    /// Errors carry the AWS error code and message, never a value.
    pub async fn get(
        &self,
        auth: &StoreAuth,
        key: &str,
        version: Option<&str>,
    ) -> Result<String, String> {
        let mut req = self.client(auth).get_secret_value().secret_id(key);
        match version {
            Some(v) if v.starts_with("uuid/") => req = req.version_id(&v[5..]),
            Some(v) if !v.is_empty() => req = req.version_stage(v),
            _ => req = req.version_stage("AWSCURRENT"),
        }
        match req.send().await {
            Ok(out) => {
                if let Some(s) = out.secret_string() {
                    Ok(s.to_string())
                } else if let Some(b) = out.secret_binary() {
                    String::from_utf8(b.as_ref().to_vec())
                        .map_err(|_| format!("secret {key:?} holds binary data that is not UTF-8"))
                } else {
                    Err(format!("secret {key:?} has no value"))
                }
            }
            Err(e) => {
                let code = e.code().unwrap_or("RequestFailed").to_string();
                let msg = e.message().map(str::to_string).unwrap_or_else(|| {
                    aws_sdk_secretsmanager::error::DisplayErrorContext(&e).to_string()
                });
                Err(format!("{code}: {msg}"))
            }
        }
    }
}

/// The user agent's app name, which tells the sim's request counts the ESO
/// sim's reads from a client's.
fn eso_app_name() -> aws_sdk_secretsmanager::config::AppName {
    aws_sdk_secretsmanager::config::AppName::new(crate::requests::ESO_APP_NAME)
        .unwrap_or_else(|_| unreachable!("a constant, valid app name"))
}
