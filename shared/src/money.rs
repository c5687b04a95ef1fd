//! Exact money and quantity arithmetic. Amounts are `i64` in the currency's
//! minor unit (paise for INR); rates are basis points (1800 = 18 %);
//! quantities are thousandths ([`Quantity`]). No floating point anywhere:
//! every product is taken in `i128` and rounded once, half-up.

use crate::error::FieldError;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Basis points in 100 %.
pub const BP_PER_UNIT: i64 = 10_000;

/// `numerator / denominator` rounded half-up (away from zero at exactly
/// .5), for non-negative numerators; negative numerators round half away
/// from zero too. The denominator must be positive.
pub fn div_round_half_up(numerator: i128, denominator: i128) -> i64 {
    debug_assert!(denominator > 0);
    let q = (numerator.abs() * 2 + denominator) / (denominator * 2);
    (q * numerator.signum()) as i64
}

/// `amount × rate_bp / 10 000`, rounded half-up to the minor unit.
pub fn apply_rate(amount: i64, rate_bp: i64) -> i64 {
    div_round_half_up(amount as i128 * rate_bp as i128, BP_PER_UNIT as i128)
}

/// A quantity with up to three decimals, stored as thousandths
/// (`2.5` is `Quantity(2500)`). In JSON it is read from a number (`2.5`) or
/// a decimal string (`"2.500"`) and written as a decimal string without
/// trailing zeros (`"2.5"`), so that no client ever rounds it through a float.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Quantity(pub i64);

impl Quantity {
    /// Thousandths in one unit.
    pub const SCALE: i64 = 1000;

    /// Parses a decimal such as `2`, `2.5`, `-1`, `0.125` (at most three
    /// decimals, at most 1 000 000 000 units). The sign is kept: callers
    /// decide whether negatives are allowed.
    pub fn parse(field: &str, raw: &str) -> Result<Quantity, FieldError> {
        let bad = |why: &str| FieldError::new(field, "invalid_quantity", why.to_string());
        let t = raw.trim();
        let (neg, t) = match t.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, t),
        };
        let (int, frac) = t.split_once('.').unwrap_or((t, ""));
        if int.is_empty() && frac.is_empty()
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(bad("a decimal number such as 2 or 2.5"));
        }
        if frac.len() > 3 {
            return Err(bad("at most three decimals"));
        }
        if int.len() > 10 {
            return Err(bad("at most 1,000,000,000"));
        }
        let whole: i64 = if int.is_empty() {
            0
        } else {
            int.parse().map_err(|_| bad("a decimal number"))?
        };
        let mut milli: i64 = format!("{frac:0<3}").parse().unwrap_or(0);
        milli += whole * Self::SCALE;
        if milli > 1_000_000_000 * Self::SCALE {
            return Err(bad("at most 1,000,000,000"));
        }
        Ok(Quantity(if neg { -milli } else { milli }))
    }

    /// The thousandths.
    pub fn milli(self) -> i64 {
        self.0
    }

    /// `quantity × unit price`, rounded half-up to the minor unit.
    pub fn times(self, unit_price: i64) -> i64 {
        div_round_half_up(self.0 as i128 * unit_price as i128, Self::SCALE as i128)
    }
}

impl std::fmt::Display for Quantity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        let whole = a / 1000;
        let frac = a % 1000;
        if frac == 0 {
            write!(f, "{sign}{whole}")
        } else {
            let s = format!("{frac:03}");
            write!(f, "{sign}{whole}.{}", s.trim_end_matches('0'))
        }
    }
}

impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

