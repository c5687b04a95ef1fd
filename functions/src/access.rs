//! What a route may touch: the ports its Lambda builds and the IAM role
//! it runs as. Routes with the same access share one role (an *access
//! class*), named by [`Access::class`].

/// A Lambda whose access is known when its entry point is compiled: a
/// route ([`crate::routes::Endpoint`]) or a scheduled job
/// ([`crate::jobs::Job`]).
pub trait Needs {
    /// What it may touch (a constant, so that the clients it does not name
    /// are never built, nor linked).
    const ACCESS: Access;
}

/// Access to the single table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TableAccess {
    /// No table (the route needs no signing key either).
    None,
    /// `GetItem` and `Query`.
    Read,
    /// Reads and every write: `PutItem`, `UpdateItem`, `DeleteItem`,
    /// `TransactWriteItems` (with its `ConditionCheck`s).
    Write,
}

/// The AWS access of a route. Built with the `const` methods below, as the
/// route table does: `Access::NONE.write().sms()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Access {
    /// The table (and, with any table access, the signing key in SSM).
    pub table: TableAccess,
    /// SNS `Publish` to phone numbers.
    pub sms: bool,
    /// SES `SendEmail`.
    pub mail: bool,
    /// S3 `GetObject` on the documents bucket (presigned GETs, `HeadObject`).
    pub files_read: bool,
    /// S3 `PutObject` on the documents bucket (stores, presigned PUTs).
    pub files_write: bool,
    /// DynamoDB `Scan` of the whole table (platform exports only).
    pub scan: bool,
}

impl Access {
    /// Nothing at all.
    pub const NONE: Access = Access {
        table: TableAccess::None,
        sms: false,
        mail: false,
        files_read: false,
        files_write: false,
        scan: false,
    };

    /// Adds scanning the whole table (and reading it).
    pub const fn scan(mut self) -> Access {
        self.scan = true;
        self.read()
    }

    /// Adds reading the table.
    pub const fn read(mut self) -> Access {
        if matches!(self.table, TableAccess::None) {
            self.table = TableAccess::Read;
        }
        self
    }

    /// Adds reading and writing the table.
    pub const fn write(mut self) -> Access {
        self.table = TableAccess::Write;
        self
    }

    /// Adds sending SMS.
    pub const fn sms(mut self) -> Access {
        self.sms = true;
        self
    }

    /// Adds sending mail.
    pub const fn mail(mut self) -> Access {
        self.mail = true;
        self
    }

    /// Adds reading documents.
    pub const fn files_read(mut self) -> Access {
        self.files_read = true;
        self
    }

    /// Adds storing documents.
    pub const fn files_write(mut self) -> Access {
        self.files_write = true;
        self
    }

    /// Whether the route uses the table (and so the signing key).
    pub const fn uses_table(&self) -> bool {
        !matches!(self.table, TableAccess::None)
    }

    /// Whether the route uses any AWS service.
    pub const fn uses_aws(&self) -> bool {
        self.uses_table() || self.sms || self.mail || self.uses_files()
    }

    /// Whether the route uses the documents bucket.
    pub const fn uses_files(&self) -> bool {
        self.files_read || self.files_write
    }

    /// The name of the access class, its parts joined by `-`: `none`,
    /// `read`, `write-sms-mail`, `read-files_read-files_write`, …
    pub fn class(&self) -> String {
        let mut parts = vec![match self.table {
            TableAccess::None => "none",
            TableAccess::Read => "read",
            TableAccess::Write => "write",
        }];
        for (on, name) in [
            (self.sms, "sms"),
            (self.mail, "mail"),
            (self.files_read, "files_read"),
            (self.files_write, "files_write"),
            (self.scan, "scan"),
        ] {
            if on {
                parts.push(name);
            }
        }
        if parts.len() > 1 && parts[0] == "none" {
            parts.remove(0);
        }
        parts.join("-")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_names_list_what_is_granted() {
        assert_eq!(Access::NONE.class(), "none");
        assert_eq!(Access::NONE.read().class(), "read");
        assert_eq!(Access::NONE.write().read().class(), "write");
        assert_eq!(Access::NONE.write().sms().mail().class(), "write-sms-mail");
        assert_eq!(
            Access::NONE.read().files_read().files_write().class(),
            "read-files_read-files_write"
        );
    }
}
