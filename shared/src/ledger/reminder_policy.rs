//! The reminder policy of a business (part of its settings), the
//! schedule it gives an invoice, and the reminder state an invoice keeps.
//! The engine that sends is [`crate::reminders`].
//!
//! ## Stages
//! A stage is a day relative to the invoice's due date: `-3` is three days
//! before, `0` the due date, `7` a week after. The policy's `stages` are
//! followed by repeats every `repeat_every_days` after the last stage, up
//! to `repeat_until_days` after the due date. The defaults give
//! `-3, 0, 3, 7, 15, 30, 45, 60, 75, 90`.
//!
//! ## When a stage is due
//! At the end of the quiet hours (default 09:00) of the stage's day in the
//! business's time zone; when there are no quiet hours (`quiet_start =
//! quiet_end`), at midnight. A stage that falls due inside quiet hours
//! (after a policy change, or a run that came late) waits for their end.
//! When several stages have passed unsent (an invoice issued after its due
//! date, a pause for a dispute), only the latest is sent.

use crate::error::Errors;
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Most stages in a policy.
pub const MAX_STAGES: usize = 10;
/// Earliest stage: 60 days before the due date.
pub const MIN_OFFSET: i64 = -60;
/// Latest stage or repeat: a year after the due date.
pub const MAX_OFFSET: i64 = 365;

/// Which channels a reminder goes by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channels {
    /// Text message to the customer's phone.
    #[default]
    Sms,
    /// Mail to the customer's address.
    Mail,
    /// Both.
    Both,
}

impl Channels {
    /// The channels, each once.
    pub fn list(self) -> &'static [Channel] {
        match self {
            Channels::Sms => &[Channel::Sms],
            Channels::Mail => &[Channel::Mail],
            Channels::Both => &[Channel::Sms, Channel::Mail],
        }
    }
}

/// One channel.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// SMS (SNS `Publish`).
    Sms,
    /// Mail (SES `SendEmail`).
    Mail,
}

impl Channel {
    /// `sms` or `mail`.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Mail => "mail",
        }
    }
}

/// The language of the default templates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// English.
    #[default]
    En,
    /// Hindi (Devanagari).
    Hi,
}

/// When and how a business's customers are reminded of unpaid invoices.
/// Invoices that are drafts, cancelled, paid or disputed never get one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReminderPolicy {
    /// Reminders are sent (default `false`: a business turns them on).
    #[serde(default)]
    pub enabled: bool,
    /// Days relative to the due date, ascending, each from −60 to 365
    /// (default `[-3, 0, 3, 7, 15]`), at most 10.
    #[serde(default = "default_stages")]
    pub stages: Vec<i64>,
    /// Days between repeats after the last stage (default 15; 0: none).
    #[serde(default = "fifteen")]
    pub repeat_every_days: i64,
    /// Last day after the due date a repeat may fall on (default 90).
    #[serde(default = "ninety")]
    pub repeat_until_days: i64,
    /// SMS, mail or both (default SMS).
    #[serde(default)]
    pub channels: Channels,
    /// Start of the quiet hours, `HH:MM` in the business's time zone
    /// (default `21:00`).
    #[serde(default = "quiet_start")]
    #[schema(example = "21:00")]
    pub quiet_start: String,
    /// End of the quiet hours, `HH:MM` (default `09:00`); equal to the
    /// start for none.
    #[serde(default = "quiet_end")]
    #[schema(example = "09:00")]
    pub quiet_end: String,
    /// Language of the default templates (`en` or `hi`).
    #[serde(default)]
    pub language: Language,
    /// Also text the daily digest to the owner (it is always mailed when
    /// the owner has an address).
    #[serde(default)]
    pub digest_sms: bool,
}

fn default_stages() -> Vec<i64> {
    vec![-3, 0, 3, 7, 15]
}
fn fifteen() -> i64 {
    15
}
fn ninety() -> i64 {
    90
}
fn quiet_start() -> String {
    "21:00".into()
}
fn quiet_end() -> String {
    "09:00".into()
}

impl Default for ReminderPolicy {
    fn default() -> Self {
        ReminderPolicy {
            enabled: false,
            stages: default_stages(),
            repeat_every_days: fifteen(),
            repeat_until_days: ninety(),
            channels: Channels::default(),
            quiet_start: quiet_start(),
            quiet_end: quiet_end(),
            language: Language::default(),
            digest_sms: false,
        }
    }
}

