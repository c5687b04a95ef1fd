//! Parsers for the identifiers and text fields users type. Each returns a
//! normalised value or a [`FieldError`] naming the field.

use crate::error::FieldError;

/// Deserialises a field that may be absent (outer `None`), `null`
/// (`Some(None)`) or a value, for partial updates (`#[serde(default,
/// deserialize_with = "present")]` on an `Option<Option<T>>`).
pub fn present<'de, D: serde::Deserializer<'de>, T: serde::Deserialize<'de>>(
    d: D,
) -> std::result::Result<Option<Option<T>>, D::Error> {
    use serde::Deserialize;
    Option::<T>::deserialize(d).map(Some)
}

/// A phone number in E.164 form (`+919876543210`): `+`, a country code and
/// the subscriber number, 8 to 15 digits in all, no leading zero (ITU-T E.164).
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Phone(String);

impl Phone {
    /// Parses a phone number as people type it. Spaces, dashes, dots and
    /// brackets are ignored. A 10-digit number (or one with the trunk prefix
    /// `0`) is taken as Indian (`+91`). Indian numbers must have 10 digits
    /// after `+91` and start with 2–9.
    pub fn parse(field: &str, raw: &str) -> Result<Phone, FieldError> {
        let bad = |why: &str| {
            FieldError::new(
                field,
                "invalid_phone",
                format!(
                    "{why}; give the number in E.164 form such as +919876543210, or 10 digits for India"
                ),
            )
        };
        let (plus, digits) = phone_digits(raw);
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad("a phone number has only digits after an optional +"));
        }
        let e164 = if plus {
            digits
        } else if digits.len() == 10 {
            format!("91{digits}")
        } else if digits.len() == 11 && digits.starts_with('0') {
            format!("91{}", &digits[1..])
        } else if digits.len() == 12 && digits.starts_with("91") {
            digits
        } else {
            return Err(bad("without a country code a number must have 10 digits"));
        };
        if e164.starts_with('0') || !(8..=15).contains(&e164.len()) {
            return Err(bad(
                "an E.164 number has 8 to 15 digits and no leading zero",
            ));
        }
        if let Some(national) = e164.strip_prefix("91")
            && (national.len() != 10 || national.starts_with(['0', '1']))
        {
            return Err(bad("an Indian number has 10 digits starting with 2 to 9"));
        }
        Ok(Phone(format!("+{e164}")))
    }

    /// The E.164 prefix of a number being typed (a search box), by the
    /// rules of [`Phone::parse`]: `+` and digits as given, else India's
    /// `+91` before the digits (a trunk `0` dropped, a leading `91` of 12
    /// digits kept). `None` unless it has at least 3 digits and nothing
    /// else but separators: then it is not a phone search.
    pub fn prefix(raw: &str) -> Option<String> {
        let (plus, digits) = phone_digits(raw);
        if digits.len() < 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(
            if plus || (digits.len() == 12 && digits.starts_with("91")) {
                format!("+{digits}")
            } else {
                format!("+91{}", digits.strip_prefix('0').unwrap_or(&digits))
            },
        )
    }

    /// The E.164 text, `+` included.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A number as typed, without the separators people put in it (spaces,
/// dashes, dots, brackets): whether it began with `+`, and the rest.
fn phone_digits(raw: &str) -> (bool, String) {
    let cleaned: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
        .collect();
    match cleaned.strip_prefix('+') {
        Some(rest) => (true, rest.to_string()),
        None => (false, cleaned),
    }
}

impl std::fmt::Display for Phone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses an email address (RFC 5322 addr-spec, via `email_address`) and
/// lower-cases it, so that one mailbox has one spelling in keys.
pub fn email(field: &str, raw: &str) -> Result<String, FieldError> {
    let t = raw.trim();
    if t.len() > 254 || !email_address::EmailAddress::is_valid(t) || !t.contains('.') {
        return Err(FieldError::new(
            field,
            "invalid_email",
            "not an email address such as name@example.com",
        ));
    }
    Ok(t.to_lowercase())
}

const GSTIN_CHARS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// The GSTIN check character of the first 14 characters: the base-36
/// weighted checksum published by GSTN (weights alternate 1 and 2; each
/// product contributes its base-36 quotient plus remainder).
pub(crate) fn gstin_check_char(first14: &[u8]) -> Option<u8> {
    let mut sum = 0u32;
    for (i, c) in first14.iter().enumerate() {
        let v = GSTIN_CHARS.iter().position(|x| x == c)? as u32;
        let p = v * if i % 2 == 0 { 1 } else { 2 };
        sum += p / 36 + p % 36;
    }
    Some(GSTIN_CHARS[((36 - sum % 36) % 36) as usize])
}

