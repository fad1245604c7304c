//! One conformance suite, run unchanged against both backends: the in-process one and Redis
//! (`SWITCHBOARD_TEST_REDIS_URL`, default `redis://127.0.0.1:6379`; each run uses its own key
//! namespace). Redis missing is a failure, never a skip: scripts/test.sh starts it.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use switchboard_core::routing::Availability;
use switchboard_core::routing::eligibility::SkipReason;
use switchboard_core::{TenantId, UserId};
use switchboard_realtime::memory::MemoryRealtime;
use switchboard_realtime::redis::RedisRealtime;
use switchboard_realtime::{
    Bus, Offer, Realtime, Received, Resolution, Subscription, Topic, Widget,
};
use uuid::Uuid;

#[path = "../../../tests/support/redis.rs"]
mod own_redis;

const LONG: Duration = Duration::from_secs(600);

async fn memory() -> MemoryRealtime {
    MemoryRealtime::new()
}

async fn redis() -> RedisRealtime {
    let url = std::env::var("SWITCHBOARD_TEST_REDIS_URL")
        .unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    RedisRealtime::connect(&url, &format!("sbtest-{}", Uuid::new_v4().simple()))
        .await
        .unwrap_or_else(|e| panic!("Redis at {url} is required for this suite: {e}"))
}

async fn agents_available<R: Realtime>(rt: &R, tenant: TenantId, n: usize) -> Vec<UserId> {
    let mut agents = Vec::new();
    for _ in 0..n {
        let a = UserId::new();
        rt.heartbeat(tenant, a, Availability::Available, LONG)
            .await
            .unwrap();
        agents.push(a);
    }
    agents
}

mod cases {
    use super::*;

