//! Comments on a delivery record, by either side: create, read, update
//! and delete (each side its own).

use crate::app::{Hisaab, from_item, to_item};
use crate::error::{Error, Result};
use crate::idempotency::{Idempotency, decode_replay};
use crate::identity::{Actor, Role};
use crate::ids::{is_id, new_id};
use crate::keys;
use crate::paging::Page;
use crate::table::{Cond, Key, Query, Write};
use crate::validate;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A comment on a delivery record.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Comment {
    /// `cmt_<ULID>`.
    pub id: String,
    /// The record.
    pub delivery_id: String,
    /// The author.
    pub author_id: String,
    /// The author's name.
    pub author_name: String,
    /// The author's role.
    pub author_role: Role,
    /// 1–1000 characters.
    pub text: String,
    /// Written (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// Last edited (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
    /// Version, 1 when written.
    pub version: i64,
}

/// `POST /v1/deliveries/{delivery_id}/comments` and its `PATCH`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentText {
    /// 1–1000 characters.
    pub text: String,
}

impl Hisaab {
    /// `POST /v1/deliveries/{delivery_id}/comments`: either side comments;
    /// with an idempotency key, a retry returns the first answer (`true` in
    /// the second value) and writes nothing.
    pub async fn create_comment(
        &self,
        actor: &Actor,
        delivery_id: &str,
        c: CommentText,
        idem: Option<Idempotency>,
    ) -> Result<(Comment, bool)> {
        if let Some(i) = &idem
            && let Some(body) = self.idempotent_replay(&actor.user.id, i).await?
        {
            return Ok((decode_replay(body)?, true));
        }
        let text = validate::text("text", &c.text, 1000)?;
        let (d, _, _) = self.delivery_for(actor, delivery_id).await?;
        let now = self.clock.now();
        let comment = Comment {
            id: new_id("cmt"),
            delivery_id: d.id.clone(),
            author_id: actor.user.id.clone(),
            author_name: actor.user.name.clone(),
            author_role: actor.user.role,
            text,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let date = d.date.to_string();
        let writes = vec![
            Write::Put {
                item: to_item(
                    "comment",
                    &keys::comment(&d.order_id, &date, &comment.id),
                    &comment,
                )?,
                cond: Some(Cond::NotExists),
            },
            Write::Check {
                key: keys::delivery(&d.order_id, &date),
                cond: Cond::Exists,
            },
        ];
        // The record vanishing meanwhile is a 409, as a lost race is.
        self.commit_create(&actor.user.id, idem.as_ref(), writes, comment, |_| {
            Some(Error::stale())
        })
        .await?
        .ok_or_else(Error::stale)
    }

    /// `GET /v1/deliveries/{delivery_id}/comments`: oldest first.
    pub async fn list_comments(&self, actor: &Actor, delivery_id: &str) -> Result<Page<Comment>> {
        let (d, _, _) = self.delivery_for(actor, delivery_id).await?;
        let q = Query::on(keys::order_partition(&d.order_id))
            .begins_with(keys::comments_prefix(&d.date.to_string()))
            .limit(1000);
        let mut items: Vec<Comment> = self
            .table
            .query(&q)
            .await?
            .items
            .into_iter()
            .map(from_item)
            .collect::<Result<_>>()?;
        items.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(Page {
            items,
            next_cursor: None,
        })
    }

    async fn own_comment(
        &self,
        actor: &Actor,
        delivery_id: &str,
        comment_id: &str,
    ) -> Result<(Key, Comment)> {
        let (d, _, _) = self.delivery_for(actor, delivery_id).await?;
        if !is_id("cmt", comment_id) {
            return Err(Error::NotFound("comment"));
        }
        let key = keys::comment(&d.order_id, &d.date.to_string(), comment_id);
        let c: Comment = from_item(
            self.table
                .get(&key)
                .await?
                .ok_or(Error::NotFound("comment"))?,
        )?;
        if c.author_id != actor.user.id {
            return Err(Error::Forbidden(
                "only the author may change or delete a comment".into(),
            ));
        }
        Ok((key, c))
    }

    /// `PATCH /v1/deliveries/{delivery_id}/comments/{comment_id}`: the
    /// author edits their comment (403 for anyone else).
    pub async fn update_comment(
        &self,
        actor: &Actor,
        delivery_id: &str,
        comment_id: &str,
        t: CommentText,
    ) -> Result<Comment> {
        let text = validate::text("text", &t.text, 1000)?;
        let (key, old) = self.own_comment(actor, delivery_id, comment_id).await?;
        let c = Comment {
            text,
            updated_at: self.clock.now(),
            version: old.version + 1,
            ..old.clone()
        };
        self.table
            .put(
                to_item("comment", &key, &c)?,
                Some(Cond::version(old.version)),
            )
            .await?;
        Ok(c)
    }

    /// `DELETE /v1/deliveries/{delivery_id}/comments/{comment_id}`: the
    /// author deletes their comment (403 for anyone else).
    pub async fn delete_comment(
        &self,
        actor: &Actor,
        delivery_id: &str,
        comment_id: &str,
    ) -> Result<()> {
        let (key, _) = self.own_comment(actor, delivery_id, comment_id).await?;
        self.table.delete(&key, Some(Cond::Exists)).await?;
        Ok(())
    }
}
