//! The Redis backend. Each operation is one command or one Lua script: one round trip, and
//! atomic across every node sharing the Redis.
//!
//! Keys carry hash tags so that each script only touches keys of one cluster slot: a tenant's
//! presence, load, cursors and engagement keys share `{t:<tenant>}`; every offer key shares
//! `{offers}` (offers are looked up by id alone, and the expiry worker reads one due-set).
//! All keys start with a namespace, so several deployments (or tests) can share a Redis.

use std::sync::{Arc, Weak};
use std::time::Duration;

use ::redis::aio::ConnectionManager;
use ::redis::{AsyncCommands, Script};
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use switchboard_core::routing::Availability;
use switchboard_core::{TenantId, UserId};
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::bus::{Bus, Hub, Link, Subscription, Topic};
use crate::{
    Dispatch, Offer, PickOutcome, Presence, Queue, RealtimeError, RealtimeResult, Resolution,
    Widget, skip_from_code,
};

const RESERVE: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local used = redis.call('GET', KEYS[1])
if not used then
  redis.call('SET', KEYS[1], ARGV[2])
  used = tonumber(ARGV[2])
else
  used = tonumber(used)
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local limit = tonumber(ARGV[1])
if limit >= 0 and used + redis.call('ZCARD', KEYS[2]) >= limit then
  return 0
end
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), ARGV[3])
return 1
";

const CONSUME: &str = r"
if redis.call('ZREM', KEYS[2], ARGV[1]) == 1 then
  redis.call('INCR', KEYS[1])
  return 1
end
return 0
";

/// KEYS: cursor, then presence and load of each candidate. ARGV: max load, count, then an
/// excluded flag per candidate. Answers `{chosen index or -1, index, skip code, ...}`.
const PICK: &str = r"
local max = tonumber(ARGV[1])
local n = tonumber(ARGV[2])
if n == 0 then return {-1} end
local cursor = tonumber(redis.call('GET', KEYS[1]) or '0')
local out = {}
local start = cursor % n
for step = 0, n - 1 do
  local i = (start + step) % n
  local load = KEYS[3 + 2 * i]
  local code = 0
  if ARGV[3 + i] == '1' then
    code = 1
  else
    local a = redis.call('GET', KEYS[2 + 2 * i])
    if not a or a == 'offline' then
      code = 2
    elseif a == 'away' then
      code = 3
    elseif tonumber(redis.call('GET', load) or '0') >= max then
      code = 4
    end
  end
  if code == 0 then
    redis.call('INCR', load)
    redis.call('SET', KEYS[1], (i + 1) % n)
    table.insert(out, 1, i)
    return out
  end
  table.insert(out, i)
  table.insert(out, code)
end
table.insert(out, 1, -1)
return out
";

const RELEASE_LOAD: &str = r"
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then
  redis.call('DECR', KEYS[1])
end
return 0
";

const PUT_OFFER: &str = r"
redis.call('HSET', KEYS[1], 'tenant', ARGV[2], 'agent', ARGV[3], 'deadline', ARGV[4], 'state', 'pending')
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[1])
return 1
";

/// Only a pending offer resolves; the answer goes to exactly one caller.
const RESOLVE: &str = r"
local f = redis.call('HMGET', KEYS[1], 'state', 'tenant', 'agent', 'deadline')
if f[1] ~= 'pending' then return false end
redis.call('HSET', KEYS[1], 'state', ARGV[2])
redis.call('PEXPIRE', KEYS[1], 3600000)
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('SREM', ARGV[3] .. f[2] .. ':' .. f[3], ARGV[1])
return {f[2], f[3], f[4]}
";

/// KEYS: the queue. ARGV: score (ms), member. Keeps an existing member's place.
const ENQUEUE: &str = r"
redis.call('ZADD', KEYS[1], 'NX', ARGV[1], ARGV[2])
return redis.call('ZRANK', KEYS[1], ARGV[2]) + 1
";

/// KEYS: lease, asked flag. ARGV: holder, ttl (ms).
const START_SERVING: &str = r"
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  redis.call('DEL', KEYS[2])
  return 1
