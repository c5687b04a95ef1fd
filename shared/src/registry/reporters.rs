//! Each reporter's record of wrongly raised defaults, and disabling a
//! business that reaches the limit.

use crate::app::{Hisaab, to_item};
use crate::error::Result;
use crate::identity::BusinessStatus;
use crate::keys;
use crate::table::{Cond, Write};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The registry record of a reporting business.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct ReporterRecord {
    /// The business.
    #[serde(default)]
    #[schema(required = true)]
    pub business_id: String,
    /// Its name.
    #[serde(default)]
    #[schema(required = true)]
    pub business_name: String,
    /// Reports filed.
    #[serde(default)]
    #[schema(required = true)]
    pub reports: i64,
    /// Wrongly raised defaults (withdrawals approved, disputes upheld).
    #[serde(default)]
    #[schema(required = true)]
    pub wrong: i64,
    /// The last one (UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub last_wrong_at: Option<Timestamp>,
    /// Version.
    #[serde(default)]
    #[schema(required = true)]
    pub version: i64,
}

impl Hisaab {
    /// The writes that count one wrongly raised default against a business
    /// and, on reaching the limit, disable it (with its audit entry).
    pub(crate) async fn wrong_report_writes(
        &self,
        business_id: &str,
        now: Timestamp,
    ) -> Result<Vec<Write>> {
        let key = keys::reporter_record(business_id);
        let old: Option<ReporterRecord> = self.get_as(&key).await?;
        let business = self.business_of(business_id).await?;
        let mut rec = old.clone().unwrap_or_default();
        rec.business_id = business_id.into();
        rec.business_name = business.name.clone();
        rec.wrong += 1;
        rec.last_wrong_at = Some(now);
        rec.version += 1;
        let mut item = to_item("reporter_record", &key, &rec)?;
        keys::wrong_reports()
            .at(format!("{:08}#{}", rec.wrong, business_id))
            .set_on(&mut item);
        let mut w = vec![Write::Put {
            item,
            cond: Some(match &old {
                Some(o) => Cond::version(o.version),
                None => Cond::NotExists,
            }),
        }];
        if rec.wrong >= self.wrong_report_limit() && business.status == BusinessStatus::Active {
            let mut b = business.clone();
            b.status = BusinessStatus::Disabled;
            b.disabled_reason = Some(format!(
                "{} wrongly raised defaults (limit {})",
                rec.wrong,
                self.wrong_report_limit()
            ));
            b.version = business.version + 1;
            w.push(self.business_write(&b, Some(business.version))?);
            w.push(self.audit_write(
                None,
                "business.disable",
                "business",
                business_id,
                Some(serde_json::json!({ "status": "active" })),
                Some(serde_json::json!({ "status": "disabled" })),
                b.disabled_reason.clone(),
            )?);
        }
        Ok(w)
    }
}
