//! The `:` command palette (k9s style): the typed text, completion of the
//! command names, its keys, and what a command means.

use super::keys::{Key, KeyCode};
use super::nav::ListKind;

/// A palette command: its name, other names it answers to, and what it does.
pub struct Command {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub what: &'static str,
}

pub const COMMANDS: &[Command] = &[
    Command {
        name: "apps",
        aliases: &["app", "applications"],
        what: "Argo CD Applications (home)",
    },
    Command {
        name: "es",
        aliases: &["externalsecrets", "externalsecret"],
        what: "all ExternalSecrets",
    },
    Command {
        name: "stores",
        aliases: &["ss", "secretstores", "css", "clustersecretstores"],
        what: "SecretStores and ClusterSecretStores",
    },
    Command {
        name: "cm",
        aliases: &["configmaps", "configmap"],
        what: "all ConfigMaps",
    },
    Command {
        name: "secrets",
        aliases: &["secret", "sec"],
        what: "Secrets (metadata only)",
    },
    Command {
        name: "events",
        aliases: &["event", "ev"],
        what: "Events, newest first",
    },
    Command {
        name: "ctx",
        aliases: &["context", "contexts"],
        what: "kube contexts (enter switches)",
    },
    Command {
        name: "ns",
        aliases: &["namespace", "namespaces"],
        what: "namespaces (enter scopes, `:ns all` clears)",
    },
    Command {
        name: "audit",
        aliases: &["log"],
        what: "the audit log, newest first",
    },
    Command {
        name: "q",
        aliases: &["quit", "q!"],
        what: "quit",
    },
];

/// What a palette line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Home,
    List(ListKind),
    SwitchContext(String),
    /// `None` = all namespaces.
    SetNamespace(Option<String>),
    Quit,
    /// The audit log screen.
    Audit,
    /// Nothing typed.
    Nothing,
    Unknown(String),
}

/// The palette while it is open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Palette {
    pub input: String,
}

impl Palette {
    /// Command names that start with the typed word (all when empty).
    pub fn suggestions(&self) -> Vec<&'static str> {
        let word = self.input.trim_start();
        if word.contains(' ') {
            return Vec::new();
        }
        COMMANDS
            .iter()
            .filter(|c| c.name.starts_with(word) || c.aliases.iter().any(|a| a.starts_with(word)))
            .map(|c| c.name)
            .collect()
    }

    /// The rest of the first suggestion (shown greyed after the cursor).
    pub fn completion(&self) -> Option<&'static str> {
        let word = self.input.trim_start();
        if word.is_empty() {
            return None;
        }
        self.suggestions()
            .into_iter()
            .find(|name| name.starts_with(word) && name.len() > word.len())
            .map(|name| &name[word.len()..])
    }

    /// `tab`: take the completion.
    pub fn complete(&mut self) {
        if let Some(rest) = self.completion() {
            self.input = format!("{}{rest}", self.input.trim_start());
        }
    }

    pub fn action(&self) -> Action {
        parse(&self.input)
    }

    /// A key while the palette is open: it is a text input (every
    /// character is typed), `tab` completes, `enter` runs, `esc` closes.
    pub fn on_key(&mut self, key: Key) -> PaletteKey {
        match key.code {
            KeyCode::Esc => return PaletteKey::Close,
            KeyCode::Tab => self.complete(),
            KeyCode::Backspace if self.input.pop().is_none() => return PaletteKey::Close,
            KeyCode::Backspace => {}
            KeyCode::Char(c) if !key.ctrl && !key.alt => self.input.push(c),
            KeyCode::Enter => return PaletteKey::Run(self.action()),
            _ => {}
        }
        PaletteKey::Stay
    }
}

/// What a key in the palette asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaletteKey {
    Stay,
    Close,
    /// Close and carry out the line.
    Run(Action),
}

/// Read one palette line.
pub fn parse(line: &str) -> Action {
    let mut words = line.split_whitespace();
    let Some(word) = words.next() else {
        return Action::Nothing;
    };
    let arg = words.next().map(str::to_string);
    let Some(cmd) = COMMANDS
        .iter()
        .find(|c| c.name == word || c.aliases.contains(&word))
    else {
        return Action::Unknown(line.trim().to_string());
    };
    match cmd.name {
        "apps" => Action::Home,
        "es" => Action::List(ListKind::ExternalSecrets),
        "stores" => Action::List(ListKind::Stores),
        "cm" => Action::List(ListKind::ConfigMaps),
        "secrets" => Action::List(ListKind::Secrets),
        "events" => Action::List(ListKind::Events),
        "ctx" => match arg {
            Some(name) => Action::SwitchContext(name),
            None => Action::List(ListKind::Contexts),
        },
        "ns" => match arg.as_deref() {
            Some("all" | "-A" | "*") => Action::SetNamespace(None),
            Some(name) => Action::SetNamespace(Some(name.to_string())),
            None => Action::List(ListKind::Namespaces),
        },
        "audit" => Action::Audit,
        _ => Action::Quit,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completes_and_parses() {
        let mut p = Palette {
            input: "sec".into(),
        };
        assert_eq!(p.completion(), Some("rets"));
        p.complete();
        assert_eq!(p.input, "secrets");
        assert_eq!(p.action(), Action::List(ListKind::Secrets));
        assert_eq!(parse("ns all"), Action::SetNamespace(None));
        assert_eq!(
            parse("ns team-a"),
            Action::SetNamespace(Some("team-a".into()))
        );
        assert_eq!(parse("ctx prod"), Action::SwitchContext("prod".into()));
        assert_eq!(parse("bogus"), Action::Unknown("bogus".into()));
        assert_eq!(parse("  "), Action::Nothing);
        assert_eq!(parse("q"), Action::Quit);
    }
}
