//! Which ExternalSecrets, ConfigMaps and workloads belong to which app,
//! found in one pass over the inventory (by tracking-id annotation or
//! instance label, plus each app's `status.resources`), so that the apps
//! table costs the size of the cluster, not apps × objects.

use super::apps::owning_app;
use super::{HasMeta, Inventory, ObjKey};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppObjects {
    pub external_secrets: Vec<ObjKey>,
    pub config_maps: Vec<ObjKey>,
    pub workloads: Vec<ObjKey>,
}

#[derive(Debug, Clone, Default)]
pub struct Membership {
    by_app: BTreeMap<String, AppObjects>,
}

fn add(list: &mut Vec<ObjKey>, key: &ObjKey) {
    if !list.contains(key) {
        list.push(key.clone());
    }
}

fn by_label<T: HasMeta>(
    by_app: &mut BTreeMap<String, AppObjects>,
    map: &BTreeMap<ObjKey, T>,
    pick: fn(&mut AppObjects) -> &mut Vec<ObjKey>,
) {
    for (key, obj) in map {
        if let Some(app) = owning_app(obj.meta()) {
            add(pick(by_app.entry(app.to_string()).or_default()), key);
        }
    }
}

impl Membership {
    pub fn build(inv: &Inventory) -> Self {
        let mut by_app: BTreeMap<String, AppObjects> = BTreeMap::new();
        by_label(&mut by_app, &inv.external_secrets, |a| {
            &mut a.external_secrets
        });
        by_label(&mut by_app, &inv.config_maps, |a| &mut a.config_maps);
        by_label(&mut by_app, &inv.workloads, |a| &mut a.workloads);
        for app in inv.apps.values() {
            let Some(status) = &app.status else { continue };
            let entry = by_app.entry(app.metadata.name().to_string()).or_default();
            for r in &status.resources {
                let key = ObjKey::new(
                    r.namespace.as_deref().unwrap_or(""),
                    r.name.as_deref().unwrap_or(""),
                );
                match r.kind.as_deref() {
                    Some("ExternalSecret") if inv.external_secrets.contains_key(&key) => {
                        add(&mut entry.external_secrets, &key)
                    }
                    Some("ConfigMap") if inv.config_maps.contains_key(&key) => {
                        add(&mut entry.config_maps, &key)
                    }
                    Some(kind) if inv.workloads.get(&key).is_some_and(|w| w.kind() == kind) => {
                        add(&mut entry.workloads, &key)
                    }
                    _ => {}
                }
            }
        }
        Membership { by_app }
    }

    /// The objects of `app` (none when it has none).
    pub fn of(&self, app: &str) -> &AppObjects {
        static NONE: AppObjects = AppObjects {
            external_secrets: Vec::new(),
            config_maps: Vec::new(),
            workloads: Vec::new(),
        };
        self.by_app.get(app).unwrap_or(&NONE)
    }
}

/// The values of `map` in `namespace`, by a range over the sorted keys.
pub fn in_namespace<'a, T>(
    map: &'a BTreeMap<ObjKey, T>,
    namespace: &str,
) -> impl Iterator<Item = &'a T> + use<'a, T> {
    let start = ObjKey::new(namespace, "");
    let ns = start.namespace.clone();
    map.range(start..)
        .take_while(move |(k, _)| k.namespace == ns)
        .map(|(_, v)| v)
}
