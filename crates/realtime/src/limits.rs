//! Rate limits shared by every node (SPEC §12.4): how often one key (an address, an account,
//! a widget key, a conversation) may do something. The generic cell rate algorithm: a
//! [`Rate`] allows `burst` at once, then one more each `period / burst`.
//!
//! In-process, [`MemoryLimits`] keeps governor's keyed limiters (one per rate); with Redis,
//! one script reads and moves the key's theoretical arrival time atomically, on Redis's own
//! clock, so every node counts the same allowance.

use std::collections::HashMap;
use std::future::Future;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::RealtimeResult;

/// How often something may happen: `burst` at once, then the allowance refills evenly over
/// `period`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rate {
    pub burst: NonZeroU32,
    pub period: Duration,
}

impl Rate {
    /// The time one unit of allowance takes to come back.
    pub fn interval(&self) -> Duration {
        (self.period / self.burst.get()).max(Duration::from_micros(1))
    }
}

pub trait Limits: Send + Sync {
    /// Takes one unit of `key`'s allowance under `rate`: `None` when there was one, else
    /// how long until there will be (nothing is taken then).
    fn take(
        &self,
        key: &str,
        rate: Rate,
    ) -> impl Future<Output = RealtimeResult<Option<Duration>>> + Send;
}

/// In-process limits (one node).
#[derive(Default)]
pub struct MemoryLimits {
    limiters: Mutex<HashMap<Rate, Arc<DefaultKeyedRateLimiter<String>>>>,
    takes: AtomicU64,
}

/// Every this many takes, keys whose allowance is whole again are forgotten.
const SWEEP_EVERY: u64 = 4096;

impl MemoryLimits {
    fn limiter(&self, rate: Rate) -> Arc<DefaultKeyedRateLimiter<String>> {
        let mut limiters = self
            .limiters
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if self.takes.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            for l in limiters.values() {
                l.retain_recent();
            }
        }
        limiters
            .entry(rate)
            .or_insert_with(|| {
                let quota = Quota::with_period(rate.interval())
                    .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
                    .allow_burst(rate.burst);
                Arc::new(RateLimiter::keyed(quota))
            })
            .clone()
    }
}

impl Limits for MemoryLimits {
    async fn take(&self, key: &str, rate: Rate) -> RealtimeResult<Option<Duration>> {
        let limiter = self.limiter(rate);
        Ok(match limiter.check_key(&key.to_owned()) {
            Ok(()) => None,
            Err(not_until) => {
                use governor::clock::Clock;
                Some(not_until.wait_time_from(limiter.clock().now()))
            }
        })
    }
}

/// GCRA on Redis: `KEYS[1]` holds the key's theoretical arrival time (µs, Redis's clock);
/// `ARGV[1]` is the interval (µs), `ARGV[2]` the burst. Returns 0 when allowed, else the
/// µs to wait.
pub(crate) const TAKE: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tolerance = interval * (tonumber(ARGV[2]) - 1)
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local allowed_at = tat - tolerance
if now < allowed_at then
  return math.max(1, math.floor(allowed_at - now))
end
local next_tat = tat + interval
redis.call('SET', KEYS[1], string.format('%.0f', next_tat), 'PX', math.ceil((next_tat - now) / 1000) + 1)
return 0
";
