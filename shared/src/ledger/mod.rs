//! The ledger: a business's customers, catalogue and settings, its
//! invoices and the payments against them, the figures kept with every
//! write (`aggregates`), the reports read from those figures, and the
//! invoice PDF (`documents`), and the stock of the products that track
//! it (`stock`: figures and movements; `inventory`: suppliers, receipts,
//! adjustments and stock reports). It stands on identity and the registry's
//! companies, and under the deliveries and the rest of the registry.

pub(crate) mod aggregates;
pub mod catalogue;
pub mod customers;
pub mod documents;
pub mod inventory;
pub mod invoices;
pub mod payments;
pub mod reminder_policy;
pub mod reports;
pub mod settings;
pub mod stock;
