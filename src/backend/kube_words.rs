//! A Kubernetes client error in words with what to do next. kube's own
//! Display of an API error carries the Rust debug form of the Status
//! (`ApiError: … (Status { … })`); this says the server's message, the HTTP
//! code and a hint instead.

/// `e` in words: the API server's message and code, or why it cannot be
/// reached, and what to check.
pub fn kube_words(e: &kube::Error) -> String {
    match e {
        kube::Error::Api(s) => {
            let hint = match s.code {
                401 => {
                    ": the cluster refused the credentials: log in again (refresh the kubeconfig's token)"
                }
                403 => ": forbidden by RBAC: ask for the permission or use another context",
                404 => ": not found (deleted, or another namespace/context?)",
                409 => ": changed by someone else meanwhile: reload and try again",
                _ => "",
            };
            let message = if s.message.is_empty() {
                s.reason.as_str()
            } else {
                s.message.as_str()
            };
            format!("{message} (HTTP {}){hint}", s.code)
        }
        kube::Error::Auth(a) => format!(
            "cannot authenticate to the cluster: {a}: log in again (refresh the kubeconfig's credentials)"
        ),
        kube::Error::HyperError(_) | kube::Error::Service(_) => {
            let chain = chain(e).to_lowercase();
            let why = if chain.contains("connection refused") {
                "connection refused"
            } else if chain.contains("dns") || chain.contains("failed to lookup") {
                "the host name does not resolve"
            } else if chain.contains("timed out") || chain.contains("timeout") {
                "the connection timed out"
            } else if chain.contains("certificate") || chain.contains("tls") {
                "the TLS handshake failed (certificate?)"
            } else {
                "the connection failed"
            };
            format!(
                "cannot reach the Kubernetes API server: {why} — check the network/VPN and the kubeconfig's server"
            )
        }
        other => chain(other),
    }
}

/// A watch that failed while waiting for an object (`await_condition`).
pub fn wait_words(e: &kube::runtime::wait::Error) -> String {
    use kube::runtime::watcher::Error as W;
    let kube::runtime::wait::Error::ProbeFailed(w) = e;
    match w {
        W::InitialListFailed(k) | W::WatchStartFailed(k) | W::WatchFailed(k) => kube_words(k),
        W::WatchError(s) => kube_words(&kube::Error::Api(s.clone())),
        W::NoResourceVersion => w.to_string(),
    }
}

use super::aws::causes as chain;

#[cfg(test)]
mod tests {
    use super::kube_words;

    #[test]
    fn an_api_error_is_its_message_code_and_a_hint_never_debug_text() {
        let status = kube::core::Status::failure(
            "deployments.apps \"api\" is forbidden: User \"dev\" cannot patch",
            "Forbidden",
        )
        .with_code(403);
        let text = kube_words(&kube::Error::Api(Box::new(status)));
        assert!(
            !text.contains("Status {") && !text.contains("ApiError"),
            "{text}"
        );
        assert!(
            text.starts_with("deployments.apps \"api\" is forbidden")
                && text.contains("(HTTP 403)")
                && text.contains("RBAC"),
            "{text}"
        );
    }
}
