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
}