end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
redis.call('SET', KEYS[2], '1', 'PX', ARGV[2])
return 0
";

/// KEYS: lease, asked flag. ARGV: holder, ttl (ms) to keep serving when asked meanwhile.
const END_SERVING: &str = r"
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if redis.call('DEL', KEYS[2]) == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
redis.call('DEL', KEYS[1])
return 0
";

/// A visitor's widget: KEYS[1] its record; ARGV: +1 a socket opened, 0 a heartbeat, -1 a
/// socket closed; the new `until` (Unix ms); the record's life (ms). A close moves `until`
/// only when it was the last open socket.
const VISITOR: &str = r"
local open = tonumber(redis.call('HGET', KEYS[1], 'open') or '0') + tonumber(ARGV[1])
if open < 0 then open = 0 end
if tonumber(ARGV[1]) >= 0 or open == 0 then
  redis.call('HSET', KEYS[1], 'until', ARGV[2])
end
redis.call('HSET', KEYS[1], 'open', open)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 0
";

/// How long a holder that was asked to look again keeps serving before the lease lapses.
const SERVE_AGAIN_MS: u64 = 10_000;

struct Scripts {
    reserve: Script,
    consume: Script,
    pick: Script,
    release_load: Script,
    put_offer: Script,
    resolve: Script,
    enqueue: Script,
    start_serving: Script,
    end_serving: Script,
    visitor: Script,
    take_limit: Script,
}

/// How the shared connection behaves when Redis is away: a call fails within about a second
/// (the API answers 503 with `Retry-After`) instead of hanging through the client's default
/// back-off (some 8 s), and the connection is re-established by the next call.
fn fail_fast() -> ::redis::aio::ConnectionManagerConfig {
    ::redis::aio::ConnectionManagerConfig::new()
        .set_response_timeout(Some(Duration::from_millis(1000)))
        .set_connection_timeout(Some(Duration::from_millis(250)))
        .set_number_of_retries(2)
        .set_min_delay(Duration::from_millis(50))
        .set_max_delay(Duration::from_millis(200))
}

#[derive(Clone)]
pub struct RedisRealtime {
    /// Reconnects by itself; cloning it is cheap and shares the one multiplexed connection.
    conn: ConnectionManager,
    ns: String,
    scripts: std::sync::Arc<Scripts>,
    /// This node's listeners; its pub/sub task lives as long as it does.
    hub: Arc<Hub>,
}

impl RedisRealtime {
    /// True when Redis answers a `PING`.
    pub async fn ping(&self) -> bool {
        let mut c = self.conn.clone();
        ::redis::cmd("PING")
            .query_async::<String>(&mut c)
            .await
            .is_ok()
    }

    /// Connects to `url` (e.g. `redis://127.0.0.1:6379`) with keys under `namespace`.
    pub async fn connect(url: &str, namespace: &str) -> RealtimeResult<Self> {
        Self::connect_trusting(url, namespace, None).await
    }

    /// [`RedisRealtime::connect`]; over TLS (`rediss://`), the server's certificate may also
    /// be signed by the CA `ca_pem` (a private CA) besides the system's.
    pub async fn connect_trusting(
        url: &str,
        namespace: &str,
        ca_pem: Option<&[u8]>,
    ) -> RealtimeResult<Self> {
        let client = match ca_pem {
            Some(pem) => ::redis::Client::build_with_tls(
                url,
                ::redis::TlsCertificates {
                    client_tls: None,
                    root_cert: Some(pem.to_vec()),
                },
            )?,
            None => ::redis::Client::open(url)?,
        };
        let conn = ConnectionManager::new_with_config(client.clone(), fail_fast()).await?;
        let (link, links) = mpsc::unbounded_channel();
        let hub = Arc::new(Hub::new(Some(link)));
        tokio::spawn(pubsub(
            client,
            format!("{namespace}:bus:"),
            Arc::downgrade(&hub),
            links,
        ));
        Ok(Self {
            conn,
            hub,
            ns: namespace.to_owned(),
            scripts: std::sync::Arc::new(Scripts {
                reserve: Script::new(RESERVE),
                consume: Script::new(CONSUME),
                pick: Script::new(PICK),
                release_load: Script::new(RELEASE_LOAD),
                put_offer: Script::new(PUT_OFFER),
                resolve: Script::new(RESOLVE),
                enqueue: Script::new(ENQUEUE),
                start_serving: Script::new(START_SERVING),
                end_serving: Script::new(END_SERVING),
                visitor: Script::new(VISITOR),
                take_limit: Script::new(crate::limits::TAKE),
            }),
        })
    }