/// How a deserialiser's message starts when the value has the right JSON
/// type but breaks a rule of its type (a quantity with four decimals): the
/// HTTP layer answers it with a 422 naming the field, not a 400.
pub const INVALID_VALUE: &str = "invalid value: ";

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Int(i64),
            Float(f64),
            Text(String),
        }
        let text = match Raw::deserialize(d)? {
            Raw::Int(i) => i.to_string(),
            // Rust prints the shortest decimal that reads back as the same
            // float, which is the decimal the client wrote for any quantity
            // with three decimals.
            Raw::Float(f) if f.is_finite() => format!("{f}"),
            Raw::Float(_) => "x".into(),
            Raw::Text(t) => t,
        };
        Quantity::parse("quantity", &text)
            .map_err(|e| serde::de::Error::custom(format!("{INVALID_VALUE}{}", e.detail)))
    }
}

impl utoipa::PartialSchema for Quantity {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        // The pattern is `Quantity::parse`'s: a sign, up to 10 digits, up
        // to 3 decimals; the bound of 10^9 units is in the description. A
        // JSON number is accepted too but not documented: answers always
        // carry the string, and clients type the field from this schema.
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some(
                "^\\s*-?(?:[0-9]{1,10}(?:\\.[0-9]{0,3})?|\\.[0-9]{1,3})\\s*$",
            ))
            .description(Some(
                "decimal string with at most 3 decimals, at most 10^9 units (a JSON number is accepted too); written as a string",
            ))
            .examples(["2.5"])
            .into()
    }
}

impl utoipa::ToSchema for Quantity {}

/// A currency the platform keeps books in (ISO 4217 code and the number of
/// digits of its minor unit).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Currency {
    /// ISO 4217 alphabetic code.
    pub code: &'static str,
    /// Digits of the minor unit (2 for INR: 100 paise to the rupee).
    pub exponent: u32,
    /// Symbol or code printed before amounts on documents (ASCII).
    pub label: &'static str,
}

/// Currencies accepted in business settings (ISO 4217 minor units).
pub const CURRENCIES: &[Currency] = &[
    Currency {
        code: "INR",
        exponent: 2,
        label: "Rs.",
    },
    Currency {
        code: "USD",
        exponent: 2,
        label: "USD",
    },
    Currency {
        code: "EUR",
        exponent: 2,
        label: "EUR",
    },
    Currency {
        code: "GBP",
        exponent: 2,
        label: "GBP",
    },
    Currency {
        code: "AED",
        exponent: 2,
        label: "AED",
    },
    Currency {
        code: "SAR",
        exponent: 2,
        label: "SAR",
    },
    Currency {
        code: "SGD",
        exponent: 2,
        label: "SGD",
    },
    Currency {
        code: "NPR",
        exponent: 2,
        label: "NPR",
    },
    Currency {
        code: "BDT",
        exponent: 2,
        label: "BDT",
    },
    Currency {
        code: "LKR",
        exponent: 2,
        label: "LKR",
    },
    Currency {
        code: "JPY",
        exponent: 0,
        label: "JPY",
    },
    Currency {
        code: "KWD",
        exponent: 3,
        label: "KWD",
    },
    Currency {
        code: "BHD",
        exponent: 3,
        label: "BHD",
    },
    Currency {
        code: "OMR",
        exponent: 3,
        label: "OMR",
    },
];

/// The currency of an ISO 4217 code (upper case), if supported.
pub fn currency(code: &str) -> Option<Currency> {
    CURRENCIES.iter().copied().find(|c| c.code == code)
}

/// Formats an amount in minor units for people: `123456789` paise of INR
/// is `12,34,567.89` (Indian grouping: lakh and crore); other currencies
/// group by thousands. Negative amounts get a leading `-`.
pub fn format_amount(minor: i64, cur: Currency) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let a = minor.unsigned_abs();
    let unit = 10u64.pow(cur.exponent);
    let whole = (a / unit).to_string();
    let grouped = if cur.code == "INR" {
        group_indian(&whole)
    } else {
        group_thousands(&whole)
    };
    if cur.exponent == 0 {
        format!("{sign}{grouped}")
    } else {
        format!(
            "{sign}{grouped}.{:0width$}",
            a % unit,
            width = cur.exponent as usize
        )
    }
}

