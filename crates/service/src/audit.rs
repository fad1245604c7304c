//! Reading the audit log.

use switchboard_core::page::{Page, PageRequest};
use switchboard_store::audit;

pub use switchboard_store::audit::Filter as AuditFilter;

use crate::{Principal, Service, ServiceResult};

/// Someone who acted in the workspace, as the audit log names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditActor {
    /// `user`, `api_key` or `operator`.
    pub kind: String,
    pub id: Option<uuid::Uuid>,
    /// Their latest label (an email, a key's name and prefix).
    pub label: String,
}

impl Service {
    /// The entries matching `filter`, newest first.
    pub async fn audit_log(
        &self,
        who: &Principal,
        filter: &AuditFilter,
        page: PageRequest,
    ) -> ServiceResult<Page<crate::views::AuditEntry>> {
        let tenant = who.admin_tenant()?;
        Ok(audit::find(self.db(), tenant, filter, page)
            .await?
            .map(Into::into))
    }

    /// Everyone who acted in the workspace, once each.
    pub async fn audit_actors(&self, who: &Principal) -> ServiceResult<Vec<AuditActor>> {
        let tenant = who.admin_tenant()?;
        Ok(audit::actors(self.db(), tenant)
            .await?
            .into_iter()
            .map(|(kind, id, label)| AuditActor { kind, id, label })
            .collect())
    }
}