    fn tenant_key(&self, tenant: TenantId, rest: &str) -> String {
        format!("{}:{{t:{tenant}}}:{rest}", self.ns)
    }

    fn presence_key(&self, tenant: TenantId, agent: UserId) -> String {
        self.tenant_key(tenant, &format!("presence:{agent}"))
    }

    fn visitor_key(&self, tenant: TenantId, conversation: Uuid) -> String {
        self.tenant_key(tenant, &format!("visitor:{conversation}"))
    }

    fn load_key(&self, tenant: TenantId, agent: UserId) -> String {
        self.tenant_key(tenant, &format!("load:{agent}"))
    }

    fn offer_key(&self, id: Uuid) -> String {
        format!("{}:{{offers}}:offer:{id}", self.ns)
    }

    fn due_key(&self) -> String {
        format!("{}:{{offers}}:due", self.ns)
    }

    fn queue_key(&self, tenant: TenantId, target: &str) -> String {
        self.tenant_key(tenant, &format!("queue:{target}"))
    }

    /// Every queue ever used, as `<tenant>|<target>` (a few per tenant; never shrinks, so a
    /// queue filling up again is never missing from it).
    fn queue_index_key(&self) -> String {
        format!("{}:queues", self.ns)
    }

    /// The agent-offers set key is this prefix followed by `<tenant>:<agent>`.
    fn agent_offers_prefix(&self) -> String {
        format!("{}:{{offers}}:agent:", self.ns)
    }
}

/// The node's pub/sub connection: applies the hub's subscription changes in order and
/// delivers what Redis sends into the hub. Reconnects (subscribing to every topic again) when
/// the connection drops, then tells every listener, which catches up from the database; stops
/// when the hub is gone.
async fn pubsub(
    client: ::redis::Client,
    prefix: String,
    hub: Weak<Hub>,
    mut links: mpsc::UnboundedReceiver<Link>,
) {
    let mut retry = Duration::from_millis(100);
    let mut connected_before = false;
    loop {
        let Some(topics) = hub.upgrade().map(|h| h.topics()) else {
            return;
        };
        let channels: Vec<String> = topics.iter().map(|t| format!("{prefix}{t}")).collect();
        // Connected and subscribed to every topic again, or back off and retry.
        let connected = match client.get_async_pubsub().await {
            Ok(pubsub) => {
                let (mut sink, stream) = pubsub.split();
                let subscribed = channels.is_empty() || sink.subscribe(&channels).await.is_ok();
                subscribed.then_some((sink, stream))
            }
            Err(e) => {
                tracing::warn!(error = %e, "redis pub/sub connection failed; retrying");
                None
            }
        };
        let Some((mut sink, mut stream)) = connected else {
            tokio::time::sleep(retry).await;
            retry = (retry * 2).min(Duration::from_secs(5));
            continue;
        };
        retry = Duration::from_millis(100);
        // Subscribed again: what was published while the connection was down is missed.
        if connected_before && let Some(hub) = hub.upgrade() {
            tracing::info!("redis pub/sub connection back; listeners catch up");
            hub.reconnected();
        }
        connected_before = true;
        loop {
            tokio::select! {
                link = links.recv() => match link {
                    None => return,
                    Some(Link::Subscribe(topic, done)) => {
                        let result = sink.subscribe(format!("{prefix}{topic}")).await;
                        let lost = result.is_err();
                        let _ = done.send(result.map_err(RealtimeError::from));
                        if lost {
                            break;
                        }
                    }
                    Some(Link::Unsubscribe(topic)) => {
                        if sink.unsubscribe(format!("{prefix}{topic}")).await.is_err() {
                            break;
                        }
                    }
                },
                msg = stream.next() => {
                    let Some(msg) = msg else { break };
                    let Some(hub) = hub.upgrade() else { return };
                    let Some(topic) = msg.get_channel_name().strip_prefix(&prefix) else {
                        continue;
                    };
                    match msg.get_payload::<String>() {
                        Ok(event) => hub.deliver(topic, Arc::from(event)),
                        Err(e) => tracing::warn!(error = %e, "unreadable pub/sub message"),
                    }
                }
            }
        }
        tracing::warn!("redis pub/sub connection lost; reconnecting");
        tokio::time::sleep(retry).await;
    }
}

