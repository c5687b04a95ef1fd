//! Hisaab's domain crate: the rules of receivables and identity, the
//! single-table access patterns, and the ports (table, SMS, mail, clock)
//! with their AWS and local adapters.
//!
//! A newcomer finds an endpoint in three steps: the route table in
//! `hisaab-functions` → its handler → the method on [`Hisaab`] here.

// The layers, lowest first; each module refers only to its own layer and
// those below (docs/architecture.md, "Layers"; tests/tests/layers.rs).
//
// Base: pure types and rules.
pub mod clock;
pub mod crypto;
pub mod error;
pub mod ids;
pub mod money;
pub mod pdf;
pub mod validate;
// Storage and ports.
pub mod app;
pub mod aws;
pub mod cursor;
pub mod files;
pub mod idempotency;
pub mod keys;
#[cfg(feature = "local")]
pub mod local;
pub mod notify;
pub mod paging;
pub mod stats;
pub mod table;
// Identity, then the registry's companies.
pub mod companies;
pub mod identity;
// The ledger, then the deliveries.
pub mod deliveries;
pub mod ledger;
// The registry, then platform admin.
pub mod admin;
pub mod dataops;
pub mod registry;
pub mod reminders;

pub use app::{Config, Hisaab};
pub use error::{Error, FieldError, Result};
