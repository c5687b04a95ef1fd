//! Every partition-key and sort-key template of the single table, in one
//! place (see `docs/data-model.md`), grouped by entity. Each access pattern
//! is a named function that returns its [`Partition`] (or an item's
//! [`IndexKey`]) with the index it uses, so the choice of index lives here
//! beside the key's shape and no other module names an index or its
//! attributes. Nothing else formats `PK`/`SK` strings, and keys are never
//! parsed back into data: every item also stores its plain attributes.

use crate::table::{Index, IndexKey, Key, Partition};

/// The table partition with partition key `pk`, whatever it holds: for
/// the data operations, which copy whole partitions they found through
/// the other templates.
pub fn table_partition(pk: &str) -> Partition {
    Partition::new(Index::Table, pk)
}

/// The partition of a user: the profile and the sessions, `USR#<user_id>`.
pub fn user_partition(user_id: &str) -> Partition {
    Partition::new(Index::Table, format!("USR#{user_id}"))
}

/// A user's profile: `USR#<user_id>` / `PROFILE`.
pub fn user(user_id: &str) -> Key {
    Key::new(format!("USR#{user_id}"), "PROFILE")
}

/// A refresh-token session of a user: `USR#<user_id>` / `SES#<session_id>`.
pub fn session(user_id: &str, session_id: &str) -> Key {
    Key::new(format!("USR#{user_id}"), format!("SES#{session_id}"))
}

/// Sort-key prefix of a user's sessions.
pub const SESSION_PREFIX: &str = "SES#";

/// Uniqueness of a phone among users: `UNIQUE#PHONE#<e164>` / `UNIQUE`.
pub fn unique_phone(e164: &str) -> Key {
    Key::new(format!("UNIQUE#PHONE#{e164}"), "UNIQUE")
}

/// Uniqueness of an email among users: `UNIQUE#EMAIL#<lower-case email>` / `UNIQUE`.
pub fn unique_email(email: &str) -> Key {
    Key::new(format!("UNIQUE#EMAIL#{email}"), "UNIQUE")
}

/// The current OTP of a phone: `OTP#<e164>` / `CODE`.
pub fn otp(e164: &str) -> Key {
    Key::new(format!("OTP#{e164}"), "CODE")
}

/// The recent OTP sends of a phone, for rate limiting: `OTP#<e164>` / `SENDS`.
pub fn otp_sends(e164: &str) -> Key {
    Key::new(format!("OTP#{e164}"), "SENDS")
}

/// The recent OTP sends for one source address (an IPv4 address or an
/// IPv6 /64), for rate limiting: `OTPSRC#<address>` / `SENDS`.
pub fn otp_source_sends(address: &str) -> Key {
    Key::new(format!("OTPSRC#{address}"), "SENDS")
}

/// A password-reset token: `PWRESET#<sha-256 of the token, hex>` / `TOKEN`.
pub fn password_reset(token_hash: &str) -> Key {
    Key::new(format!("PWRESET#{token_hash}"), "TOKEN")
}

/// A stored response for an idempotency key of a user:
/// `IDEM#<user_id>#<key>` / `IDEM`.
pub fn idempotency(user_id: &str, key: &str) -> Key {
    Key::new(format!("IDEM#{user_id}#{key}"), "IDEM")
}

/// A business: `BIZ#<business_id>` / `PROFILE`.
pub fn business(business_id: &str) -> Key {
    Key::new(format!("BIZ#{business_id}"), "PROFILE")
}

/// A member (owner or staff) of a business: `BIZ#<business_id>` / `STAFF#<user_id>`.
pub fn member(business_id: &str, user_id: &str) -> Key {
    Key::new(format!("BIZ#{business_id}"), format!("STAFF#{user_id}"))
}

/// Partition and sort-key prefix of a business's members.
pub fn members(business_id: &str) -> (Partition, &'static str) {
    (business_partition(business_id), "STAFF#")
}

/// The partition of a business: its profile, settings, members, customers,
/// products, categories and phone lookups, `BIZ#<business_id>`.
pub fn business_partition(business_id: &str) -> Partition {
    Partition::new(Index::Table, format!("BIZ#{business_id}"))
}

/// A customer of a business: `BIZ#<business_id>` / `CUS#<customer_id>`.
pub fn customer(business_id: &str, customer_id: &str) -> Key {
    Key::new(format!("BIZ#{business_id}"), format!("CUS#{customer_id}"))
}

