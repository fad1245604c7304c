//! The WebSockets of live chat (SPEC §11, documented in `openapi/asyncapi.yaml`):
//! `/api/v1/ws/agent?token=<JWT>` for an agent's inbox and `/api/v1/ws/visitor?token=<visitor
//! token>` for a visitor's widget.
//!
//! A socket listens on the Bus to the topics its client follows (the agent's own topic and
//! each conversation they hold; the visitor's conversation) and forwards the frames as they
//! come. Messages are kept exactly once and in order per conversation ([`tracker`]), and what
//! a socket missed (a gap, a lagging Bus, a `resume {after_seq}` from a client that
//! reconnected) is read from the database.
//!
//! A message a client sends is stored before it is acknowledged: the acknowledgement is the
//! stored message (with its `seq` and the client's `client_id`), sent back on the socket.
//!
//! [`frames`] holds the frames of both directions, [`session`] what a socket does with them,
//! [`transport`] the loop that moves them.

mod frames;
mod session;
mod tracker;
mod transport;

use poem::web::websocket::WebSocket;
use poem::web::{Data, Query};
use poem::{IntoResponse, Response, handler};
use serde::Deserialize;
use switchboard_service::{Principal, Service, ServiceError};

use self::frames::{Hello, Position, ServerFrame};
use self::session::{Client, Session};
use crate::problem::ApiError;

#[derive(Deserialize)]
pub struct TokenParam {
    token: Option<String>,
}

fn unauthorized(detail: &'static str) -> Response {
    ApiError::from(ServiceError::Unauthorized(detail)).into_response()
}

/// Counts a socket against the limits of its address and its token (a 429 past them).
async fn limited(svc: &Service, req: &poem::Request, token: &str) -> Option<Response> {
    svc.limit_socket(req.extensions().get().copied(), token)
        .await
        .err()
        .map(|e| ApiError::from(e).into_response())
}

/// `GET /api/v1/ws/agent?token=<JWT>`: an agent's inbox.
#[handler]
pub async fn agent(
    req: &poem::Request,
    ws: WebSocket,
    Query(params): Query<TokenParam>,
    svc: Data<&Service>,
) -> Response {
    let Some(token) = params.token else {
        return unauthorized("the token query parameter is required");
    };
    if let Some(refused) = limited(&svc, req, &token).await {
        return refused;
    }
    let who = match svc.authenticate(&token).await {
        Ok(p @ Principal::User { .. }) => p,
        Ok(_) => return unauthorized("an agent's socket needs a user's token"),
        Err(e) => return ApiError::from(e).into_response(),
    };
    if let Err(e) = svc.check_two_factor_required(&who).await {
        return ApiError::from(e).into_response();
    }
    let expires = svc.token_expiry(&token);
    let svc = svc.0.clone();
    ws.config(transport::socket_config())
        .on_upgrade(move |socket| async move {
            let (mut session, rx) = Session::new(svc.clone(), Client::Agent(who.clone()));
            let (Some(tenant), Some(user)) = (who.tenant(), who.user_id()) else {
                return;
            };
            let ready = async {
                session.listen_as_agent(tenant, user).await?;
                svc.keep_present(&who).await?;
                let inbox = svc.inbox(&who).await?;
                let mut conversations = Vec::new();
                for c in &inbox.live {
                    session.follow(c.id, c.last_seq).await?;
                    conversations.push(Position {
                        conversation_id: c.id,
                        last_seq: c.last_seq,
                    });
                }
                // Read after subscribing: a message stored in between is caught up, and an
                // end in between is noticed.
                for c in &inbox.live {
                    session.catch_up(c.id).await?;
                    session.check_open(c.id).await?;
                }
                // `hello` goes first, before what the catch-up queued.
                let caught_up = std::mem::take(&mut session.out);
                session.send(ServerFrame::Hello(Hello::Agent { conversations }));
                session.out.extend(caught_up);
                for offer in inbox.offers {
                    session.send(ServerFrame::Event(offer));
                }
                Ok::<_, ServiceError>(())
            };
            let ready = ready.await;
            transport::start(socket, session, rx, ready, "agent", expires).await;
        })
        .into_response()
}

/// `GET /api/v1/ws/visitor?token=<visitor token>`: a visitor's widget.
#[handler]
pub async fn visitor(
    req: &poem::Request,
    ws: WebSocket,
    Query(params): Query<TokenParam>,
    svc: Data<&Service>,
) -> Response {
    let Some(token) = params.token else {
        return unauthorized("the token query parameter is required");
    };
    if let Some(refused) = limited(&svc, req, &token).await {
        return refused;
    }
    let (tenant, conversation) = match svc.visitor_session(&token, req.header("origin")).await {
        Ok(c) => c,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let svc = svc.0.clone();
    ws.config(transport::socket_config())
        .on_upgrade(move |socket| async move {
            let (mut session, rx) = Session::new(
                svc.clone(),
                Client::Visitor {
                    tenant,
                    conversation,
                },
            );
            let ready = async {
                session.follow(conversation, 0).await?;
                // Read after subscribing, so a change in between is not missed.
                let state = svc.visitor_snapshot(&token).await?;
                session.start_at(conversation, state.last_seq);
                session.send(ServerFrame::Hello(Hello::Visitor {
                    conversation_id: conversation,
                    status: state.status,
                    last_seq: state.last_seq,
                }));
                for event in state.events {
                    session.send(ServerFrame::Event(event));
                }
                Ok::<_, ServiceError>(())
            };
            let ready = ready.await;
            transport::start(socket, session, rx, ready, "visitor", None).await;
        })
        .into_response()
}
