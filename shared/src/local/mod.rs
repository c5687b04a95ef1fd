//! The local adapters of `hisaab serve` and the tests (feature `local`,
//! which Lambda builds leave off): the outbox for SMS and mail, and
//! documents in the data directory. The embedded table is
//! [`crate::table::sqlite`], behind the same feature.

mod files;
mod outbox;

pub use files::{LocalFiles, UploadLink};
pub use outbox::{Outbox, OutboxMessage};
