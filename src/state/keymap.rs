//! The one key-map table: the help overlay, the footer hints and the
//! README's key table are all made from it.

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
    /// ConfigMaps: the app detail's section and the `:cm` list.
    ConfigMaps,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    pub keys: &'static str,
    pub action: &'static str,
    pub place: Place,
    /// Shown in the footer of the screens it applies to.
    pub hint: bool,
    /// Changes something: hidden (and refused) in read-only mode.
    pub mutates: bool,
}

const fn b(keys: &'static str, action: &'static str, place: Place, hint: bool) -> Binding {
    Binding {
        keys,
        action,
        place,
        hint,
        mutates: false,
    }
}

/// A binding that changes something (confirmation first; hidden read-only).
const fn m(keys: &'static str, action: &'static str, place: Place, hint: bool) -> Binding {
    Binding {
        keys,
        action,
        place,
        hint,
        mutates: true,
    }
}

pub const BINDINGS: &[Binding] = &[
    b("j/k ↓/↑", "move", Place::Table, true),
    b("g/G", "top / bottom", Place::Table, false),
    b("^d/^u PgDn/PgUp", "half page / page", Place::Table, false),
    b("/", "filter (fuzzy)", Place::Table, true),
    b("s", "cycle the sort", Place::Table, true),
    b("enter", "open details", Place::Apps, true),
    b("enter", "open details / pick", Place::Pick, true),
    b(
        "tab/shift-tab 1-5",
        "next / previous section",
        Place::AppDetail,
        true,
    ),
    b("j/k", "move within the section", Place::AppDetail, false),
    b(
        "enter/space",
        "expand a ConfigMap; open an ExternalSecret",
        Place::AppDetail,
        true,
    ),
    b("j/k", "scroll", Place::EsDetail, true),
    b(
        "x",
        "reveal the value for 30 s (audited)",
        Place::EsDetail,
        true,
    ),
    // REFRESH part: force-sync, Argo CD refresh/sync, restart.
    m("r", "force-sync the ExternalSecret", Place::EsDetail, true),
    m(
        "r",
        "force-sync the selected ExternalSecret",
        Place::AppDetail,
        true,
    ),
    m(
        "R",
        "force-sync every ExternalSecret of the app",
        Place::Apps,
        false,
    ),
    m(
        "R",
        "force-sync every ExternalSecret of the app",
        Place::AppDetail,
        false,
    ),
    m("f/F", "Argo CD refresh / hard refresh", Place::Apps, false),
    m(
        "f/F",
        "Argo CD refresh / hard refresh",
        Place::AppDetail,
        false,
    ),
    m("S", "Argo CD sync", Place::Apps, false),
    m("S", "Argo CD sync", Place::AppDetail, false),
    m(
        "^r",
        "rollout restart the selected workload",
        Place::AppDetail,
        true,
    ),
    // CONFIG part: ConfigMap edits.
    m("e", "edit a key (diff, confirm)", Place::ConfigMaps, true),
    m("a", "add a key", Place::ConfigMaps, true),
    m("d", "delete a key", Place::ConfigMaps, true),
    m(
        "U",
        "re-enable the Argo CD auto-sync paused for an edit",
        Place::ConfigMaps,
        false,
    ),
    // ROTATION part
    m(
        "w",
        "write a new value: guided rotation",
        Place::EsDetail,
        true,
    ),
    m(
        "W",
        "roll back: AWSCURRENT to the previous version",
        Place::EsDetail,
        false,
    ),
    m(
        "w / W",
        "rotate / roll back the selected ExternalSecret's secret",
        Place::AppDetail,
        false,
    ),
    b(
        ":",
        "command (:apps :es :stores :cm :secrets :events :ctx :ns :audit :q)",
        Place::Global,
        true,
    ),
    b("?", "help", Place::Global, true),
    b("esc", "back (clears the filter first)", Place::Global, true),
    b("q ^c", "quit", Place::Global, true),
];

fn places(route: &Route) -> &'static [Place] {
    match route {
        Route::Apps => &[Place::Apps, Place::Table, Place::Global],
        Route::AppDetail(_) => &[Place::AppDetail, Place::ConfigMaps, Place::Global],
        Route::EsDetail(_) => &[Place::EsDetail, Place::Global],
        Route::List(ListKind::Contexts | ListKind::Namespaces) => {
            &[Place::Pick, Place::Table, Place::Global]
        }
        Route::List(ListKind::ExternalSecrets) => &[Place::Pick, Place::Table, Place::Global],
        Route::List(ListKind::ConfigMaps) => &[Place::ConfigMaps, Place::Table, Place::Global],
        Route::List(_) => &[Place::Table, Place::Global],
    }
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
            Place::ConfigMaps => "ConfigMaps (app detail, :cm)",
        };
        out.push_str(&format!("| `{}` | {place} | {} |\n", b.keys, b.action));
    }
    out
}