/// GSI1 keys of a customer: all customers of a business by name,
/// `BIZ#<business_id>#CUS` / `<name key>#<customer_id>`.
pub fn customer_by_name(business_id: &str, name_key: &str, customer_id: &str) -> IndexKey {
    customers_by_name(business_id).at(format!("{name_key}#{customer_id}"))
}

/// GSI1 partition of a business's customers by name.
pub fn customers_by_name(business_id: &str) -> Partition {
    Partition::new(Index::Gsi1, format!("BIZ#{business_id}#CUS"))
}

/// GSI2 keys of a customer: customers of a business with one status, by
/// name, `BIZ#<business_id>#CUS#<status>` / `<name key>#<customer_id>`.
pub fn customer_by_status(
    business_id: &str,
    status: &str,
    name_key: &str,
    customer_id: &str,
) -> IndexKey {
    customers_by_status(business_id, status).at(format!("{name_key}#{customer_id}"))
}

/// GSI2 partition of a business's customers with one status.
pub fn customers_by_status(business_id: &str, status: &str) -> Partition {
    Partition::new(Index::Gsi2, format!("BIZ#{business_id}#CUS#{status}"))
}

/// Phone lookup of a customer:
/// `BIZ#<business_id>` / `CUSPHONE#<e164>#<customer_id>`.
pub fn customer_phone(business_id: &str, e164: &str, customer_id: &str) -> Key {
    Key::new(
        format!("BIZ#{business_id}"),
        format!("CUSPHONE#{e164}#{customer_id}"),
    )
}

/// Sort-key prefix of a business's customer phone lookups for a phone prefix.
pub fn customer_phone_prefix(e164_prefix: &str) -> String {
    format!("CUSPHONE#{e164_prefix}")
}

/// GSI3 keys of a customer with a positive balance (the top debtors of a
/// business, largest first): `BIZ#<business_id>#CUSBAL` /
/// `<balance, 19 digits zero-padded>#<customer_id>`. Customers who owe
/// nothing are left out of the index (a sparse index).
pub fn customer_by_balance(business_id: &str, balance: i64, customer_id: &str) -> IndexKey {
    customers_by_balance(business_id).at(format!("{balance:019}#{customer_id}"))
}

/// GSI3 partition of a business's customers who owe money.
pub fn customers_by_balance(business_id: &str) -> Partition {
    Partition::new(Index::Gsi3, format!("BIZ#{business_id}#CUSBAL"))
}

/// A business's settings: `BIZ#<business_id>` / `SETTINGS`.
pub fn settings(business_id: &str) -> Key {
    Key::new(format!("BIZ#{business_id}"), "SETTINGS")
}

/// A product of a business: `BIZ#<business_id>` / `PRD#<product_id>`.
pub fn product(business_id: &str, product_id: &str) -> Key {
    Key::new(format!("BIZ#{business_id}"), format!("PRD#{product_id}"))
}

/// GSI1 partition of a business's products by name (sort key
/// `<name key>#<product_id>`).
pub fn products_by_name(business_id: &str) -> Partition {
    Partition::new(Index::Gsi1, format!("BIZ#{business_id}#PRD"))
}

/// GSI2 partition of a business's products that are active or not (sort
/// key `<name key>#<product_id>`).
pub fn products_by_active(business_id: &str, active: bool) -> Partition {
    let a = if active { "active" } else { "inactive" };
    Partition::new(Index::Gsi2, format!("BIZ#{business_id}#PRD#{a}"))
}

/// GSI3 partition of a business's products in one category (sort key
/// `<name key>#<product_id>`).
pub fn products_by_category(business_id: &str, category_id: &str) -> Partition {
    Partition::new(
        Index::Gsi3,
        format!("BIZ#{business_id}#PRD#CAT#{category_id}"),
    )
}

/// The sort key shared by the product indexes: `<name key>#<product_id>`.
pub fn name_sort_key(name_key: &str, id: &str) -> String {
    format!("{name_key}#{id}")
}

/// A product category: `BIZ#<business_id>` / `CAT#<category_id>`.
pub fn category(business_id: &str, category_id: &str) -> Key {
    Key::new(format!("BIZ#{business_id}"), format!("CAT#{category_id}"))
}

/// GSI1 partition of a business's categories by name.
pub fn categories_by_name(business_id: &str) -> Partition {
    Partition::new(Index::Gsi1, format!("BIZ#{business_id}#CAT"))
}

