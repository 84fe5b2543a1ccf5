//! Settings: where files live (`dirs`), the user's `config.toml`
//! (`config`) and theme files (`theme`). The only code that reads
//! secretdeck's environment variables for directories and its settings
//! files. May import std, serde/toml, `directories` and `view`'s theme
//! types (to build a `Theme`); never backend, ops, state or cli.

pub mod config;
pub mod dirs;
pub mod theme;

pub use config::UserConfig;
pub use dirs::Paths;
