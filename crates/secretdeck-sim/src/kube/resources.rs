//! The kinds the simulated API server serves, and at which versions.

/// One served resource (a group/version/plural and its kind).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceType {
    pub group: &'static str,
    pub version: &'static str,
    pub plural: &'static str,
    pub singular: &'static str,
    pub kind: &'static str,
    pub namespaced: bool,
    pub short_names: &'static [&'static str],
    /// Has a `/status` subresource: main-resource writes keep status,
    /// status writes keep everything else.
    pub has_status: bool,
}

impl ResourceType {
    /// `v1` for the core group, `group/version` otherwise.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    pub fn list_kind(&self) -> String {
        format!("{}List", self.kind)
    }

    pub fn verbs(&self) -> &'static [&'static str] {
        &[
            "create",
            "delete",
            "deletecollection",
            "get",
            "list",
            "patch",
            "update",
            "watch",
        ]
    }
}

pub const CORE: &str = "";
pub const APPS: &str = "apps";
pub const ESO: &str = "external-secrets.io";
pub const ARGO: &str = "argoproj.io";

/// Which External Secrets API version the server serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EsoVersion {
    #[default]
    V1,
    V1beta1,
}

impl EsoVersion {
    pub fn as_str(self) -> &'static str {
        match self {
            EsoVersion::V1 => "v1",
            EsoVersion::V1beta1 => "v1beta1",
        }
    }
}

impl std::str::FromStr for EsoVersion {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "v1" => Ok(EsoVersion::V1),
            "v1beta1" => Ok(EsoVersion::V1beta1),
            other => Err(format!("unknown ESO API version {other:?} (v1 or v1beta1)")),
        }
    }
}

/// The set of resources served, fixed when the server starts.
#[derive(Debug, Clone)]
pub struct Registry {
    pub types: Vec<ResourceType>,
}

#[allow(clippy::too_many_arguments)]
const fn rt(
    group: &'static str,
    version: &'static str,
    plural: &'static str,
    singular: &'static str,
    kind: &'static str,
    namespaced: bool,
    short_names: &'static [&'static str],
    has_status: bool,
) -> ResourceType {
    ResourceType {
        group,
        version,
        plural,
        singular,
        kind,
        namespaced,
        short_names,
        has_status,
    }
}

impl Registry {
    /// The resources of a cluster with ESO at `eso` and, when `argo`, Argo CD.
    pub fn new(eso: EsoVersion, argo: bool) -> Self {
        let ev = eso.as_str();
        let mut types = vec![
            rt(
                CORE,
                "v1",
                "namespaces",
                "namespace",
                "Namespace",
                false,
                &["ns"],
                true,
            ),
            rt(
                CORE,
                "v1",
                "configmaps",
                "configmap",
                "ConfigMap",
                true,
                &["cm"],
                false,
            ),
            rt(CORE, "v1", "secrets", "secret", "Secret", true, &[], false),
            rt(
                CORE,
                "v1",
                "services",
                "service",
                "Service",
                true,
                &["svc"],
                true,
            ),
            rt(CORE, "v1", "events", "event", "Event", true, &["ev"], false),
            rt(CORE, "v1", "pods", "pod", "Pod", true, &["po"], true),
            rt(
                CORE,
                "v1",
                "serviceaccounts",
                "serviceaccount",
                "ServiceAccount",
                true,
                &["sa"],
                false,
            ),
            rt(
                APPS,
                "v1",
                "deployments",
                "deployment",
                "Deployment",
                true,
                &["deploy"],
                true,
            ),
            rt(
                APPS,
                "v1",
                "statefulsets",
                "statefulset",
                "StatefulSet",
                true,
                &["sts"],
                true,
            ),
            rt(
                APPS,
                "v1",
                "daemonsets",
                "daemonset",
                "DaemonSet",
                true,
                &["ds"],
                true,
            ),
            rt(
                ESO,
                ev,
                "externalsecrets",
                "externalsecret",
                "ExternalSecret",
                true,
                &["es"],
                true,
            ),
            rt(
                ESO,
                ev,
                "secretstores",
                "secretstore",
                "SecretStore",
                true,
                &["ss"],
                true,
            ),
            rt(
                ESO,
                ev,
                "clustersecretstores",
                "clustersecretstore",
                "ClusterSecretStore",
                false,
                &["css"],
                true,
            ),
        ];
        if argo {
            types.push(rt(
                ARGO,
                "v1alpha1",
                "applications",
                "application",
                "Application",
                true,
                &["app", "apps"],
                true,
            ));
        }
        Registry { types }
    }

    /// The resource served at `group/version` under `plural`.
    pub fn find(&self, group: &str, version: &str, plural: &str) -> Option<&ResourceType> {
        self.types
            .iter()
            .find(|t| t.group == group && t.version == version && t.plural == plural)
    }

    /// The resource of a kind in a group, at whatever version is served.
    pub fn by_kind(&self, group: &str, kind: &str) -> Option<&ResourceType> {
        self.types
            .iter()
            .find(|t| t.group == group && t.kind == kind)
    }

    /// The resource of a plural in a group, at whatever version is served.
    pub fn by_plural(&self, group: &str, plural: &str) -> Option<&ResourceType> {
        self.types
            .iter()
            .find(|t| t.group == group && t.plural == plural)
    }

    /// Served groups with their (single) served version, core group excluded.
    pub fn groups(&self) -> Vec<(&'static str, &'static str)> {
        let mut out: Vec<(&str, &str)> = Vec::new();
        for t in &self.types {
            if !t.group.is_empty() && !out.iter().any(|(g, _)| *g == t.group) {
                out.push((t.group, t.version));
            }
        }
        out
    }
}
