use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use switchboard_core::{TeamId, UserId};
use switchboard_service::Service;
use uuid::Uuid;

use super::{ApiResult, ApiTags, Created, NoContent, page};
use crate::auth::BearerAuth;
use crate::dto::{CreateTeamRequest, Team, TeamList, UpdateTeamRequest};

pub struct TeamsApi;

#[OpenApi(tag = "ApiTags::Teams")]
impl TeamsApi {
    /// List teams.
    #[oai(path = "/teams", method = "get", operation_id = "list_teams")]
    async fn list(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] limit: Query<Option<u64>>,
        #[oai(validator(
            pattern = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
        ))]
        cursor: Query<Option<String>>,
    ) -> ApiResult<Json<TeamList>> {
        let page = page(limit.0, cursor.0)?;
        Ok(Json(svc.list_teams(&auth.0, page).await?.into()))
    }

    /// Create a team.
    #[oai(path = "/teams", method = "post", operation_id = "create_team")]
    async fn create(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        #[oai(
            name = "Idempotency-Key",
            validator(min_length = 1, max_length = 255, pattern = r"^[!-~]([ -~]*[!-~])?$")
        )]
        _idempotency_key: Header<Option<String>>,
        body: Json<CreateTeamRequest>,
    ) -> ApiResult<Created<Team>> {
        Ok(Created::Created(Json(
            svc.create_team(&auth.0, body.0.name.as_str()).await?.into(),
        )))
    }

    /// Get a team with its members.
    #[oai(path = "/teams/:id", method = "get", operation_id = "get_team")]
    async fn get(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<Team>> {
        Ok(Json(
            svc.get_team(&auth.0, TeamId::from_uuid(id.0)).await?.into(),
        ))
    }

    /// Rename a team.
    #[oai(path = "/teams/:id", method = "patch", operation_id = "update_team")]
    async fn update(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
        body: Json<UpdateTeamRequest>,
    ) -> ApiResult<Json<Team>> {
        let id = TeamId::from_uuid(id.0);
        let team = match body.0.name {
            Some(name) => svc.rename_team(&auth.0, id, name.as_str()).await?,
            None => svc.get_team(&auth.0, id).await?,
        };
        Ok(Json(team.into()))
    }

    /// Delete a team (its members stay users).
    #[oai(path = "/teams/:id", method = "delete", operation_id = "delete_team")]
    async fn delete(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
    ) -> ApiResult<NoContent> {
        svc.delete_team(&auth.0, TeamId::from_uuid(id.0)).await?;
        Ok(NoContent::NoContent)
    }

    /// Add a user to a team (idempotent).
    #[oai(
        path = "/teams/:id/members/:user_id",
        method = "put",
        operation_id = "add_team_member"
    )]
    async fn add_member(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
        user_id: Path<Uuid>,
    ) -> ApiResult<Json<Team>> {
        let team = svc
            .set_team_member(
                &auth.0,
                TeamId::from_uuid(id.0),
                UserId::from_uuid(user_id.0),
                true,
            )
            .await?;
        Ok(Json(team.into()))
    }

    /// Remove a user from a team (idempotent).
    #[oai(
        path = "/teams/:id/members/:user_id",
        method = "delete",
        operation_id = "remove_team_member"
    )]
    async fn remove_member(
        &self,
        svc: Data<&Service>,
        auth: BearerAuth,
        id: Path<Uuid>,
        user_id: Path<Uuid>,
    ) -> ApiResult<Json<Team>> {
        let team = svc
            .set_team_member(
                &auth.0,
                TeamId::from_uuid(id.0),
                UserId::from_uuid(user_id.0),
                false,
            )
            .await?;
        Ok(Json(team.into()))
    }
}
