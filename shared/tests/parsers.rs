//! Properties of the parsers of what users and clients type, checked on
//! generated input (proptest): money and quantity strings, phones, GSTIN,
//! PAN and the other identifiers, dates and months, delivery ids, page
//! cursors, and the request bodies of the main create routes (customer,
//! invoice, payment) run through the domain's own validation.
//!
//! 1. No parser panics, on any text: arbitrary Unicode, number-like ASCII
//!    (signs, dots, exponents, separators), NUL, bidi marks, very long.
//! 2. Where a value can be written out, parsing what is written gives it
//!    back (paise, quantities, months, dates, E.164 phones, GSTINs made
//!    with a valid check character, cursors); a cursor changed in any one
//!    character is an error, not a panic.
//! 3. Whatever a parser accepts is within its documented bounds.
//! 4. A request body, arbitrary JSON or a valid body with one field
//!    changed, never panics in deserialisation or validation and never
//!    ends in an internal error (a 500); a valid body is accepted.
//!
//! 256 cases a property by default; `PROPTEST_CASES` sets another count:
//! `PROPTEST_CASES=10000 cargo test --workspace --test parsers`
//! (docs/architecture.md, "Testing: properties and a crash"). A failure
//! prints the shrunk input; it becomes a plain unit test next to the
//! parser it broke, so no regression files are kept
//! (`failure_persistence: None`).

use hisaab::crypto::Keys;
use hisaab::cursor;
use hisaab::dataops::spreadsheet::parse_rupees;
use hisaab::deliveries::orders::{month_of, parse_month};
use hisaab::deliveries::records::{delivery_id, parse_delivery_id};
use hisaab::identity::Actor;
use hisaab::identity::accounts::{AccountType, Registration};
use hisaab::ledger::catalogue::MAX_UNIT_PRICE;
use hisaab::ledger::customers::NewCustomer;
use hisaab::ledger::invoices::{MAX_TOTAL, NewInvoice};
use hisaab::ledger::payments::{MAX_PAYMENT, NewPayment};
use hisaab::money::{
    CURRENCIES, Quantity, amount_in_words_inr, currency, decimal_amount, format_amount,
    format_rupees,
};
use hisaab::validate::{self, Phone};
use hisaab::{Error, Hisaab};
use jiff::civil::Date;
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use serde_json::{Value, json};

/// 256 cases, or `PROPTEST_CASES`; no regression files.
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(256),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------- inputs

/// Pieces that parsers treat specially, or that break naive ones.
const PIECES: &[&str] = &[
    "-",
    "+",
    ".",
    ",",
    "e",
    "E",
    "e-",
    "0",
    "00",
    "1",
    "9",
    "91",
    "+91",
    " ",
    "\t",
    "\n",
    "\0",
    "\u{200f}",
    "\u{202e}",
    "\u{feff}",
    "\u{a0}",
    "₹",
    "١",
    "٩",
    "ß",
    "İ",
    "ﬀ",
    "Z",
    "A",
    "P",
    "@",
    "_",
    "#",
    "/",
    "(",
    ")",
    "%",
    "inf",
    "NaN",
    "9999999999",
    "18446744073709551616",
    "-9223372036854775808",
    "2026",
    "-02",
    "-13",
    "-00",
    "27AAPFU0939F1ZV",
    "AAPFU0939F",
    "dlv_",
    "ord_",
    "01JD2QJ7Y0ZK8F6W3V5T4S2R1Q",
    "ZZZZZZZZZZZZZZZZZZZZZZZZZZ",
    "😀",
    "é",
    "e\u{301}",
];

/// Text of every kind a user, a script or an attacker could send.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<String>(),
        3 => "[ -~]{0,40}",
        3 => "[-+0-9.,eE ₹]{0,30}",
        3 => prop::collection::vec(prop::sample::select(PIECES), 0..12).prop_map(|p| p.concat()),
        1 => prop::collection::vec(any::<char>(), 1000..3000).prop_map(String::from_iter),
        1 => (prop::sample::select(PIECES), 100usize..2000).prop_map(|(p, n)| p.repeat(n)),
    ]
}

