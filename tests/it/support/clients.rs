//! Clients for a simulated environment, built as the console builds them.

/// A kube client built from the sim's kubeconfig, as the console builds one.
pub async fn kube_client(kubeconfig: &std::path::Path) -> kube::Client {
    let kc = kube::config::Kubeconfig::read_from(kubeconfig).expect("kubeconfig");
    let cfg = kube::Config::from_custom_kubeconfig(kc, &kube::config::KubeConfigOptions::default())
        .await
        .expect("config");
    kube::Client::try_from(cfg).expect("client")
}

/// A Secrets Manager client for an endpoint, with dummy credentials.
pub fn sm_client(endpoint: &str, region: &str) -> aws_sdk_secretsmanager::Client {
    use aws_sdk_secretsmanager::config::{BehaviorVersion, Credentials, Region};
    let conf = aws_sdk_secretsmanager::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region.to_string()))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new("AKIDTEST", "test", None, None, "test"))
        .build();
    aws_sdk_secretsmanager::Client::from_conf(conf)
}
