//! Message templates: per business, kind (`reminder`, `share`, `digest`)
//! and channel (`sms`, `mail`), with defaults in English and Hindi.
//!
//! Templates are MiniJinja (Jinja2 syntax: `{{ invoice.balance }}`,
//! `{% if invoice.days_overdue > 0 %}…{% endif %}`), rendered in a sandbox:
//! no loader (a template cannot include files), no functions that reach
//! the environment or the clock, undefined variables are errors, and a
//! fuel limit bounds the work of one render. Only the documented variables
//! ([`variables`]) may be used; a template that does not parse or names
//! another variable is refused with the line.
//!
//! SMS length: a body of GSM 03.38 characters takes 160 characters in one
//! segment and 153 a segment when longer (characters of the extension
//! table count twice); any other character (Devanagari, `₹`) makes the
//! whole message UCS-2: 70 UTF-16 code units in one segment, 67 a segment
//! when longer. A template whose sample renders to more than
//! [`MAX_SMS_SEGMENTS`] segments is refused.

use super::policy::{Channel, Language};
use crate::error::{Error, FieldError, Result};
use minijinja::{Environment, UndefinedBehavior};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

/// Most segments an SMS template may render to.
pub const MAX_SMS_SEGMENTS: usize = 3;
/// Longest template source: 2,000 characters for SMS, 20,000 for mail.
pub const MAX_SMS_SOURCE: usize = 2_000;
/// Longest mail template source.
pub const MAX_MAIL_SOURCE: usize = 20_000;
/// Instructions one render may execute (MiniJinja fuel).
const FUEL: u64 = 20_000;

/// What a template is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TemplateKind {
    /// A payment reminder of one invoice.
    Reminder,
    /// An invoice sent to its customer (`POST /v1/invoices/{id}/send`).
    Share,
    /// The owner's daily digest.
    Digest,
}

impl TemplateKind {
    /// Every kind.
    pub const ALL: [TemplateKind; 3] = [
        TemplateKind::Reminder,
        TemplateKind::Share,
        TemplateKind::Digest,
    ];

    /// `reminder`, `share` or `digest`.
    pub fn as_str(self) -> &'static str {
        match self {
            TemplateKind::Reminder => "reminder",
            TemplateKind::Share => "share",
            TemplateKind::Digest => "digest",
        }
    }

    /// The kind of a path segment.
    pub fn parse(s: &str) -> Result<TemplateKind> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or(Error::NotFound("template"))
    }
}

/// The channel of a path segment.
pub fn parse_channel(s: &str) -> Result<Channel> {
    match s {
        "sms" => Ok(Channel::Sms),
        "mail" => Ok(Channel::Mail),
        _ => Err(Error::NotFound("template")),
    }
}

/// A template's text: the subject (mail only) and the body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TemplateText {
    /// Mail subject (one line); `null` for SMS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The body.
    pub body: String,
}

/// The variables a template of `kind` may use, with what each holds.
pub fn variables(kind: TemplateKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        TemplateKind::Reminder | TemplateKind::Share => &[
            ("customer.name", "the customer's name"),
            ("business.name", "the business's trading name"),
            ("business.phone", "the business's phone (may be empty)"),
            ("invoice.number", "the invoice number, INV-0042"),
            (
                "invoice.balance",
                "amount due in rupees with Indian grouping, 1,23,456.50",
            ),
            ("invoice.total", "the invoice total, same format"),
            ("invoice.due_date", "the due date, 10 Dec 2026"),
            (
                "invoice.days_overdue",
                "days past the due date, 0 before it",
            ),
            ("invoice.days_to_due", "days until the due date, 0 after it"),
            (
                "invoice.upi_link",
                "upi://pay?… for the amount due (empty without a UPI ID)",
            ),
            ("invoice.pdf_url", "an https link to the invoice PDF"),
            (
                "opt_out_url",
                "an https link where the customer stops reminders",
            ),
            ("stage", "the reminder stage, 3 days after the due date"),
        ],
        TemplateKind::Digest => &[
            ("business.name", "the business's trading name"),
            ("date", "the digest's date, 10 Dec 2026"),
            ("due_today.count", "invoices falling due today"),
            ("due_today.amount", "their amount due, 1,23,456.50"),
            ("overdue.count", "invoices past their due date"),
            ("overdue.amount", "their amount due"),
            ("received_yesterday.count", "payments recorded yesterday"),
            ("received_yesterday.amount", "their amount"),
            ("pending_orders", "order changes awaiting a customer"),
            (
                "low_stock",
                "products at or below their low-stock threshold",
            ),
            ("warnings", "a list of warnings (low activity, low stock)"),
        ],
    }
}