/// Integers at and near the edges, and ordinary ones.
fn int() -> impl Strategy<Value = i64> {
    prop_oneof![
        prop::sample::select(vec![
            i64::MIN,
            i64::MIN + 1,
            -1_000_000_000_000,
            -1,
            0,
            1,
            999,
            1000,
            10_000,
            10_001,
            1_000_000_000,
            1_000_000_001,
            MAX_PAYMENT,
            MAX_PAYMENT + 1,
            i64::MAX - 1,
            i64::MAX,
        ]),
        any::<i64>(),
        -10_000i64..1_000_000,
    ]
}

/// Arbitrary JSON, with the field names of the request bodies among the
/// keys so that objects get past `deny_unknown_fields` now and then.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        int().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f)
            .map(Value::Number)),
        text().prop_map(Value::String),
    ];
    let key = prop_oneof![
        prop::sample::select(vec![
            "name",
            "phone",
            "email",
            "gstin",
            "pan",
            "contacts",
            "notes",
            "customer_id",
            "lines",
            "description",
            "quantity",
            "unit_price",
            "discount",
            "discount_rate_bp",
            "tax_rate_bp",
            "invoice_date",
            "due_date",
            "place_of_supply",
            "draft",
            "amount",
            "method",
            "date",
            "reference",
        ])
        .prop_map(String::from),
        "[a-z_]{1,10}",
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

const GSTIN_CHARS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// GSTN's check character, written here from the published algorithm (an
/// oracle independent of the code under test).
fn check_char(first14: &[u8]) -> u8 {
    let sum: u32 = first14
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let v = GSTIN_CHARS.iter().position(|x| x == c).unwrap() as u32;
            let p = v * if i % 2 == 0 { 1 } else { 2 };
            p / 36 + p % 36
        })
        .sum();
    GSTIN_CHARS[((36 - sum % 36) % 36) as usize]
}

/// A PAN: three letters, the holder type, a letter, four digits, a letter.
fn pan() -> impl Strategy<Value = String> {
    "[A-Z]{3}[ABCFGHJLPT][A-Z][0-9]{4}[A-Z]"
}

/// A valid GSTIN: a state code, a PAN, an entity number, `Z`, and the
/// check character.
fn gstin() -> impl Strategy<Value = String> {
    let states: Vec<String> = (1..=38)
        .chain([97, 99])
        .map(|s| format!("{s:02}"))
        .collect();
    (prop::sample::select(states), pan(), "[1-9A-Z]").prop_map(|(s, p, e)| {
        let first14 = format!("{s}{p}{e}Z");
        let c = check_char(first14.as_bytes()) as char;
        format!("{first14}{c}")
    })
}

/// An Indian mobile or landline number as typed: 10 digits starting 2–9.
fn indian_national() -> impl Strategy<Value = String> {
    "[2-9][0-9]{9}"
}

/// An E.164 number (digits after `+`): Indian, or of another country
/// code, 8 to 15 digits with no leading zero.
fn e164_digits() -> impl Strategy<Value = String> {
    prop_oneof![
        indian_national().prop_map(|n| format!("91{n}")),
        "[1-9][0-9]{7,14}".prop_filter("not +91", |d| !d.starts_with("91")),
    ]
}

/// A valid date (jiff's whole range).
fn date() -> impl Strategy<Value = Date> {
    (-9999i16..=9999, 1i8..=12, 1i8..=31)
        .prop_filter_map("a real day", |(y, m, d)| Date::new(y, m, d).ok())
}

// ------------------------------------------------ money and quantities

#[test]
fn money_and_quantity_parsers_never_panic_and_stay_in_bounds() {
    proptest!(config(), |(s in text())| {
        if let Ok(q) = Quantity::parse("quantity", &s) {
            prop_assert!(q.milli().abs() <= 1_000_000_000 * Quantity::SCALE, "{s:?} → {q:?}");
            prop_assert_eq!(Quantity::parse("quantity", &q.to_string()), Ok(q));
        }
        let _ = serde_json::from_value::<Quantity>(Value::String(s.clone()));
        if let Ok(p) = parse_rupees("opening", &s) {
            prop_assert!(p.abs() < 1_000_000_000_000_000, "{s:?} → {p}");
            if p != 0 {
                prop_assert_eq!(parse_rupees("opening", &format_rupees(p)), Ok(p));
            }
        }
    });
}

