//! What the test modules share: running the binary, building cases, reference networks.

pub mod case;
pub mod cli;
pub mod network;
