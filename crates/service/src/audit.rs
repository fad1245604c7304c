//! Reading the audit log.

use switchboard_core::page::{Page, PageRequest};
use switchboard_store::audit;

use crate::{Principal, Service, ServiceResult};

impl Service {
    pub async fn audit_log(
        &self,
        who: &Principal,
        page: PageRequest,
    ) -> ServiceResult<Page<crate::views::AuditEntry>> {
        let tenant = who.admin_tenant()?;
        Ok(audit::list(self.db(), tenant, page).await?.map(Into::into))
    }
}