#[test]
fn quantities_read_back_what_they_print_from_strings_and_json_numbers() {
    let max = 1_000_000_000 * Quantity::SCALE;
    proptest!(config(), |(m in prop_oneof![-max..=max, Just(max), Just(-max), -2000i64..2000])| {
        let q = Quantity(m);
        prop_assert_eq!(Quantity::parse("q", &q.to_string()), Ok(q));
        let json = serde_json::to_string(&q).unwrap();
        prop_assert_eq!(serde_json::from_str::<Quantity>(&json).unwrap(), q);
        // A JSON number with three decimals, as a client writes it.
        let sign = if m < 0 { "-" } else { "" };
        let number = format!("{sign}{}.{:03}", m.abs() / 1000, m.abs() % 1000);
        prop_assert_eq!(serde_json::from_str::<Quantity>(&number).unwrap(), q, "{}", number);
    });
    assert!(Quantity::parse("q", "1000000000.001").is_err());
    assert!(serde_json::from_str::<Quantity>("1e300").is_err());
}

#[test]
fn rupees_read_back_as_formatted_for_people_and_as_plain_decimals() {
    let max = 999_999_999_999_999i64;
    proptest!(config(), |(p in prop_oneof![-max..=max, Just(max), Just(-max), -1000i64..1000])| {
        prop_assert_eq!(parse_rupees("amount", &format_rupees(p)), Ok(p));
        let inr = currency("INR").unwrap();
        prop_assert_eq!(parse_rupees("amount", &decimal_amount(p, inr)), Ok(p));
    });
}

#[test]
fn amounts_format_for_any_figure_without_panicking() {
    proptest!(config(), |(p in int(), c in prop::sample::select(CURRENCIES))| {
        let shown = format_amount(p, c);
        prop_assert_eq!(shown.starts_with('-'), p < 0);
        let plain = decimal_amount(p, c);
        prop_assert_eq!(plain.replace(['-', '.'], "").trim_start_matches('0').to_string(),
            p.unsigned_abs().to_string().trim_start_matches('0').to_string());
        match amount_in_words_inr(p) {
            Some(words) => {
                prop_assert!(p >= 0);
                prop_assert!(words.starts_with("Rupees ") && words.ends_with(" Only"), "{}", words);
            }
            None => prop_assert!(p < 0),
        }
    });
}

// ------------------------------------------------------- identifiers