fn millis(ttl: Duration) -> u64 {
    u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX)
}

fn parse<T: std::str::FromStr>(raw: &str) -> RealtimeResult<T> {
    raw.parse()
        .map_err(|_| RealtimeError::Protocol(format!("cannot parse {raw:?}")))
}

impl crate::Limits for RedisRealtime {
    async fn take(&self, key: &str, rate: crate::Rate) -> RealtimeResult<Option<Duration>> {
        let interval = u64::try_from(rate.interval().as_micros()).unwrap_or(u64::MAX);
        let key = format!("{}:limit:{}/{interval}:{key}", self.ns, rate.burst);
        let wait: u64 = self
            .scripts
            .take_limit
            .key(key)
            .arg(interval)
            .arg(rate.burst.get())
            .invoke_async(&mut self.conn.clone())
            .await?;
        Ok((wait > 0).then(|| Duration::from_micros(wait)))
    }
}

impl Presence for RedisRealtime {
    async fn heartbeat(
        &self,
        tenant: TenantId,
        agent: UserId,
        availability: Availability,
        ttl: Duration,
    ) -> RealtimeResult<()> {
        let mut c = self.conn.clone();
        let _: () = c
            .pset_ex(
                self.presence_key(tenant, agent),
                availability.as_str(),
                millis(ttl).max(1),
            )
            .await?;
        Ok(())
    }

    async fn availability(&self, tenant: TenantId, agent: UserId) -> RealtimeResult<Availability> {
        let mut c = self.conn.clone();
        let raw: Option<String> = c.get(self.presence_key(tenant, agent)).await?;
        Ok(raw
            .and_then(|r| r.parse().ok())
            .unwrap_or(Availability::Offline))
    }

    /// The record, a hash, holds `until`: the moment (Unix milliseconds, this node's clock)
    /// until which the widget counts as open, and `open`: how many of its sockets are. It
    /// lives [`crate::VISITOR_SEEN_FOR`] longer than `until`.
    async fn visitor_widget(
        &self,
        tenant: TenantId,
        conversation: Uuid,
        widget: Widget,
        ttl: Duration,
    ) -> RealtimeResult<()> {
        let until = Utc::now()
            .timestamp_millis()
            .saturating_add(i64::try_from(millis(ttl)).unwrap_or(i64::MAX / 2));
        let step = match widget {
            Widget::Opened => 1,
            Widget::Beat => 0,
            Widget::Closed => -1,
        };
        let mut c = self.conn.clone();
        let _: () = self
            .scripts
            .visitor
            .key(self.visitor_key(tenant, conversation))
            .arg(step)
            .arg(until)
            .arg(millis(ttl + crate::VISITOR_SEEN_FOR))
            .invoke_async(&mut c)
            .await?;
        Ok(())
    }

    async fn visitors_gone(
        &self,
        tenant: TenantId,
        conversations: &[Uuid],
    ) -> RealtimeResult<Vec<Uuid>> {
        if conversations.is_empty() {
            return Ok(Vec::new());
        }
        let keys: Vec<String> = conversations
            .iter()
            .map(|c| self.visitor_key(tenant, *c))
            .collect();
        let mut pipe = ::redis::pipe();
        for key in &keys {
            pipe.hget(key, "until");
        }
        let mut c = self.conn.clone();
        let until: Vec<Option<i64>> = pipe.query_async(&mut c).await?;
        let now = Utc::now().timestamp_millis();
        Ok(conversations
            .iter()
            .zip(until)
            .filter(|(_, until)| until.is_some_and(|u| u <= now))
            .map(|(c, _)| *c)
            .collect())
    }
}

