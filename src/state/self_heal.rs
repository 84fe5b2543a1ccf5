//! A live ConfigMap edit that Argo CD's selfHeal reverted: the edit dialog
//! says so, and by whom, instead of asking for restarts nobody needs.

use super::config_edit::Stage;
use super::model::Model;
use crate::domain::ObjKey;
use crate::domain::content::config_map_id;

/// After new data: when the applied edit's ConfigMap went back to the
/// content before the edit (the content log saw the edit, then the old
/// content again), note it in the dialog and drop the restart offer.
pub fn note_reverts(model: &mut Model) {
    let Some(ed) = model.overlays.get_mut::<super::config_edit::ConfigEditor>() else {
        return;
    };
    let Stage::Done { summary } = &mut ed.stage else {
        return;
    };
    if !summary.starts_with("applied") || summary.contains("reverted by") {
        return;
    }
    let key = ObjKey::new(ed.base.namespace.clone(), ed.base.name.clone());
    let inv = &model.data.inventory;
    let Some((edit, back)) = inv.content.reverted("ConfigMap", &key) else {
        return;
    };
    let before = crate::domain::ConfigMapObj {
        data: ed.base.data.clone().into_iter().collect(),
        binary_data: ed.base.binary_keys.clone(),
        ..Default::default()
    };
    if back.id != config_map_id(&before) {
        return;
    }
    let by = back.by.as_deref().unwrap_or("another writer");
    let after = (back.since - edit.since).num_seconds().max(0);
    summary.push_str(&format!(
        "\nreverted by {by} {after}s after the edit — no restart needed"
    ));
    ed.stale.clear();
}