    /// A rate allows its burst, then refuses with the wait until the next unit, which then
    /// comes; keys and rates are counted apart; concurrent takes never exceed the burst.
    pub async fn a_rate_allows_its_burst_then_refuses_until_it_refills<R: Realtime + 'static>(
        rt: Arc<R>,
    ) {
        use switchboard_realtime::Rate;
        let rate = Rate {
            burst: std::num::NonZeroU32::new(3).unwrap(),
            period: Duration::from_millis(600),
        };
        let key = format!("ip:{}", Uuid::new_v4());
        for _ in 0..3 {
            assert_eq!(rt.take(&key, rate).await.unwrap(), None);
        }
        let wait = rt
            .take(&key, rate)
            .await
            .unwrap()
            .expect("the fourth is refused");
        assert!(
            wait > Duration::ZERO && wait <= Duration::from_millis(200),
            "{wait:?}"
        );
        // Another key, or the same key under another rate, has its own allowance.
        assert_eq!(rt.take(&format!("{key}-other"), rate).await.unwrap(), None);
        let other_rate = Rate {
            period: Duration::from_secs(60),
            ..rate
        };
        assert_eq!(rt.take(&key, other_rate).await.unwrap(), None);
        tokio::time::sleep(wait + Duration::from_millis(20)).await;
        assert_eq!(rt.take(&key, rate).await.unwrap(), None);
        assert!(rt.take(&key, rate).await.unwrap().is_some());

        // 200 at once against a burst of 10 (and a refill far off): exactly 10 pass.
        let slow = Rate {
            burst: std::num::NonZeroU32::new(10).unwrap(),
            period: Duration::from_secs(3600),
        };
        let key = format!("flood:{}", Uuid::new_v4());
        let tasks: Vec<_> = (0..200)
            .map(|_| {
                let (rt, key) = (rt.clone(), key.clone());
                tokio::spawn(async move { rt.take(&key, slow).await.unwrap().is_none() })
            })
            .collect();
        let mut passed = 0;
        for t in tasks {
            passed += usize::from(t.await.unwrap());
        }
        assert_eq!(passed, 10);
    }

    pub async fn engagement_limit_holds_under_1000_concurrent_requests<R: Realtime + 'static>(
        rt: Arc<R>,
    ) {
        let tenant = TenantId::new();
        let tasks: Vec<_> = (0..1000)
            .map(|_| {
                let rt = rt.clone();
                tokio::spawn(async move {
                    let id = Uuid::new_v4();
                    rt.reserve_engagement(tenant, Some(100), 0, id, LONG)
                        .await
                        .unwrap()
                        .then_some(id)
                })
            })
            .collect();
        let mut reserved = Vec::new();
        for t in tasks {
            if let Some(id) = t.await.unwrap() {
                reserved.push(id);
            }
        }
        assert_eq!(reserved.len(), 100);
        for id in &reserved {
            assert!(rt.consume_engagement(tenant, *id).await.unwrap());
            assert!(
                !rt.consume_engagement(tenant, *id).await.unwrap(),
                "consumed twice"
            );
        }
        assert_eq!(rt.engagements_used(tenant).await.unwrap(), Some(100));
        assert!(
            !rt.reserve_engagement(tenant, Some(100), 0, Uuid::new_v4(), LONG)
                .await
                .unwrap()
        );
        // Another tenant's limit is its own.
        assert!(
            rt.reserve_engagement(TenantId::new(), Some(100), 0, Uuid::new_v4(), LONG)
                .await
                .unwrap()
        );
    }

    pub async fn released_and_lapsed_reservations_free_their_slot<R: Realtime>(rt: Arc<R>) {
        let tenant = TenantId::new();
        let (r1, r2) = (Uuid::new_v4(), Uuid::new_v4());
        assert!(
            rt.reserve_engagement(tenant, Some(2), 0, r1, LONG)
                .await
                .unwrap()
        );
        assert!(
            rt.reserve_engagement(tenant, Some(2), 0, r2, LONG)
                .await
                .unwrap()
        );
        assert!(
            !rt.reserve_engagement(tenant, Some(2), 0, Uuid::new_v4(), LONG)
                .await
                .unwrap()
        );
        rt.release_engagement(tenant, r1).await.unwrap();
        assert!(
            !rt.consume_engagement(tenant, r1).await.unwrap(),
            "a released reservation cannot be consumed"
        );
        assert!(
            rt.reserve_engagement(tenant, Some(2), 0, Uuid::new_v4(), LONG)
                .await
                .unwrap()
        );

        let other = TenantId::new();
        assert!(
            rt.reserve_engagement(
                other,
                Some(1),
                0,
                Uuid::new_v4(),
                Duration::from_millis(100)
            )
            .await
            .unwrap()
        );
        assert!(
            !rt.reserve_engagement(other, Some(1), 0, Uuid::new_v4(), LONG)
                .await
                .unwrap()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
        assert!(
            rt.reserve_engagement(other, Some(1), 0, Uuid::new_v4(), LONG)
                .await
                .unwrap(),
            "a lapsed reservation frees its slot"
        );
    }

    pub async fn the_database_count_seeds_the_counter_and_unlimited_never_refuses<R: Realtime>(
        rt: Arc<R>,
    ) {
        let tenant = TenantId::new();
        assert_eq!(rt.engagements_used(tenant).await.unwrap(), None);
        assert!(
            rt.reserve_engagement(tenant, Some(10), 9, Uuid::new_v4(), LONG)
                .await
                .unwrap()
        );
        assert!(
            !rt.reserve_engagement(tenant, Some(10), 9, Uuid::new_v4(), LONG)
                .await
                .unwrap()
        );
        assert_eq!(rt.engagements_used(tenant).await.unwrap(), Some(9));
        let unlimited = TenantId::new();
        for _ in 0..50 {
            assert!(
                rt.reserve_engagement(unlimited, None, 1_000_000, Uuid::new_v4(), LONG)
                    .await
                    .unwrap()
            );
        }
    }

    pub async fn round_robin_gives_each_of_n_agents_exactly_one<R: Realtime>(rt: Arc<R>) {
        let tenant = TenantId::new();
        let agents = agents_available(&*rt, tenant, 5).await;
        assert_eq!(rt.cursor(tenant, "all").await.unwrap(), 0);
        let mut chosen = Vec::new();
        for _ in 0..5 {
            chosen.push(
                rt.pick_agent(tenant, "all", &agents, &[], 10)
                    .await
                    .unwrap()
                    .chosen
                    .unwrap(),
            );
        }
        assert_eq!(
            rt.cursor(tenant, "all").await.unwrap(),
            0,
            "five picks over five wrap around"
        );
        let mut sorted = chosen.clone();
        sorted.sort();
        let mut expected = agents.clone();
        expected.sort();
        assert_eq!(sorted, expected);
        for a in &agents {
            assert_eq!(rt.load(tenant, *a).await.unwrap(), 1);
        }
        // The cursor is per pool: a team's round-robin does not move the tenant's.
        let team = &agents[2..4];
        assert_eq!(
            rt.pick_agent(tenant, "team:x", team, &[], 10)
                .await
                .unwrap()
                .chosen,
            Some(agents[2])
        );
        assert_eq!(
            rt.pick_agent(tenant, "all", &agents, &[], 10)
                .await
                .unwrap()
                .chosen,
            Some(chosen[0])
        );
    }

    pub async fn round_robin_skips_the_ineligible_and_says_why<R: Realtime>(rt: Arc<R>) {
        let tenant = TenantId::new();
        let agents: Vec<UserId> = (0..5).map(|_| UserId::new()).collect();
        rt.heartbeat(tenant, agents[0], Availability::Available, LONG)
            .await
            .unwrap();
        rt.set_load(tenant, agents[0], 3).await.unwrap();
        rt.heartbeat(tenant, agents[1], Availability::Away, LONG)
            .await
            .unwrap();
        // agents[2]: no heartbeat at all.
        rt.heartbeat(tenant, agents[3], Availability::Available, LONG)
            .await
            .unwrap();
        rt.heartbeat(tenant, agents[4], Availability::Available, LONG)
            .await
            .unwrap();
        let pick = rt
            .pick_agent(tenant, "all", &agents, &[agents[3]], 3)
            .await
            .unwrap();
        assert_eq!(pick.chosen, Some(agents[4]));
        assert_eq!(
            pick.skipped,
            vec![
                (agents[0], SkipReason::AtCapacity),
                (agents[1], SkipReason::Away),
                (agents[2], SkipReason::Offline),
                (agents[3], SkipReason::AlreadyTried),
            ]
        );
        rt.heartbeat(tenant, agents[4], Availability::Offline, LONG)
            .await
            .unwrap();
        let none = rt
            .pick_agent(tenant, "all", &agents, &[agents[3]], 3)
            .await
            .unwrap();
        assert_eq!(none.chosen, None);
        assert_eq!(none.skipped.len(), 5);
        assert_eq!(
            rt.pick_agent(tenant, "all", &[], &[], 3)
                .await
                .unwrap()
                .chosen,
            None
        );
    }

    pub async fn concurrent_picks_never_exceed_an_agents_capacity<R: Realtime + 'static>(
        rt: Arc<R>,
    ) {
        let tenant = TenantId::new();
        let team = Arc::new(agents_available(&*rt, tenant, 3).await);
        let tasks: Vec<_> = (0..500)
            .map(|_| {
                let (rt, team) = (rt.clone(), team.clone());
                tokio::spawn(async move {
                    rt.pick_agent(tenant, "team:sales", &team, &[], 10)
                        .await
                        .unwrap()
                        .chosen
                })
            })
            .collect();
        let mut offered = 0;
        for t in tasks {
            offered += usize::from(t.await.unwrap().is_some());
        }
        assert_eq!(offered, 30);
        for a in team.iter() {
            assert_eq!(rt.load(tenant, *a).await.unwrap(), 10);
        }
        rt.release_load(tenant, team[0]).await.unwrap();
        assert_eq!(
            rt.pick_agent(tenant, "team:sales", &team, &[], 10)
                .await
                .unwrap()
                .chosen,
            Some(team[0])
        );
    }

    pub async fn load_is_released_never_below_zero_and_can_be_rebuilt<R: Realtime>(rt: Arc<R>) {
        let (tenant, agent) = (TenantId::new(), UserId::new());
        rt.release_load(tenant, agent).await.unwrap();
        assert_eq!(rt.load(tenant, agent).await.unwrap(), 0);
        rt.set_load(tenant, agent, 4).await.unwrap();
        rt.release_load(tenant, agent).await.unwrap();
        assert_eq!(rt.load(tenant, agent).await.unwrap(), 3);
    }

    pub async fn exactly_one_of_50_concurrent_resolutions_wins<R: Realtime + 'static>(rt: Arc<R>) {
        let (tenant, agent) = (TenantId::new(), UserId::new());
        let offer = Offer {
            id: Uuid::now_v7(),
            tenant,
            agent,
            deadline: Utc::now() + chrono::Duration::seconds(45),
        };
        rt.put_offer(&offer).await.unwrap();
        assert_eq!(
            rt.pending_offers_of(tenant, agent).await.unwrap(),
            vec![offer.id]
        );
        let tasks: Vec<_> = (0..50)
            .map(|i| {
                let rt = rt.clone();
                let resolution = if i % 2 == 0 {
                    Resolution::Accepted
                } else {
                    Resolution::Expired
                };
                tokio::spawn(async move { rt.resolve_offer(offer.id, resolution).await.unwrap() })
            })
            .collect();
        let mut winners = Vec::new();
        for t in tasks {
            if let Some(o) = t.await.unwrap() {
                winners.push(o);
            }
        }
        assert_eq!(winners.len(), 1);
        assert_eq!(winners[0].tenant, tenant);
        assert_eq!(winners[0].agent, agent);
        assert_eq!(
            winners[0].deadline.timestamp_millis(),
            offer.deadline.timestamp_millis()
        );
        assert!(
            rt.pending_offers_of(tenant, agent)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            rt.due_offers(Utc::now() + chrono::Duration::hours(1), 10)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            rt.resolve_offer(Uuid::now_v7(), Resolution::Declined)
                .await
                .unwrap(),
            None,
            "unknown offer"
        );
    }

    pub async fn due_offers_are_those_past_their_deadline_earliest_first<R: Realtime>(rt: Arc<R>) {
        let tenant = TenantId::new();
        let now = Utc::now();
        let make = |secs: i64| Offer {
            id: Uuid::now_v7(),
            tenant,
            agent: UserId::new(),
            deadline: now + chrono::Duration::seconds(secs),
        };
        let (late, later, future) = (make(-10), make(-5), make(30));
        for o in [&later, &future, &late] {
            rt.put_offer(o).await.unwrap();
        }
        let due = rt.due_offers(now, 100).await.unwrap();
        let mine: Vec<_> = due
            .into_iter()
            .filter(|id| [late.id, later.id, future.id].contains(id))
            .collect();
        assert_eq!(mine, vec![late.id, later.id]);
        assert_eq!(
            rt.resolve_offer(late.id, Resolution::Expired)
                .await
                .unwrap()
                .map(|o| o.id),
            Some(late.id)
        );
        assert!(!rt.due_offers(now, 100).await.unwrap().contains(&late.id));
    }

    pub async fn only_the_first_mark_of_a_fresh_store_asks_for_a_rebuild<R: Realtime + 'static>(
        rt: Arc<R>,
    ) {
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let rt = rt.clone();
                tokio::spawn(async move { rt.mark_alive().await.unwrap() })
            })
            .collect();
        let mut firsts = 0;
        for t in tasks {
            firsts += usize::from(t.await.unwrap());
        }
        assert_eq!(firsts, 1);
    }

    pub async fn presence_lapses_without_a_heartbeat<R: Realtime>(rt: Arc<R>) {
        let (tenant, agent) = (TenantId::new(), UserId::new());
        assert_eq!(
            rt.availability(tenant, agent).await.unwrap(),
            Availability::Offline
        );
        rt.heartbeat(tenant, agent, Availability::Away, LONG)
            .await
            .unwrap();
        assert_eq!(
            rt.availability(tenant, agent).await.unwrap(),
            Availability::Away
        );
        rt.heartbeat(
            tenant,
            agent,
            Availability::Available,
            Duration::from_millis(150),
        )
        .await
        .unwrap();
        assert_eq!(
            rt.availability(tenant, agent).await.unwrap(),
            Availability::Available
        );
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(
            rt.availability(tenant, agent).await.unwrap(),
            Availability::Offline
        );
        // Presence is per tenant.
        rt.heartbeat(tenant, agent, Availability::Available, LONG)
            .await
            .unwrap();
        assert_eq!(
            rt.availability(TenantId::new(), agent).await.unwrap(),
            Availability::Offline
        );
    }
    pub async fn a_visitor_is_gone_once_their_last_widget_closed_past_the_grace<R: Realtime>(
        rt: Arc<R>,
    ) {
        let tenant = TenantId::new();
        let (open, closing, never) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let all = [open, closing, never];
        let grace = Duration::from_millis(150);
        rt.visitor_widget(tenant, open, Widget::Opened, LONG)
            .await
            .unwrap();
        // Two tabs (or a reload whose new socket opened before the old one closed).
        for _ in 0..2 {
            rt.visitor_widget(tenant, closing, Widget::Opened, LONG)
                .await
                .unwrap();
        }
        assert!(rt.visitors_gone(tenant, &all).await.unwrap().is_empty());
        // One socket closes: the other still holds the visitor.
        rt.visitor_widget(tenant, closing, Widget::Closed, grace)
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert!(rt.visitors_gone(tenant, &all).await.unwrap().is_empty());
        // The last closes: a short grace, then gone.
        rt.visitor_widget(tenant, closing, Widget::Closed, grace)
            .await
            .unwrap();
        assert!(rt.visitors_gone(tenant, &all).await.unwrap().is_empty());
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(rt.visitors_gone(tenant, &all).await.unwrap(), vec![closing]);
        // Back within the record's life (a reload after the grace): here again.
        rt.visitor_widget(tenant, closing, Widget::Opened, LONG)
            .await
            .unwrap();
        assert!(rt.visitors_gone(tenant, &all).await.unwrap().is_empty());
        // A socket that stops beating (its node died) lapses without closing.
        rt.visitor_widget(tenant, open, Widget::Beat, Duration::from_millis(1))
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(rt.visitors_gone(tenant, &all).await.unwrap(), vec![open]);
        // Per tenant; nothing asked, nothing answered.
        assert!(
            rt.visitors_gone(TenantId::new(), &all)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(rt.visitors_gone(tenant, &[]).await.unwrap().is_empty());
    }

    pub async fn a_queue_is_first_in_first_out_and_keeps_a_place<R: Realtime + 'static>(
        rt: Arc<R>,
    ) {
        let tenant = TenantId::new();
        let t0 = Utc::now();
        let ids: Vec<Uuid> = (0..5).map(|_| Uuid::now_v7()).collect();
        for (i, id) in ids.iter().enumerate() {
            let at = t0 + chrono::Duration::milliseconds(i as i64);
            assert_eq!(
                rt.enqueue(tenant, "team:x", *id, at).await.unwrap(),
                i as u64 + 1
            );
        }
        // Enqueued again (a rebuild, a retry): the same place, not the end.
        assert_eq!(
            rt.enqueue(tenant, "team:x", ids[1], t0 + chrono::Duration::seconds(9))
                .await
                .unwrap(),
            2
        );
        assert_eq!(rt.waiting(tenant, "team:x", 10).await.unwrap(), ids);
        assert_eq!(
            rt.position(tenant, "team:x", ids[3]).await.unwrap(),
            Some(4)
        );
        assert_eq!(rt.position(tenant, "all", ids[3]).await.unwrap(), None);
        assert_eq!(rt.waiting(tenant, "team:x", 2).await.unwrap(), ids[..2]);
        // Another target, another queue.
        assert!(rt.waiting(tenant, "all", 10).await.unwrap().is_empty());
        assert!(rt.leave_queue(tenant, "team:x", ids[0]).await.unwrap());
        assert!(!rt.leave_queue(tenant, "team:x", ids[0]).await.unwrap());
        assert_eq!(rt.waiting(tenant, "team:x", 1).await.unwrap(), [ids[1]]);
        assert!(
            rt.queues()
                .await
                .unwrap()
                .contains(&(tenant, "team:x".to_owned()))
        );
        for id in &ids[1..] {
            rt.leave_queue(tenant, "team:x", *id).await.unwrap();
        }
        assert!(
            !rt.queues()
                .await
                .unwrap()
                .contains(&(tenant, "team:x".to_owned()))
        );
    }

    pub async fn of_50_concurrent_leaves_exactly_one_takes_the_visitor<R: Realtime + 'static>(
        rt: Arc<R>,
    ) {
        let tenant = TenantId::new();
        let id = Uuid::now_v7();
        rt.enqueue(tenant, "all", id, Utc::now()).await.unwrap();
        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let rt = rt.clone();
                tokio::spawn(async move { rt.leave_queue(tenant, "all", id).await.unwrap() })
            })
            .collect();
        let mut won = 0;
        for t in tasks {
            won += usize::from(t.await.unwrap());
        }
        assert_eq!(won, 1);
    }

    pub async fn one_holder_serves_a_queue_and_hears_that_others_asked<R: Realtime + 'static>(
        rt: Arc<R>,
    ) {
        let tenant = TenantId::new();
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        assert!(rt.start_serving(tenant, "all", a, LONG).await.unwrap());
        // Its own second ask is fine; another holder is refused, and that is remembered.
        assert!(rt.start_serving(tenant, "all", a, LONG).await.unwrap());
        assert!(!rt.start_serving(tenant, "all", b, LONG).await.unwrap());
        // Another target is served independently.
        assert!(rt.start_serving(tenant, "team:y", b, LONG).await.unwrap());
        assert!(rt.end_serving(tenant, "all", a).await.unwrap(), "b asked");
        assert!(!rt.end_serving(tenant, "all", a).await.unwrap());
        // Now free for b.
        assert!(rt.start_serving(tenant, "all", b, LONG).await.unwrap());
        assert!(!rt.end_serving(tenant, "all", a).await.unwrap(), "not a's");
        // A holder that vanished loses the queue when its time is up.
        let c = Uuid::new_v4();
        assert!(
            rt.start_serving(tenant, "agent:z", c, Duration::from_millis(50))
                .await
                .unwrap()
        );
        tokio::time::sleep(Duration::from_millis(120)).await;
        assert!(rt.start_serving(tenant, "agent:z", b, LONG).await.unwrap());
    }
}

