//! The socket loop: reads client frames, feeds the session Bus events, sends what the
//! session queued, pings, and gives up on a client that went silent or stopped reading.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use poem::web::websocket::{Message as WsMessage, WebSocketConfig, WebSocketStream};
use switchboard_realtime::{Received, Widget};
use tokio::sync::mpsc;

use super::frames::ServerFrame;
use super::session::{Client, Out, Session, Source};

/// How often the server pings, and renews an agent's presence.
const HEARTBEAT: Duration = Duration::from_secs(30);
/// A client silent (not even a pong) for this long is gone.
const SILENCE: Duration = Duration::from_secs(75);
/// How long a socket waits for its client's first frame (a `resume`) before forwarding live
/// events.
const FIRST_FRAME_GRACE: Duration = Duration::from_millis(1000);
/// The longest a frame may take to go out before the client is given up.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// Small buffers: most sockets sit idle, and their memory is the cost of an idle client.
/// Frames are small (a message body is at most 4,000 characters).
pub(crate) fn socket_config() -> WebSocketConfig {
    WebSocketConfig::default()
        .read_buffer_size(4 * 1024)
        .write_buffer_size(0)
        .max_write_buffer_size(1024 * 1024)
        .max_message_size(Some(64 * 1024))
        .max_frame_size(Some(64 * 1024))
}

fn to_ws(out: Out) -> WsMessage {
    match out {
        Out::Frame(f) => WsMessage::Text(f.to_json()),
        Out::Forward(event) => WsMessage::Text(event),
        Out::Ping => WsMessage::Ping(Vec::new()),
    }
}

/// What the loop does with a step's failure: the client is told, the socket stays.
fn report(session: &mut Session, step: Result<(), switchboard_service::ServiceError>) {
    if let Err(e) = step {
        tracing::warn!(error = %e, "live-chat socket");
        session.send(ServerFrame::error(
            "the server could not do that; try again",
            None,
        ));
    }
}

/// Runs a socket whose session is `ready`; one that could not be made ready (its first
/// reads failed) is closed, and the failure logged with `who` is on the other end.
/// An agent's socket closes when its token expires (`expires`).
pub(crate) async fn start(
    socket: WebSocketStream,
    session: Session,
    events: mpsc::Receiver<(Source, Received)>,
    ready: Result<(), switchboard_service::ServiceError>,
    who: &str,
    expires: Option<chrono::DateTime<chrono::Utc>>,
) {
    match ready {
        Ok(()) => run(socket, session, events, expires).await,
        Err(e) => tracing::warn!(error = %e, who, "opening a live-chat socket"),
    }
}

/// Runs a socket until the client leaves, goes silent, or (agents) loses their account.
async fn run(
    socket: WebSocketStream,
    mut session: Session,
    mut events: mpsc::Receiver<(Source, Received)>,
    expires: Option<chrono::DateTime<chrono::Utc>>,
) {
    let expiry = tokio::time::sleep(
        expires
            .and_then(|at| (at - chrono::Utc::now()).to_std().ok())
            .unwrap_or(if expires.is_some() {
                Duration::ZERO
            } else {
                Duration::from_secs(365 * 24 * 3600)
            }),
    );
    tokio::pin!(expiry);
    let (mut sink, mut stream) = socket.split();
    let mut heartbeat = tokio::time::interval(HEARTBEAT);
    heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    heartbeat.tick().await;
    let mut heard = tokio::time::Instant::now();
    let visitor = match session.client {
        Client::Visitor {
            tenant,
            conversation,
        } => Some((tenant, conversation)),
        Client::Agent(_) => None,
    };
    if let Some((tenant, conversation)) = visitor {
        let here = session
            .svc
            .visitor_widget(tenant, conversation, Widget::Opened)
            .await;
        report(&mut session, here);
    }
    // A reconnecting client sends `resume` first: wait a moment for it before forwarding live
    // events, so that what it missed comes before what is new (events queue meanwhile).
    let mut first = Some(tokio::time::sleep(FIRST_FRAME_GRACE));
    let svc = session.svc.clone();
    let _open = svc.socket_open();
    let stopping = svc.stopped();
    tokio::pin!(stopping);
    let mut going_away = false;
    loop {
        for out in std::mem::take(&mut session.out) {
            // A client that stops reading must not hold the socket's task forever.
            match tokio::time::timeout(SEND_TIMEOUT, sink.send(to_ws(out))).await {
                Ok(Ok(())) => {}
                _ => return,
            }
        }
        if let Some(grace) = first.take() {
            tokio::select! {
                incoming = stream.next() => {
                    heard = tokio::time::Instant::now();
                    let step = match incoming {
                        Some(Ok(WsMessage::Text(text))) => session.on_client_frame(&text).await,
                        Some(Ok(WsMessage::Close(_))) | None | Some(Err(_)) => break,
                        Some(Ok(_)) => Ok(()),
                    };
                    report(&mut session, step);
                }
                () = grace => {}
            }
            continue;
        }
        let step = tokio::select! {
            incoming = stream.next() => {
                heard = tokio::time::Instant::now();
                match incoming {
                    Some(Ok(WsMessage::Text(text))) => session.on_client_frame(&text).await,
                    Some(Ok(WsMessage::Close(_))) | None | Some(Err(_)) => break,
                    Some(Ok(_)) => Ok(()),
                }
            }
            Some((source, received)) = events.recv() => match received {
                Received::Event(e) => session.on_event(&e).await,
                Received::Lagged(_) | Received::Reconnected => session.on_lagged(source).await,
            },
            () = &mut stopping => {
                going_away = true;
                break;
            }
            () = &mut expiry => {
                session.closing = Some("the token expired: log in again");
                Ok(())
            }
            _ = heartbeat.tick() => {
                if heard.elapsed() > SILENCE {
                    break;
                }
                session.out.push(Out::Ping);
                if let Client::Agent(who) = &session.client {
                    match session.svc.keep_present(who).await {
                        Ok(true) => Ok(()),
                        Ok(false) => break,
                        Err(e) => Err(e),
                    }
                } else if let Some((tenant, conversation)) = visitor {
                    session
                        .svc
                        .visitor_widget(tenant, conversation, Widget::Beat)
                        .await
                } else {
                    Ok(())
                }
            }
        };
        report(&mut session, step);
        if let Some(reason) = session.closing {
            // What was queued goes first; then 1008 (policy): the client must not reconnect
            // with the same token.
            for out in std::mem::take(&mut session.out) {
                if sink.send(to_ws(out)).await.is_err() {
                    break;
                }
            }
            let _ = sink
                .send(WsMessage::Close(Some((
                    poem::web::websocket::CloseCode::Policy,
                    reason.into(),
                ))))
                .await;
            break;
        }
    }
    if going_away {
        // The node is stopping: 1001 tells the client to reconnect (to another node) at once.
        let _ = sink
            .send(WsMessage::Close(Some((
                poem::web::websocket::CloseCode::Away,
                "the server is restarting".into(),
            ))))
            .await;
    }
    let _ = sink.close().await;
    // A visitor waiting in line keeps their place for a grace period, then leaves it.
    if let Some((tenant, conversation)) = visitor
        && let Err(e) = session
            .svc
            .visitor_widget(tenant, conversation, Widget::Closed)
            .await
    {
        tracing::warn!(error = %e, "recording that a visitor's widget closed");
    }
}
