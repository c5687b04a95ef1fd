//! Suppliers, purchase receipts, stock adjustments and customer returns,
//! and the stock reports (see [`crate::ledger::stock`] for the figures).

pub mod receipts;
pub mod reports;
pub mod suppliers;
