//! The one key table. Each `Binding` names the keys it binds (as `Key`
//! values) and the `Action` each one means, where it applies, and how the
//! help shows it. Screen keys resolve through it (`action_for`) and the
//! handlers match the `Action`, so the help overlay, the footer hints and
//! the README's key table (all made from it) say what a key does.

use super::keys::{Key, KeyCode};
use super::nav::{ListKind, Route};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Every screen.
    Global,
    /// Every screen with a table (apps, lists, app detail sections).
    Table,
    Apps,
    AppDetail,
    EsDetail,
    /// The `:ctx` and `:ns` lists.
    Pick,
    /// The `:secrets` and `:events` lists: rows that lead to an ExternalSecret.
    Leads,
    /// ConfigMaps: the app detail's section and the `:cm` list.
    ConfigMaps,
}

/// What a key on a screen asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    // Everywhere.
    Palette,
    Help,
    /// One screen back (the filter first).
    Back,
    Quit,
    // Tables and lists.
    Down,
    Up,
    Top,
    Bottom,
    HalfPageDown,
    HalfPageUp,
    PageDown,
    PageUp,
    Filter,
    CycleSort,
    /// Open the selected row (or pick it).
    Open,
    /// Expand or fold the selected ConfigMap (app detail).
    Expand,
    // App detail sections.
    NextSection,
    PreviousSection,
    /// The section with this index (`Section::ALL`).
    Section(u8),
    // ExternalSecret detail.
    Reveal,
    // Operations (mutating).
    ForceSync,
    ForceSyncApp,
    ArgoRefresh,
    ArgoHardRefresh,
    ArgoSync,
    Restart,
    // ConfigMap edits (mutating).
    EditKey,
    AddKey,
    DeleteKey,
    ResumeAutoSync,
    // Rotation (mutating).
    Rotate,
    Rollback,
}