/// Uniqueness of a category name in a business:
/// `UNIQUE#CATNAME#<business_id>` / `<name key>`.
pub fn unique_category_name(business_id: &str, name_key: &str) -> Key {
    Key::new(format!("UNIQUE#CATNAME#{business_id}"), name_key)
}

/// The partition of one invoice: the invoice itself, its payment
/// applications and its history, `BIZ#<business_id>#INV#<invoice_id>`.
pub fn invoice_partition(business_id: &str, invoice_id: &str) -> Partition {
    Partition::new(Index::Table, format!("BIZ#{business_id}#INV#{invoice_id}"))
}

/// An invoice: `BIZ#<business_id>#INV#<invoice_id>` / `INVOICE`.
pub fn invoice(business_id: &str, invoice_id: &str) -> Key {
    Key::new(invoice_partition(business_id, invoice_id).pk, "INVOICE")
}

/// A payment applied to an invoice (a copy of the amount applied):
/// `BIZ#<business_id>#INV#<invoice_id>` / `PAY#<payment_id>`.
pub fn invoice_payment(business_id: &str, invoice_id: &str, payment_id: &str) -> Key {
    Key::new(
        invoice_partition(business_id, invoice_id).pk,
        format!("PAY#{payment_id}"),
    )
}

/// One entry of an invoice's history:
/// `BIZ#<business_id>#INV#<invoice_id>` / `EVT#<event ULID>`.
pub fn invoice_event(business_id: &str, invoice_id: &str, event_id: &str) -> Key {
    Key::new(
        invoice_partition(business_id, invoice_id).pk,
        format!("EVT#{event_id}"),
    )
}

/// GSI1 partition of all invoices of a business (sort key
/// `<invoice date>#<invoice_id>`).
pub fn invoices_by_date(business_id: &str) -> Partition {
    Partition::new(Index::Gsi1, format!("BIZ#{business_id}#INV"))
}

/// GSI2 partition of the invoices of one customer (sort key
/// `<invoice date>#<invoice_id>`).
pub fn customer_invoices(business_id: &str, customer_id: &str) -> Partition {
    Partition::new(
        Index::Gsi2,
        format!("BIZ#{business_id}#CUS#{customer_id}#INV"),
    )
}

/// GSI3 partition of a business's invoices in one status bucket (`draft`,
/// `open`, `paid`, `cancelled`; sort key `<due date>#<invoice_id>`).
pub fn invoices_by_bucket(business_id: &str, bucket: &str) -> Partition {
    Partition::new(Index::Gsi3, format!("BIZ#{business_id}#INV#{bucket}"))
}

/// The sort key of the invoice indexes: `<date>#<invoice_id>`.
pub fn date_sort_key(date: &str, id: &str) -> String {
    format!("{date}#{id}")
}

/// Uniqueness of an invoice number in a business, also its lookup by
/// number prefix: `UNIQUE#INVNO#<business_id>` / `<invoice number>`.
pub fn invoice_number(business_id: &str, number: &str) -> Key {
    Key::new(invoice_numbers(business_id).pk, number)
}

/// The partition of a business's invoice numbers.
pub fn invoice_numbers(business_id: &str) -> Partition {
    Partition::new(Index::Table, format!("UNIQUE#INVNO#{business_id}"))
}

/// A payment: `BIZ#<business_id>#PAY#<payment_id>` / `PAYMENT`.
pub fn payment(business_id: &str, payment_id: &str) -> Key {
    Key::new(format!("BIZ#{business_id}#PAY#{payment_id}"), "PAYMENT")
}

/// GSI2 partition of one customer's payments (sort key
/// `<payment date>#<payment_id>`).
pub fn customer_payments(business_id: &str, customer_id: &str) -> Partition {
    Partition::new(
        Index::Gsi2,
        format!("BIZ#{business_id}#CUS#{customer_id}#PAY"),
    )
}

/// The partition of a business's maintained aggregates.
pub fn stats_partition(business_id: &str) -> Partition {
    Partition::new(Index::Table, format!("BIZ#{business_id}#STATS"))
}

/// Aggregates of one civil day: invoices dated that day by status bucket,
/// and payments received that day: `BIZ#<business_id>#STATS` / `DAY#<date>`.
pub fn stats_day(business_id: &str, date: &str) -> Key {
    Key::new(stats_partition(business_id).pk, format!("DAY#{date}"))
}

