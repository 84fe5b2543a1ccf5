//! [`SmState`]: the thread-safe in-memory service, its in-process seeding and
//! inspection API, and fault injection.

use super::errors::SmError;
use super::state::{self, PutOutcome, Rotation, Secret, SecretValue};
use rand::Rng;
use rand::distr::Alphanumeric;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

/// A pending injected failure.
#[derive(Debug, Clone)]
struct Fault {
    operation: String,
    code: String,
    remaining: u32,
}

#[derive(Debug, Default)]
pub(crate) struct Inner {
    /// Secrets by name.
    pub(crate) secrets: HashMap<String, Secret>,
    next_seq: u64,
    faults: Vec<Fault>,
}

/// The simulated Secrets Manager of one account and region.
#[derive(Debug)]
pub struct SmState {
    pub(crate) region: String,
    pub(crate) account_id: String,
    inner: Mutex<Inner>,
    /// Operations called by clients other than the ESO sim.
    pub requests: crate::requests::RequestCounts,
}

/// Wall-clock time as epoch seconds, to the millisecond.
pub(crate) fn now() -> f64 {
    let d = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    (d.as_millis() as f64) / 1000.0
}

pub(crate) fn new_version_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

impl Inner {
    /// Looks a secret up by name, full ARN or partial ARN (without the
    /// six-character suffix).
    pub(crate) fn find_key(&self, secret_id: &str, arn_prefix: &str) -> Option<String> {
        if self.secrets.contains_key(secret_id) {
            return Some(secret_id.to_string());
        }
        if !secret_id.starts_with("arn:") {
            return None;
        }
        if let Some(s) = self.secrets.values().find(|s| s.arn == secret_id) {
            return Some(s.name.clone());
        }
        let name = secret_id.strip_prefix(arn_prefix)?;
        self.secrets.contains_key(name).then(|| name.to_string())
    }

    pub(crate) fn next_seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }
}

impl SmState {
    pub fn new(region: &str, account_id: &str) -> Arc<Self> {
        Arc::new(SmState {
            region: region.to_string(),
            account_id: account_id.to_string(),
            inner: Mutex::new(Inner::default()),
            requests: crate::requests::RequestCounts::default(),
        })
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves plain data behind; keep serving.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `arn:aws:secretsmanager:<region>:<account>:secret:`
    pub(crate) fn arn_prefix(&self) -> String {
        format!(
            "arn:aws:secretsmanager:{}:{}:secret:",
            self.region, self.account_id
        )
    }

    pub(crate) fn new_arn(&self, name: &str) -> String {
        let suffix: String = rand::rng()
            .sample_iter(&Alphanumeric)
            .take(6)
            .map(char::from)
            .collect();
        format!("{}{name}-{suffix}", self.arn_prefix())
    }

    /// Runs `f` on the secret named by `secret_id` (name or ARN).
    pub(crate) fn with_secret<T>(
        &self,
        secret_id: &str,
        f: impl FnOnce(&mut Secret) -> Result<T, SmError>,
    ) -> Result<T, SmError> {
        let mut inner = self.lock();
        let key = inner
            .find_key(secret_id, &self.arn_prefix())
            .ok_or_else(SmError::secret_not_found)?;
        let secret = inner
            .secrets
            .get_mut(&key)
            .ok_or_else(SmError::secret_not_found)?;
        f(secret)
    }

    /// Creates a secret holding `value` as its AWSCURRENT SecretString.
    pub fn create_secret(
        &self,
        name: &str,
        value: &str,
        description: Option<&str>,
    ) -> Result<String, SmError> {
        state::validate_name(name)?;
        let value = SecretValue::String(value.to_string());
        value.validate()?;
        let mut inner = self.lock();
        if let Some(existing) = inner.secrets.get(name) {
            return Err(duplicate_error(existing));
        }
        let now = now();
        let seq = inner.next_seq();
        let mut secret = Secret::new(self.new_arn(name), name.to_string(), now, seq);
        secret.description = description.map(str::to_string);
        secret.put_version(&new_version_id(), value, None, now)?;
        let arn = secret.arn.clone();
        inner.secrets.insert(name.to_string(), secret);
        tracing::debug!(operation = "CreateSecret", secret = name, "seeded");
        Ok(arn)
    }

    /// Adds a new AWSCURRENT version; returns its id.
    pub fn put_value(&self, name: &str, value: &str) -> Result<String, SmError> {
        let value = SecretValue::String(value.to_string());
        value.validate()?;
        let id = new_version_id();
        self.with_secret(name, |s| {
            s.ensure_not_deleted()?;
            match s.put_version(&id, value, None, now())? {
                PutOutcome::Created | PutOutcome::Unchanged => Ok(id.clone()),
            }
        })
    }

    /// Set the secret's rotation (as RotateSecret and a rotation that ran
    /// leave it), for scenarios; a change of the secret like any other.
    pub fn set_rotation(&self, name: &str, rotation: Rotation) -> Result<(), SmError> {
        self.with_secret(name, |s| {
            s.rotation = Some(rotation);
            s.last_changed = now();
            Ok(())
        })
    }

    /// Move `stage` to version `id` from wherever it is (as a rotation
    /// Lambda's createSecret step puts AWSPENDING), for scenarios: what
    /// UpdateSecretVersionStage does when told the current holder.
    pub fn label_version(&self, name: &str, id: &str, stage: &str) -> Result<(), SmError> {
        self.with_secret(name, |s| {
            let holder = s.version_with_stage(stage).map(|v| v.id.clone());
            s.update_stage(stage, holder.as_deref(), Some(id), now())
        })
    }

    /// The AWSCURRENT SecretString, if any.
    pub fn current_value(&self, name: &str) -> Option<String> {
        self.value_at_stage(name, state::AWSCURRENT)
    }

    pub fn value_at_stage(&self, name: &str, stage: &str) -> Option<String> {
        self.with_secret(name, |s| {
            Ok(s.version_with_stage(stage)
                .and_then(|v| v.value.as_string().map(str::to_string)))
        })
        .ok()
        .flatten()
    }

    /// Every version (oldest first) with its labels.
    pub fn version_stages(&self, name: &str) -> Vec<(String, Vec<String>)> {
        self.with_secret(name, |s| {
            Ok(s.versions
                .iter()
                .map(|v| (v.id.clone(), v.stages.clone()))
                .collect())
        })
        .unwrap_or_default()
    }

    /// The next `count` calls of `operation` (`"*"` = any) fail with `code`.
    pub fn inject_fault(&self, operation: &str, code: &str, count: u32) {
        if count == 0 {
            return;
        }
        self.lock().faults.push(Fault {
            operation: operation.to_string(),
            code: code.to_string(),
            remaining: count,
        });
    }

    pub fn clear_faults(&self) {
        self.lock().faults.clear();
    }

    /// Consumes one matching fault, returning its error code.
    pub(crate) fn take_fault(&self, operation: &str) -> Option<String> {
        let mut inner = self.lock();
        let i = inner
            .faults
            .iter()
            .position(|f| f.operation == "*" || f.operation == operation)?;
        let fault = &mut inner.faults[i];
        fault.remaining -= 1;
        let code = fault.code.clone();
        if fault.remaining == 0 {
            inner.faults.remove(i);
        }
        Some(code)
    }
}

pub(crate) fn duplicate_error(existing: &Secret) -> SmError {
    if existing.deleted.is_some() {
        SmError::invalid_request(
            "You can't create this secret because a secret with this name is already scheduled for deletion.",
        )
    } else {
        SmError::resource_exists(format!(
            "The operation failed because the secret {} already exists.",
            existing.name
        ))
    }
}