impl Action {
    /// Every action (the sections once each).
    pub const ALL: &[Action] = &[
        Action::Palette,
        Action::Help,
        Action::Back,
        Action::Quit,
        Action::Down,
        Action::Up,
        Action::Top,
        Action::Bottom,
        Action::HalfPageDown,
        Action::HalfPageUp,
        Action::PageDown,
        Action::PageUp,
        Action::Filter,
        Action::CycleSort,
        Action::Open,
        Action::Expand,
        Action::NextSection,
        Action::PreviousSection,
        Action::Section(0),
        Action::Section(1),
        Action::Section(2),
        Action::Section(3),
        Action::Section(4),
        Action::Reveal,
        Action::ForceSync,
        Action::ForceSyncApp,
        Action::ArgoRefresh,
        Action::ArgoHardRefresh,
        Action::ArgoSync,
        Action::Restart,
        Action::EditKey,
        Action::AddKey,
        Action::DeleteKey,
        Action::ResumeAutoSync,
        Action::Rotate,
        Action::Rollback,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    /// The keys as the help and the footer show them (`j/k ↓/↑`).
    pub label: &'static str,
    /// What they do, in words.
    pub what: &'static str,
    pub place: Place,
    /// Shown in the footer of the screens it applies to.
    pub hint: bool,
    /// Changes something: hidden (and refused) in read-only mode.
    pub mutates: bool,
    /// Each key bound and the action it means. Every key the label names is
    /// here; a few alternatives (`home`, `end`, `^f`/`^b`) are not spelled
    /// in the label.
    pub keys: &'static [(Key, Action)],
}

const fn b(
    label: &'static str,
    what: &'static str,
    place: Place,
    hint: bool,
    keys: &'static [(Key, Action)],
) -> Binding {
    Binding {
        label,
        what,
        place,
        hint,
        mutates: false,
        keys,
    }
}

/// A binding that changes something (confirmation first; hidden read-only).
const fn m(
    label: &'static str,
    what: &'static str,
    place: Place,
    hint: bool,
    keys: &'static [(Key, Action)],
) -> Binding {
    Binding {
        label,
        what,
        place,
        hint,
        mutates: true,
        keys,
    }
}

const fn c(ch: char) -> Key {
    Key::char(ch)
}

const fn k(code: KeyCode) -> Key {
    Key::new(code)
}

const fn ctrl(ch: char) -> Key {
    Key::ctrl(ch)
}

use Action as A;
use KeyCode as K;

pub const BINDINGS: &[Binding] = &[
    b(
        "j/k ↓/↑",
        "move",
        Place::Table,
        true,
        &[
            (c('j'), A::Down),
            (c('k'), A::Up),
            (k(K::Down), A::Down),
            (k(K::Up), A::Up),
        ],
    ),
    b(
        "g/G",
        "top / bottom",
        Place::Table,
        false,
        &[
            (c('g'), A::Top),
            (c('G'), A::Bottom),
            (k(K::Home), A::Top),
            (k(K::End), A::Bottom),
        ],
    ),
    b(
        "^d/^u PgDn/PgUp",
        "half page / page",
        Place::Table,
        false,
        &[
            (ctrl('d'), A::HalfPageDown),
            (ctrl('u'), A::HalfPageUp),
            (k(K::PageDown), A::PageDown),
            (k(K::PageUp), A::PageUp),
            (ctrl('f'), A::PageDown),
            (ctrl('b'), A::PageUp),
        ],
    ),
    b(
        "/",
        "filter (fuzzy)",
        Place::Table,
        true,
        &[(c('/'), A::Filter)],
    ),
    b(
        "s",
        "cycle the sort",
        Place::Table,
        true,
        &[(c('s'), A::CycleSort)],
    ),
    b(
        "enter",
        "open details",
        Place::Apps,
        true,
        &[(k(K::Enter), A::Open)],
    ),
    b(
        "enter",
        "open details / pick",
        Place::Pick,
        true,
        &[(k(K::Enter), A::Open)],
    ),
    b(
        "enter",
        "open the ExternalSecret (of a managed Secret, of an event)",
        Place::Leads,
        false,
        &[(k(K::Enter), A::Open)],
    ),
    b(
        "tab/shift-tab 1-5",
        "next / previous section",
        Place::AppDetail,
        true,
        &[
            (k(K::Tab), A::NextSection),
            (k(K::BackTab), A::PreviousSection),
            (c('1'), A::Section(0)),
            (c('2'), A::Section(1)),
            (c('3'), A::Section(2)),
            (c('4'), A::Section(3)),
            (c('5'), A::Section(4)),
        ],
    ),
    b(
        "j/k",
        "move within the section",
        Place::AppDetail,
        false,
        &[
            (c('j'), A::Down),
            (c('k'), A::Up),
            (k(K::Down), A::Down),
            (k(K::Up), A::Up),
            (c('g'), A::Top),
            (c('G'), A::Bottom),
            (k(K::Home), A::Top),
            (k(K::End), A::Bottom),
        ],
    ),
    b(
        "enter/space",
        "expand a ConfigMap; open an ExternalSecret",
        Place::AppDetail,
        true,
        &[(k(K::Enter), A::Open), (c(' '), A::Expand)],
    ),
    b(
        "j/k",
        "scroll",
        Place::EsDetail,
        true,
        &[
            (c('j'), A::Down),
            (c('k'), A::Up),
            (k(K::Down), A::Down),
            (k(K::Up), A::Up),
            (k(K::PageDown), A::PageDown),
            (k(K::PageUp), A::PageUp),
            (c('g'), A::Top),
            (k(K::Home), A::Top),
        ],
    ),
    b(
        "x",
        "reveal the value for 30 s (audited)",
        Place::EsDetail,
        true,
        &[(c('x'), A::Reveal)],
    ),
    // Operations: force-sync, Argo CD refresh/sync, restart.
    m(
        "r",
        "force-sync the ExternalSecret",
        Place::EsDetail,
        true,
        &[(c('r'), A::ForceSync)],
    ),
    m(
        "r",
        "force-sync the selected ExternalSecret",
        Place::AppDetail,
        true,
        &[(c('r'), A::ForceSync)],
    ),
    m(
        "R",
        "force-sync every ExternalSecret of the app",
        Place::Apps,
        false,
        &[(c('R'), A::ForceSyncApp)],
    ),
    m(
        "R",
        "force-sync every ExternalSecret of the app",
        Place::AppDetail,
        false,
        &[(c('R'), A::ForceSyncApp)],
    ),
    m(
        "f/F",
        "Argo CD refresh / hard refresh",
        Place::Apps,
        false,
        &[(c('f'), A::ArgoRefresh), (c('F'), A::ArgoHardRefresh)],
    ),
    m(
        "f/F",
        "Argo CD refresh / hard refresh",
        Place::AppDetail,
        false,
        &[(c('f'), A::ArgoRefresh), (c('F'), A::ArgoHardRefresh)],
    ),
    m(
        "S",
        "Argo CD sync",
        Place::Apps,
        false,
        &[(c('S'), A::ArgoSync)],
    ),
    m(
        "S",
        "Argo CD sync",
        Place::AppDetail,
        false,
        &[(c('S'), A::ArgoSync)],
    ),
    m(
        "^r",
        "rollout restart the selected workload",
        Place::AppDetail,
        true,
        &[(ctrl('r'), A::Restart)],
    ),
    // ConfigMap edits.
    m(
        "e",
        "edit a key (diff, confirm)",
        Place::ConfigMaps,
        true,
        &[(c('e'), A::EditKey)],
    ),
    m(
        "a",
        "add a key",
        Place::ConfigMaps,
        true,
        &[(c('a'), A::AddKey)],
    ),
    m(
        "d",
        "delete a key",
        Place::ConfigMaps,
        true,
        &[(c('d'), A::DeleteKey)],
    ),
    // The status bar names the paused app on every screen: `U` answers there.
    m(
        "U",
        "re-enable the Argo CD auto-sync paused for an edit",
        Place::Global,
        false,
        &[(c('U'), A::ResumeAutoSync)],
    ),
    // Rotation.
    m(
        "w",
        "write a new value: guided rotation",
        Place::EsDetail,
        true,
        &[(c('w'), A::Rotate)],
    ),
    m(
        "W",
        "roll back: AWSCURRENT to the previous version",
        Place::EsDetail,
        false,
        &[(c('W'), A::Rollback)],
    ),
    m(
        "w / W",
        "rotate / roll back the selected ExternalSecret's secret",
        Place::AppDetail,
        false,
        &[(c('w'), A::Rotate), (c('W'), A::Rollback)],
    ),
    b(
        ":",
        "command (:apps :es :stores :cm :secrets :events :ctx :ns :audit :q)",
        Place::Global,
        true,
        &[(c(':'), A::Palette)],
    ),
    b("?", "help", Place::Global, true, &[(c('?'), A::Help)]),
    b(
        "esc",
        "back (clears the filter first)",
        Place::Global,
        true,
        &[(k(K::Esc), A::Back)],
    ),
    b(
        "q ^c",
        "quit",
        Place::Global,
        true,
        &[(c('q'), A::Quit), (ctrl('c'), A::Quit)],
    ),
];

/// The places of a screen, the screen's own first.
pub fn places(route: &Route) -> &'static [Place] {
    match route {
        Route::Apps => &[Place::Apps, Place::Table, Place::Global],
        Route::AppDetail(_) => &[Place::AppDetail, Place::ConfigMaps, Place::Global],
        Route::EsDetail(_) => &[Place::EsDetail, Place::Global],
        Route::List(ListKind::Contexts | ListKind::Namespaces) => {
            &[Place::Pick, Place::Table, Place::Global]
        }
        Route::List(ListKind::ExternalSecrets) => &[Place::Pick, Place::Table, Place::Global],
        Route::List(ListKind::Secrets | ListKind::Events) => {
            &[Place::Leads, Place::Table, Place::Global]
        }
        Route::List(ListKind::ConfigMaps) => &[Place::ConfigMaps, Place::Table, Place::Global],
        Route::List(ListKind::Stores) => &[Place::Table, Place::Global],
    }
}