#[test]
fn identifier_parsers_never_panic_and_accept_only_what_they_document() {
    proptest!(config(), |(s in text())| {
        if let Ok(p) = Phone::parse("phone", &s) {
            let digits = p.as_str().strip_prefix('+').unwrap();
            prop_assert!((8..=15).contains(&digits.len()), "{s:?} → {p}");
            prop_assert!(digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0'));
            if let Some(national) = digits.strip_prefix("91") {
                prop_assert!(national.len() == 10 && !national.starts_with(['0', '1']), "{p}");
            }
            prop_assert_eq!(Phone::parse("phone", p.as_str()), Ok(p));
        }
        if let Some(prefix) = Phone::prefix(&s) {
            prop_assert!(prefix.starts_with('+') && prefix[1..].bytes().all(|b| b.is_ascii_digit()));
        }
        if let Ok(g) = validate::gstin("gstin", &s) {
            prop_assert_eq!(g.len(), 15);
            prop_assert_eq!(check_char(&g.as_bytes()[..14]), g.as_bytes()[14]);
            prop_assert!(validate::pan("pan", &g[2..12]).is_ok());
            prop_assert_eq!(validate::gstin("gstin", &g), Ok(g.clone()));
        }
        if let Ok(p) = validate::pan("pan", &s) {
            let b = p.as_bytes();
            prop_assert!(b.len() == 10 && b[..5].iter().all(u8::is_ascii_uppercase)
                && b[5..9].iter().all(u8::is_ascii_digit) && b[9].is_ascii_uppercase(), "{}", p);
        }
        if let Ok(e) = validate::email("email", &s) {
            prop_assert!(e.len() <= 254 && e.contains('@'));
            prop_assert_eq!(e.to_lowercase(), e.clone());
            prop_assert_eq!(validate::email("email", &e), Ok(e.clone()));
        }
        if let Ok(t) = validate::text("notes", &s, 100) {
            prop_assert!(!t.is_empty() && t.chars().count() <= 100);
            prop_assert_eq!(t.trim(), t.as_str());
            prop_assert!(!t.chars().any(|c| c.is_control() && c != '\n'));
        }
        if let Ok(code) = validate::gst_state("place_of_supply", &s) {
            prop_assert!(validate::gst_state_name(&code).is_some());
        }
        if let Ok(v) = validate::upi_vpa("upi_vpa", &s) {
            let (user, handle) = v.split_once('@').unwrap();
            prop_assert!((2..=256).contains(&user.len()) && (3..=64).contains(&handle.len()));
        }
        if let Ok(h) = validate::hsn_sac("hsn_sac", &s) {
            prop_assert!(matches!(h.len(), 4 | 6 | 8) && h.bytes().all(|b| b.is_ascii_digit()));
        }
        let _ = validate::password("password", &s);
        let _ = validate::name_key(&s);
        if hisaab::ids::is_id("cus", &s) {
            prop_assert!(s.starts_with("cus_") && s.len() == 30);
        }
    });
}

#[test]
fn e164_numbers_read_back_unchanged_and_indian_numbers_as_people_type_them() {
    proptest!(config(), |(d in e164_digits(), n in indian_national(), sep in prop::sample::select(vec!["", " ", "-", "."]))| {
        let e164 = format!("+{d}");
        prop_assert_eq!(Phone::parse("phone", &e164).map(|p| p.to_string()), Ok(e164.clone()));
        let want = format!("+91{n}");
        for typed in [
            n.clone(),
            format!("0{n}"),
            format!("91{n}"),
            format!("+91{sep}{}{sep}{}", &n[..5], &n[5..]),
            format!("({}) {}", &n[..3], &n[3..]),
        ] {
            prop_assert_eq!(Phone::parse("phone", &typed).map(|p| p.to_string()), Ok(want.clone()), "{}", typed);
        }
    });
}

#[test]
fn a_gstin_with_a_valid_check_character_is_read_and_any_one_character_changed_is_refused() {
    let real = b"27AAPFU0939F1ZV";
    assert_eq!(check_char(&real[..14]), real[14], "the oracle");
    proptest!(config(), |(g in gstin(), i in 0usize..15, c in prop::sample::select(GSTIN_CHARS))| {
        prop_assert_eq!(validate::gstin("gstin", &g), Ok(g.clone()));
        prop_assert_eq!(validate::gstin("gstin", &format!(" {} ", g.to_lowercase())), Ok(g.clone()));
        prop_assert_eq!(validate::pan("pan", &g[2..12]), Ok(g[2..12].to_string()));
        let mut b = g.clone().into_bytes();
        prop_assume!(b[i] != c);
        b[i] = c;
        let typo = String::from_utf8(b).unwrap();
        prop_assert!(validate::gstin("gstin", &typo).is_err(), "{} accepted", typo);
    });
}

// ------------------------------------------------ dates, months, ids

#[test]
fn date_month_and_delivery_id_parsers_never_panic_and_accept_only_their_forms() {
    let month_like = "[+ ]?[0-9]{3,4}-[+ ]?[0-9]{1,2}";
    let date_like = "[-+ 0-9]{0,6}-[-+ 0-9]{0,3}(-[-+ 0-9T:]{0,4})?";
    proptest!(config(), |(s in prop_oneof![text(), month_like, date_like])| {
        if let Ok((first, last)) = parse_month("month", &s) {
            prop_assert_eq!(first.day(), 1);
            prop_assert_eq!(last, first.last_of_month());
            prop_assert_eq!(month_of(first), s.clone(), "{:?} is not yyyy-mm", s);
        }
        if let Some((order, d)) = parse_delivery_id(&s) {
            prop_assert_eq!(delivery_id(&order, d), s.clone());
        }
        if let Ok(d) = s.parse::<Date>() {
            prop_assert_eq!(d.to_string().parse::<Date>().unwrap(), d);
        }
        let _ = serde_json::from_value::<Date>(Value::String(s.clone()));
    });
}

#[test]
fn dates_months_and_delivery_ids_read_back_what_is_written() {
    proptest!(config(), |(d in date(), ulid in any::<u128>())| {
        prop_assert_eq!(d.to_string().parse::<Date>().unwrap(), d);
        prop_assert_eq!(serde_json::from_value::<Date>(json!(d.to_string())).unwrap(), d);
        if (0..=9999).contains(&d.year()) {
            let (first, last) = parse_month("month", &month_of(d)).unwrap();
            prop_assert_eq!((first, last), (d.first_of_month(), d.last_of_month()));
        }
        if (1..=9999).contains(&d.year()) {
            let order = format!("ord_{}", ulid::Ulid(ulid));
            prop_assert_eq!(parse_delivery_id(&delivery_id(&order, d)), Some((order, d)));
        }
    });
}

// --------------------------------------------------------- cursors

/// The last key of a page: a few string and number attributes.
fn last_key() -> impl Strategy<Value = hisaab::table::Item> {
    prop::collection::btree_map(
        "[A-Za-z0-9]{1,8}",
        prop_oneof![text().prop_map(Value::String), int().prop_map(Value::from)],
        1..5,
    )
    .prop_map(|m| m.into_iter().collect())
}

#[test]
fn a_cursor_reads_back_for_its_query_only_and_any_change_to_it_is_an_error() {
    let keys = Keys::from_secret(&[7u8; 32]).unwrap();
    proptest!(config(), |(
        binding in "[ -~]{0,40}",
        other in "[ -~]{0,40}",
        key in last_key(),
        i in any::<prop::sample::Index>(),
        c in prop::sample::select(b"ABCabc019-_.=+/ ".to_vec()),
        junk in text(),
    )| {
        let cur = cursor::encode(&keys, &binding, &key);
        prop_assert_eq!(cursor::decode(&keys, &binding, &cur).unwrap(), key);
        if other != binding {
            prop_assert!(cursor::decode(&keys, &other, &cur).is_err());
        }
        let mut b = cur.clone().into_bytes();
        let at = i.index(b.len());
        prop_assume!(b[at] != c);
        b[at] = c;
        let tampered = String::from_utf8(b).unwrap();
        prop_assert!(cursor::decode(&keys, &binding, &tampered).is_err(), "{} accepted", tampered);
        prop_assert!(cursor::decode(&keys, &binding, &cur[..at]).is_err());
        let _ = cursor::decode(&keys, &binding, &junk);
    });
}

// --------------------------------------------------- request bodies

/// A store in a temporary directory with a verified business owner and
/// one customer, and a runtime to call the domain from a property.
struct Env {
    rt: tokio::runtime::Runtime,
    app: Hisaab,
    actor: Actor,
    customer_id: String,
    _dir: tempfile::TempDir,
}

fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let app = Hisaab::local(dir.path(), "http://app.test", "http://local.test").unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let phone = "+919812300001";
    let (actor, customer_id) = rt.block_on(async {
        app.register(Registration {
            name: "Asha".into(),
            phone: phone.into(),
            account_type: AccountType::Business,
            business_name: Some("Asha Traders".into()),
            email: None,
            password: None,
        })
        .await
        .unwrap();
        let sms = app
            .outbox
            .as_ref()
            .unwrap()
            .messages()
            .unwrap()
            .into_iter()
            .rfind(|m| m.to == phone)
            .unwrap();
        let code = sms
            .body
            .split_whitespace()
            .find(|w| w.len() == 6 && w.bytes().all(|b| b.is_ascii_digit()))
            .unwrap()
            .to_string();
        let tokens = app.verify_otp(phone, &code).await.unwrap();
        let actor = app.authenticate(&tokens.access_token).await.unwrap();
        let (c, _) = app
            .create_customer(
                &actor,
                NewCustomer {
                    name: "Gupta Kirana".into(),
                    ..Default::default()
                },
                None,
            )
            .await
            .unwrap();
        (actor, c.id)
    });
    Env {
        rt,
        app,
        actor,
        customer_id,
        _dir: dir,
    }
}