/// Parses a GSTIN (Goods and Services Tax Identification Number, 15
/// characters): a 2-digit state code, the holder's PAN, an entity number,
/// `Z`, and a check character verified with GSTN's checksum. Upper-cases.
pub fn gstin(field: &str, raw: &str) -> Result<String, FieldError> {
    let g = raw.trim().to_uppercase();
    let bad = |why: &str| FieldError::new(field, "invalid_gstin", why.to_string());
    let b = g.as_bytes();
    if b.len() != 15 || !b.iter().all(|c| GSTIN_CHARS.contains(c)) {
        return Err(bad(
            "a GSTIN has 15 letters and digits, such as 27AAPFU0939F1ZV",
        ));
    }
    let state: u32 = g[..2]
        .parse()
        .map_err(|_| bad("a GSTIN starts with a 2-digit state code"))?;
    if !(1..=38).contains(&state) && state != 97 && state != 99 {
        return Err(bad("the first two digits are not a state code"));
    }
    pan("", &g[2..12]).map_err(|_| bad("characters 3 to 12 of a GSTIN are the holder's PAN"))?;
    if b[12] == b'0' || b[13] != b'Z' {
        return Err(bad(
            "characters 13 and 14 of a GSTIN are an entity number (1-9, A-Z) and Z",
        ));
    }
    if gstin_check_char(&b[..14]) != Some(b[14]) {
        return Err(bad(
            "the check character does not match: the GSTIN has a typo",
        ));
    }
    Ok(g)
}

/// Parses a PAN (Permanent Account Number, 10 characters: 5 letters, 4
/// digits, 1 letter; the 4th letter is the holder type, one of
/// `ABCFGHJLPT`). Upper-cases.
pub fn pan(field: &str, raw: &str) -> Result<String, FieldError> {
    let p = raw.trim().to_uppercase();
    let b = p.as_bytes();
    let ok = b.len() == 10
        && b[..5].iter().all(u8::is_ascii_uppercase)
        && b[5..9].iter().all(u8::is_ascii_digit)
        && b[9].is_ascii_uppercase()
        && b"ABCFGHJLPT".contains(&b[3]);
    if ok {
        Ok(p)
    } else {
        Err(FieldError::new(
            field,
            "invalid_pan",
            "a PAN is 5 letters, 4 digits and a letter, such as AAPFU0939F",
        ))
    }
}

/// Trims a required text field and checks its length in characters.
pub fn text(field: &str, raw: &str, max: usize) -> Result<String, FieldError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(FieldError::new(field, "required", "must not be empty"));
    }
    if t.chars().count() > max {
        return Err(FieldError::new(
            field,
            "too_long",
            format!("at most {max} characters"),
        ));
    }
    if t.chars().any(|c| c.is_control() && c != '\n') {
        return Err(FieldError::new(
            field,
            "invalid_text",
            "contains control characters",
        ));
    }
    Ok(t.to_string())
}

/// Checks a new password: 8 to 128 characters.
pub fn password(field: &str, raw: &str) -> Result<String, FieldError> {
    let n = raw.chars().count();
    if !(8..=128).contains(&n) {
        return Err(FieldError::new(
            field,
            "weak_password",
            "a password has 8 to 128 characters",
        ));
    }
    Ok(raw.to_string())
}

