//! The last stage: rendering results for people and machines.
//!
//! Invariant: only `report` knows output formats (terminal text, JSON, ...).

pub mod assess;
pub mod calibrate;
pub mod check;
pub mod explain;
pub mod history;
pub mod html;
pub(crate) mod page;
pub mod pool;
pub mod reliability;
pub mod review;
pub mod schemas;
pub mod tables;

pub use tables::yardstick_table;