/// Reads a body as the HTTP layer does (bytes, with the path of a bad
/// field); `None` where that layer answers 400 or 422 before the domain.
fn read<T: serde::de::DeserializeOwned>(body: &Value) -> Option<T> {
    let bytes = serde_json::to_vec(body).unwrap();
    let de = &mut serde_json::Deserializer::from_slice(&bytes);
    serde_path_to_error::deserialize(de).ok()
}

/// A domain answer to a request body: anything but an internal error.
fn not_internal<T>(what: &str, body: &Value, r: hisaab::Result<T>) -> Result<(), TestCaseError> {
    if let Err(Error::Internal(e)) = r {
        return Err(TestCaseError::fail(format!(
            "{what}: a 500 for {body}: {e:#}"
        )));
    }
    Ok(())
}

/// Runs a body through the create routes' reading and validation: as a
/// customer (the dry-run check, then the create), an invoice and a
/// customer payment.
fn submit(e: &Env, body: &Value) -> Result<(), TestCaseError> {
    let (app, actor) = (&e.app, &e.actor);
    if let Some(c) = read::<NewCustomer>(body) {
        not_internal(
            "check customer",
            body,
            e.rt.block_on(app.check_new_customer(actor, c.clone())),
        )?;
        not_internal(
            "create customer",
            body,
            e.rt.block_on(app.create_customer(actor, c, None)),
        )?;
    }
    if let Some(i) = read::<NewInvoice>(body) {
        let r = e.rt.block_on(app.create_invoice(actor, i, None));
        if let Ok((inv, _)) = &r {
            prop_assert!(inv.total <= MAX_TOTAL && inv.total >= 0, "{}", inv.total);
            prop_assert_eq!(inv.total, inv.lines.iter().map(|l| l.total).sum::<i64>());
        }
        not_internal("create invoice", body, r)?;
    }
    if let Some(p) = read::<NewPayment>(body) {
        let r =
            e.rt.block_on(app.pay_customer(actor, &e.customer_id, p, None));
        if let Ok((pay, _)) = &r {
            prop_assert!((1..=MAX_PAYMENT).contains(&pay.amount));
        }
        not_internal("pay customer", body, r)?;
    }
    Ok(())
}

