//! The annotations the operations set, named once for the code that sets
//! them (`ops`) and the texts that announce them (confirmations, plans).

/// ESO's force-sync: set to the current time (Unix seconds).
pub const FORCE_SYNC: &str = "force-sync";

/// Argo CD's refresh request: `normal` or `hard`; Argo CD clears it.
pub const ARGO_REFRESH: &str = "argocd.argoproj.io/refresh";

/// A rollout restart: set on the pod template to the current time (RFC 3339).
pub const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";