impl Dispatch for RedisRealtime {
    async fn reserve_engagement(
        &self,
        tenant: TenantId,
        limit: Option<u32>,
        used: u64,
        reservation: Uuid,
        ttl: Duration,
    ) -> RealtimeResult<bool> {
        let mut c = self.conn.clone();
        let ok: i64 = self
            .scripts
            .reserve
            .key(self.tenant_key(tenant, "eng:used"))
            .key(self.tenant_key(tenant, "eng:res"))
            .arg(limit.map_or(-1, i64::from))
            .arg(used)
            .arg(reservation.to_string())
            .arg(millis(ttl))
            .invoke_async(&mut c)
            .await?;
        Ok(ok == 1)
    }

    async fn consume_engagement(
        &self,
        tenant: TenantId,
        reservation: Uuid,
    ) -> RealtimeResult<bool> {
        let mut c = self.conn.clone();
        let ok: i64 = self
            .scripts
            .consume
            .key(self.tenant_key(tenant, "eng:used"))
            .key(self.tenant_key(tenant, "eng:res"))
            .arg(reservation.to_string())
            .invoke_async(&mut c)
            .await?;
        Ok(ok == 1)
    }

    async fn release_engagement(&self, tenant: TenantId, reservation: Uuid) -> RealtimeResult<()> {
        let mut c = self.conn.clone();
        let _: i64 = c
            .zrem(self.tenant_key(tenant, "eng:res"), reservation.to_string())
            .await?;
        Ok(())
    }

    async fn engagements_used(&self, tenant: TenantId) -> RealtimeResult<Option<u64>> {
        let mut c = self.conn.clone();
        Ok(c.get(self.tenant_key(tenant, "eng:used")).await?)
    }

    async fn pick_agent(
        &self,
        tenant: TenantId,
        pool: &str,
        candidates: &[UserId],
        exclude: &[UserId],
        max_load: u32,
    ) -> RealtimeResult<PickOutcome> {
        let mut c = self.conn.clone();
        let mut inv = self.scripts.pick.prepare_invoke();
        inv.key(self.tenant_key(tenant, &format!("rr:{pool}")));
        for agent in candidates {
            inv.key(self.presence_key(tenant, *agent));
            inv.key(self.load_key(tenant, *agent));
        }
        inv.arg(max_load).arg(candidates.len());
        for agent in candidates {
            inv.arg(if exclude.contains(agent) { "1" } else { "0" });
        }
        let out: Vec<i64> = inv.invoke_async(&mut c).await?;
        let at = |i: i64| {
            usize::try_from(i)
                .ok()
                .and_then(|i| candidates.get(i).copied())
                .ok_or_else(|| RealtimeError::Protocol(format!("index {i} out of range")))
        };
        let chosen = match out.first() {
            Some(i) if *i >= 0 => Some(at(*i)?),
            Some(_) => None,
            None => return Err(RealtimeError::Protocol("empty pick".into())),
        };
        let mut skipped = Vec::new();
        for pair in out[1..].chunks(2) {
            if let [i, code] = pair {
                let reason = skip_from_code(*code)
                    .ok_or_else(|| RealtimeError::Protocol(format!("skip code {code}")))?;
                skipped.push((at(*i)?, reason));
            }
        }
        Ok(PickOutcome { chosen, skipped })
    }

    async fn cursor(&self, tenant: TenantId, pool: &str) -> RealtimeResult<u64> {
        let mut c = self.conn.clone();
        let n: Option<u64> = c
            .get(self.tenant_key(tenant, &format!("rr:{pool}")))
            .await?;
        Ok(n.unwrap_or(0))
    }