/// Days before today (UTC, so that it is not in the future in India).
fn past_day(days: i64) -> String {
    jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
        .checked_sub(jiff::Span::new().days(days))
        .unwrap()
        .to_string()
}

fn valid_customer() -> impl Strategy<Value = Value> {
    (
        "[A-Z][a-z]{0,12}( [A-Z][a-z]{0,12}){0,2}",
        prop::option::of(indian_national()),
        prop::option::of("[a-z]{1,8}@example\\.com"),
        prop::option::of(gstin()),
        prop::option::of("[A-Za-z0-9 ,]{1,60}"),
        prop::collection::vec(
            ("[A-Z][a-z]{1,10}", prop::option::of(indian_national())),
            0..3,
        ),
    )
        .prop_map(|(name, phone, email, gstin, address, contacts)| {
            let mut b = json!({ "name": name });
            let o = b.as_object_mut().unwrap();
            if let Some(p) = phone {
                o.insert("phone".into(), json!(p));
            }
            if let Some(m) = email {
                o.insert("email".into(), json!(m));
            }
            if let Some(g) = gstin {
                o.insert("pan".into(), json!(g[2..12]));
                o.insert("gstin".into(), json!(g));
            }
            if let Some(a) = address {
                o.insert("address".into(), json!(a));
            }
            o.insert(
                "contacts".into(),
                contacts
                    .into_iter()
                    .map(|(n, p)| json!({"name": n, "phone": p}))
                    .collect(),
            );
            b
        })
}

