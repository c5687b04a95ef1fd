//! Hisaab's domain crate: the rules of receivables and identity, the
//! single-table access patterns, and the ports (table, SMS, mail, clock)
//! with their AWS and local adapters.
//!
//! A newcomer finds an endpoint in three steps: the route table in
//! `hisaab-functions` → its handler → the method on [`Hisaab`] here.

pub mod admin;
pub(crate) mod aggregates;
pub mod app;
pub mod aws;
pub mod catalogue;
pub mod clock;
pub mod crypto;
pub mod cursor;
pub mod customers;
pub mod deliveries;
pub mod documents;
pub mod error;
pub mod files;
pub mod idempotency;
pub mod identity;
pub mod ids;
pub mod invoices;
pub mod keys;
#[cfg(feature = "local")]
pub mod local;
pub mod money;
pub mod months;
pub mod notify;
pub mod orders;
pub mod paging;
pub mod payments;
pub mod pdf;
pub mod registry;
pub mod reports;
pub mod settings;
pub mod table;
pub mod validate;

pub use app::{Config, Hisaab};
pub use error::{Error, FieldError, Result};