/// What `key` means in these places (the first place that binds it).
pub fn action_in(places: &[Place], key: Key) -> Option<Action> {
    places.iter().find_map(|place| {
        BINDINGS
            .iter()
            .filter(|b| b.place == *place)
            .flat_map(|b| b.keys.iter())
            .find(|(k, _)| *k == key)
            .map(|(_, action)| *action)
    })
}

/// What `key` means on the screen of `route`, read-only or not (a mutating
/// action is refused by its handler, with an audited refusal).
pub fn action_for(route: &Route, key: Key) -> Option<Action> {
    action_in(places(route), key)
}

/// A table's move action for a key (also while its filter is typed).
pub fn move_action(key: Key) -> Option<Action> {
    action_in(&[Place::Table], key).filter(|a| {
        matches!(
            a,
            Action::Down
                | Action::Up
                | Action::Top
                | Action::Bottom
                | Action::HalfPageDown
                | Action::HalfPageUp
                | Action::PageDown
                | Action::PageUp
        )
    })
}

/// The bindings of a screen, screen-specific first; without the mutating
/// ones in read-only mode.
pub fn for_route(route: &Route, readonly: bool) -> Vec<&'static Binding> {
    places(route)
        .iter()
        .flat_map(|p| BINDINGS.iter().filter(move |b| b.place == *p))
        .filter(|b| !(readonly && b.mutates))
        .collect()
}

/// The footer hints of a screen: the global ones first (they must stay
/// visible on narrow terminals), then the screen's.
pub fn hints(route: &Route, readonly: bool) -> Vec<&'static Binding> {
    let mut all: Vec<_> = for_route(route, readonly)
        .into_iter()
        .filter(|b| b.hint)
        .collect();
    all.sort_by_key(|b| b.place != Place::Global);
    all
}