/// A plain decimal of an amount (`104000` paise → `1040.00`), as in a UPI
/// link's `am` parameter.
pub fn decimal_amount(minor: i64, cur: Currency) -> String {
    let unit = 10i64.pow(cur.exponent);
    if cur.exponent == 0 {
        minor.to_string()
    } else {
        let sign = if minor < 0 { "-" } else { "" };
        let a = minor.unsigned_abs();
        format!(
            "{sign}{}.{:0width$}",
            a / unit as u64,
            a % unit as u64,
            width = cur.exponent as usize
        )
    }
}

fn group_thousands(digits: &str) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn group_indian(digits: &str) -> String {
    if digits.len() <= 3 {
        return digits.to_string();
    }
    let (head, last3) = digits.split_at(digits.len() - 3);
    let mut out = String::new();
    for (i, c) in head.chars().enumerate() {
        if i > 0 && (head.len() - i).is_multiple_of(2) {
            out.push(',');
        }
        out.push(c);
    }
    format!("{out},{last3}")
}

const ONES: [&str; 20] = [
    "",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Eleven",
    "Twelve",
    "Thirteen",
    "Fourteen",
    "Fifteen",
    "Sixteen",
    "Seventeen",
    "Eighteen",
    "Nineteen",
];
const TENS: [&str; 10] = [
    "", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety",
];

fn below_hundred(n: u64) -> String {
    if n < 20 {
        ONES[n as usize].to_string()
    } else if n.is_multiple_of(10) {
        TENS[(n / 10) as usize].to_string()
    } else {
        format!("{} {}", TENS[(n / 10) as usize], ONES[(n % 10) as usize])
    }
}

fn below_thousand(n: u64) -> String {
    match (n / 100, n % 100) {
        (0, r) => below_hundred(r),
        (h, 0) => format!("{} Hundred", ONES[h as usize]),
        (h, r) => format!("{} Hundred {}", ONES[h as usize], below_hundred(r)),
    }
}

/// A whole number in words the Indian way: crore, lakh, thousand, the
/// crore count itself spelled the same way (1,234 crore 50 lakh is "One
/// Thousand Two Hundred Thirty Four Crore Fifty Lakh", 10^12 is "One Lakh
/// Crore"), so that every `u64` has its words.
fn indian_words(n: u64) -> String {
    let mut parts = vec![];
    let crore = n / 10_000_000;
    let mut n = n % 10_000_000;
    if crore > 0 {
        parts.push(format!("{} Crore", indian_words(crore)));
    }
    for (unit, name) in [(100_000, "Lakh"), (1000, "Thousand")] {
        let k = n / unit;
        n %= unit;
        if k > 0 {
            parts.push(format!("{} {name}", below_hundred(k)));
        }
    }
    if n > 0 {
        parts.push(below_thousand(n));
    }
    parts.join(" ")
}

/// An amount in words the Indian way, as printed on invoices:
/// `104050` paise → `Rupees One Thousand Forty and Fifty Paise Only`
/// (crore, lakh, thousand; any amount). For INR only; `None` for other
/// currencies and for negative amounts.
pub fn amount_in_words_inr(paise: i64) -> Option<String> {
    if paise < 0 {
        return None;
    }
    let rupees = (paise / 100) as u64;
    let p = (paise % 100) as u64;
    let words = if rupees == 0 {
        "Zero".to_string()
    } else {
        indian_words(rupees)
    };
    Some(if p > 0 {
        format!("Rupees {words} and {} Paise Only", below_hundred(p))
    } else {
        format!("Rupees {words} Only")
    })
}