/// A line of a valid invoice; its figures at the edges now and then (a
/// billion units at the highest price, 100 % tax).
fn valid_line() -> impl Strategy<Value = Value> {
    (
        "[A-Z][a-z ]{0,30}",
        prop_oneof![
            (1i64..=100_000).prop_map(|m| json!(Quantity(m).to_string())),
            (1i64..=1000).prop_map(|u| json!(u)),
            Just(json!("1000000000")),
        ],
        prop_oneof![0i64..=10_000_000, Just(1_000_000_000)],
        prop::sample::select(vec![0i64, 500, 1200, 1800, 2800, 10_000]),
        prop::option::of(0i64..=10_000),
    )
        .prop_map(|(d, q, price, tax, disc)| {
            let mut l =
                json!({"description": d, "quantity": q, "unit_price": price, "tax_rate_bp": tax});
            if let Some(r) = disc {
                l["discount_rate_bp"] = json!(r);
            }
            l
        })
}

fn valid_invoice(customer_id: String) -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(valid_line(), 1..8),
        prop::option::of(1i64..60),
        any::<bool>(),
        prop::option::of("[A-Za-z .]{1,40}"),
    )
        .prop_map(move |(lines, days, draft, notes)| {
            let mut b = json!({"customer_id": customer_id, "lines": lines, "draft": draft});
            if let Some(d) = days {
                b["invoice_date"] = json!(past_day(d));
            }
            if let Some(n) = notes {
                b["notes"] = json!(n);
            }
            b
        })
}

fn valid_payment() -> impl Strategy<Value = Value> {
    (
        1i64..=MAX_PAYMENT,
        prop::sample::select(vec![
            "cash",
            "upi",
            "bank_transfer",
            "cheque",
            "card",
            "other",
        ]),
        prop::option::of(1i64..60),
        prop::option::of("[A-Z0-9]{1,20}"),
    )
        .prop_map(|(amount, method, days, reference)| {
            let mut b = json!({"amount": amount, "method": method});
            if let Some(d) = days {
                b["date"] = json!(past_day(d));
            }
            if let Some(r) = reference {
                b["reference"] = json!(r);
            }
            b
        })
}

/// A line with each figure at or past an edge: the largest quantity and
/// price (a line of 10^18 paise), zero, negatives, `i64` extremes.
fn edge_line() -> impl Strategy<Value = Value> {
    let max_units = json!("1000000000");
    (
        prop_oneof![
            3 => Just(max_units),
            1 => prop::sample::select(vec![json!("0.001"), json!(1), json!("999999999.999"),
                json!("-1"), json!(0)]),
        ],
        prop_oneof![
            3 => Just(MAX_UNIT_PRICE),
            1 => prop::sample::select(vec![0i64, 1, MAX_UNIT_PRICE + 1, -1, i64::MAX, i64::MIN]),
        ],
        prop::option::weighted(0.2, int()),
        prop::option::weighted(
            0.3,
            prop::sample::select(vec![0i64, 1, 10_000, 10_001, -1, i64::MIN]),
        ),
        prop::option::of(prop::sample::select(vec![
            0i64,
            10_000,
            10_001,
            -1,
            i64::MIN,
            i64::MAX,
        ])),
    )
        .prop_map(|(q, price, discount, rate, tax)| {
            let mut l = json!({"description": "Edge", "quantity": q, "unit_price": price});
            if let Some(d) = discount {
                l["discount"] = json!(d);
            }
            if let Some(r) = rate {
                l["discount_rate_bp"] = json!(r);
            }
            if let Some(t) = tax {
                l["tax_rate_bp"] = json!(t);
            }
            l
        })
}

/// An invoice of 1 to 101 edge lines (100 is the most an invoice has).
fn edge_invoice(customer_id: String) -> impl Strategy<Value = Value> {
    prop::collection::vec(edge_line(), 1..=101)
        .prop_map(move |lines| json!({"customer_id": customer_id, "lines": lines}))
}

/// Every place in a JSON value, as a path of keys and indices.
fn places(v: &Value, here: Vec<Value>, out: &mut Vec<Vec<Value>>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let mut p = here.clone();
                p.push(json!(k));
                out.push(p.clone());
                places(x, p, out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                let mut p = here.clone();
                p.push(json!(i));
                out.push(p.clone());
                places(x, p, out);
            }
        }
        _ => {}
    }
}