/// The default template of a kind, channel and language.
pub fn default_template(kind: TemplateKind, channel: Channel, lang: Language) -> TemplateText {
    use Channel::*;
    use Language::*;
    use TemplateKind::*;
    let (subject, body): (Option<&str>, &str) = match (kind, channel, lang) {
        (Reminder, Sms, En) => (
            None,
            "{{ business.name }}: invoice {{ invoice.number }}, Rs {{ invoice.balance }} {% if invoice.days_overdue > 0 %}was due on {{ invoice.due_date }}{% else %}is due on {{ invoice.due_date }}{% endif %}. Bill: {{ invoice.pdf_url }}{% if invoice.upi_link %} Pay: {{ invoice.upi_link }}{% endif %}",
        ),
        (Reminder, Sms, Hi) => (
            None,
            "{{ business.name }}: बिल {{ invoice.number }} के ₹{{ invoice.balance }} {% if invoice.days_overdue > 0 %}{{ invoice.due_date }} को देय थे{% else %}{{ invoice.due_date }} तक देय हैं{% endif %}। बिल: {{ invoice.pdf_url }}",
        ),
        (Reminder, Mail, En) => (
            Some("Payment reminder: invoice {{ invoice.number }} from {{ business.name }}"),
            "Dear {{ customer.name }},\n\n{% if invoice.days_overdue > 0 %}Invoice {{ invoice.number }} was due on {{ invoice.due_date }}, {{ invoice.days_overdue }} days ago.{% else %}Invoice {{ invoice.number }} is due on {{ invoice.due_date }}.{% endif %} Amount due: Rs {{ invoice.balance }}.\n\nThe invoice: {{ invoice.pdf_url }}\n{% if invoice.upi_link %}Pay by UPI: {{ invoice.upi_link }}\n{% endif %}\nThank you,\n{{ business.name }}{% if business.phone %} ({{ business.phone }}){% endif %}\n\nTo receive no more reminders from {{ business.name }}: {{ opt_out_url }}\n",
        ),
        (Reminder, Mail, Hi) => (
            Some("भुगतान अनुस्मारक: {{ business.name }} का बिल {{ invoice.number }}"),
            "प्रिय {{ customer.name }},\n\n{% if invoice.days_overdue > 0 %}बिल {{ invoice.number }} {{ invoice.due_date }} को देय था, {{ invoice.days_overdue }} दिन पहले।{% else %}बिल {{ invoice.number }} {{ invoice.due_date }} तक देय है।{% endif %} बकाया राशि: ₹{{ invoice.balance }}।\n\nबिल: {{ invoice.pdf_url }}\n{% if invoice.upi_link %}UPI से भुगतान करें: {{ invoice.upi_link }}\n{% endif %}\nधन्यवाद,\n{{ business.name }}{% if business.phone %} ({{ business.phone }}){% endif %}\n\n{{ business.name }} से और अनुस्मारक न पाने के लिए: {{ opt_out_url }}\n",
        ),
        (Share, Sms, En) => (
            None,
            "{{ business.name }}: invoice {{ invoice.number }} for Rs {{ invoice.total }}, due on {{ invoice.due_date }}. Bill: {{ invoice.pdf_url }}",
        ),
        (Share, Sms, Hi) => (
            None,
            "{{ business.name }}: बिल {{ invoice.number }}, ₹{{ invoice.total }}, {{ invoice.due_date }} तक देय। बिल: {{ invoice.pdf_url }}",
        ),
        (Share, Mail, En) => (
            Some("Invoice {{ invoice.number }} from {{ business.name }}"),
            "Dear {{ customer.name }},\n\nYour invoice {{ invoice.number }} for Rs {{ invoice.total }} is due on {{ invoice.due_date }}; Rs {{ invoice.balance }} is left to pay.\n\nThe invoice: {{ invoice.pdf_url }}\n{% if invoice.upi_link %}Pay by UPI: {{ invoice.upi_link }}\n{% endif %}\nThank you,\n{{ business.name }}\n",
        ),
        (Share, Mail, Hi) => (
            Some("{{ business.name }} का बिल {{ invoice.number }}"),
            "प्रिय {{ customer.name }},\n\nआपका बिल {{ invoice.number }}, ₹{{ invoice.total }}, {{ invoice.due_date }} तक देय है; ₹{{ invoice.balance }} बाकी है।\n\nबिल: {{ invoice.pdf_url }}\n{% if invoice.upi_link %}UPI से भुगतान करें: {{ invoice.upi_link }}\n{% endif %}\nधन्यवाद,\n{{ business.name }}\n",
        ),
        (Digest, Sms, En) => (
            None,
            "Hisaab {{ date }}: due today {{ due_today.count }} (Rs {{ due_today.amount }}), overdue {{ overdue.count }} (Rs {{ overdue.amount }}), received yesterday Rs {{ received_yesterday.amount }}, {{ pending_orders }} orders awaiting customers.",
        ),
        (Digest, Sms, Hi) => (
            None,
            "हिसाब {{ date }}: आज देय {{ due_today.count }} (₹{{ due_today.amount }}), बकाया {{ overdue.count }} (₹{{ overdue.amount }}), कल मिले ₹{{ received_yesterday.amount }}।",
        ),
        (Digest, Mail, En) => (
            Some("{{ business.name }}: your day on Hisaab, {{ date }}"),
            "Good morning,\n\nDue today: {{ due_today.count }} invoices, Rs {{ due_today.amount }}.\nOverdue: {{ overdue.count }} invoices, Rs {{ overdue.amount }}.\nReceived yesterday: {{ received_yesterday.count }} payments, Rs {{ received_yesterday.amount }}.\nOrder changes awaiting customers: {{ pending_orders }}.\n{% for w in warnings %}\nNote: {{ w }}{% endfor %}\n\nHisaab\n",
        ),
        (Digest, Mail, Hi) => (
            Some("{{ business.name }}: हिसाब में आपका दिन, {{ date }}"),
            "सुप्रभात,\n\nआज देय: {{ due_today.count }} बिल, ₹{{ due_today.amount }}।\nबकाया: {{ overdue.count }} बिल, ₹{{ overdue.amount }}।\nकल मिले: {{ received_yesterday.count }} भुगतान, ₹{{ received_yesterday.amount }}।\nग्राहकों की पुष्टि बाकी: {{ pending_orders }}।\n{% for w in warnings %}\nध्यान दें: {{ w }}{% endfor %}\n\nहिसाब\n",
        ),
    };
    TemplateText {
        subject: subject.map(str::to_string),
        body: body.to_string(),
    }
}

