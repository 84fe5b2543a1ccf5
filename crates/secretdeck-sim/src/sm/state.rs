//! Secrets, versions and staging labels: the pure rules of Secrets Manager,
//! with no HTTP and no clock (times are passed in as epoch seconds).

use super::errors::SmError;
pub use super::validate::{MAX_VALUE_BYTES, validate_name, validate_stages, validate_token};
use std::fmt;

pub const AWSCURRENT: &str = "AWSCURRENT";
pub const AWSPREVIOUS: &str = "AWSPREVIOUS";
/// Versions kept per secret; the oldest unlabelled ones go first.
pub const MAX_VERSIONS: usize = 100;

/// A secret's protected content. `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub enum SecretValue {
    String(String),
    Binary(Vec<u8>),
}

impl fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretValue::String(s) => write!(f, "SecretString(<{} bytes>)", s.len()),
            SecretValue::Binary(b) => write!(f, "SecretBinary(<{} bytes>)", b.len()),
        }
    }
}

impl SecretValue {
    pub fn as_string(&self) -> Option<&str> {
        match self {
            SecretValue::String(s) => Some(s),
            SecretValue::Binary(_) => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Version {
    pub id: String,
    pub value: SecretValue,
    pub stages: Vec<String>,
    pub created: f64,
    pub last_accessed: Option<f64>,
}

impl Version {
    pub fn has(&self, stage: &str) -> bool {
        self.stages.iter().any(|s| s == stage)
    }

    fn drop_stage(&mut self, stage: &str) {
        self.stages.retain(|s| s != stage);
    }

    fn add_stage(&mut self, stage: &str) {
        if !self.has(stage) {
            self.stages.push(stage.to_string());
        }
    }
}

/// What adding a version did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PutOutcome {
    Created,
    /// Same token and same value: nothing changed.
    Unchanged,
}

/// Rotation set on a secret (as RotateSecret sets it): the Lambda, the
/// schedule, and when it last ran and runs next.
#[derive(Debug, Clone, PartialEq)]
pub struct Rotation {
    pub enabled: bool,
    pub lambda_arn: String,
    pub after_days: u32,
    pub last_rotated: Option<f64>,
    pub next_rotation: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Secret {
    pub arn: String,
    pub name: String,
    pub description: Option<String>,
    pub kms_key_id: Option<String>,
    pub tags: Vec<(String, String)>,
    /// In order of creation.
    pub versions: Vec<Version>,
    pub created: f64,
    pub last_changed: f64,
    pub last_accessed: Option<f64>,
    pub deleted: Option<f64>,
    pub rotation: Option<Rotation>,
    /// Creation sequence number, a stable tie-breaker for ordering.
    pub seq: u64,
}

impl Secret {
    pub fn new(arn: String, name: String, now: f64, seq: u64) -> Self {
        Secret {
            arn,
            name,
            description: None,
            kms_key_id: None,
            tags: Vec::new(),
            versions: Vec::new(),
            created: now,
            last_changed: now,
            last_accessed: None,
            deleted: None,
            rotation: None,
            seq,
        }
    }

    pub fn version(&self, id: &str) -> Option<&Version> {
        self.versions.iter().find(|v| v.id == id)
    }

    fn version_mut(&mut self, id: &str) -> Option<&mut Version> {
        self.versions.iter_mut().find(|v| v.id == id)
    }

    pub fn version_with_stage(&self, stage: &str) -> Option<&Version> {
        self.versions.iter().find(|v| v.has(stage))
    }

    /// Versions that carry at least one label (the others are deprecated).
    pub fn labelled_versions(&self) -> impl Iterator<Item = &Version> {
        self.versions.iter().filter(|v| !v.stages.is_empty())
    }

    pub fn ensure_not_deleted(&self) -> Result<(), SmError> {
        match self.deleted {
            Some(_) => Err(SmError::marked_for_deletion()),
            None => Ok(()),
        }
    }

    /// Adds a version with id `token`. Without `stages` it becomes AWSCURRENT;
    /// the first version always gets AWSCURRENT. Each label moves from the
    /// version holding it; when AWSCURRENT moves, the version it left
    /// becomes AWSPREVIOUS.
    pub fn put_version(
        &mut self,
        token: &str,
        value: SecretValue,
        stages: Option<Vec<String>>,
        now: f64,
    ) -> Result<PutOutcome, SmError> {
        if let Some(existing) = self.version(token) {
            if existing.value == value {
                return Ok(PutOutcome::Unchanged);
            }
            return Err(SmError::resource_exists(format!(
                "You can't use ClientRequestToken {token} because that value is already in use for a version of secret {}.",
                self.arn
            )));
        }
        let mut stages = stages.unwrap_or_else(|| vec![AWSCURRENT.to_string()]);
        validate_stages(&stages)?;
        if self.versions.is_empty() && !stages.iter().any(|s| s == AWSCURRENT) {
            stages.push(AWSCURRENT.to_string());
        }
        let mut seen = std::collections::HashSet::new();
        stages.retain(|s| seen.insert(s.clone()));
        let previous_current = self.version_with_stage(AWSCURRENT).map(|v| v.id.clone());
        for stage in &stages {
            for v in &mut self.versions {
                v.drop_stage(stage);
            }
        }
        if stages.iter().any(|s| s == AWSCURRENT)
            && let Some(prev) = previous_current
        {
            self.mark_previous(&prev);
        }
        self.versions.push(Version {
            id: token.to_string(),
            value,
            stages,
            created: now,
            last_accessed: None,
        });
        self.prune();
        self.last_changed = now;
        Ok(PutOutcome::Created)
    }

    /// Gives `id` the AWSPREVIOUS label, taking it from any other version.
    fn mark_previous(&mut self, id: &str) {
        for v in &mut self.versions {
            v.drop_stage(AWSPREVIOUS);
        }
        if let Some(v) = self.version_mut(id) {
            v.add_stage(AWSPREVIOUS);
        }
    }

    fn prune(&mut self) {
        while self.versions.len() > MAX_VERSIONS {
            match self.versions.iter().position(|v| v.stages.is_empty()) {
                Some(i) => {
                    self.versions.remove(i);
                }
                None => break,
            }
        }
    }

    /// UpdateSecretVersionStage.
    pub fn update_stage(
        &mut self,
        stage: &str,
        remove_from: Option<&str>,
        move_to: Option<&str>,
        now: f64,
    ) -> Result<(), SmError> {
        validate_stages(std::slice::from_ref(&stage.to_string()))?;
        for id in [remove_from, move_to].into_iter().flatten() {
            if self.version(id).is_none() {
                return Err(SmError::invalid_parameter(format!(
                    "Not a valid version: {id}"
                )));
            }
        }
        let holder = self.version_with_stage(stage).map(|v| v.id.clone());
        if let Some(from) = remove_from
            && holder.as_deref() != Some(from)
        {
            return Err(SmError::invalid_parameter(format!(
                "The staging label {stage} is not attached to version {from}."
            )));
        }
        let Some(target) = move_to else {
            let Some(from) = remove_from else {
                return Err(SmError::invalid_parameter(
                    "You must specify MoveToVersionId, RemoveFromVersionId, or both.",
                ));
            };
            if stage == AWSCURRENT {
                return Err(SmError::invalid_parameter(
                    "You can't remove the staging label AWSCURRENT from a version; move it to another version with MoveToVersionId.",
                ));
            }
            if let Some(v) = self.version_mut(from) {
                v.drop_stage(stage);
            }
            self.last_changed = now;
            return Ok(());
        };
        match holder {
            Some(h) if h == target => return Ok(()),
            Some(h) if remove_from.is_none() => {
                return Err(SmError::invalid_parameter(format!(
                    "The parameter RemoveFromVersionId can't be empty. Staging label {stage} is currently attached to version {h}, so you must explicitly reference that version in RemoveFromVersionId."
                )));
            }
            _ => {}
        }
        if let Some(h) = &holder
            && let Some(v) = self.version_mut(h)
        {
            v.drop_stage(stage);
        }
        if let Some(v) = self.version_mut(target) {
            v.add_stage(stage);
        }
        if stage == AWSCURRENT
            && let Some(h) = holder
        {
            self.mark_previous(&h);
        }
        self.prune();
        self.last_changed = now;
        Ok(())
    }

    /// The version GetSecretValue answers with: by id, by stage, or
    /// AWSCURRENT; both given must agree.
    pub fn select_version(
        &self,
        version_id: Option<&str>,
        stage: Option<&str>,
    ) -> Result<&Version, SmError> {
        match (version_id, stage) {
            (Some(id), stage) => {
                let v = self
                    .version(id)
                    .ok_or_else(|| SmError::version_not_found(id))?;
                match stage {
                    Some(s) if !v.has(s) => Err(SmError::invalid_request(
                        "You provided a VersionStage that is not associated to the provided VersionId.",
                    )),
                    _ => Ok(v),
                }
            }
            (None, stage) => {
                let s = stage.unwrap_or(AWSCURRENT);
                self.version_with_stage(s)
                    .ok_or_else(|| SmError::stage_not_found(s))
            }
        }
    }

    /// Records an access (the service keeps only the day).
    pub fn touch(&mut self, version_id: &str, now: f64) {
        let day = (now / 86_400.0).floor() * 86_400.0;
        self.last_accessed = Some(day);
        if let Some(v) = self.version_mut(version_id) {
            v.last_accessed = Some(day);
        }
    }
}
