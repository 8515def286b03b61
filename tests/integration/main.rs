//! Integration tests of the core and its CLI. One binary, one file per topic.
mod bundle_properties;
mod cases_geo;
mod cli;
mod content;
mod data_safety;
mod exchange;
mod group_checks;
pub mod large_bundles;
mod migrations;
mod privacy;
mod provenance;
mod reliability;
mod reports;
mod scoring;
mod shell_rules;
mod sync;
mod util;
mod wijken;