    async fn release_load(&self, tenant: TenantId, agent: UserId) -> RealtimeResult<()> {
        let mut c = self.conn.clone();
        let _: i64 = self
            .scripts
            .release_load
            .key(self.load_key(tenant, agent))
            .invoke_async(&mut c)
            .await?;
        Ok(())
    }

    async fn load(&self, tenant: TenantId, agent: UserId) -> RealtimeResult<u32> {
        let mut c = self.conn.clone();
        let n: Option<u32> = c.get(self.load_key(tenant, agent)).await?;
        Ok(n.unwrap_or(0))
    }

    async fn set_load(&self, tenant: TenantId, agent: UserId, load: u32) -> RealtimeResult<()> {
        let mut c = self.conn.clone();
        let _: () = c.set(self.load_key(tenant, agent), load).await?;
        Ok(())
    }

    async fn mark_alive(&self) -> RealtimeResult<bool> {
        let mut c = self.conn.clone();
        let set: Option<String> = ::redis::cmd("SET")
            .arg(format!("{}:alive", self.ns))
            .arg(1)
            .arg("NX")
            .query_async(&mut c)
            .await?;
        Ok(set.is_some())
    }

    async fn put_offer(&self, offer: &Offer) -> RealtimeResult<()> {
        let mut c = self.conn.clone();
        let _: i64 = self
            .scripts
            .put_offer
            .key(self.offer_key(offer.id))
            .key(self.due_key())
            .key(format!(
                "{}{}:{}",
                self.agent_offers_prefix(),
                offer.tenant,
                offer.agent
            ))
            .arg(offer.id.to_string())
            .arg(offer.tenant.to_string())
            .arg(offer.agent.to_string())
            .arg(offer.deadline.timestamp_millis())
            .invoke_async(&mut c)
            .await?;
        Ok(())
    }

    async fn resolve_offer(
        &self,
        id: Uuid,
        resolution: Resolution,
    ) -> RealtimeResult<Option<Offer>> {
        let mut c = self.conn.clone();
        let fields: Option<Vec<String>> = self
            .scripts
            .resolve
            .key(self.offer_key(id))
            .key(self.due_key())
            .arg(id.to_string())
            .arg(resolution.as_str())
            .arg(self.agent_offers_prefix())
            .invoke_async(&mut c)
            .await?;
        let Some(fields) = fields else {
            return Ok(None);
        };
        let [tenant, agent, deadline] = fields.as_slice() else {
            return Err(RealtimeError::Protocol(format!("offer fields {fields:?}")));
        };
        let deadline = DateTime::<Utc>::from_timestamp_millis(parse(deadline)?)
            .ok_or_else(|| RealtimeError::Protocol(format!("deadline {deadline}")))?;
        Ok(Some(Offer {
            id,
            tenant: parse(tenant)?,
            agent: parse(agent)?,
            deadline,
        }))
    }

    async fn due_offers(&self, now: DateTime<Utc>, max: usize) -> RealtimeResult<Vec<Uuid>> {
        let mut c = self.conn.clone();
        let ids: Vec<String> = c
            .zrangebyscore_limit(
                self.due_key(),
                "-inf",
                now.timestamp_millis(),
                0,
                isize::try_from(max).unwrap_or(isize::MAX),
            )
            .await?;
        ids.iter().map(|s| parse(s)).collect()
    }

    async fn pending_offers_of(
        &self,
        tenant: TenantId,
        agent: UserId,
    ) -> RealtimeResult<Vec<Uuid>> {
        let mut c = self.conn.clone();
        let ids: Vec<String> = c
            .smembers(format!("{}{tenant}:{agent}", self.agent_offers_prefix()))
            .await?;
        ids.iter().map(|s| parse(s)).collect()
    }
}

impl Bus for RedisRealtime {
    async fn publish(&self, topic: Topic, event: &str) -> RealtimeResult<()> {
        let mut c = self.conn.clone();
        let _: i64 = c.publish(format!("{}:bus:{topic}", self.ns), event).await?;
        Ok(())
    }

