//! The credit rating of a company, computed on read from its summary and
//! the date (`docs/registry.md` gives the formula).

use crate::companies::Summary;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One reason behind a credit rating.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct RatingReason {
    /// Points added (positive) or taken (negative).
    pub points: i64,
    /// Why, in words.
    pub reason: String,
}

/// A credit rating: a score of 0–100 and its grade (see [`rating`]).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Rating {
    /// 0 (worst) to 100 (no defaults).
    pub score: i64,
    /// `A` (80–100), `B` (60–79), `C` (40–59), `D` (20–39), `E` (0–19).
    pub grade: String,
    /// Every term of the score.
    pub reasons: Vec<RatingReason>,
}

/// The credit rating of a company on `today`: 100 points, less
/// - amount due: 10 (any), 20 (≥ ₹10,000), 30 (≥ ₹1,00,000), 35 (≥ ₹10,00,000);
/// - age of the oldest unpaid due date: 5 (any), 10 (≥ 30 days), 20 (≥ 90),
///   25 (≥ 180);
/// - 10 for each further reporting creditor, at most 30;
///
/// plus 5 for each dispute upheld (at most 10) and 3 for each invoice paid
/// after listing (at most 15); clamped to 0–100.
pub fn rating(s: &Summary, today: Date) -> Rating {
    let mut reasons = vec![];
    let rupees = s.due_paise / 100;
    let amount = match rupees {
        r if r >= 1_000_000 => 35,
        r if r >= 100_000 => 30,
        r if r >= 10_000 => 20,
        _ if s.due_paise > 0 => 10,
        _ => 0,
    };
    if amount > 0 {
        reasons.push(RatingReason {
            points: -amount,
            reason: format!(
                "₹{} is due to members on approved reports",
                crate::money::format_rupees(s.due_paise)
            ),
        });
    }
    if let Some(since) = s.overdue_since.filter(|_| s.due_paise > 0) {
        let days = since
            .until(today)
            .map(|d| i64::from(d.get_days()))
            .unwrap_or(0)
            .max(0);
        let age = match days {
            d if d >= 180 => 25,
            d if d >= 90 => 20,
            d if d >= 30 => 10,
            _ => 5,
        };
        reasons.push(RatingReason {
            points: -age,
            reason: format!("the oldest unpaid invoice was due on {since} ({days} days ago)"),
        });
    }
    if s.reporters > 1 {
        let p = ((s.reporters - 1) * 10).min(30);
        reasons.push(RatingReason {
            points: -p,
            reason: format!("{} creditors report unpaid invoices", s.reporters),
        });
    }
    if s.disputes_upheld > 0 {
        reasons.push(RatingReason {
            points: (s.disputes_upheld * 5).min(10),
            reason: format!(
                "{} report(s) removed after the company disputed them",
                s.disputes_upheld
            ),
        });
    }
    if s.paid_after_listing > 0 {
        reasons.push(RatingReason {
            points: (s.paid_after_listing * 3).min(15),
            reason: format!(
                "{} listed invoice(s) paid after listing",
                s.paid_after_listing
            ),
        });
    }
    if reasons.is_empty() {
        reasons.push(RatingReason {
            points: 0,
            reason: "no approved defaults".into(),
        });
    }
    let score = (100 + reasons.iter().map(|r| r.points).sum::<i64>()).clamp(0, 100);
    let grade = match score {
        80.. => "A",
        60..=79 => "B",
        40..=59 => "C",
        20..=39 => "D",
        _ => "E",
    };
    Rating {
        score,
        grade: grade.into(),
        reasons,
    }
}
