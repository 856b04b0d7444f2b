//! The rich demo seed, the admin overview and the partner home.
use std::time::Instant;

use tributary::server::db::{demo_seed, partner_stats, payouts};

use crate::common;

/// Seeds the rich demo into a fresh app and returns the app and how long it took.
async fn seeded() -> (common::TestApp, std::time::Duration) {
    let app = common::spawn_app().await;
    let started = Instant::now();
    tributary::server::seed::seed_rich(&app.state, "demo password 1").await.expect("the rich seed");
    (app, started.elapsed())
}

#[tokio::test]
async fn the_rich_seed_is_deterministic_sizeable_and_quick() {
    let (first, took) = seeded().await;
    let (second, _) = seeded().await;
    let a = demo_seed::fingerprint(&first.state.db.pool).await.unwrap();
    let b = demo_seed::fingerprint(&second.state.db.pool).await.unwrap();
    assert_eq!(a, b, "two seeds give the same counts and sums");
    eprintln!("rich seed: {a:?} in {took:?}");
    assert!(a.partners >= 12, "about a dozen partners: {a:?}");
    assert!((200..=600).contains(&a.workspaces), "a few hundred workspaces: {a:?}");
    assert!(a.clicks >= 2_000, "thousands of clicks: {a:?}");
    assert!(a.converted >= 50 && a.commissions > a.converted, "conversions and recurring commissions: {a:?}");
    assert!(a.paid_payouts > 0 && a.payouts > a.paid_payouts, "payouts paid and due: {a:?}");
    assert!(
        a.invite_redemptions > 0 && a.credit_entries > a.invite_redemptions,
        "invites and credits: {a:?}"
    );
    assert!(took.as_secs() < 30, "seeding took {took:?}");
    let states: Vec<(String, i64)> =
        sqlx::query_as("select status, count(*) from partners group by status order by status")
            .fetch_all(&first.state.db.pool)
            .await
            .unwrap();
    let names: Vec<&str> = states.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(names, ["approved", "pending", "rejected", "suspended"]);
}

#[tokio::test]
async fn the_rich_seed_is_consistent_with_the_ledger_and_the_running_stats() {
    let (app, _) = seeded().await;
    let pool = &app.state.db.pool;
    let now = app.state.db.now_ms();
    let stats = partner_stats::all(pool).await.unwrap();
    assert!(stats.len() >= 12);
    let mut with_money = 0;
    for s in &stats {
        let b = payouts::balances(pool, &s.partner_id, now).await.unwrap();
        for (name, v) in [
            ("on hold", b.on_hold_cents),
            ("available", b.available_cents),
            ("in payout", b.in_payout_cents),
            ("paid", b.paid_cents),
            ("credits", b.credit_cents),
        ] {
            assert!(v >= 0, "{} has a negative {name} balance: {b:?}", s.partner_id);
        }
        assert_eq!(b.on_hold_cents + b.available_cents + b.in_payout_cents + b.paid_cents, b.earned_cents);
        assert_eq!(s.pending_payout_cents, b.on_hold_cents + b.available_cents + b.in_payout_cents);
        assert_eq!(s.lifetime_payout_cents, b.paid_cents);
        assert_eq!(s.total_earnings_cents, b.earned_cents);
        let referrals: i64 = sqlx::query_scalar("select count(*) from referrals where partner_id = $1")
            .bind(&s.partner_id)
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(s.total_referrals, referrals);
        with_money += i64::from(b.paid_cents > 0);
    }
    assert!(with_money >= 5, "most partners have been paid");
    // Every payout is the sum of its items; every converted referral has its period-1 entry.
    let wrong: i64 = sqlx::query_scalar(
        "select count(*) from payouts p where p.amount_cents <> (select cast(coalesce(sum(i.amount_cents), 0) \
         as bigint) from payout_items i where i.payout_id = p.id)",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(wrong, 0);
    let unpaid: i64 = sqlx::query_scalar(
        "select count(*) from referrals r where r.converted_at is not null and not exists \
         (select 1 from commissions c where c.referral_id = r.id and c.period = 1 and c.kind = 'cash')",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(unpaid, 0);
    // Credit commissions reached their partner's credits ledger (the one writer).
    let credit_commissions: i64 = sqlx::query_scalar(
        "select cast(coalesce(sum(amount_cents), 0) as bigint) from commissions where kind = 'credit'",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let credited: i64 = sqlx::query_scalar(
        "select cast(coalesce(sum(amount), 0) as bigint) from credit_entries where kind = 'credit_commission'",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert!(credit_commissions > 0);
    assert_eq!(credit_commissions, credited);
}