/// Sample values of every variable of `kind`, for previews and checks:
/// a sample invoice of the business `business_name`, with its UPI ID
/// (`upi_vpa`; no UPI link without one, as in its real messages).
pub fn sample(
    kind: TemplateKind,
    business_name: &str,
    upi_vpa: Option<&str>,
    app_url: &str,
) -> Value {
    use crate::ledger::documents::enc;
    let upi_link = upi_vpa.map_or_else(String::new, |vpa| {
        format!(
            "upi://pay?pa={}&pn={}&am=123456.50&cu=INR&tn=INV-0042",
            enc(vpa),
            enc(business_name)
        )
    });
    match kind {
        TemplateKind::Reminder | TemplateKind::Share => json!({
            "customer": {"name": "Ramesh Kumar"},
            "business": {"name": business_name, "phone": "+919876543210"},
            "invoice": {
                "number": "INV-0042",
                "balance": "1,23,456.50",
                "total": "1,50,000.00",
                "due_date": "10 Dec 2026",
                "days_overdue": 7,
                "days_to_due": 0,
                "upi_link": upi_link,
                "pdf_url": format!("{app_url}/v1/shared/01JD2QH5X0A1B2C3D4E5F6G7H801JD2QM8B2C3D4E5F6G7H8J9K09f8e7d6c5b4a39281706"),
            },
            "opt_out_url": format!("{app_url}/stop/01JD2QH5X0A1B2C3D4E5F6G7H801JD2QM8B2C3D4E5F6G7H8J9K09f8e7d6c5b4a39281706"),
            "stage": "7 days after the due date",
        }),
        TemplateKind::Digest => json!({
            "business": {"name": business_name},
            "date": "10 Dec 2026",
            "due_today": {"count": 4, "amount": "48,200.00"},
            "overdue": {"count": 17, "amount": "3,12,750.00"},
            "received_yesterday": {"count": 6, "amount": "71,400.00"},
            "pending_orders": 2,
            "low_stock": 1,
            "warnings": ["No invoice was issued in the last 7 days."],
        }),
    }
}