/// Open balance of invoices falling due on one day (for aging):
/// `BIZ#<business_id>#STATS` / `DUE#<date>`.
pub fn stats_due(business_id: &str, date: &str) -> Key {
    Key::new(stats_partition(business_id).pk, format!("DUE#{date}"))
}

/// Totals over all open invoices of a business:
/// `BIZ#<business_id>#STATS` / `TOTALS`.
pub fn stats_totals(business_id: &str) -> Key {
    Key::new(stats_partition(business_id).pk, "TOTALS")
}

/// The link of a phone to a customer record of one business, so that a
/// customer user (whose phone is verified) finds every business that has
/// them: `PHONE#<e164>#CUS` / `<business_id>#<customer_id>`.
pub fn customer_link(e164: &str, business_id: &str, customer_id: &str) -> Key {
    Key::new(
        customer_links(e164).pk,
        format!("{business_id}#{customer_id}"),
    )
}

/// The partition of a phone's customer links.
pub fn customer_links(e164: &str) -> Partition {
    Partition::new(Index::Table, format!("PHONE#{e164}#CUS"))
}

/// The partition of one order: the order, its delivery records and their
/// comments, `ORD#<order_id>`.
pub fn order_partition(order_id: &str) -> Partition {
    Partition::new(Index::Table, format!("ORD#{order_id}"))
}

/// An order (scheduled or on demand): `ORD#<order_id>` / `ORDER`.
pub fn order(order_id: &str) -> Key {
    Key::new(order_partition(order_id).pk, "ORDER")
}

/// GSI1 partition of a business's orders (sort key
/// `<valid_from>#<order_id>`).
pub fn orders_by_business(business_id: &str) -> Partition {
    Partition::new(Index::Gsi1, format!("BIZ#{business_id}#ORD"))
}

/// GSI2 partition of one customer's orders (sort key
/// `<valid_from>#<order_id>`).
pub fn customer_orders(business_id: &str, customer_id: &str) -> Partition {
    Partition::new(
        Index::Gsi2,
        format!("BIZ#{business_id}#CUS#{customer_id}#ORD"),
    )
}

/// The delivery record of an order on one date (one per order and date):
/// `ORD#<order_id>` / `DLV#<date>`.
pub fn delivery(order_id: &str, date: &str) -> Key {
    Key::new(order_partition(order_id).pk, format!("DLV#{date}"))
}

/// Sort-key prefix of an order's delivery records.
pub const DELIVERY_PREFIX: &str = "DLV#";

/// GSI1 partition of a business's delivery records of one month (sort key
/// `<date>#<order_id>`), so a date is a `begins_with` and a month the
/// whole partition.
pub fn deliveries_by_month(business_id: &str, month: &str) -> Partition {
    Partition::new(Index::Gsi1, format!("BIZ#{business_id}#DLV#{month}"))
}

/// GSI2 partition of one customer's delivery records (sort key
/// `<date>#<order_id>`).
pub fn customer_deliveries(business_id: &str, customer_id: &str) -> Partition {
    Partition::new(
        Index::Gsi2,
        format!("BIZ#{business_id}#CUS#{customer_id}#DLV"),
    )
}

/// A comment on a delivery record:
/// `ORD#<order_id>` / `CMT#<date>#<comment_id>`.
pub fn comment(order_id: &str, date: &str, comment_id: &str) -> Key {
    Key::new(
        order_partition(order_id).pk,
        format!("CMT#{date}#{comment_id}"),
    )
}

/// Sort-key prefix of the comments on one delivery record.
pub fn comments_prefix(date: &str) -> String {
    format!("CMT#{date}#")
}

/// The partition of one customer's month (`yyyy-mm`): the per-order
/// aggregates, the customer's day counters and the settlement lock,
/// `BIZ#<business_id>#CUSMONTH#<customer_id>#<yyyy-mm>`.
pub fn customer_month_partition(business_id: &str, customer_id: &str, month: &str) -> Partition {
    Partition::new(
        Index::Table,
        format!("BIZ#{business_id}#CUSMONTH#{customer_id}#{month}"),
    )
}

/// Aggregate of one order in one month: `…#CUSMONTH#<cid>#<yyyy-mm>` /
/// `ORD#<order_id>`.
pub fn order_month(business_id: &str, customer_id: &str, month: &str, order_id: &str) -> Key {
    Key::new(
        customer_month_partition(business_id, customer_id, month).pk,
        format!("ORD#{order_id}"),
    )
}