async fn next_event(sub: &mut Subscription) -> String {
    match tokio::time::timeout(Duration::from_secs(5), sub.recv()).await {
        Ok(Some(Received::Event(e))) => e.to_string(),
        other => panic!("expected an event, got {other:?}"),
    }
}

async fn nothing_more(sub: &mut Subscription) {
    if let Ok(got) = tokio::time::timeout(Duration::from_millis(200), sub.recv()).await {
        panic!("expected nothing, got {got:?}");
    }
}

mod bus_cases {
    use super::*;

    pub async fn every_subscriber_of_a_topic_gets_each_event_in_order<R: Realtime + 'static>(
        rt: Arc<R>,
    ) {
        let conv = Topic::Conversation(Uuid::new_v4());
        let other = Topic::Agent(TenantId::new(), UserId::new());
        let mut a = rt.subscribe(conv).await.unwrap();
        let mut b = rt.subscribe(conv).await.unwrap();
        let mut c = rt.subscribe(other).await.unwrap();
        for i in 0..20 {
            rt.publish(conv, &format!("m{i}")).await.unwrap();
        }
        for i in 0..20 {
            assert_eq!(next_event(&mut a).await, format!("m{i}"));
            assert_eq!(next_event(&mut b).await, format!("m{i}"));
        }
        nothing_more(&mut c).await;
        // Publishing to a topic nobody listens to is fine.
        rt.publish(Topic::Config, "x").await.unwrap();
    }

    pub async fn a_topic_left_by_everyone_can_be_joined_again<R: Realtime + 'static>(rt: Arc<R>) {
        let topic = Topic::Conversation(Uuid::new_v4());
        // Many listeners come and go at once; the last one to join still hears everything.
        let churn: Vec<_> = (0..50)
            .map(|_| {
                let rt = rt.clone();
                tokio::spawn(async move {
                    let sub = rt.subscribe(topic).await.unwrap();
                    tokio::task::yield_now().await;
                    drop(sub);
                })
            })
            .collect();
        for t in churn {
            t.await.unwrap();
        }
        let mut sub = rt.subscribe(topic).await.unwrap();
        rt.publish(topic, "after").await.unwrap();
        assert_eq!(next_event(&mut sub).await, "after");
        drop(sub);
        let mut again = rt.subscribe(topic).await.unwrap();
        rt.publish(topic, "again").await.unwrap();
        assert_eq!(next_event(&mut again).await, "again");
    }

    pub async fn a_slow_listener_is_told_it_lagged<R: Realtime + 'static>(rt: Arc<R>) {
        let topic = Topic::Conversation(Uuid::new_v4());
        let mut slow = rt.subscribe(topic).await.unwrap();
        let mut fast = rt.subscribe(topic).await.unwrap();
        for i in 0..400 {
            rt.publish(topic, &i.to_string()).await.unwrap();
            assert_eq!(next_event(&mut fast).await, i.to_string());
        }
        match slow.recv().await {
            Some(Received::Lagged(n)) => assert!(n > 0),
            other => panic!("expected a lag, got {other:?}"),
        }
        // Then it goes on with what is still buffered, in order.
        let first: u32 = next_event(&mut slow).await.parse().unwrap();
        let second: u32 = next_event(&mut slow).await.parse().unwrap();
        assert_eq!(second, first + 1);
    }
}

