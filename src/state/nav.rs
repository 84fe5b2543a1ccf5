//! Where the user is: a stack of routes (`enter` pushes, `esc` pops), shown
//! as breadcrumbs; and `Go`, where a screen's key leads beyond its own state.

use crate::domain::ObjKey;

/// The global lists reached through the `:` palette.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListKind {
    ExternalSecrets,
    Stores,
    ConfigMaps,
    Secrets,
    Events,
    Contexts,
    Namespaces,
}

impl ListKind {
    pub const ALL: [ListKind; 7] = [
        ListKind::ExternalSecrets,
        ListKind::Stores,
        ListKind::ConfigMaps,
        ListKind::Secrets,
        ListKind::Events,
        ListKind::Contexts,
        ListKind::Namespaces,
    ];

    /// The palette command that opens the list (also its breadcrumb).
    pub fn command(self) -> &'static str {
        match self {
            ListKind::ExternalSecrets => "es",
            ListKind::Stores => "stores",
            ListKind::ConfigMaps => "cm",
            ListKind::Secrets => "secrets",
            ListKind::Events => "events",
            ListKind::Contexts => "ctx",
            ListKind::Namespaces => "ns",
        }
    }

    /// Title words.
    pub fn title(self) -> &'static str {
        match self {
            ListKind::ExternalSecrets => "ExternalSecrets",
            ListKind::Stores => "SecretStores",
            ListKind::ConfigMaps => "ConfigMaps",
            ListKind::Secrets => "Secrets",
            ListKind::Events => "Events",
            ListKind::Contexts => "Contexts",
            ListKind::Namespaces => "Namespaces",
        }
    }
}

/// One screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Apps,
    /// An Argo CD Application (its namespace/name).
    AppDetail(ObjKey),
    /// An ExternalSecret (its namespace/name).
    EsDetail(ObjKey),
    List(ListKind),
}

impl Route {
    /// The breadcrumb for this screen.
    pub fn crumb(&self) -> String {
        match self {
            Route::Apps => "apps".into(),
            Route::AppDetail(key) => key.name.clone(),
            Route::EsDetail(key) => format!("es {}", key.name),
            Route::List(kind) => kind.command().into(),
        }
    }
}

/// The stack of screens; never empty (the apps screen is at the bottom).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nav {
    stack: Vec<Route>,
}

impl Default for Nav {
    fn default() -> Self {
        Nav {
            stack: vec![Route::Apps],
        }
    }
}

impl Nav {
    pub fn current(&self) -> &Route {
        self.stack.last().unwrap_or(&Route::Apps)
    }

    pub fn routes(&self) -> &[Route] {
        &self.stack
    }

    pub fn push(&mut self, route: Route) {
        if self.current() != &route {
            self.stack.push(route);
        }
    }

    /// Go back one screen. Returns the screen left, or `None` on the home
    /// screen.
    pub fn pop(&mut self) -> Option<Route> {
        if self.stack.len() > 1 {
            self.stack.pop()
        } else {
            None
        }
    }

    /// Jump to a top-level screen (what a palette command does).
    pub fn jump(&mut self, route: Route) {
        self.stack.truncate(1);
        if route != Route::Apps {
            self.stack.push(route);
        }
    }

    /// `apps › onthetop-backend › es onthetop-backend-secrets`
    pub fn breadcrumbs(&self) -> String {
        self.stack
            .iter()
            .map(Route::crumb)
            .collect::<Vec<_>>()
            .join(" › ")
    }
}

/// Where a screen's key leads, when it is beyond the screen's own state:
/// the screen handler returns it and `navigate` carries it out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Go {
    /// Nothing more (the screen's state may have changed).
    Stay,
    /// Hand these commands to the backend.
    Send(Vec<super::msg::Cmd>),
    /// Open an Application's screen.
    App(ObjKey),
    /// Open an ExternalSecret's screen.
    Es(ObjKey),
    /// Open the rotation (or the rollback) of an ExternalSecret's secret.
    Rotation(ObjKey, super::rotation::Mode),
    /// Recompute a list (its sort changed).
    Resort(ListKind),
    /// Switch to a kube context (asks first when it looks important).
    SwitchContext(String),
    /// Show only this namespace.
    Namespace(String),
}
