//! The integration tests, one binary: each module is one area (named as
//! the old separate test files were), `support` the shared setup (the
//! simulated environment, a console session on it, keys, screen reading,
//! the CLI runner). Directories are passed to the code under test, never
//! set through this process's environment, so modules run in parallel.

mod rotation_support;
mod screens_fixture;
mod support;

mod app_rows_incremental;
mod aws_cli_conformance;
mod backend_sim;
mod cli_refresh;
mod cli_settings;
mod config_edit_cli;
mod config_edit_console;
mod config_edit_git_console;
mod console_backend;
mod console_context_switch;
mod console_demo_e2e;
mod console_event_loop;
mod console_first_screen;
mod console_live_e2e;
mod console_logging;
mod console_screens_flow;
mod console_state;
mod console_view;
mod controllers_argo;
mod controllers_deployments;
mod domain_app_rows;
mod domain_fixtures;
mod domain_properties;
mod domain_views;
mod error_words;
mod es_detail_after_write;
mod faults_kube;
mod keymap_actions;
mod kube_client;
mod kubectl_conformance;
mod layers;
mod message_line;
mod moto_parity;
mod ops_console;
mod ops_refresh;
mod ops_refresh_scripted;
mod ops_restart;
mod overlay_stack;
mod paste_inputs;
mod readme_keys;
mod readonly;
mod readonly_matrix;
mod rotation_cli;
mod rotation_console;
mod rotation_ops;
mod rotation_state;
mod screens_apps;
mod screens_details;
mod screens_lists;
mod sim_e2e;
mod sim_files;
mod sim_scale;
mod sm_sdk;
mod status_cmd;
mod themes;
