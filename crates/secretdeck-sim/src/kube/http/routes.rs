//! Request paths, parsed by hand (the API's path shapes are irregular).

/// What a path addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Healthz,
    Version,
    Api,
    Apis,
    Group(String),
    /// `/api/v1` is the core group `""` at `v1`.
    GroupVersion(String, String),
    OpenApiIndex,
    OpenApiDoc(String, String),
    Resource(ResourcePath),
}

/// A path under a group/version that names resources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourcePath {
    pub group: String,
    pub version: String,
    pub plural: String,
    /// The `namespaces/<ns>` segment, when present.
    pub namespace: Option<String>,
    /// The object's name; `None` for the collection.
    pub name: Option<String>,
    /// The `/status` subresource.
    pub status: bool,
}

impl Route {
    pub fn parse(path: &str) -> Option<Route> {
        let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        match segs.as_slice() {
            ["healthz" | "readyz" | "livez", ..] => Some(Route::Healthz),
            ["version"] => Some(Route::Version),
            ["api"] => Some(Route::Api),
            ["apis"] => Some(Route::Apis),
            ["openapi", "v3"] => Some(Route::OpenApiIndex),
            ["openapi", "v3", "api", v] => Some(Route::OpenApiDoc(String::new(), v.to_string())),
            ["openapi", "v3", "apis", g, v] => {
                Some(Route::OpenApiDoc(g.to_string(), v.to_string()))
            }
            ["api", v] => Some(Route::GroupVersion(String::new(), v.to_string())),
            ["apis", g] => Some(Route::Group(g.to_string())),
            ["apis", g, v] => Some(Route::GroupVersion(g.to_string(), v.to_string())),
            ["api", v, rest @ ..] => resource("", v, rest),
            ["apis", g, v, rest @ ..] => resource(g, v, rest),
            _ => None,
        }
    }
}

fn resource(group: &str, version: &str, rest: &[&str]) -> Option<Route> {
    // `namespaces/<ns>/<plural>…` is a namespaced path; `namespaces/<name>`
    // and `namespaces/<name>/status` address the Namespace object itself.
    let (namespace, rest) = match rest {
        ["namespaces", ns, plural, more @ ..] if *plural != "status" && *plural != "finalize" => {
            (Some(ns.to_string()), [&[*plural][..], more].concat())
        }
        _ => (None, rest.to_vec()),
    };
    let (plural, name, status) = match rest.as_slice() {
        [plural] => (plural, None, false),
        [plural, name] => (plural, Some(name.to_string()), false),
        [plural, name, "status"] => (plural, Some(name.to_string()), true),
        _ => return None,
    };
    Some(Route::Resource(ResourcePath {
        group: group.to_string(),
        version: version.to_string(),
        plural: plural.to_string(),
        namespace,
        name,
        status,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn res(path: &str) -> ResourcePath {
        match Route::parse(path) {
            Some(Route::Resource(r)) => r,
            other => panic!("{path}: {other:?}"),
        }
    }

    #[test]
    fn parses_the_path_shapes() {
        let r = res("/api/v1/namespaces/app/configmaps/c");
        assert_eq!(
            (r.plural.as_str(), r.namespace.as_deref(), r.name.as_deref()),
            ("configmaps", Some("app"), Some("c"))
        );
        let r = res("/api/v1/namespaces/app");
        assert_eq!(
            (r.plural.as_str(), r.namespace, r.name.as_deref()),
            ("namespaces", None, Some("app"))
        );
        let r = res("/api/v1/namespaces/app/status");
        assert!(r.status && r.namespace.is_none() && r.plural == "namespaces");
        let r = res("/apis/external-secrets.io/v1/namespaces/a/externalsecrets/e/status");
        assert!(r.status && r.group == "external-secrets.io" && r.name.as_deref() == Some("e"));
        let r = res("/apis/apps/v1/deployments");
        assert!(r.namespace.is_none() && r.name.is_none());
        assert_eq!(
            Route::parse("/apis/apps/v1"),
            Some(Route::GroupVersion("apps".into(), "v1".into()))
        );
        assert_eq!(Route::parse("/api/v1/namespaces/a/configmaps/c/x/y"), None);
        assert_eq!(Route::parse("/nope"), None);
    }
}
