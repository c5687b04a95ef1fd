//! Scheduled orders and daily deliveries: orders with their terms and the
//! changes a customer confirms (`orders`), the daily marks and their
//! corrections (`records`), comments on a record (`comments`), and the
//! month's totals, settled into an invoice (`months`). Above the ledger,
//! whose invoices a month is settled into.

pub mod comments;
pub mod months;
pub mod orders;
pub mod records;