fn env() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(FUEL));
    env.set_recursion_limit(20);
    env
}

/// The line of `source` that first names `var` (1-based), for errors.
fn line_of(source: &str, var: &str) -> usize {
    let last = var.rsplit('.').next().unwrap_or(var);
    source
        .lines()
        .position(|l| l.contains(var) || l.contains(last))
        .map_or(1, |i| i + 1)
}

/// Renders `source` with `ctx`. A parse or render failure is a 422 on
/// `field`, with the line.
pub fn render(field: &str, source: &str, ctx: &Value) -> Result<String> {
    let env = env();
    let fail = |e: minijinja::Error| {
        let line = e.line().unwrap_or(1);
        Error::field(
            field,
            "invalid_template",
            format!(
                "line {line}: {}",
                e.detail()
                    .map_or_else(|| e.kind().to_string(), str::to_string)
            ),
        )
    };
    let t = env.template_from_str(source).map_err(fail)?;
    t.render(ctx).map_err(fail)
}

/// Checks a template's source: it parses, uses only the variables of
/// `kind`, and its sample render fits (SMS: at most three segments).
/// Returns the sample render of (subject, body).
pub fn check(
    kind: TemplateKind,
    channel: Channel,
    t: &TemplateText,
    sample: &Value,
) -> Result<(Option<String>, String)> {
    let mut errs = vec![];
    let max = match channel {
        Channel::Sms => MAX_SMS_SOURCE,
        Channel::Mail => MAX_MAIL_SOURCE,
    };
    if t.body.trim().is_empty() {
        errs.push(FieldError::new("body", "required", "the template's text"));
    } else if t.body.chars().count() > max {
        errs.push(FieldError::new(
            "body",
            "too_long",
            format!("at most {max} characters"),
        ));
    }
    match (channel, &t.subject) {
        (Channel::Mail, None) => errs.push(FieldError::new(
            "subject",
            "required",
            "a mail template has a subject",
        )),
        (Channel::Mail, Some(s)) if s.trim().is_empty() || s.contains('\n') || s.len() > 300 => {
            errs.push(FieldError::new(
                "subject",
                "invalid_subject",
                "one line of at most 300 characters",
            ))
        }
        (Channel::Sms, Some(_)) => errs.push(FieldError::new(
            "subject",
            "not_allowed",
            "an SMS has no subject",
        )),
        _ => {}
    }
    if !errs.is_empty() {
        return Err(Error::Validation(errs));
    }
    let allowed: Vec<&str> = variables(kind).iter().map(|(n, _)| *n).collect();
    let known = |v: &str| {
        allowed
            .iter()
            .any(|a| *a == v || a.starts_with(&format!("{v}.")))
    };
    let env = env();
    let mut out = vec![];
    for (field, source) in [("subject", t.subject.as_deref()), ("body", Some(&t.body))] {
        let Some(source) = source else {
            out.push(None);
            continue;
        };
        let tpl = env.template_from_str(source).map_err(|e| {
            Error::field(
                field,
                "invalid_template",
                format!(
                    "line {}: {}",
                    e.line().unwrap_or(1),
                    e.detail()
                        .map_or_else(|| e.kind().to_string(), str::to_string)
                ),
            )
        })?;
        let mut unknown: Vec<String> = tpl
            .undeclared_variables(true)
            .into_iter()
            .filter(|v| !known(v))
            .collect();
        unknown.sort();
        if let Some(v) = unknown.first() {
            return Err(Error::field(
                field,
                "unknown_variable",
                format!(
                    "line {}: {v} is not a variable of {} templates (see GET /v1/business/templates)",
                    line_of(source, v),
                    kind.as_str()
                ),
            ));
        }
        out.push(Some(render(field, source, sample)?));
    }
    let body = out.pop().flatten().unwrap_or_default();
    let subject = out.pop().flatten();
    if channel == Channel::Sms {
        let s = segments(&body);
        if s.segments > MAX_SMS_SEGMENTS {
            return Err(Error::field(
                "body",
                "too_many_segments",
                format!(
                    "the sample renders to {} SMS segments ({} {}); at most {MAX_SMS_SEGMENTS}",
                    s.segments,
                    s.units,
                    if s.encoding == "gsm7" {
                        "GSM characters"
                    } else {
                        "UCS-2 code units"
                    }
                ),
            ));
        }
    }
    Ok((subject, body))
}

