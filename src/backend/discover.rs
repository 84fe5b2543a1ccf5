//! Which of the console's API groups the server serves, and at which version.

use kube::Client;
use kube::discovery::{ApiResource, Discovery};

pub const ESO_GROUP: &str = "external-secrets.io";
pub const ARGO_GROUP: &str = "argoproj.io";

/// What discovery found; `None` = the group (or kind) is not served.
#[derive(Debug, Clone, Default)]
pub struct Discovered {
    pub external_secrets: Option<ApiResource>,
    pub secret_stores: Option<ApiResource>,
    pub cluster_secret_stores: Option<ApiResource>,
    pub applications: Option<ApiResource>,
}

/// The ESO version to use among the served ones: `v1` (ESO >= 0.16), else
/// `v1beta1` (older ESO).
pub fn pick_eso_version<'a>(served: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let served: Vec<&str> = served.into_iter().collect();
    ["v1", "v1beta1"]
        .into_iter()
        .find_map(|want| served.iter().copied().find(|v| *v == want))
}

pub async fn discover(client: Client) -> Result<Discovered, kube::Error> {
    let discovery = Discovery::new(client)
        .filter(&[ESO_GROUP, ARGO_GROUP])
        .run()
        .await?;
    let eso = |kind: &str| {
        discovery.get(ESO_GROUP).and_then(|group| {
            let version = pick_eso_version(group.versions())?;
            group
                .versioned_resources(version)
                .into_iter()
                .map(|(ar, _)| ar)
                .find(|ar| ar.kind == kind)
        })
    };
    let external_secrets = eso("ExternalSecret");
    let applications = discovery
        .get(ARGO_GROUP)
        .and_then(|group| group.recommended_kind("Application"))
        .map(|(ar, _)| ar);
    tracing::info!(
        eso = ?external_secrets.as_ref().map(|a| &a.api_version),
        argo = ?applications.as_ref().map(|a| &a.api_version),
        "discovered API groups"
    );
    Ok(Discovered {
        external_secrets,
        secret_stores: eso("SecretStore"),
        cluster_secret_stores: eso("ClusterSecretStore"),
        applications,
    })
}