/// The customer's day counters of one month: `…#CUSMONTH#<cid>#<yyyy-mm>` /
/// `DAYS`.
pub fn customer_month_days(business_id: &str, customer_id: &str, month: &str) -> Key {
    Key::new(
        customer_month_partition(business_id, customer_id, month).pk,
        "DAYS",
    )
}

/// The number of shards of a business's month totals: each customer's
/// marks add to one of them, so no single item takes every write of a
/// morning round, and one query of at most this many items answers the
/// whole month.
pub const BUSINESS_MONTH_SHARDS: u32 = 16;

/// The partition of a business's month totals (`yyyy-mm`), one item per
/// shard: `BIZ#<business_id>#MONTH#<yyyy-mm>`.
pub fn business_month_partition(business_id: &str, month: &str) -> Partition {
    Partition::new(Index::Table, format!("BIZ#{business_id}#MONTH#{month}"))
}

/// The shard of a business's month totals that a customer's records add
/// to: `BIZ#<business_id>#MONTH#<yyyy-mm>` / `SHARD#<nn>`, where `nn` is
/// the FNV-1a hash of the customer id modulo [`BUSINESS_MONTH_SHARDS`]
/// (stable, so a record's correction lands on the shard its mark did).
pub fn business_month_shard(business_id: &str, month: &str, customer_id: &str) -> Key {
    Key::new(
        business_month_partition(business_id, month).pk,
        format!("SHARD#{:02}", fnv1a(customer_id) % BUSINESS_MONTH_SHARDS),
    )
}