/// Parses `HH:MM` (24-hour).
fn hhmm(s: &str) -> Option<Time> {
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    Time::new(h.parse().ok()?, m.parse().ok()?, 0, 0).ok()
}

impl ReminderPolicy {
    /// Checks every field, naming each bad one under `reminders.`.
    pub fn check(&self, errs: &mut Errors) {
        let s = &self.stages;
        if s.is_empty() || s.len() > MAX_STAGES {
            errs.push("reminders.stages", "count", "1 to 10 stages");
        } else if s.iter().any(|d| !(MIN_OFFSET..=MAX_OFFSET).contains(d)) {
            errs.push(
                "reminders.stages",
                "out_of_range",
                "days from -60 (before the due date) to 365 (after it)",
            );
        } else if s.windows(2).any(|w| w[0] >= w[1]) {
            errs.push(
                "reminders.stages",
                "not_ascending",
                "stages in ascending order, each once",
            );
        }
        if !(0..=90).contains(&self.repeat_every_days) {
            errs.push(
                "reminders.repeat_every_days",
                "out_of_range",
                "0 to 90 days",
            );
        }
        if !(0..=MAX_OFFSET).contains(&self.repeat_until_days) {
            errs.push(
                "reminders.repeat_until_days",
                "out_of_range",
                "0 to 365 days",
            );
        }
        for (field, v) in [
            ("reminders.quiet_start", &self.quiet_start),
            ("reminders.quiet_end", &self.quiet_end),
        ] {
            if hhmm(v).is_none() {
                errs.push(field, "invalid_time", "a 24-hour time HH:MM, such as 21:00");
            }
        }
    }

    /// Every stage offset, stages then repeats, ascending.
    pub fn offsets(&self) -> Vec<i64> {
        let mut out = self.stages.clone();
        if let Some(&last) = self.stages.last()
            && self.repeat_every_days > 0
        {
            let mut d = last + self.repeat_every_days;
            while d <= self.repeat_until_days {
                out.push(d);
                d += self.repeat_every_days;
            }
        }
        out
    }

    fn quiet(&self) -> (Time, Time) {
        (
            hhmm(&self.quiet_start).unwrap_or(Time::constant(21, 0, 0, 0)),
            hhmm(&self.quiet_end).unwrap_or(Time::constant(9, 0, 0, 0)),
        )
    }

    /// When the stage `offset` of an invoice due on `due` falls due.
    pub fn stage_time(&self, due: Date, offset: i64, tz: &TimeZone) -> Option<Timestamp> {
        let (start, end) = self.quiet();
        let at = if start == end { Time::midnight() } else { end };
        let day = due.checked_add(offset.days()).ok()?;
        day.to_datetime(at)
            .to_zoned_datetime(tz.clone())
            .ok()
            .map(|z| z.timestamp())
    }

    /// Whether `now` is inside the quiet hours; if so, when they end.
    pub fn quiet_until(&self, now: Timestamp, tz: &TimeZone) -> Option<Timestamp> {
        let (start, end) = self.quiet();
        if start == end {
            return None;
        }
        let local = now.to_zoned_datetime(tz.clone());
        let t = local.time();
        let inside = if start < end {
            t >= start && t < end
        } else {
            t >= start || t < end
        };
        if !inside {
            return None;
        }
        let day = if t >= end {
            local.date().tomorrow().ok()?
        } else {
            local.date()
        };
        day.to_datetime(end)
            .to_zoned_datetime(tz.clone())
            .ok()
            .map(|z| z.timestamp())
    }

    /// The first stage after `after` (every stage when `None`) and when it
    /// falls due, for an invoice due on `due`.
    pub fn next_stage(
        &self,
        due: Date,
        after: Option<i64>,
        tz: &TimeZone,
    ) -> Option<(i64, Timestamp)> {
        self.offsets()
            .into_iter()
            .filter(|o| after.is_none_or(|a| *o > a))
            .find_map(|o| Some((o, self.stage_time(due, o, tz)?)))
    }

