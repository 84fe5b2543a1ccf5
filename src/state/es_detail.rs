//! The ExternalSecret detail screen: its view, the AWS secrets its remote
//! refs point at (metadata, and the value, which lives only here and is
//! dropped with the screen), and the timed reveal.

use crate::domain::ObjKey;
use crate::domain::aws::{AwsSecretMeta, SecretValue};
use crate::domain::views::EsView;
use chrono::{DateTime, TimeDelta, Utc};
use std::collections::BTreeMap;

/// How long `x` shows the values.
pub const REVEAL_FOR: TimeDelta = TimeDelta::seconds(30);

/// Something asked of AWS.
#[derive(Debug, Clone, PartialEq)]
pub enum Loading<T> {
    Pending,
    Done(T),
    /// The error in words.
    Failed(String),
}

#[derive(Debug, Clone, Default)]
pub struct EsDetailScreen {
    pub key: ObjKey,
    pub view: Option<EsView>,
    /// DescribeSecret per AWS secret name.
    pub aws: BTreeMap<String, Loading<AwsSecretMeta>>,
    /// The value per AWS secret name (masked unless revealed).
    pub values: BTreeMap<String, Loading<SecretValue>>,
    /// Revealed until this time; `Some(None)` = revealed, the clock not
    /// known yet (the next `Msg::Now` starts the 30 s).
    pub reveal: Option<Option<DateTime<Utc>>>,
    /// First line shown.
    pub scroll: usize,
}

impl EsDetailScreen {
    pub fn new(key: ObjKey, view: Option<EsView>) -> Self {
        EsDetailScreen {
            key,
            view,
            ..Default::default()
        }
    }

    /// The AWS secrets its remote refs read, in order, once each.
    pub fn aws_names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for r in self.view.iter().flat_map(|v| &v.remote_refs) {
            if !r.key.is_empty() && !names.contains(&r.key) {
                names.push(r.key.clone());
            }
        }
        names
    }

    /// The store's region, when it names one.
    pub fn region(&self) -> Option<String> {
        self.view.as_ref().and_then(|v| v.store.region.clone())
    }

    pub fn revealed(&self) -> bool {
        self.reveal.is_some()
    }

    /// The clock moved: start or end the reveal.
    pub(crate) fn tick(&mut self, now: DateTime<Utc>) {
        match self.reveal {
            Some(None) => self.reveal = Some(Some(now + REVEAL_FOR)),
            Some(Some(until)) if now >= until => self.reveal = None,
            _ => {}
        }
    }
}
