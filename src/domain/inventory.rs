//! Every object the watches delivered, by kind, keyed by namespace/name.

use super::{
    Application, ConfigMapObj, EventObj, ExternalSecret, ObjKey, Pod, SecretMeta, SecretStore,
    Workload,
};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inventory {
    pub apps: BTreeMap<ObjKey, Application>,
    pub external_secrets: BTreeMap<ObjKey, ExternalSecret>,
    /// Namespaced `SecretStore`s.
    pub secret_stores: BTreeMap<ObjKey, SecretStore>,
    /// `ClusterSecretStore`s (empty namespace in the key).
    pub cluster_secret_stores: BTreeMap<ObjKey, SecretStore>,
    pub config_maps: BTreeMap<ObjKey, ConfigMapObj>,
    pub secrets: BTreeMap<ObjKey, SecretMeta>,
    /// Deployments, StatefulSets and DaemonSets (`Workload::kind` tells).
    pub workloads: BTreeMap<ObjKey, Workload>,
    pub pods: BTreeMap<ObjKey, Pod>,
    pub events: BTreeMap<ObjKey, EventObj>,
    /// Content identities of ConfigMaps and Secrets, and since when.
    pub content: super::content::ContentLog,
}

impl Inventory {
    /// Note the content of the ConfigMaps and Secrets in `keys` as of `now`
    /// (after they were stored). Returns whether the log changed.
    pub fn observe_content(
        &mut self,
        kind: &str,
        keys: &[ObjKey],
        now: Option<chrono::DateTime<chrono::Utc>>,
    ) -> bool {
        use super::content::{config_map_id, secret_id};
        let mut changed = false;
        for key in keys {
            let (id, meta) = match kind {
                "ConfigMap" => match self.config_maps.get(key) {
                    Some(cm) => (Some(config_map_id(cm)), &cm.metadata),
                    None => continue,
                },
                _ => match self.secrets.get(key) {
                    Some(s) => (secret_id(s), &s.metadata),
                    None => continue,
                },
            };
            let Some(id) = id else { continue };
            let written = (meta.data_write.at, meta.data_write.by.clone());
            changed |= self.content.observe(kind, key, &id, written, now);
        }
        changed
    }
}
