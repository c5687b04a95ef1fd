//! Data operations: the store's items out to a file and back in
//! (`hisaab export`, `hisaab import`, the admin's exports), a spreadsheet
//! of customers in, and a demo data set.
//!
//! **The file format** is JSON Lines: one stored item a line, exactly as
//! the table holds it — the entity in the API's own JSON shape, plus the
//! attributes an import needs to put it back where it was: `entity`, the
//! primary key (`PK`, `SK`) and its GSI keys (`GSI1PK` … `GSI4SK`).
//! Ids, versions and timestamps are kept, so an import is an exact copy
//! and importing the same file twice changes nothing.
//!
//! **Kept aggregates** (customer balances, day and month totals, dashboard
//! figures, company dues, counters) are items too: an export of `all`
//! carries them and an import writes them as they are, with the items they
//! were kept from. They are not recomputed; the round-trip test checks
//! that every read route, dashboards and reports included, answers the
//! same after an import into the other engine. A file of one kind alone
//! (say, `invoices`) is for taking data out; imported by itself into
//! another business it brings no aggregates along (see
//! `docs/architecture.md`, "Data operations").

#[cfg(feature = "local")]
pub mod demo;
pub mod export;
pub mod exports;
pub mod import;
pub mod spreadsheet;

use crate::table::Item;

/// What an export holds: the items of one kind, or all of them.
///
/// Each kind names the entities a user thinks of together, with the
/// items that make them work (a customer's phone lookup, an invoice's
/// history and payment applications).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// The business profile, its settings, members, message templates,
    /// registry record and digest marks.
    Businesses,
    /// Customers with their phone lookups and links.
    Customers,
    /// Products.
    Products,
    /// Categories and their unique names.
    Categories,
    /// Stock: movements, low-stock marks, suppliers, purchase receipts and
    /// the suppliers' unique bill numbers.
    Stock,
    /// Invoices with their history, payment applications, send counters
    /// and unique numbers.
    Invoices,
    /// Payments.
    Payments,
    /// Orders (scheduled and on demand).
    Orders,
    /// Delivery records.
    Deliveries,
    /// Comments on delivery records.
    Comments,
    /// Registry companies, their identities, search words and listings.
    Companies,
    /// Registry reports, their invoice claims and phone pointers.
    Reports,
    /// Disputes of reports.
    Disputes,
    /// Edit requests of reports.
    EditRequests,
    /// Users with their unique phone and email.
    Users,
    /// The audit trail.
    Audit,
    /// The notification log.
    Notifications,
    /// Kept aggregates: day, due-date and month totals, customer-month
    /// figures and settlements, platform counters.
    Aggregates,
    /// Anything else the store holds.
    Other,
}

impl Kind {
    /// Every kind, in the order an export of `all` names them.
    pub const ALL: [Kind; 19] = [
        Kind::Businesses,
        Kind::Customers,
        Kind::Products,
        Kind::Categories,
        Kind::Stock,
        Kind::Invoices,
        Kind::Payments,
        Kind::Orders,
        Kind::Deliveries,
        Kind::Comments,
        Kind::Companies,
        Kind::Reports,
        Kind::Disputes,
        Kind::EditRequests,
        Kind::Users,
        Kind::Audit,
        Kind::Notifications,
        Kind::Aggregates,
        Kind::Other,
    ];

    /// The name on the command line and in admin exports (`edit-requests`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Businesses => "businesses",
            Kind::Customers => "customers",
            Kind::Products => "products",
            Kind::Categories => "categories",
            Kind::Stock => "stock",
            Kind::Invoices => "invoices",
            Kind::Payments => "payments",
            Kind::Orders => "orders",
            Kind::Deliveries => "deliveries",
            Kind::Comments => "comments",
            Kind::Companies => "companies",
            Kind::Reports => "reports",
            Kind::Disputes => "disputes",
            Kind::EditRequests => "edit-requests",
            Kind::Users => "users",
            Kind::Audit => "audit",
            Kind::Notifications => "notifications",
            Kind::Aggregates => "aggregates",
            Kind::Other => "other",
        }
    }

    /// The kind named `s` (as [`Kind::as_str`] gives it).
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The names of every kind, for messages.
    pub fn names() -> String {
        Kind::ALL.map(Kind::as_str).join(", ")
    }
}

/// An item's attribute as a string.
pub(crate) fn text<'a>(item: &'a Item, attr: &str) -> Option<&'a str> {
    item.get(attr).and_then(|v| v.as_str())
}

/// The kind of a stored item, or `None` for what is never exported:
/// sessions, one-time passwords and their send counters, password-reset
/// tokens, stored idempotent answers and upload slots (short-lived, and
/// meaningless in another store).
pub fn kind_of(item: &Item) -> Option<Kind> {
    let pk = text(item, "PK").unwrap_or_default();
    let entity = text(item, "entity").unwrap_or_default();
    Some(match entity {
        "session" | "otp" | "otp_sends" | "password_reset" | "idempotency" | "upload" => {
            return None;
        }
        "business" | "settings" | "member" | "template" | "reporter_record" | "digest_mark" => {
            Kind::Businesses
        }
        "customer" | "customer_phone" | "customer_link" => Kind::Customers,
        "product" => Kind::Products,
        "category" => Kind::Categories,
        "stock_movement" | "low_stock" | "supplier" | "receipt" | "supplier_bill" => Kind::Stock,
        "invoice" | "invoice_event" | "invoice_payment" | "invoice_sends" => Kind::Invoices,
        "payment" => Kind::Payments,
        "order" => Kind::Orders,
        "delivery" => Kind::Deliveries,
        "comment" => Kind::Comments,
        "company" | "company_identity" | "company_word" | "listing" => Kind::Companies,
        "report" | "report_claim" | "report_pointer" => Kind::Reports,
        "dispute" => Kind::Disputes,
        "edit_request" => Kind::EditRequests,
        "user" => Kind::Users,
        "audit" => Kind::Audit,
        "notification" => Kind::Notifications,
        "unique" if pk.starts_with("UNIQUE#CATNAME#") => Kind::Categories,
        "unique" if pk.starts_with("UNIQUE#INVNO#") => Kind::Invoices,
        "unique" => Kind::Users,
        _ if pk.starts_with("OTP#")
            || pk.starts_with("IDEM#")
            || pk.starts_with("PWRESET#")
            || pk.starts_with("UPL#")
            || (pk.starts_with("USR#")
                && text(item, "SK").is_some_and(|s| s.starts_with("SES#"))) =>
        {
            return None;
        }
        _ if pk.contains("#STATS")
            || pk.contains("#CUSMONTH#")
            || pk.contains("#MONTH#")
            || pk == crate::keys::PLATFORM_STATS_PK
            || entity.starts_with("stats_")
            || entity.starts_with("month")
            || entity == "business_month"
            || entity == "platform_stats" =>
        {
            Kind::Aggregates
        }
        _ => Kind::Other,
    })
}
