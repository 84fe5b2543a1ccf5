//! secretdeck: a terminal console for the AWS Secrets Manager -> External
//! Secrets Operator -> Kubernetes Secret -> Pod pipeline, with Argo CD.
//!
//! Layout: `domain` (plain types, pure logic), `state` (Model + update),
//! `backend` (the only code that talks to the world), `view` (drawing),
//! `ops` (operations the console and the CLI share), `cli` (the command
//! line: one module per subcommand), `settings` (directories, config.toml,
//! theme files). The simulated environment is the `secretdeck-sim` crate,
//! built in with the `demo` feature and reached only over HTTP.

pub mod audit;
pub mod backend;
pub mod cli;
pub mod console;
pub mod domain;
pub mod gitops;
pub mod logging;
pub mod ops;
pub mod settings;
pub mod state;
pub mod terminal;
pub mod view;
