//! The overlay stack: what is drawn over the current screen (the operations
//! panel, `:audit`, a confirmation, the rotation, the ConfigMap editor, the
//! `:` palette, the `?` help). The top one gets a key (or a paste) first;
//! the view draws them bottom to top. Each overlay keeps its own state
//! type; `Layer` finds it in the stack (`model.overlay::<Confirm>()`).

use super::audit_screen::AuditScreen;
use super::config_edit::ConfigEditor;
use super::confirm::Confirm;
use super::keys::{Key, KeyCode};
use super::model::{Ctx, Model};
use super::msg::Cmd;
use super::palette::{Palette, PaletteKey};
use super::rotation::RotationScreen;

/// One layer over the screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    /// The progress panel of the operations (their state stays in
    /// `Model::operations` when the panel closes). Takes only `esc`.
    Operations,
    Audit(AuditScreen),
    Confirm(Confirm),
    Rotation(Box<RotationScreen>),
    ConfigEditor(Box<ConfigEditor>),
    Palette(Palette),
    Help,
}

/// The `?` help (it has no state of its own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Help;

/// The operations' progress panel, as a layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationsPanel;

/// A state type that lives in the stack as one `Overlay` variant.
pub trait Layer: Sized {
    fn of(overlay: &Overlay) -> Option<&Self>;
    fn of_mut(overlay: &mut Overlay) -> Option<&mut Self>;
    fn into_overlay(self) -> Overlay;
    fn from_overlay(overlay: Overlay) -> Option<Self>;
}

macro_rules! layer {
    ($ty:ty, $variant:ident) => {
        impl Layer for $ty {
            fn of(overlay: &Overlay) -> Option<&Self> {
                match overlay {
                    Overlay::$variant(s) => Some(s),
                    _ => None,
                }
            }
            fn of_mut(overlay: &mut Overlay) -> Option<&mut Self> {
                match overlay {
                    Overlay::$variant(s) => Some(s),
                    _ => None,
                }
            }
            fn into_overlay(self) -> Overlay {
                Overlay::$variant(self)
            }
            fn from_overlay(overlay: Overlay) -> Option<Self> {
                match overlay {
                    Overlay::$variant(s) => Some(s),
                    _ => None,
                }
            }
        }
    };
}

layer!(AuditScreen, Audit);
layer!(Confirm, Confirm);
layer!(Palette, Palette);

impl Layer for RotationScreen {
    fn of(overlay: &Overlay) -> Option<&Self> {
        match overlay {
            Overlay::Rotation(s) => Some(s),
            _ => None,
        }
    }
    fn of_mut(overlay: &mut Overlay) -> Option<&mut Self> {
        match overlay {
            Overlay::Rotation(s) => Some(s),
            _ => None,
        }
    }
    fn into_overlay(self) -> Overlay {
        Overlay::Rotation(Box::new(self))
    }
    fn from_overlay(overlay: Overlay) -> Option<Self> {
        match overlay {
            Overlay::Rotation(s) => Some(*s),
            _ => None,
        }
    }
}

impl Layer for ConfigEditor {
    fn of(overlay: &Overlay) -> Option<&Self> {
        match overlay {
            Overlay::ConfigEditor(s) => Some(s),
            _ => None,
        }
    }
    fn of_mut(overlay: &mut Overlay) -> Option<&mut Self> {
        match overlay {
            Overlay::ConfigEditor(s) => Some(s),
            _ => None,
        }
    }
    fn into_overlay(self) -> Overlay {
        Overlay::ConfigEditor(Box::new(self))
    }
    fn from_overlay(overlay: Overlay) -> Option<Self> {
        match overlay {
            Overlay::ConfigEditor(s) => Some(*s),
            _ => None,
        }
    }
}

impl Layer for Help {
    fn of(overlay: &Overlay) -> Option<&Self> {
        matches!(overlay, Overlay::Help).then_some(&Help)
    }
    fn of_mut(_: &mut Overlay) -> Option<&mut Self> {
        None
    }
    fn into_overlay(self) -> Overlay {
        Overlay::Help
    }
    fn from_overlay(overlay: Overlay) -> Option<Self> {
        matches!(overlay, Overlay::Help).then_some(Help)
    }
}

impl Layer for OperationsPanel {
    fn of(overlay: &Overlay) -> Option<&Self> {
        matches!(overlay, Overlay::Operations).then_some(&OperationsPanel)
    }
    fn of_mut(_: &mut Overlay) -> Option<&mut Self> {
        None
    }
    fn into_overlay(self) -> Overlay {
        Overlay::Operations
    }
    fn from_overlay(overlay: Overlay) -> Option<Self> {
        matches!(overlay, Overlay::Operations).then_some(OperationsPanel)
    }
}