macro_rules! conformance {
    ($backend:ident: $($case:ident),* $(,)?) => {
        mod $backend {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $case() {
                    super::cases::$case(std::sync::Arc::new(super::$backend().await)).await;
                }
            )*
        }
    };
}

macro_rules! both_backends {
    ($($case:ident),* $(,)?) => {
        conformance!(memory: $($case),*);
        conformance!(redis: $($case),*);
    };
}

mod bus {
    macro_rules! bus_conformance {
        ($backend:ident: $($case:ident),* $(,)?) => {
            mod $backend {
                $(
                    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                    async fn $case() {
                        crate::bus_cases::$case(std::sync::Arc::new(crate::$backend().await))
                            .await;
                    }
                )*
            }
        };
    }
    macro_rules! both {
        ($($case:ident),* $(,)?) => {
            bus_conformance!(memory: $($case),*);
            bus_conformance!(redis: $($case),*);
        };
    }
    both!(
        every_subscriber_of_a_topic_gets_each_event_in_order,
        a_topic_left_by_everyone_can_be_joined_again,
        a_slow_listener_is_told_it_lagged,
    );
}

/// Two Redis handles with one namespace are two nodes: an event crosses from one to the other,
/// and after their Redis is killed and comes back, each node subscribes again by itself and
/// hears later events. This test runs its own `redis-server` (the one scripts/test.sh
/// installs) on a free port, so killing it disturbs no other test.
mod redis_nodes {
    use super::*;

