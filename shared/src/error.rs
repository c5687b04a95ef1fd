//! The domain's error type. The HTTP layer turns each variant into an
//! RFC 9457 problem document with the status named here.

/// One invalid field of a request.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct FieldError {
    /// The field, as a JSON path into the request (`phone`, `contacts[0].email`),
    /// or a query parameter name.
    pub field: String,
    /// A stable machine-readable code (`required`, `invalid_phone`, `invalid_gstin`, …).
    pub code: String,
    /// What is wrong, for people.
    pub detail: String,
}

impl FieldError {
    /// Builds a field error.
    pub fn new(field: impl Into<String>, code: &str, detail: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            code: code.into(),
            detail: detail.into(),
        }
    }
}

/// Everything a domain operation can refuse or fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// 422: the request is well-formed but fields are invalid.
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    /// 400: the request cannot be read (a bad cursor, a malformed header, …).
    #[error("{detail}")]
    BadRequest {
        /// Stable problem type slug.
        kind: &'static str,
        /// What is wrong.
        detail: String,
        /// Fields involved, if any.
        errors: Vec<FieldError>,
    },
    /// 401: no valid credentials (missing/expired token, wrong OTP, …).
    #[error("{detail}")]
    Unauthorized {
        /// Stable problem type slug.
        kind: &'static str,
        /// What is wrong.
        detail: String,
    },
    /// 403: authenticated but not allowed (role, disabled account).
    #[error("{0}")]
    Forbidden(String),
    /// 404: nothing there, or nothing this caller may see.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// 409: a uniqueness or version conflict.
    #[error("{detail}")]
    Conflict {
        /// What conflicts.
        detail: String,
        /// Fields involved, if any.
        errors: Vec<FieldError>,
    },
    /// 429: too many attempts; retry after the given number of seconds.
    #[error("{detail}")]
    RateLimited {
        /// Seconds until a retry can succeed (the `Retry-After` header).
        retry_after_secs: u64,
        /// What was limited.
        detail: String,
    },
    /// 503: a service the request depends on failed or is throttling
    /// (the SMS gateway, the mail service, the table); the same request
    /// may be sent again after the given number of seconds. Nothing the
    /// request asked for was done, except when the table timed out on a
    /// write, which may have been applied (the detail says so): a create
    /// sent again with the same `Idempotency-Key` then gets its first
    /// answer.
    #[error("{detail}")]
    Unavailable {
        /// Seconds to wait before retrying (the `Retry-After` header).
        retry_after_secs: u64,
        /// What failed, for the client.
        detail: String,
    },
    /// 500: a failure of ours; logged, never shown.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// Result of a domain operation.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A 422 naming one field.
    pub fn field(field: &str, code: &str, detail: impl Into<String>) -> Self {
        Error::Validation(vec![FieldError::new(field, code, detail)])
    }

    /// A 409 without fields: the request conflicts with the record's state.
    pub fn conflict(detail: impl Into<String>) -> Self {
        Error::Conflict {
            detail: detail.into(),
            errors: vec![],
        }
    }

    /// A 409 for a record changed by someone else since it was read.
    pub fn stale() -> Self {
        Error::Conflict {
            detail: "the record was changed by another request; read it again and retry".into(),
            errors: vec![],
        }
    }

    /// A 401 with a problem type slug.
    pub fn unauthorized(kind: &'static str, detail: impl Into<String>) -> Self {
        Error::Unauthorized {
            kind,
            detail: detail.into(),
        }
    }
}

/// One bad field is a 422 naming it, so parsers can be used with `?`.
impl From<FieldError> for Error {
    fn from(e: FieldError) -> Self {
        Error::Validation(vec![e])
    }
}

/// Collects field errors while a request is validated, so that a client
/// hears about every bad field at once.
#[derive(Default, Debug)]
pub struct Errors(pub Vec<FieldError>);

impl Errors {
    /// Records the error of `r`, if any, and returns its value.
    pub fn check<T>(&mut self, r: std::result::Result<T, FieldError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e);
                None
            }
        }
    }

    /// Adds one error.
    pub fn push(&mut self, field: &str, code: &str, detail: impl Into<String>) {
        self.0.push(FieldError::new(field, code, detail));
    }

    /// `Ok` when nothing was recorded, else a 422 with every error.
    pub fn finish(self) -> Result<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation(self.0))
        }
    }
}