/// The stack, bottom first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overlays(Vec<Overlay>);

impl Overlays {
    /// Bottom to top (the draw order).
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Overlay> {
        self.0.iter()
    }

    pub fn top(&self) -> Option<&Overlay> {
        self.0.last()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get<T: Layer>(&self) -> Option<&T> {
        self.0.iter().find_map(T::of)
    }

    pub fn get_mut<T: Layer>(&mut self) -> Option<&mut T> {
        self.0.iter_mut().find_map(T::of_mut)
    }

    /// Show `layer` on top; one already shown of its kind is replaced where
    /// it is (the operations panel stays under what was opened after it).
    pub fn open<T: Layer>(&mut self, layer: T) {
        let overlay = layer.into_overlay();
        let kind = std::mem::discriminant(&overlay);
        match self
            .0
            .iter_mut()
            .find(|o| std::mem::discriminant(&**o) == kind)
        {
            Some(slot) => *slot = overlay,
            None => self.0.push(overlay),
        }
    }

    /// The top overlay but the operations panel (which lets a paste
    /// through to the screen): where a paste goes.
    pub(crate) fn focused_mut(&mut self) -> Option<&mut Overlay> {
        self.0
            .iter_mut()
            .rev()
            .find(|o| !matches!(o, Overlay::Operations))
    }

    /// Close the layer of this kind; its state.
    pub fn close<T: Layer>(&mut self) -> Option<T> {
        let i = self.0.iter().position(|o| T::of(o).is_some())?;
        T::from_overlay(self.0.remove(i))
    }
}

/// What an overlay's key handler asks of the stack.
#[derive(Debug, Default)]
pub struct Reply {
    pub cmds: Vec<Cmd>,
    /// Close the overlay.
    pub close: bool,
}

impl Reply {
    pub fn stay(cmds: Vec<Cmd>) -> Self {
        Reply { cmds, close: false }
    }

    pub fn close() -> Self {
        Reply {
            cmds: Vec::new(),
            close: true,
        }
    }
}

/// A key for the overlays, top first. `None`: no overlay took it (none is
/// shown, or only the operations panel, which takes only `esc`).
pub(crate) fn on_key(model: &mut Model, key: Key) -> Option<Vec<Cmd>> {
    for i in (0..model.overlays.0.len()).rev() {
        if let Some(cmds) = layer_key(model, i, key) {
            return Some(cmds);
        }
    }
    None
}

fn layer_key(model: &mut Model, i: usize, key: Key) -> Option<Vec<Cmd>> {
    let (page, without_argo) = (model.page_rows(), model.without_argo());
    let ctx = Ctx {
        inventory: &model.data.inventory,
        now: model.data.now,
        readonly: model.access.is_readonly(),
        page,
        without_argo,
    };
    let reply = match &mut model.overlays.0[i] {
        Overlay::Operations => {
            if key.code != KeyCode::Esc || model.operations.busy() {
                return None;
            }
            Reply::close()
        }
        Overlay::Help => Reply {
            cmds: Vec::new(),
            close: matches!(
                key.code,
                KeyCode::Esc | KeyCode::Char('?' | 'q') | KeyCode::Enter
            ),
        },
        Overlay::Audit(screen) => Reply {
            cmds: Vec::new(),
            close: screen.on_key(key),
        },
        Overlay::Rotation(screen) => super::rotation::on_key(screen, &ctx, key),
        Overlay::ConfigEditor(ed) => {
            super::config_edit::on_key(ed, model.config.gitops_repo.as_deref(), key)
        }
        Overlay::Palette(palette) => match palette.on_key(key) {
            PaletteKey::Stay => Reply::default(),
            PaletteKey::Close => Reply::close(),
            PaletteKey::Run(action) => {
                model.overlays.0.remove(i);
                return Some(super::navigate::run(model, action));
            }
        },
        Overlay::Confirm(_) => match super::confirm::answer(key) {
            None => Reply::default(),
            Some(yes) => {
                let Overlay::Confirm(c) = model.overlays.0.remove(i) else {
                    return Some(Vec::new());
                };
                return Some(super::op_keys::on_answer(model, c, yes));
            }
        },
    };
    if reply.close {
        model.overlays.0.remove(i);
    }
    Some(reply.cmds)
}