/// The 32-bit FNV-1a hash of an id: a stable shard number.
fn fnv1a(id: &str) -> u32 {
    id.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// The settlement of one customer's month (present once billed):
/// `…#CUSMONTH#<cid>#<yyyy-mm>` / `BILLED`.
pub fn month_settlement(business_id: &str, customer_id: &str, month: &str) -> Key {
    Key::new(
        customer_month_partition(business_id, customer_id, month).pk,
        "BILLED",
    )
}

// ---- Shared defaulter registry and platform administration (issue #5) ----

/// A company of the shared registry: `CO#<company_id>` / `PROFILE`.
pub fn company(company_id: &str) -> Key {
    Key::new(company_partition(company_id).pk, "PROFILE")
}

/// The partition of a company: its profile and its approved listings.
pub fn company_partition(company_id: &str) -> Partition {
    Partition::new(Index::Table, format!("CO#{company_id}"))
}

/// The public listing of an approved report in its company's partition:
/// `CO#<company_id>` / `LST#<report_id>`.
pub fn company_listing(company_id: &str, report_id: &str) -> Key {
    Key::new(company_partition(company_id).pk, format!("LST#{report_id}"))
}

/// Sort-key prefix of a company's listings.
pub const LISTING_PREFIX: &str = "LST#";

/// A company's identity, unique across the registry: `COID#<kind>#<value>` /
/// `COID`, where kind is `GSTIN`, `PAN` or `PHONE` (E.164).
pub fn company_identity(kind: &str, value: &str) -> Key {
    Key::new(format!("COID#{kind}#{value}"), "COID")
}

/// One word of a company's normalised name, for prefix search:
/// `COSEARCH#<first two characters>` / `<word>#<company_id>`.
pub fn company_word(word: &str, company_id: &str) -> Key {
    Key::new(company_words(word).pk, format!("{word}#{company_id}"))
}

/// The search partition of the words starting like `prefix` (its first two
/// characters; a one-character word has its own partition).
pub fn company_words(prefix: &str) -> Partition {
    let two: String = prefix.chars().take(2).collect();
    Partition::new(Index::Table, format!("COSEARCH#{two}"))
}

/// GSI1 partition of every company by name (the admin list).
pub fn companies_by_name() -> Partition {
    Partition::new(Index::Gsi1, "COMPANIES")
}

/// A default report: `RPT#<report_id>` / `REPORT`.
pub fn report(report_id: &str) -> Key {
    Key::new(format!("RPT#{report_id}"), "REPORT")
}

/// GSI1 partition of the review queue with one report status.
pub fn reports_by_status(status: &str) -> Partition {
    Partition::new(Index::Gsi1, format!("RPTQ#{status}"))
}

/// GSI2 partition of the reports filed by a business.
pub fn reports_by_reporter(business_id: &str) -> Partition {
    Partition::new(Index::Gsi2, format!("BIZ#{business_id}#RPT"))
}

/// The reports that name a phone as the debtor's (the reporter's word),
/// one pointer item each: `PHONE#<e164>#RPT` / `<report_id>`, so the
/// person with that verified phone can list them.
pub fn reports_about_phone(e164: &str) -> Partition {
    Partition::new(Index::Table, format!("PHONE#{e164}#RPT"))
}

/// One pointer of [`reports_about_phone`]: `PHONE#<e164>#RPT` / `<report_id>`.
pub fn report_about_phone(e164: &str, report_id: &str) -> Key {
    Key::new(reports_about_phone(e164).pk, report_id)
}

/// GSI3 partition of the reports about a company.
pub fn reports_by_company(company_id: &str) -> Partition {
    Partition::new(Index::Gsi3, format!("CO#{company_id}#RPT"))
}

/// The claim of an in-system invoice by an open report (one report per
/// invoice): `RPTINV#<business_id>#<invoice_id>` / `CLAIM`.
pub fn reported_invoice(business_id: &str, invoice_id: &str) -> Key {
    Key::new(format!("RPTINV#{business_id}#{invoice_id}"), "CLAIM")
}

/// The claim of an outside invoice by an open report (one report per
/// reporter, company and invoice number, upper case):
/// `RPTEXT#<business_id>#<company_id>#<number>` / `CLAIM`.
pub fn reported_external(business_id: &str, company_id: &str, number: &str) -> Key {
    Key::new(
        format!("RPTEXT#{business_id}#{company_id}#{number}"),
        "CLAIM",
    )
}

/// A dispute of a report: `DSP#<dispute_id>` / `DISPUTE`.
pub fn dispute(dispute_id: &str) -> Key {
    Key::new(format!("DSP#{dispute_id}"), "DISPUTE")
}

/// GSI1 partition of the disputes with one status.
pub fn disputes_by_status(status: &str) -> Partition {
    Partition::new(Index::Gsi1, format!("DSPQ#{status}"))
}

/// An edit request of a report: `EDR#<edit_request_id>` / `EDIT`.
pub fn edit_request(edit_request_id: &str) -> Key {
    Key::new(format!("EDR#{edit_request_id}"), "EDIT")
}

/// GSI1 partition of the edit requests with one status.
pub fn edit_requests_by_status(status: &str) -> Partition {
    Partition::new(Index::Gsi1, format!("EDRQ#{status}"))
}

/// The registry record of a business (reports filed, wrongly raised):
/// `BIZ#<business_id>` / `REGISTRY`.
pub fn reporter_record(business_id: &str) -> Key {
    Key::new(format!("BIZ#{business_id}"), "REGISTRY")
}

/// GSI1 partition of the businesses with wrongly raised defaults.
pub fn wrong_reports() -> Partition {
    Partition::new(Index::Gsi1, "WRONGREPORTS")
}

/// An upload slot: `UPL#<upload_id>` / `UPLOAD`.
pub fn upload(upload_id: &str) -> Key {
    Key::new(format!("UPL#{upload_id}"), "UPLOAD")
}

/// One shard of the platform counters: `PLATFORM#STATS` / `SHARD#<n>`.
pub fn platform_stats_shard(n: u32) -> Key {
    Key::new(PLATFORM_STATS_PK, format!("SHARD#{n:02}"))
}

/// The partition key of the platform counter shards.
pub const PLATFORM_STATS_PK: &str = "PLATFORM#STATS";

/// The partition of the platform counter shards.
pub fn platform_stats() -> Partition {
    Partition::new(Index::Table, PLATFORM_STATS_PK)
}

/// An audit entry: `AUD#<target_id>` / `<at>#<audit_id>`.
pub fn audit(target_id: &str, at: &str, audit_id: &str) -> Key {
    Key::new(audit_target(target_id).pk, format!("{at}#{audit_id}"))
}

/// The audit partition of one target.
pub fn audit_target(target_id: &str) -> Partition {
    Partition::new(Index::Table, format!("AUD#{target_id}"))
}

/// GSI1 partition of the audit entries made by one user.
pub fn audit_by_actor(user_id: &str) -> Partition {
    Partition::new(Index::Gsi1, format!("AUDBY#{user_id}"))
}

/// GSI2 partition of every audit entry (recent activity).
pub fn audit_all() -> Partition {
    Partition::new(Index::Gsi2, "AUDIT")
}

/// GSI1 partition of every user by name (the admin members list).
pub fn users_by_name() -> Partition {
    Partition::new(Index::Gsi1, "USERS")
}

/// GSI2 partition of the users with one role and status, by name.
pub fn users_by_role(role: &str, status: &str) -> Partition {
    Partition::new(Index::Gsi2, format!("USERS#{role}#{status}"))
}

/// GSI1 partition of every business by name (the admin list).
pub fn businesses_by_name() -> Partition {
    Partition::new(Index::Gsi1, "BUSINESSES")
}

/// Partitions of the reminder index (GSI4): an invoice's shard is the
/// FNV-1a hash of its id modulo this, so that the writes of one run spread
/// over several index partitions.
pub const REMINDER_SHARDS: u32 = 8;

/// GSI4 partition `REMIND#<nn>` of shard `shard` of the reminder index
/// (sort key `<epoch seconds, 12 digits>#<invoice_id>`: the time of the
/// invoice's next reminder stage).
pub fn reminders_due(shard: u32) -> Partition {
    Partition::new(Index::Gsi4, format!("REMIND#{shard:02}"))
}

/// An invoice's place in the reminder index: its next stage at `at_secs`
/// (epoch seconds, UTC).
pub fn reminder_at(invoice_id: &str, at_secs: i64) -> IndexKey {
    reminders_due(fnv1a(invoice_id) % REMINDER_SHARDS).at(format!("{at_secs:012}#{invoice_id}"))
}

/// The sort-key bound of every reminder due at or before `at_secs`.
pub fn reminders_due_until(at_secs: i64) -> String {
    format!("{at_secs:012}#~")
}

/// A business's own message template:
/// `BIZ#<business_id>` / `TEMPLATE#<kind>#<channel>`.
pub fn template(business_id: &str, kind: &str, channel: &str) -> Key {
    Key::new(
        business_partition(business_id).pk,
        format!("TEMPLATE#{kind}#{channel}"),
    )
}

/// Partition and sort-key prefix of a business's templates.
pub fn templates(business_id: &str) -> (Partition, &'static str) {
    (business_partition(business_id), "TEMPLATE#")
}

/// A notification about an invoice, in the invoice's partition (so its
/// history reads it): `BIZ#<business_id>#INV#<invoice_id>` / `NTF#<ntf_id>`.
pub fn invoice_notification(business_id: &str, invoice_id: &str, ntf_id: &str) -> Key {
    Key::new(
        invoice_partition(business_id, invoice_id).pk,
        format!("NTF#{ntf_id}"),
    )
}

/// A notification about no invoice (the digest):
/// `BIZ#<business_id>#DIGEST` / `NTF#<ntf_id>`.
pub fn business_notification(business_id: &str, ntf_id: &str) -> Key {
    Key::new(format!("BIZ#{business_id}#DIGEST"), format!("NTF#{ntf_id}"))
}

/// GSI1 partition of every notification of a business, newest last by
/// id (sort key `<ntf_id>`).
pub fn notifications(business_id: &str) -> Partition {
    Partition::new(Index::Gsi1, format!("BIZ#{business_id}#NTF"))
}

/// GSI2 partition of the notifications sent to one customer.
pub fn customer_notifications(business_id: &str, customer_id: &str) -> Partition {
    Partition::new(
        Index::Gsi2,
        format!("BIZ#{business_id}#CUS#{customer_id}#NTF"),
    )
}

/// The rate limit of sending one invoice now:
/// `BIZ#<business_id>#INV#<invoice_id>` / `SENDS`.
pub fn invoice_sends(business_id: &str, invoice_id: &str) -> Key {
    Key::new(invoice_partition(business_id, invoice_id).pk, "SENDS")
}

/// The mark that a business's digest of `date` is taken:
/// `BIZ#<business_id>` / `DIGEST#<yyyy-mm-dd>`.
pub fn digest_sent(business_id: &str, date: &str) -> Key {
    Key::new(business_partition(business_id).pk, format!("DIGEST#{date}"))
}

/// An export asked for by a platform admin: `EXP#<export_id>` / `EXPORT`.
pub fn admin_export(export_id: &str) -> Key {
    Key::new(format!("EXP#{export_id}"), "EXPORT")
}

/// GSI1 partition of every admin export (sort key `<export_id>`, a ULID,
/// so newest last).
pub fn admin_exports() -> Partition {
    Partition::new(Index::Gsi1, "EXPORTS")
}

/// GSI2 partition of the admin exports with one status (`queued`, …):
/// the `exports` job's queue.
pub fn admin_exports_by_status(status: &str) -> Partition {
    Partition::new(Index::Gsi2, format!("EXPORTS#{status}"))
}

// ---- Inventory (see `docs/data-model.md`, "Inventory") ----

/// GSI4 partition of a business's stock-tracked products by name (sort
/// key `<name key>#<product_id>`): the stock-on-hand report.
pub fn tracked_products(business_id: &str) -> Partition {
    Partition::new(Index::Gsi4, format!("BIZ#{business_id}#STOCK"))
}

/// The stock partition of a business: every stock movement, the
/// low-stock marks and the suppliers' bill numbers, `BIZ#<business_id>#STOCK`.
pub fn stock_partition(business_id: &str) -> Partition {
    Partition::new(Index::Table, format!("BIZ#{business_id}#STOCK"))
}

/// A stock movement of one product: `BIZ#<business_id>#STOCK` /
/// `MOV#<product_id>#<date>#<seq, 10 digits>`, where `seq` is the
/// product's version after the movement, so a product's movements sort
/// in the order they happened and a date bound finds the last one of a day.
pub fn stock_movement(business_id: &str, product_id: &str, date: &str, seq: i64) -> Key {
    Key::new(
        stock_partition(business_id).pk,
        format!("MOV#{product_id}#{date}#{seq:010}"),
    )
}

/// Sort-key prefix of one product's movements.
pub fn stock_movements_prefix(product_id: &str) -> String {
    format!("MOV#{product_id}#")
}

/// Sort-key bound of one product's movements on civil date `date`
/// (`YYYY-MM-DD`, inclusive when `inclusive`).
pub fn stock_movements_bound(product_id: &str, date: &str, inclusive: bool) -> String {
    format!(
        "MOV#{product_id}#{date}#{}",
        if inclusive { "~" } else { "" }
    )
}

/// The mark of a product at or below its low-stock threshold:
/// `BIZ#<business_id>#STOCK` / `LOW#<name key>#<product_id>`.
pub fn low_stock(business_id: &str, name_key: &str, product_id: &str) -> Key {
    Key::new(
        stock_partition(business_id).pk,
        format!("{LOW_STOCK_PREFIX}{}", name_sort_key(name_key, product_id)),
    )
}

/// Sort-key prefix of the low-stock marks.
pub const LOW_STOCK_PREFIX: &str = "LOW#";

/// Uniqueness of a supplier's bill number in a business:
/// `BIZ#<business_id>#STOCK` / `BILL#<supplier_id>#<bill number, upper case>`.
pub fn supplier_bill(business_id: &str, supplier_id: &str, bill_key: &str) -> Key {
    Key::new(
        stock_partition(business_id).pk,
        format!("BILL#{supplier_id}#{bill_key}"),
    )
}

/// A supplier: `BIZ#<business_id>` / `SUP#<supplier_id>`.
pub fn supplier(business_id: &str, supplier_id: &str) -> Key {
    Key::new(
        business_partition(business_id).pk,
        format!("SUP#{supplier_id}"),
    )
}

/// GSI1 partition of a business's suppliers by name (sort key
/// `<name key>#<supplier_id>`).
pub fn suppliers_by_name(business_id: &str) -> Partition {
    Partition::new(Index::Gsi1, format!("BIZ#{business_id}#SUP"))
}

/// A purchase receipt: `BIZ#<business_id>` / `RCP#<receipt_id>`.
pub fn receipt(business_id: &str, receipt_id: &str) -> Key {
    Key::new(
        business_partition(business_id).pk,
        format!("RCP#{receipt_id}"),
    )
}

/// GSI1 partition of a business's receipts by bill date (sort key
/// `<bill date>#<receipt_id>`).
pub fn receipts_by_date(business_id: &str) -> Partition {
    Partition::new(Index::Gsi1, format!("BIZ#{business_id}#RCP"))
}

/// GSI2 partition of one supplier's receipts by bill date (sort key
/// `<bill date>#<receipt_id>`).
pub fn supplier_receipts(business_id: &str, supplier_id: &str) -> Partition {
    Partition::new(
        Index::Gsi2,
        format!("BIZ#{business_id}#SUP#{supplier_id}#RCP"),
    )
}