/// Rupees for people from paise: `8475000` is `84,750.00`.
pub fn format_rupees(paise: i64) -> String {
    format_amount(paise, currency("INR").expect("INR is supported"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_half_up_and_exact() {
        assert_eq!(div_round_half_up(5, 10), 1);
        assert_eq!(div_round_half_up(4, 10), 0);
        assert_eq!(div_round_half_up(15, 10), 2);
        assert_eq!(div_round_half_up(-15, 10), -2);
        assert_eq!(apply_rate(67_500, 900), 6075);
        // 18 % of ₹0.25 is 4.5 paise → 5
        assert_eq!(apply_rate(25, 1800), 5);
        assert_eq!(Quantity(2500).times(12_345), 30_863); // 30 862.5 → 30 863
    }

    #[test]
    fn quantities_parse_and_print_as_decimals() {
        for (raw, milli, shown) in [
            ("2", 2000, "2"),
            ("2.5", 2500, "2.5"),
            ("0.125", 125, "0.125"),
            (".5", 500, "0.5"),
            ("-1.250", -1250, "-1.25"),
        ] {
            let q = Quantity::parse("q", raw).unwrap();
            assert_eq!(q.milli(), milli, "{raw}");
            assert_eq!(q.to_string(), shown);
        }
        for bad in ["", "1.2345", "abc", "1e3", "1.2.3", "99999999999"] {
            assert!(Quantity::parse("q", bad).is_err(), "{bad}");
        }
        let q: Quantity = serde_json::from_str("2.675").unwrap();
        assert_eq!(
            q.milli(),
            2675,
            "a JSON float is read as the decimal written"
        );
        let q: Quantity = serde_json::from_str("\"0.001\"").unwrap();
        assert_eq!(q.milli(), 1);
        assert!(serde_json::from_str::<Quantity>("0.0001").is_err());
        assert_eq!(serde_json::to_string(&Quantity(1500)).unwrap(), "\"1.5\"");
    }

    #[test]
    fn amounts_format_for_people() {
        let inr = currency("INR").unwrap();
        assert_eq!(format_amount(123_456_789, inr), "12,34,567.89");
        assert_eq!(format_amount(-5, inr), "-0.05");
        assert_eq!(format_amount(100_000, inr), "1,000.00");
        assert_eq!(
            format_amount(123_456_789, currency("USD").unwrap()),
            "1,234,567.89"
        );
        assert_eq!(format_amount(1234, currency("JPY").unwrap()), "1,234");
        assert_eq!(decimal_amount(104_000, inr), "1040.00");
        assert_eq!(
            amount_in_words_inr(104_050).unwrap(),
            "Rupees One Thousand Forty and Fifty Paise Only"
        );
        assert_eq!(
            amount_in_words_inr(1_234_567_800).unwrap(),
            "Rupees One Crore Twenty Three Lakh Forty Five Thousand Six Hundred Seventy Eight Only"
        );
        assert_eq!(amount_in_words_inr(0).unwrap(), "Rupees Zero Only");
        assert_eq!(
            amount_in_words_inr(1_234_500_000_000).unwrap(),
            "Rupees One Thousand Two Hundred Thirty Four Crore Fifty Lakh Only"
        );
    }

    /// Found by `shared/tests/parsers.rs`: from 2 × 10^15 paise up, the
    /// crore count's thousands had more than three digits and indexed past
    /// the table of words (a panic).
    #[test]
    fn the_largest_amounts_have_words_too() {
        assert_eq!(
            amount_in_words_inr(2_000_000_000_000_000).unwrap(),
            "Rupees Twenty Lakh Crore Only"
        );
        assert_eq!(
            amount_in_words_inr(100_000_000_000_000).unwrap(),
            "Rupees One Lakh Crore Only"
        );
        assert_eq!(
            amount_in_words_inr(i64::MAX).unwrap(),
            "Rupees Nine Hundred Twenty Two Crore Thirty Three Lakh Seventy Two Thousand \
             Thirty Six Crore Eighty Five Lakh Forty Seven Thousand Seven Hundred Fifty Eight \
             and Seven Paise Only"
        );
    }
}
