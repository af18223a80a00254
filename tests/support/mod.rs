//! Shared helpers of the facade's integration tests.
#![allow(dead_code)]

pub mod reports;
pub mod sims;
