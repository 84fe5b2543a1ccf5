//! The app detail screen: five sections (ExternalSecrets, ConfigMaps,
//! workloads, warning Events, Argo CD), one shown at a time; `j/k` move
//! within it, ConfigMaps expand to their values; the screen's actions.

use super::keymap::Action;
use super::nav::Go;
use super::rotation::Mode;
use crate::domain::ObjKey;
use crate::domain::views::AppDetail;
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Section {
    #[default]
    ExternalSecrets,
    ConfigMaps,
    Workloads,
    Events,
    Argo,
}

impl Section {
    pub const ALL: [Section; 5] = [
        Section::ExternalSecrets,
        Section::ConfigMaps,
        Section::Workloads,
        Section::Events,
        Section::Argo,
    ];

    pub fn index(self) -> usize {
        Section::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    pub fn title(self) -> &'static str {
        match self {
            Section::ExternalSecrets => "ExternalSecrets",
            Section::ConfigMaps => "ConfigMaps",
            Section::Workloads => "Workloads",
            Section::Events => "Warning events",
            Section::Argo => "Argo CD",
        }
    }

    fn shifted(self, by: isize) -> Section {
        let n = Section::ALL.len() as isize;
        let i = (self.index() as isize + by).rem_euclid(n) as usize;
        Section::ALL[i]
    }
}

#[derive(Debug, Clone, Default)]
pub struct AppDetailScreen {
    pub key: ObjKey,
    /// `None` while the app is unknown (deleted, or not delivered yet).
    pub detail: Option<AppDetail>,
    pub section: Section,
    /// The selected item of each section.
    pub selected: [usize; 5],
    /// Expanded ConfigMaps (namespace/name).
    pub expanded: BTreeSet<ObjKey>,
}

impl AppDetailScreen {
    pub fn new(key: ObjKey, detail: Option<AppDetail>) -> Self {
        AppDetailScreen {
            key,
            detail,
            ..Default::default()
        }
    }

    /// Items in a section (the Argo CD section scrolls by line).
    pub fn items(&self, section: Section) -> usize {
        let Some(d) = &self.detail else { return 0 };
        match section {
            Section::ExternalSecrets => d.external_secrets.len(),
            Section::ConfigMaps => d.config_maps.len(),
            Section::Workloads => d.workloads.len(),
            Section::Events => d.warning_events.len(),
            Section::Argo => 3 + d.argo.conditions.len() + d.argo.history.len() + 4,
        }
    }

    pub fn selected(&self) -> usize {
        self.selected[self.section.index()]
    }

    pub(crate) fn set_detail(&mut self, detail: Option<AppDetail>) {
        self.detail = detail;
        for s in Section::ALL {
            let last = self.items(s).saturating_sub(1);
            let i = s.index();
            self.selected[i] = self.selected[i].min(last);
        }
    }

    pub(crate) fn next_section(&mut self, by: isize) {
        self.section = self.section.shifted(by);
    }

    pub(crate) fn move_by(&mut self, delta: isize) {
        let last = self.items(self.section).saturating_sub(1);
        let i = self.section.index();
        self.selected[i] = self.selected[i].saturating_add_signed(delta).min(last);
    }

    pub(crate) fn select(&mut self, index: usize) {
        let last = self.items(self.section).saturating_sub(1);
        self.selected[self.section.index()] = index.min(last);
    }

    /// `enter`/`space` on a ConfigMap: show or hide its values.
    pub(crate) fn toggle_config_map(&mut self) {
        let Some(d) = &self.detail else { return };
        if let Some(cm) = d
            .config_maps
            .get(self.selected[Section::ConfigMaps.index()])
            && !self.expanded.remove(&cm.key)
        {
            self.expanded.insert(cm.key.clone());
        }
    }

    /// The screen's actions: sections, moves, `enter`/`space`, and the
    /// rotation of the selected ExternalSecret.
    pub(crate) fn on_action(&mut self, action: Action) -> Go {
        match action {
            Action::NextSection => self.next_section(1),
            Action::PreviousSection => self.next_section(-1),
            Action::Section(i) => {
                if let Some(s) = Section::ALL.get(usize::from(i)) {
                    self.section = *s;
                }
            }
            Action::Down => self.move_by(1),
            Action::Up => self.move_by(-1),
            Action::Top => self.select(0),
            Action::Bottom => self.select(usize::MAX),
            Action::Open | Action::Expand => match self.section {
                Section::ConfigMaps => self.toggle_config_map(),
                Section::ExternalSecrets if action == Action::Open => {
                    if let Some(es) = self.selected_es() {
                        return Go::Es(es);
                    }
                }
                _ => {}
            },
            Action::Rotate | Action::Rollback if self.section == Section::ExternalSecrets => {
                if let Some(es) = self.selected_es() {
                    let mode = if action == Action::Rotate {
                        Mode::Rotate
                    } else {
                        Mode::Rollback
                    };
                    return Go::Rotation(es, mode);
                }
            }
            _ => {}
        }
        Go::Stay
    }

    /// The ExternalSecret selected in its section.
    pub fn selected_es(&self) -> Option<ObjKey> {
        let d = self.detail.as_ref()?;
        d.external_secrets
            .get(self.selected[Section::ExternalSecrets.index()])
            .map(|es| es.key.clone())
    }
}