    use super::own_redis::OwnRedis;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn events_cross_nodes_and_survive_a_redis_restart_telling_listeners_to_catch_up() {
        let mut server = OwnRedis::start().await;
        let url = server.url();
        let a = RedisRealtime::connect(&url, "sbtest").await.unwrap();
        let b = RedisRealtime::connect(&url, "sbtest").await.unwrap();
        let elsewhere = RedisRealtime::connect(&url, "sbtest-other").await.unwrap();
        let topic = Topic::Conversation(Uuid::new_v4());
        let mut on_b = b.subscribe(topic).await.unwrap();
        let mut other_ns = elsewhere.subscribe(topic).await.unwrap();
        a.publish(topic, "hello from a").await.unwrap();
        assert_eq!(next_event(&mut on_b).await, "hello from a");
        nothing_more(&mut other_ns).await;

        server.restart().await;
        let deadline = std::time::Instant::now() + Duration::from_secs(15);
        // Node b's listener is told its link came back (events may have been missed) before
        // it hears anything published after.
        let mut told = false;
        loop {
            // Publishing fails while node a's own connection comes back: keep trying.
            let _ = a.publish(topic, "after the restart").await;
            match tokio::time::timeout(Duration::from_millis(200), on_b.recv()).await {
                Ok(Some(Received::Reconnected)) => told = true,
                Ok(Some(Received::Event(e))) => {
                    assert_eq!(&*e, "after the restart");
                    assert!(
                        told,
                        "an event came before the listener was told to catch up"
                    );
                    break;
                }
                Ok(other) => panic!("unexpected {other:?}"),
                Err(_) if std::time::Instant::now() < deadline => continue,
                Err(_) => panic!("node b never heard from node a again"),
            }
        }
        drop(server);
    }
}
both_backends!(
    a_rate_allows_its_burst_then_refuses_until_it_refills,
    engagement_limit_holds_under_1000_concurrent_requests,
    released_and_lapsed_reservations_free_their_slot,
    the_database_count_seeds_the_counter_and_unlimited_never_refuses,
    round_robin_gives_each_of_n_agents_exactly_one,
    round_robin_skips_the_ineligible_and_says_why,
    concurrent_picks_never_exceed_an_agents_capacity,
    load_is_released_never_below_zero_and_can_be_rebuilt,
    exactly_one_of_50_concurrent_resolutions_wins,
    due_offers_are_those_past_their_deadline_earliest_first,
    presence_lapses_without_a_heartbeat,
    a_visitor_is_gone_once_their_last_widget_closed_past_the_grace,
    only_the_first_mark_of_a_fresh_store_asks_for_a_rebuild,
    a_queue_is_first_in_first_out_and_keeps_a_place,
    of_50_concurrent_leaves_exactly_one_takes_the_visitor,
    one_holder_serves_a_queue_and_hears_that_others_asked,
);