/// How an SMS body is sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Segments {
    /// `gsm7` or `ucs2`.
    pub encoding: String,
    /// Septets (GSM, extension characters count two) or UTF-16 code units.
    pub units: usize,
    /// Segments the message is sent in.
    pub segments: usize,
}

/// GSM 03.38's basic character set.
const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// GSM 03.38's extension table (two septets each).
const GSM_EXTENSION: &str = "^{}\\[~]|€\u{000C}";

/// The segments of an SMS body (see the module docs).
pub fn segments(body: &str) -> Segments {
    let mut septets = 0;
    let mut gsm = true;
    for c in body.chars() {
        if GSM_BASIC.contains(c) {
            septets += 1;
        } else if GSM_EXTENSION.contains(c) {
            septets += 2;
        } else {
            gsm = false;
            break;
        }
    }
    let (encoding, units, single, multi) = if gsm {
        ("gsm7", septets, 160, 153)
    } else {
        ("ucs2", body.encode_utf16().count(), 70, 67)
    };
    let segments = if units <= single {
        1
    } else {
        units.div_ceil(multi)
    };
    Segments {
        encoding: encoding.into(),
        units,
        segments,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_template_checks_and_fits() {
        for kind in TemplateKind::ALL {
            for channel in [Channel::Sms, Channel::Mail] {
                for lang in [Language::En, Language::Hi] {
                    let t = default_template(kind, channel, lang);
                    let s = sample(
                        kind,
                        "Sharma Traders",
                        Some("sharma@okaxis"),
                        "https://app.hisaab.in",
                    );
                    check(kind, channel, &t, &s)
                        .unwrap_or_else(|e| panic!("{kind:?} {channel:?} {lang:?}: {e:?}"));
                }
            }
        }
    }

    #[test]
    fn segments_count_gsm_septets_and_ucs2_units() {
        assert_eq!(segments(&"a".repeat(160)).segments, 1);
        assert_eq!(segments(&"a".repeat(161)).segments, 2);
        assert_eq!(segments(&"[".repeat(80)).units, 160);
        let hi = segments("नमस्ते");
        assert_eq!(
            (hi.encoding.as_str(), hi.units, hi.segments),
            ("ucs2", 6, 1)
        );
        assert_eq!(segments(&"₹".repeat(71)).segments, 2);
    }

    #[test]
    fn unknown_variables_and_syntax_errors_name_the_line() {
        let s = sample(TemplateKind::Reminder, "X", None, "https://a");
        let t = TemplateText {
            subject: None,
            body: "Hello\n{{ invoice.secret }}".into(),
        };
        let Err(Error::Validation(e)) = check(TemplateKind::Reminder, Channel::Sms, &t, &s) else {
            panic!("accepted");
        };
        assert_eq!(e[0].code, "unknown_variable");
        assert!(
            e[0].detail.starts_with("line 2: invoice.secret"),
            "{}",
            e[0].detail
        );
        let t = TemplateText {
            subject: None,
            body: "ok\n\n{% if %}".into(),
        };
        let Err(Error::Validation(e)) = check(TemplateKind::Reminder, Channel::Sms, &t, &s) else {
            panic!("accepted");
        };
        assert_eq!(e[0].code, "invalid_template");
        assert!(e[0].detail.starts_with("line 3"), "{}", e[0].detail);
    }

    #[test]
    fn a_render_cannot_loop_for_ever() {
        let t = "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}";
        assert!(render("body", t, &json!({})).is_err());
    }
}
