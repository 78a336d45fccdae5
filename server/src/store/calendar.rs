//! Appointments as the calendar and the appointment panel read them: by range, staff member
//! and search text, with their full history and the fields the list leaves out.

use super::appointments::{records, AppointmentRecord, RECORD_SELECT};
use super::{Store, StoreError};
use sqlx::Row;

/// One history entry with its time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    /// When, UTC ms.
    pub at: i64,
    /// What happened.
    pub action: String,
    /// Who did it.
    pub actor: String,
    /// Details, JSON text.
    pub details: String,
}

/// Keeps the letters, digits, spaces and `+-.@'` of a search text (no SQL wildcards).
fn plain(search: &str) -> String {
    search
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '+' | '-' | '.' | '@' | '\''))
        .collect::<String>()
        .trim()
        .to_lowercase()
}

impl Store {
    /// Appointments starting in `[from, to)`, optionally of one staff member and whose
    /// customer's name or phone contains `search`, by start.
    pub async fn appointments_search(
        &self,
        tenant_id: i64,
        from_ms: i64,
        to_ms: i64,
        staff_id: Option<i64>,
        search: &str,
    ) -> Result<Vec<AppointmentRecord>, StoreError> {
        let text = plain(search);
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        let name = if text.is_empty() {
            String::new()
        } else {
            format!("%{text}%")
        };
        // No digits in the search: the phone pattern matches nothing.
        let phone = if digits.is_empty() {
            String::new()
        } else {
            format!("%{digits}%")
        };
        let rows = sqlx::query(&format!(
            "{RECORD_SELECT} WHERE a.tenant_id = $1 AND a.starts_at >= $2 AND a.starts_at < $3 \
             AND ($4 = 0 OR a.staff_id = $4) \
             AND ($5 = '' OR LOWER(c.name) LIKE $5 OR c.phone_e164 LIKE $6) \
             ORDER BY a.starts_at, a.id"
        ))
        .bind(tenant_id)
        .bind(from_ms)
        .bind(to_ms)
        .bind(staff_id.unwrap_or(0))
        .bind(name)
        .bind(phone)
        .fetch_all(self.pool())
        .await?;
        records(&rows)
    }

    /// An appointment's history with times, oldest first (tenant-scoped).
    pub async fn appointment_log(
        &self,
        tenant_id: i64,
        id: i64,
    ) -> Result<Vec<HistoryRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT at, action, actor, details FROM appointment_history \
             WHERE tenant_id = $1 AND appointment_id = $2 ORDER BY at, id",
        )
        .bind(tenant_id)
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(HistoryRow {
                    at: r.try_get("at")?,
                    action: r.try_get("action")?,
                    actor: r.try_get("actor")?,
                    details: r.try_get("details")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// The contact number and cancellation reason of an appointment of the tenant.
    pub async fn appointment_extras(
        &self,
        tenant_id: i64,
        id: i64,
    ) -> Result<(Option<String>, Option<String>), StoreError> {
        let row = sqlx::query(
            "SELECT contact_phone, cancel_reason FROM appointments WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant_id)
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        Ok(match row {
            Some(r) => (r.try_get("contact_phone")?, r.try_get("cancel_reason")?),
            None => (None, None),
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn search_text_loses_wildcards() {
        assert_eq!(super::plain(" Anna_%Müller "), "annamüller");
        assert_eq!(super::plain("+49 151"), "+49 151");
    }
}