    /// The latest stage after `after` that is due at `now`, if any.
    pub fn due_stage(
        &self,
        due: Date,
        after: Option<i64>,
        now: Timestamp,
        tz: &TimeZone,
    ) -> Option<i64> {
        self.offsets()
            .into_iter()
            .filter(|o| after.is_none_or(|a| *o > a))
            .take_while(|o| self.stage_time(due, *o, tz).is_some_and(|t| t <= now))
            .last()
    }
}

/// The reminder state of an invoice.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReminderState {
    /// When its next stage falls due (UTC); `null` when none is left.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub next_at: Option<Timestamp>,
    /// The last stage handled, in days relative to the due date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_stage: Option<i64>,
    /// What became of it: `sent`, `reminders_off`, `opted_out`,
    /// `no_contact` or `before_issue`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_result: Option<String>,
    /// Reminders sent so far.
    #[serde(default)]
    pub sent: i64,
}

impl ReminderState {
    /// The state of an invoice due on `due` issued at `now`: stages
    /// already past are not sent (the invoice itself is the news), the
    /// next one is scheduled.
    pub fn at_issue(
        policy: &ReminderPolicy,
        due: Date,
        tz: &TimeZone,
        now: Timestamp,
    ) -> ReminderState {
        let last = policy.due_stage(due, None, now, tz);
        ReminderState {
            next_at: policy.next_stage(due, last, tz).map(|n| n.1),
            last_stage: last,
            last_result: last.map(|_| "before_issue".into()),
            sent: 0,
        }
    }
}

/// The time zone of a business (UTC when the stored name is unknown).
pub fn time_zone(name: &str) -> TimeZone {
    TimeZone::get(name).unwrap_or(TimeZone::UTC)
}

/// A stage as people read it: `3 days before the due date`, `on the due
/// date`, `7 days after`.
pub fn stage_label(offset: i64) -> String {
    match offset {
        0 => "on the due date".into(),
        1 => "1 day after the due date".into(),
        -1 => "1 day before the due date".into(),
        d if d < 0 => format!("{} days before the due date", -d),
        d => format!("{d} days after the due date"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_offsets_repeat_every_fifteen_days_to_ninety() {
        let p = ReminderPolicy::default();
        assert_eq!(p.offsets(), vec![-3, 0, 3, 7, 15, 30, 45, 60, 75, 90]);
    }

    #[test]
    fn stages_fall_at_the_end_of_the_quiet_hours_in_the_business_zone() {
        let p = ReminderPolicy::default();
        let tz = time_zone("Asia/Kolkata");
        let due = Date::constant(2026, 12, 10);
        let t = p.stage_time(due, -3, &tz).unwrap();
        // 09:00 IST on 7 December is 03:30 UTC.
        assert_eq!(t.to_string(), "2026-12-07T03:30:00Z");
        let late = "2026-12-07T16:00:00Z".parse::<Timestamp>().unwrap(); // 21:30 IST
        assert_eq!(
            p.quiet_until(late, &tz).unwrap().to_string(),
            "2026-12-08T03:30:00Z"
        );
        let early = "2026-12-07T02:00:00Z".parse::<Timestamp>().unwrap(); // 07:30 IST
        assert_eq!(
            p.quiet_until(early, &tz).unwrap().to_string(),
            "2026-12-07T03:30:00Z"
        );
        assert_eq!(p.quiet_until(t, &tz), None);
    }

    #[test]
    fn only_the_latest_passed_stage_is_due() {
        let p = ReminderPolicy::default();
        let tz = TimeZone::UTC;
        let due = Date::constant(2026, 12, 10);
        let now = "2026-12-18T12:00:00Z".parse().unwrap();
        assert_eq!(p.due_stage(due, None, now, &tz), Some(7));
        assert_eq!(p.due_stage(due, Some(7), now, &tz), None);
        assert_eq!(p.next_stage(due, Some(7), &tz).unwrap().0, 15);
    }

    #[test]
    fn bad_policies_name_their_field() {
        let p = ReminderPolicy {
            stages: vec![3, 0],
            quiet_start: "9pm".into(),
            ..Default::default()
        };
        let mut errs = Errors::default();
        p.check(&mut errs);
        let fields: Vec<_> = errs.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["reminders.stages", "reminders.quiet_start"]);
    }
}