/// A key as labels write it (`j`, `^r`, `↓`, `PgDn`, `enter`, `space`).
pub fn key_name(key: Key) -> String {
    let name = match key.code {
        KeyCode::Char(' ') => "space".to_string(),
        KeyCode::Char(ch) if key.ctrl => format!("^{ch}"),
        KeyCode::Char(ch) => ch.to_string(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::Home => "home".into(),
        KeyCode::End => "end".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::Enter => "enter".into(),
        KeyCode::Esc => "esc".into(),
        KeyCode::Tab => "tab".into(),
        KeyCode::BackTab => "shift-tab".into(),
        KeyCode::Backspace => "backspace".into(),
        KeyCode::Other => "?".into(),
    };
    if key.alt { format!("alt-{name}") } else { name }
}

/// The keys a label names: `j/k ↓/↑` is j, k, ↓, ↑; `1-5` is 1 to 5.
pub fn label_keys(label: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in label.split([' ', '/']).filter(|w| !w.is_empty()) {
        let chars: Vec<char> = word.chars().collect();
        match chars.as_slice() {
            [from, '-', to] if from.is_ascii_digit() && to.is_ascii_digit() => {
                out.extend((*from..=*to).map(|d| d.to_string()));
            }
            _ => out.push(word.to_string()),
        }
    }
    out
}

/// The whole key map as a Markdown table (for the README).
pub fn markdown() -> String {
    let mut out = String::from("| key | where | what |\n|---|---|---|\n");
    for b in BINDINGS {
        let place = match b.place {
            Place::Global => "everywhere",
            Place::Table => "tables",
            Place::Apps => "apps",
            Place::AppDetail => "app detail",
            Place::EsDetail => "ExternalSecret detail",
            Place::Pick => ":es, :ctx, :ns",
            Place::Leads => ":secrets, :events",
            Place::ConfigMaps => "ConfigMaps (app detail, :cm)",
        };
        out.push_str(&format!("| `{}` | {place} | {} |\n", b.label, b.what));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ObjKey;

    fn routes() -> Vec<Route> {
        let key = ObjKey::new("ns", "x");
        let mut all = vec![
            Route::Apps,
            Route::AppDetail(key.clone()),
            Route::EsDetail(key),
        ];
        all.extend(ListKind::ALL.iter().map(|k| Route::List(*k)));
        all
    }

    #[test]
    fn every_binding_resolves_to_its_action_on_its_screens() {
        for route in routes() {
            for b in for_route(&route, false) {
                for (key, action) in b.keys {
                    assert_eq!(
                        action_for(&route, *key),
                        Some(*action),
                        "{} ({}) on {route:?}",
                        key_name(*key),
                        b.what
                    );
                }
            }
        }
    }

    #[test]
    fn labels_name_only_bound_keys() {
        for b in BINDINGS {
            let bound: Vec<String> = b.keys.iter().map(|(k, _)| key_name(*k)).collect();
            for name in label_keys(b.label) {
                assert!(
                    bound.contains(&name),
                    "{:?} names {name}, not bound: {bound:?}",
                    b.label
                );
            }
            assert!(!b.keys.is_empty(), "{} binds no key", b.label);
        }
    }

    #[test]
    fn a_key_means_one_action_per_place() {
        for b in BINDINGS {
            for (key, action) in b.keys {
                let same_place = BINDINGS
                    .iter()
                    .filter(|o| o.place == b.place)
                    .flat_map(|o| o.keys.iter())
                    .filter(|(k, a)| k == key && a != action);
                assert_eq!(same_place.count(), 0, "{} in {:?}", key_name(*key), b.place);
            }
        }
    }

    #[test]
    fn every_action_is_listed_once() {
        // A new variant must be added to ALL: this match has no wildcard.
        let index = |a: Action| match a {
            Action::Palette
            | Action::Help
            | Action::Back
            | Action::Quit
            | Action::Down
            | Action::Up
            | Action::Top
            | Action::Bottom
            | Action::HalfPageDown
            | Action::HalfPageUp
            | Action::PageDown
            | Action::PageUp
            | Action::Filter
            | Action::CycleSort
            | Action::Open
            | Action::Expand
            | Action::NextSection
            | Action::PreviousSection
            | Action::Reveal
            | Action::ForceSync
            | Action::ForceSyncApp
            | Action::ArgoRefresh
            | Action::ArgoHardRefresh
            | Action::ArgoSync
            | Action::Restart
            | Action::EditKey
            | Action::AddKey
            | Action::DeleteKey
            | Action::ResumeAutoSync
            | Action::Rotate
            | Action::Rollback => 1,
            Action::Section(n) => usize::from(n < 5),
        };
        assert_eq!(Action::ALL.iter().map(|a| index(*a)).sum::<usize>(), 36);
        let mut sorted = Action::ALL.to_vec();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), Action::ALL.len());
        // Every action is bound somewhere.
        for a in Action::ALL {
            assert!(
                BINDINGS.iter().any(|b| b.keys.iter().any(|(_, x)| x == a)),
                "{a:?} has no key"
            );
        }
    }

    #[test]
    fn label_keys_expand_ranges() {
        assert_eq!(
            label_keys("tab/shift-tab 1-3"),
            ["tab", "shift-tab", "1", "2", "3"]
        );
        assert_eq!(label_keys("w / W"), ["w", "W"]);
    }
}
