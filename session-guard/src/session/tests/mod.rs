//! Scenario, simulator and property tests of the session core.

mod article;
mod format;
mod multi_tab;
mod properties;
mod rules;
mod sim;
mod trust;
