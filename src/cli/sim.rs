//! `secretdeck sim`: its arguments are the simulator crate's (`main` runs
//! it before any runtime starts: it runs its own).

pub use secretdeck_sim::cli::SimArgs;