    async fn subscribe(&self, topic: Topic) -> RealtimeResult<Subscription> {
        let (subscription, confirmed) = self.hub.join(topic.to_string());
        if let Some(confirmed) = confirmed {
            confirmed
                .await
                .map_err(|_| RealtimeError::Protocol("the pub/sub task has stopped".into()))??;
        }
        Ok(subscription)
    }
}

impl Queue for RedisRealtime {
    async fn enqueue(
        &self,
        tenant: TenantId,
        target: &str,
        conversation: Uuid,
        since: DateTime<Utc>,
    ) -> RealtimeResult<u64> {
        let mut c = self.conn.clone();
        let _: i64 = c
            .sadd(self.queue_index_key(), format!("{tenant}|{target}"))
            .await?;
        let position: i64 = self
            .scripts
            .enqueue
            .key(self.queue_key(tenant, target))
            .arg(since.timestamp_millis())
            .arg(conversation.to_string())
            .invoke_async(&mut c)
            .await?;
        Ok(u64::try_from(position).unwrap_or(0))
    }

    async fn leave_queue(
        &self,
        tenant: TenantId,
        target: &str,
        conversation: Uuid,
    ) -> RealtimeResult<bool> {
        let mut c = self.conn.clone();
        let removed: i64 = c
            .zrem(self.queue_key(tenant, target), conversation.to_string())
            .await?;
        Ok(removed == 1)
    }

    async fn position(
        &self,
        tenant: TenantId,
        target: &str,
        conversation: Uuid,
    ) -> RealtimeResult<Option<u64>> {
        let mut c = self.conn.clone();
        let rank: Option<i64> = c
            .zrank(self.queue_key(tenant, target), conversation.to_string())
            .await?;
        Ok(rank.and_then(|r| u64::try_from(r + 1).ok()))
    }

    async fn waiting(
        &self,
        tenant: TenantId,
        target: &str,
        max: usize,
    ) -> RealtimeResult<Vec<Uuid>> {
        if max == 0 {
            return Ok(Vec::new());
        }
        let mut c = self.conn.clone();
        let stop = isize::try_from(max).unwrap_or(isize::MAX) - 1;
        let ids: Vec<String> = c.zrange(self.queue_key(tenant, target), 0, stop).await?;
        ids.iter().map(|s| parse(s)).collect()
    }

    async fn queues(&self) -> RealtimeResult<Vec<(TenantId, String)>> {
        let mut c = self.conn.clone();
        let all: Vec<String> = c.smembers(self.queue_index_key()).await?;
        let mut out = Vec::new();
        for entry in all {
            let Some((tenant, target)) = entry.split_once('|') else {
                continue;
            };
            let tenant: TenantId = parse::<Uuid>(tenant).map(TenantId::from_uuid)?;
            let n: i64 = c.zcard(self.queue_key(tenant, target)).await?;
            if n > 0 {
                out.push((tenant, target.to_owned()));
            }
        }
        Ok(out)
    }

    async fn start_serving(
        &self,
        tenant: TenantId,
        target: &str,
        holder: Uuid,
        ttl: Duration,
    ) -> RealtimeResult<bool> {
        let mut c = self.conn.clone();
        let got: i64 = self
            .scripts
            .start_serving
            .key(self.tenant_key(tenant, &format!("serving:{target}")))
            .key(self.tenant_key(tenant, &format!("asked:{target}")))
            .arg(holder.to_string())
            .arg(u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1))
            .invoke_async(&mut c)
            .await?;
        Ok(got == 1)
    }

    async fn end_serving(
        &self,
        tenant: TenantId,
        target: &str,
        holder: Uuid,
    ) -> RealtimeResult<bool> {
        let mut c = self.conn.clone();
        let again: i64 = self
            .scripts
            .end_serving
            .key(self.tenant_key(tenant, &format!("serving:{target}")))
            .key(self.tenant_key(tenant, &format!("asked:{target}")))
            .arg(holder.to_string())
            .arg(SERVE_AGAIN_MS)
            .invoke_async(&mut c)
            .await?;
        Ok(again == 1)
    }
}