/// One change to a valid body.
#[derive(Clone, Debug)]
enum Change {
    /// The value at a place replaced.
    Replace(Value),
    /// The field at a place left out.
    Remove,
    /// A field the body does not have, added at the top.
    Unknown(String, Value),
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        4 => json_value().prop_map(Change::Replace),
        3 => text().prop_map(|s| Change::Replace(Value::String(s))),
        2 => int().prop_map(|i| Change::Replace(json!(i))),
        2 => Just(Change::Remove),
        1 => ("[a-z_]{1,10}", json_value()).prop_map(|(k, v)| Change::Unknown(k, v)),
    ]
}

/// The body with one change at the place `at` picks.
fn changed(mut body: Value, at: prop::sample::Index, c: Change) -> Value {
    let mut all = Vec::new();
    places(&body, vec![], &mut all);
    if let Change::Unknown(k, v) = c {
        body.as_object_mut().unwrap().entry(k).or_insert(v);
        return body;
    }
    let path = all[at.index(all.len())].clone();
    let (last, parent) = path.split_last().unwrap();
    let mut node = &mut body;
    for step in parent {
        node = match step {
            Value::String(k) => &mut node[k.as_str()],
            Value::Number(i) => &mut node[i.as_u64().unwrap() as usize],
            _ => unreachable!(),
        };
    }
    match (c, last, node) {
        (Change::Replace(v), Value::String(k), n) => n[k.as_str()] = v,
        (Change::Replace(v), Value::Number(i), n) => n[i.as_u64().unwrap() as usize] = v,
        (Change::Remove, Value::String(k), Value::Object(m)) => {
            m.remove(k);
        }
        (Change::Remove, Value::Number(i), Value::Array(a)) => {
            a.remove(i.as_u64().unwrap() as usize);
        }
        _ => {}
    }
    body
}

#[test]
fn arbitrary_json_bodies_never_panic_the_create_routes() {
    let e = env();
    proptest!(config(), |(body in json_value())| {
        submit(&e, &body)?;
        // Arrays and scalars as a quantity, a date, a line.
        let _ = read::<Quantity>(&body);
        let _ = read::<Date>(&body);
        let _ = read::<hisaab::ledger::invoices::LineInput>(&body);
    });
}

#[test]
fn valid_bodies_are_accepted_by_the_create_routes() {
    let e = env();
    let cid = e.customer_id.clone();
    proptest!(config(), |(c in valid_customer(), i in valid_invoice(cid.clone()), p in valid_payment())| {
        let customer: NewCustomer = read(&c).expect("a valid customer body reads");
        prop_assert!(e.rt.block_on(e.app.check_new_customer(&e.actor, customer)).is_ok(), "{}", c);
        let invoice: NewInvoice = read(&i).expect("a valid invoice body reads");
        match e.rt.block_on(e.app.create_invoice(&e.actor, invoice, None)) {
            Ok((inv, _)) => {
                prop_assert_eq!(inv.total, inv.lines.iter().map(|l| l.total).sum::<i64>());
                prop_assert!(inv.total <= MAX_TOTAL);
            }
            // A billion units at ten lakh rupees is more than an invoice
            // may be: refused naming `lines`, nothing else.
            Err(Error::Validation(errs)) => {
                prop_assert!(errs.iter().all(|f| f.code == "too_large"), "{:?} for {}", errs, i);
            }
            Err(err) => prop_assert!(false, "{err} for {i}"),
        }
        let payment: NewPayment = read(&p).expect("a valid payment body reads");
        prop_assert!(e.rt.block_on(e.app.pay_customer(&e.actor, &e.customer_id, payment, None)).is_ok(), "{}", p);
    });
}

#[test]
fn valid_bodies_with_one_field_changed_never_panic_the_create_routes() {
    let e = env();
    let cid = e.customer_id.clone();
    let body = prop_oneof![
        valid_customer(),
        valid_invoice(cid.clone()),
        edge_invoice(cid),
        valid_payment()
    ];
    proptest!(config(), |(b in body, at in any::<prop::sample::Index>(), c in change())| {
        submit(&e, &changed(b, at, c))?;
    });
}

#[test]
fn invoices_with_every_figure_at_its_edge_are_refused_or_add_up() {
    let e = env();
    let cid = e.customer_id.clone();
    proptest!(config(), |(b in edge_invoice(cid.clone()))| {
        submit(&e, &b)?;
    });
}
