//! Which stores read their credentials from which Secret (`auth.secretRef`),
//! so a Secret's change re-validates only the stores that name it.

use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// `(namespace, name)` of a Secret.
pub type SecretKey = (String, String);
/// `(plural, namespace, name)` of a store.
pub type StoreKey = (&'static str, String, String);

#[derive(Default)]
pub struct CredIndex {
    by_store: HashMap<StoreKey, Vec<SecretKey>>,
    by_secret: HashMap<SecretKey, HashSet<StoreKey>>,
}

/// The Secrets a store's `auth.secretRef` names (namespace defaults to the
/// store's own).
pub fn credential_secrets(store: &Value) -> Vec<SecretKey> {
    let Some(sr) = store.pointer("/spec/provider/aws/auth/secretRef") else {
        return Vec::new();
    };
    let own_ns = store["metadata"]["namespace"].as_str().unwrap_or("");
    ["accessKeyIDSecretRef", "secretAccessKeySecretRef"]
        .iter()
        .filter_map(|which| {
            let r = &sr[*which];
            let name = r["name"].as_str()?;
            let ns = r["namespace"].as_str().unwrap_or(own_ns);
            Some((ns.to_string(), name.to_string()))
        })
        .collect()
}

impl CredIndex {
    /// The store now names these Secrets (none when deleted).
    pub fn set(&mut self, store: StoreKey, secrets: Vec<SecretKey>) {
        for old in self.by_store.remove(&store).unwrap_or_default() {
            if let Some(s) = self.by_secret.get_mut(&old) {
                s.remove(&store);
                if s.is_empty() {
                    self.by_secret.remove(&old);
                }
            }
        }
        for s in &secrets {
            self.by_secret
                .entry(s.clone())
                .or_default()
                .insert(store.clone());
        }
        if !secrets.is_empty() {
            self.by_store.insert(store, secrets);
        }
    }

    /// The stores that name this Secret.
    pub fn stores_of(&self, secret: &SecretKey) -> Vec<StoreKey> {
        self.by_secret
            .get(secret)
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn store(ns: Option<&str>, secret_ns: Option<&str>) -> Value {
        let r = |n: &str| match secret_ns {
            Some(s) => json!({"name": n, "key": "k", "namespace": s}),
            None => json!({"name": n, "key": "k"}),
        };
        json!({"metadata": {"name": "s", "namespace": ns},
               "spec": {"provider": {"aws": {"region": "eu-west-1", "auth": {"secretRef": {
                   "accessKeyIDSecretRef": r("creds"), "secretAccessKeySecretRef": r("creds")}}}}}})
    }

    #[test]
    fn names_the_secrets_in_the_stores_namespace_unless_given() {
        assert_eq!(
            credential_secrets(&store(Some("app"), None)),
            vec![("app".into(), "creds".into()); 2]
        );
        assert_eq!(
            credential_secrets(&store(None, Some("eso"))),
            vec![("eso".into(), "creds".into()); 2]
        );
        assert!(credential_secrets(&json!({"spec": {"provider": {"aws": {}}}})).is_empty());
    }

    #[test]
    fn follows_a_store_that_changes_or_goes() {
        let mut ix = CredIndex::default();
        let st: StoreKey = ("secretstores", "app".into(), "s".into());
        let creds = ("app".to_string(), "creds".to_string());
        ix.set(st.clone(), credential_secrets(&store(Some("app"), None)));
        assert_eq!(ix.stores_of(&creds), vec![st.clone()]);
        ix.set(
            st.clone(),
            credential_secrets(&store(Some("app"), Some("other"))),
        );
        assert!(ix.stores_of(&creds).is_empty());
        assert_eq!(
            ix.stores_of(&("other".into(), "creds".into())),
            vec![st.clone()]
        );
        ix.set(st, Vec::new());
        assert!(ix.stores_of(&("other".into(), "creds".into())).is_empty());
    }
}