/// Normalises a name for prefix search: lower case, letters and digits
/// only, words separated by one space.
pub fn name_key(name: &str) -> String {
    name.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// GST state and union-territory codes (the first two digits of a GSTIN),
/// as published by GSTN, with their names.
const GST_STATES: &[(&str, &str)] = &[
    ("01", "Jammu and Kashmir"),
    ("02", "Himachal Pradesh"),
    ("03", "Punjab"),
    ("04", "Chandigarh"),
    ("05", "Uttarakhand"),
    ("06", "Haryana"),
    ("07", "Delhi"),
    ("08", "Rajasthan"),
    ("09", "Uttar Pradesh"),
    ("10", "Bihar"),
    ("11", "Sikkim"),
    ("12", "Arunachal Pradesh"),
    ("13", "Nagaland"),
    ("14", "Manipur"),
    ("15", "Mizoram"),
    ("16", "Tripura"),
    ("17", "Meghalaya"),
    ("18", "Assam"),
    ("19", "West Bengal"),
    ("20", "Jharkhand"),
    ("21", "Odisha"),
    ("22", "Chhattisgarh"),
    ("23", "Madhya Pradesh"),
    ("24", "Gujarat"),
    ("25", "Daman and Diu"),
    ("26", "Dadra and Nagar Haveli and Daman and Diu"),
    ("27", "Maharashtra"),
    ("28", "Andhra Pradesh (before 2014)"),
    ("29", "Karnataka"),
    ("30", "Goa"),
    ("31", "Lakshadweep"),
    ("32", "Kerala"),
    ("33", "Tamil Nadu"),
    ("34", "Puducherry"),
    ("35", "Andaman and Nicobar Islands"),
    ("36", "Telangana"),
    ("37", "Andhra Pradesh"),
    ("38", "Ladakh"),
    ("97", "Other Territory"),
    ("99", "Centre Jurisdiction"),
];

/// Parses a GST state code (`"27"`, or `"7"` for `"07"`) and returns it
/// with two digits; a 422 naming the field for anything else.
pub fn gst_state(field: &str, raw: &str) -> Result<String, FieldError> {
    let t = raw.trim();
    let code = if t.len() == 1 {
        format!("0{t}")
    } else {
        t.to_string()
    };
    if gst_state_name(&code).is_some() {
        Ok(code)
    } else {
        Err(FieldError::new(
            field,
            "invalid_state_code",
            "a two-digit GST state code such as 27 (Maharashtra)",
        ))
    }
}

/// The name of a GST state code (`"27"` → `Maharashtra`).
pub fn gst_state_name(code: &str) -> Option<&'static str> {
    GST_STATES.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

/// Parses a UPI virtual payment address (`name@bank`, NPCI's format: 2–256
/// of letters, digits, `.`, `-`, `_`, then `@` and a 3–64 letter handle).
pub fn upi_vpa(field: &str, raw: &str) -> Result<String, FieldError> {
    let t = raw.trim().to_lowercase();
    let ok = t.split_once('@').is_some_and(|(user, handle)| {
        (2..=256).contains(&user.len())
            && user
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
            && (3..=64).contains(&handle.len())
            && handle.bytes().all(|b| b.is_ascii_alphanumeric())
            && handle.as_bytes()[0].is_ascii_alphabetic()
    });
    if ok {
        Ok(t)
    } else {
        Err(FieldError::new(
            field,
            "invalid_upi_vpa",
            "a UPI ID such as asha@okaxis",
        ))
    }
}

/// Parses an HSN (goods) or SAC (services) code: 4, 6 or 8 digits (the
/// lengths GST invoices use).
pub fn hsn_sac(field: &str, raw: &str) -> Result<String, FieldError> {
    let t: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if matches!(t.len(), 4 | 6 | 8) && t.bytes().all(|b| b.is_ascii_digit()) {
        Ok(t)
    } else {
        Err(FieldError::new(
            field,
            "invalid_hsn_sac",
            "an HSN or SAC code of 4, 6 or 8 digits",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_searches_are_told_from_name_searches() {
        assert_eq!(Phone::prefix("98220").as_deref(), Some("+9198220"));
        assert_eq!(Phone::prefix("+1 415").as_deref(), Some("+1415"));
        assert_eq!(Phone::prefix("(0982) 20").as_deref(), Some("+9198220"));
        assert_eq!(
            Phone::prefix("919822001122").as_deref(),
            Some("+919822001122")
        );
        assert_eq!(Phone::prefix("gupta"), None);
        assert_eq!(Phone::prefix("12"), None);
    }

    #[test]
    fn phones_normalise_to_e164() {
        for raw in [
            "9876543210",
            "098765 43210",
            "+91 98765-43210",
            "919876543210",
        ] {
            assert_eq!(
                Phone::parse("phone", raw).unwrap().as_str(),
                "+919876543210",
                "{raw}"
            );
        }
        assert_eq!(
            Phone::parse("p", "+14155550123").unwrap().as_str(),
            "+14155550123"
        );
        for bad in [
            "12345",
            "+91123",
            "98765x3210",
            "+0123456789",
            "1234567890",
            "",
        ] {
            let e = Phone::parse("phone", bad).unwrap_err();
            assert_eq!(
                (e.field.as_str(), e.code.as_str()),
                ("phone", "invalid_phone"),
                "{bad}"
            );
        }
    }

    #[test]
    fn gstin_checksum_is_verified() {
        assert_eq!(
            gstin("gstin", "27aapfu0939f1zv").unwrap(),
            "27AAPFU0939F1ZV"
        );
        assert_eq!(gstin("g", "29AAGCB7383J1Z4").unwrap(), "29AAGCB7383J1Z4");
        // one typo in the check character or the body
        assert!(gstin("g", "27AAPFU0939F1ZW").is_err());
        assert!(gstin("g", "27AAPFU0938F1ZV").is_err());
        assert!(gstin("g", "00AAPFU0939F1ZV").is_err());
        assert!(gstin("g", "27AAPFU0939F1Z").is_err());
    }

    #[test]
    fn pan_shape_and_holder_type() {
        assert_eq!(pan("pan", "aapfu0939f").unwrap(), "AAPFU0939F");
        assert!(pan("pan", "AAPXU0939F").is_err());
        assert!(pan("pan", "AAPFU093FF").is_err());
    }

    #[test]
    fn emails_and_names() {
        assert_eq!(
            email("e", " Asha@Example.COM ").unwrap(),
            "asha@example.com"
        );
        assert!(email("e", "asha@").is_err());
        assert!(email("e", "asha").is_err());
        assert_eq!(name_key("  Gupta   Kirana-Store "), "gupta kirana store");
        assert!(text("name", "   ", 10).is_err());
        assert!(text("name", "abcdefghijk", 10).is_err());
    }
}
