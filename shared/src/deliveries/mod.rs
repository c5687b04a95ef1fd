//! Scheduled orders and daily deliveries: orders with their terms and the
//! changes a customer confirms (`orders`), the daily marks and their
//! corrections (`records`), comments on a record (`comments`), and the
//! month's totals, settled into an invoice (`months`), and the business's
//! whole month across customers (`business_month`); what a customer user
//! sees of a vendor's invoices and payments (`vendor_ledger`). Above the ledger,
//! whose invoices a month is settled into.

pub mod business_month;
pub mod comments;
pub mod months;
pub mod orders;
pub mod records;
pub mod vendor_ledger;
