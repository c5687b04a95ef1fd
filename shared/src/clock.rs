//! The clock port. Production uses the system clock; tests move a
//! [`ManualClock`] to test expiry without waiting.

use jiff::Timestamp;
use std::sync::Mutex;

/// Tells the time (UTC).
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> Timestamp;
}

/// The system clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that only moves when told to (tests, and `hisaab jobs run
/// --date`).
pub struct ManualClock(Mutex<Timestamp>);

impl ManualClock {
    /// Starts at the current system time.
    pub fn new() -> Self {
        Self::at(Timestamp::now())
    }

    /// Starts at `t`.
    pub fn at(t: Timestamp) -> Self {
        ManualClock(Mutex::new(t))
    }

    /// Sets the clock to `t` (another clock's time, say).
    pub fn set(&self, t: Timestamp) {
        *self.0.lock().expect("clock lock") = t;
    }

    /// Moves the clock forward by `secs` seconds.
    pub fn advance(&self, secs: i64) {
        let mut t = self.0.lock().expect("clock lock");
        *t = t
            .checked_add(jiff::SignedDuration::from_secs(secs))
            .expect("clock overflow");
    }
}

impl Default for ManualClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().expect("clock lock")
    }
}
