//! The rich demo (`make run` on an empty database): six months of a believable program on
//! top of the minimal seed's accounts, generated from a fixed seed by a small PRNG and
//! written in ONE transaction with multi-row inserts. Commissions go through
//! `services::commissions::record` (the ledger's one writer, which also grants credit
//! commissions), payouts through the payout engine's own statements (`create`,
//! `gather`, `mark_paid`), so every balance is what the product would compute.
//! `TRIBUTARY_SEED_DEMO=minimal` (the e2e suite) skips all of this.
use crate::domain::attribution::HOUR_MS;
use crate::domain::commission::{Commission, payout_cents};
use crate::domain::credits::CreditKind;
use crate::domain::invite_codes::{InviteCode, InviteFlavor};
use crate::domain::money::Cents;
use crate::domain::partner::PartnerState;
use crate::domain::payouts::CommissionKind;
use crate::domain::roles::{ReferralSource, SubscriptionStatus};
use crate::model::AppError;
use crate::server::db::credits::NewCreditEntry;
use crate::server::db::demo_seed::{self as bulk, Table, Val};
use crate::server::db::ledger::NewCommission;
use crate::server::db::{self, DAY_MS, Db, Tx, codes, new_id, partners, payouts, workspaces};

/// The fixed seed: the same history on every machine.
const SEED: u64 = 0x7121_b07a_2026;
/// How far back the history goes.
const DAYS: i64 = 182;

/// splitmix64: tiny, fast and good enough for demo data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform in [0, n).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    pub fn hex(&mut self, bytes: usize) -> String {
        (0..bytes).map(|_| format!("{:02x}", self.below(256))).collect()
    }
}

/// A demo partner besides the minimal seed's two.
struct Spec {
    name: &'static str,
    email: &'static str,
    state: PartnerState,
    /// ("percent", bps) or ("flat", cents).
    rule: (&'static str, i64),
    credit_bps: i64,
    recurring_months: Option<i64>,
    /// Relative traffic.
    weight: f64,
    /// Joined this many days ago.
    joined: i64,
    /// Suspended/rejected this many days ago.
    changed: i64,
    website: &'static str,
    promotion: &'static str,
}

const SPECS: &[Spec] = &[
    Spec {
        name: "Brightline Studio",
        email: "hello@brightline.example",
        state: PartnerState::Approved,
        rule: ("percent", 2_500),
        credit_bps: 0,
        recurring_months: Some(12),
        weight: 1.4,
        joined: 175,
        changed: 0,
        website: "https://brightline.example",
        promotion: "Design newsletter (12k readers) and client referrals.",
    },
    Spec {
        name: "Cedar & Co Consulting",
        email: "partners@cedar.example",
        state: PartnerState::Approved,
        rule: ("flat", 4_000),
        credit_bps: 0,
        recurring_months: None,
        weight: 0.6,
        joined: 160,
        changed: 0,
        website: "https://cedar.example",
        promotion: "Implementation projects for mid-size clients.",
    },
    Spec {
        name: "Lumen Labs",
        email: "team@lumenlabs.example",
        state: PartnerState::Approved,
        rule: ("percent", 2_000),
        credit_bps: 500,
        recurring_months: Some(12),
        weight: 1.0,
        joined: 150,
        changed: 0,
        website: "https://lumenlabs.example",
        promotion: "YouTube tutorials and a Discord community.",
    },
    Spec {
        name: "Pioneer SaaS Reviews",
        email: "editor@pioneer.example",
        state: PartnerState::Approved,
        rule: ("percent", 3_000),
        credit_bps: 0,
        recurring_months: Some(6),
        weight: 1.8,
        joined: 140,
        changed: 0,
        website: "https://pioneer.example",
        promotion: "Comparison articles and a weekly review roundup.",
    },
    Spec {
        name: "Quill Content House",
        email: "quill@quill.example",
        state: PartnerState::Approved,
        rule: ("percent", 1_500),
        credit_bps: 0,
        recurring_months: Some(12),
        weight: 0.8,
        joined: 120,
        changed: 0,
        website: "https://quill.example",
        promotion: "Blog posts and templates for agencies.",
    },
    Spec {
        name: "Summit Growth Partners",
        email: "ops@summitgrowth.example",
        state: PartnerState::Approved,
        rule: ("percent", 2_000),
        credit_bps: 0,
        recurring_months: Some(12),
        weight: 1.1,
        joined: 100,
        changed: 0,
        website: "https://summitgrowth.example",
        promotion: "Paid search campaigns for B2B clients.",
    },
    Spec {
        name: "Tidewater Digital",
        email: "hi@tidewater.example",
        state: PartnerState::Approved,
        rule: ("percent", 2_500),
        credit_bps: 0,
        recurring_months: Some(12),
        weight: 0.7,
        joined: 40,
        changed: 0,
        website: "https://tidewater.example",
        promotion: "Podcast sponsorships.",
    },
    Spec {
        name: "Fastlane Deals",
        email: "deals@fastlane.example",
        state: PartnerState::Suspended,
        rule: ("percent", 2_000),
        credit_bps: 0,
        recurring_months: Some(12),
        weight: 1.2,
        joined: 170,
        changed: 35,
        website: "https://fastlane.example",
        promotion: "Coupon listings.",
    },
    Spec {
        name: "Coupon Cascade",
        email: "admin@couponcascade.example",
        state: PartnerState::Rejected,
        rule: ("percent", 2_000),
        credit_bps: 0,
        recurring_months: Some(12),
        weight: 0.0,
        joined: 20,
        changed: 18,
        website: "https://couponcascade.example",
        promotion: "Browser extension that injects codes at checkout.",
    },
    Spec {
        name: "Maple Ridge Media",
        email: "contact@mapleridge.example",
        state: PartnerState::Pending,
        rule: ("percent", 2_000),
        credit_bps: 0,
        recurring_months: Some(12),
        weight: 0.0,
        joined: 5,
        changed: 0,
        website: "https://mapleridge.example",
        promotion: "A newsletter for small agencies (4k subscribers).",
    },
    Spec {
        name: "Orbit Creators",
        email: "orbit@orbitcreators.example",
        state: PartnerState::Pending,
        rule: ("percent", 2_000),
        credit_bps: 0,
        recurring_months: Some(12),
        weight: 0.0,
        joined: 2,
        changed: 0,
        website: "https://orbitcreators.example",
        promotion: "Instagram and TikTok tutorials.",
    },
];

/// A partner as the generator uses it.
struct Active {
    id: String,
    code_id: String,
    rule: Commission,
    credit_bps: i64,
    recurring_months: Option<i64>,
    hold_days: i64,
    weight: f64,
    /// Traffic from this many days ago ...
    from_day: i64,
    /// ... until this many days ago (0 = today).
    until_day: i64,
    /// Does it provision workspaces with claim links?
    claims: bool,
}

/// One generated customer workspace.
struct Customer {
    workspace_id: String,
    user_id: String,
    plan: usize,
    created: i64,
    /// (partner index, source, click id)
    referral: Option<(usize, ReferralSource, Option<String>)>,
    referral_id: String,
}

const ADJECTIVES: &[&str] = &[
    "Blue",
    "Granite",
    "Nimbus",
    "Swift",
    "Juniper",
    "Copper",
    "Silver",
    "Atlas",
    "Beacon",
    "Crescent",
    "Evergreen",
    "Falcon",
    "Golden",
    "Ivory",
    "Keystone",
    "Lighthouse",
    "Meridian",
    "Northern",
    "Oak",
    "Prairie",
    "Redwood",
    "Sable",
    "True North",
    "Willow",
];
const NOUNS: &[&str] = &[
    "Analytics",
    "Bakery",
    "Clinic",
    "Design",
    "Dental",
    "Fitness",
    "Legal",
    "Logistics",
    "Media",
    "Outfitters",
    "Realty",
    "Robotics",
    "Studios",
    "Supply",
    "Travel",
    "Ventures",
    "Coffee",
    "Labs",
];
const REFERRERS: &[Option<&str>] = &[
    None,
    None,
    Some("https://www.google.com/"),
    Some("https://twitter.com/"),
    Some("https://news.ycombinator.com/"),
    Some("https://www.linkedin.com/"),
    Some("https://www.youtube.com/"),
];

/// Writes the history. `ids` are the minimal seed's admin and its two partners
/// (Northwind Agency, Harbor Payouts); `password_hash` is the demo password's hash, shared
/// by every generated account.
pub async fn seed(
    db: &Db,
    admin_id: &str,
    northwind: &str,
    harbor: &str,
    password_hash: &str,
) -> Result<(), AppError> {
    let now = db.now_ms();
    let mut rng = Rng::new(SEED);
    let plans = crate::server::db::billing::plans(&db.pool).await?;
    let listing = bulk::listings(&db.pool).await?.into_iter().next();
    let mut tx = db.begin_write().await?;

    // Partners: the two of the minimal seed and the specs.
    let mut active: Vec<Active> = Vec::new();
    for (id, weight, hold, claims) in [(northwind, 1.5, 0, true), (harbor, 0.9, 7, false)] {
        let code_id = bulk::default_code(&mut *tx, id).await?.ok_or(AppError::Internal)?;
        let t = bulk::PartnerTerms {
            credit_bps: 0,
            recurring_months: Some(12),
            website: "",
            promotion: "",
            applied_by: None,
            created_at: now - DAYS * DAY_MS,
        };
        bulk::set_partner_terms(&mut tx, id, &t).await?;
        active.push(Active {
            id: id.to_string(),
            code_id,
            rule: Commission::from_parts("percent", 2_000).ok_or(AppError::Internal)?,
            credit_bps: 0,
            recurring_months: Some(12),
            hold_days: hold,
            weight,
            from_day: DAYS,
            until_day: 0,
            claims,
        });
    }
    let mut users = Vec::new();
    let mut members = Vec::new();
    for spec in SPECS {
        let (partner_id, workspace_id, code_id, user_id) = (new_id(), new_id(), new_id(), new_id());
        let joined = now - spec.joined * DAY_MS;
        // Inserted now: an applicant's partner row refers to its user.
        let user =
            vec![Val::from(&user_id), spec.email.into(), password_hash.into(), 0.into(), joined.into()];
        bulk::insert_rows(&mut tx, Table::Users, &[user]).await?;
        workspaces::insert_partner_workspace(&mut *tx, &workspace_id, spec.name, joined).await?;
        let row = partners::NewPartnerRow {
            id: &partner_id,
            workspace_id: &workspace_id,
            name: spec.name,
            contact_email: spec.email,
            commission_kind: spec.rule.0,
            commission_value: spec.rule.1,
            approved_by: admin_id,
            now: joined,
        };
        partners::insert(&mut tx, &row).await?;
        let code = crate::domain::codes::suggest_default_code(spec.name);
        codes::insert_if_free(&mut *tx, &code_id, &partner_id, &code, true, joined).await?;
        members.push((workspace_id.clone(), user_id.clone(), joined));
        let applied = spec.state != PartnerState::Approved && spec.state != PartnerState::Suspended;
        let t = bulk::PartnerTerms {
            credit_bps: spec.credit_bps,
            recurring_months: spec.recurring_months,
            website: spec.website,
            promotion: spec.promotion,
            applied_by: applied.then_some(user_id.as_str()),
            created_at: joined,
        };
        bulk::set_partner_terms(&mut tx, &partner_id, &t).await?;
        let changed = now - spec.changed * DAY_MS;
        use PartnerState::{Approved, Pending, Rejected, Suspended};
        let history: &[(Option<PartnerState>, PartnerState, Option<&str>, i64)] = match spec.state {
            Approved => &[(None, Approved, None, joined)],
            Pending => &[(None, Pending, None, joined)],
            Rejected => {
                &[(None, Pending, None, joined), (Some(Pending), Rejected, Some("low_quality"), changed)]
            }
            Suspended => {
                &[(None, Approved, None, joined), (Some(Approved), Suspended, Some("fraud"), changed)]
            }
        };
        sqlx_state_history(&mut tx, &partner_id, admin_id, history).await?;
        if spec.state != PartnerState::Approved {
            let at = if spec.state == PartnerState::Pending { joined } else { changed };
            bulk::set_partner_state(
                &mut tx,
                &partner_id,
                spec.state.as_str(),
                history.last().and_then(|h| h.2),
                at,
            )
            .await?;
        }
        if spec.weight > 0.0 {
            active.push(Active {
                id: partner_id,
                code_id,
                rule: Commission::from_parts(spec.rule.0, spec.rule.1).ok_or(AppError::Internal)?,
                credit_bps: spec.credit_bps,
                recurring_months: spec.recurring_months,
                hold_days: 0,
                weight: spec.weight,
                from_day: spec.joined,
                until_day: spec.changed,
                claims: spec.name.starts_with("Cedar") || spec.name.starts_with("Summit"),
            });
        }
    }

    // Clicks, day by day: weekdays busier than weekends, a slow growth, one launch spike.
    let mut clicks = Vec::new();
    let mut customers: Vec<Customer> = Vec::new();
    // Day `d` is the 24 h ending `d` days before now (not a calendar day): the history is
    // the same at any hour of seeding, only shifted, and ends just before now.
    for day in (0..DAYS).rev() {
        let start = now - (day + 1) * DAY_MS;
        let weekday = (start / DAY_MS + 4).rem_euclid(7); // 0 = Sunday
        let shape = match weekday {
            0 | 6 => 0.55,
            2..=4 => 1.15,
            _ => 1.0,
        };
        let growth = 0.45 + 1.1 * (1.0 - day as f64 / DAYS as f64);
        for (p, a) in active.iter().enumerate() {
            if day > a.from_day || day < a.until_day {
                continue;
            }
            let spike = if p == 5 && (60..=62).contains(&day) { 5.0 } else { 1.0 };
            let expected = 3.2 * a.weight * shape * growth * spike * (0.7 + 0.6 * rng.unit());
            let n = expected.round() as i64;
            for _ in 0..n {
                let at = (start + (rng.unit().powf(0.8) * DAY_MS as f64) as i64).min(now - 1);
                let click_id = new_id();
                let marketplace = p == 0 && listing.is_some() && rng.chance(0.18);
                clicks.push(vec![
                    Val::from(&click_id),
                    Val::from(&a.id),
                    if marketplace { Val::NullText } else { Val::from(&a.code_id) },
                    if marketplace {
                        Val::from(listing.as_ref().map(|l| l.0.clone()))
                    } else {
                        Val::NullText
                    },
                    Val::from(rng.pick(REFERRERS).map(str::to_string)),
                    Val::from(if marketplace {
                        "/marketplace/client-onboarding-kit".to_string()
                    } else {
                        "/?ref=demo".to_string()
                    }),
                    Val::from(rng.hex(16)),
                    Val::from(rng.hex(16)),
                    Val::from(at),
                ]);
                if rng.chance(0.045) {
                    let source = if marketplace { ReferralSource::Marketplace } else { ReferralSource::Link };
                    customers.push(new_customer(
                        &mut rng,
                        &plans,
                        at + 4 * 60_000,
                        Some((p, source, Some(click_id))),
                    ));
                }
            }
            // Claim links: the partner provisions a workspace now and then.
            if a.claims && rng.chance(0.09 * growth) {
                let at = start + (rng.unit() * DAY_MS as f64) as i64;
                customers.push(new_customer(
                    &mut rng,
                    &plans,
                    at.min(now - 1),
                    Some((p, ReferralSource::Claim, None)),
                ));
            }
        }
        // Organic sign-ups (no partner).
        if rng.chance(0.22) {
            let at = start + (rng.unit() * DAY_MS as f64) as i64;
            customers.push(new_customer(&mut rng, &plans, at.min(now - 1), None));
        }
    }
    customers.sort_by_key(|c| c.created);

    // Workspaces, their owners, subscriptions, referrals and claims.
    let mut ws_rows = Vec::new();
    let mut subs = Vec::new();
    let mut refs = Vec::new();
    let mut claims = Vec::new();
    let mut invoices = Vec::new();
    let mut entries: Vec<(i64, usize, usize, i64, Option<String>)> = Vec::new(); // (at, customer, partner, period, invoice)
    for (i, c) in customers.iter().enumerate() {
        let name = format!("{} {}", rng.pick(ADJECTIVES), rng.pick(NOUNS));
        ws_rows.push(vec![Val::from(&c.workspace_id), Val::from(&name), "customer".into(), c.created.into()]);
        users.push(vec![
            Val::from(&c.user_id),
            Val::from(format!("owner{:03}@customers.example", i + 1)),
            password_hash.into(),
            0.into(),
            c.created.into(),
        ]);
        members.push((c.workspace_id.clone(), c.user_id.clone(), c.created));
        let age_days = (now - c.created) / DAY_MS;
        let plan = &plans[c.plan];
        let eligible_until = c.referral.as_ref().map(|r| now - active[r.0].until_day * DAY_MS).unwrap_or(now);
        let converts = age_days >= 3 && rng.chance(0.5);
        let converted_at = converts
            .then(|| {
                c.created
                    + (2 + rng.below(age_days.clamp(2, 20) as u64 - 1) as i64) * DAY_MS
                    + rng.below(HOUR_MS as u64 * 8) as i64
            })
            .map(|t| t.min(now - HOUR_MS));
        let status;
        let mut paid_periods = 0;
        match converted_at {
            Some(t) => {
                let months = (now - t) / (30 * DAY_MS) + 1;
                let cancel_after = rng.chance(0.15).then(|| 1 + rng.below(months.max(1) as u64) as i64);
                paid_periods = cancel_after.map(|k| k.min(months)).unwrap_or(months);
                status = match cancel_after {
                    Some(k) if k < months => SubscriptionStatus::Canceled,
                    _ if rng.chance(0.07) => SubscriptionStatus::PastDue,
                    _ => SubscriptionStatus::Active,
                };
            }
            None if age_days < 14 => status = SubscriptionStatus::Trialing,
            None => {
                status =
                    if rng.chance(0.7) { SubscriptionStatus::Canceled } else { SubscriptionStatus::Trialing };
            }
        }
        subs.push(vec![
            Val::from(&c.workspace_id),
            Val::from(&plan.id),
            status.as_str().into(),
            Val::from(converted_at),
            converted_at.unwrap_or(c.created).into(),
            c.created.into(),
        ]);
        let Some((p, source, click)) = &c.referral else { continue };
        let a = &active[*p];
        // A partner suspended before the conversion earns nothing for it (the approval gate):
        // the referral stays unconverted, as `conversion::convert` leaves it.
        let converted_at = converted_at.filter(|t| *t < eligible_until || a.until_day == 0);
        if let Some(t) = converted_at {
            for period in 1..=paid_periods {
                let at = (t + (period - 1) * 30 * DAY_MS).min(now - 1);
                let invoice_id = format!("inv_demo_{:04}_{period:02}", i + 1);
                invoices.push(vec![
                    Val::from(&invoice_id),
                    Val::from(&c.workspace_id),
                    Val::from(&c.referral_id),
                    period.into(),
                    at.into(),
                    (at + 30 * DAY_MS).into(),
                    plan.price_monthly_cents.into(),
                    0.into(),
                    "USD".into(),
                    at.into(),
                ]);
                let pays = period == 1 || a.recurring_months.is_some_and(|m| period <= m);
                if pays {
                    entries.push((at, i, *p, period, (period > 1).then_some(invoice_id)));
                }
            }
        }
        refs.push(vec![
            Val::from(&c.referral_id),
            Val::from(&c.workspace_id),
            Val::from(&a.id),
            if *source == ReferralSource::Link { Val::from(&a.code_id) } else { Val::NullText },
            source.as_str().into(),
            Val::from(converted_at),
            c.created.into(),
            if *source == ReferralSource::Marketplace {
                Val::from(listing.as_ref().map(|l| l.0.clone()))
            } else {
                Val::NullText
            },
            Val::from(click.clone()),
        ]);
        if *source == ReferralSource::Claim {
            let provisioned = c.created - (1 + rng.below(3) as i64) * DAY_MS;
            claims.push(vec![
                Val::from(new_id()),
                Val::from(&a.id),
                Val::from(&name),
                Val::from(&plan.id),
                Val::from(format!("owner{:03}@customers.example", i + 1)),
                Val::from(rng.hex(32)),
                "claimed".into(),
                (provisioned + 30 * DAY_MS).into(),
                Val::from(&c.workspace_id),
                Val::from(&c.user_id),
                c.created.into(),
                Val::NullInt,
                provisioned.into(),
            ]);
        }
    }
    // A few claim links still waiting, and one revoked.
    for k in 0..4 {
        let at = now - (1 + k * 2) * DAY_MS;
        claims.push(vec![
            Val::from(new_id()),
            Val::from(&active[0].id),
            Val::from(format!("{} {}", rng.pick(ADJECTIVES), rng.pick(NOUNS))),
            Val::from(&plans[1].id),
            Val::from(format!("prospect{}@customers.example", k + 1)),
            Val::from(rng.hex(32)),
            if k == 3 { "revoked".into() } else { "waiting".into() },
            (at + 30 * DAY_MS).into(),
            Val::NullText,
            Val::NullText,
            Val::NullInt,
            if k == 3 { Val::from(at + DAY_MS) } else { Val::NullInt },
            at.into(),
        ]);
    }
    let member_rows: Vec<Vec<Val>> = members
        .iter()
        .map(|(w, u, at)| vec![Val::from(w), Val::from(u), "owner".into(), Val::from(*at)])
        .collect();
    bulk::insert_rows(&mut tx, Table::Users, &users).await?;
    bulk::insert_rows(&mut tx, Table::Workspaces, &ws_rows).await?;
    bulk::insert_rows(&mut tx, Table::Members, &member_rows).await?;
    bulk::insert_rows(&mut tx, Table::Clicks, &clicks).await?;
    bulk::insert_rows(&mut tx, Table::Subscriptions, &subs).await?;
    bulk::insert_rows(&mut tx, Table::Referrals, &refs).await?;
    bulk::insert_rows(&mut tx, Table::TenantRegistrations, &claims).await?;
    bulk::insert_rows(&mut tx, Table::Invoices, &invoices).await?;

    // The ledger, oldest first, through its one writer.
    entries.sort_by_key(|e| e.0);
    for (at, i, p, period, invoice_id) in &entries {
        let (c, a) = (&customers[*i], &active[*p]);
        let plan = &plans[c.plan];
        let price = Cents(plan.price_monthly_cents);
        let credit = (a.credit_bps > 0)
            .then(|| Commission::from_parts("percent", a.credit_bps))
            .flatten()
            .map(|r| (CommissionKind::Credit, r, "credit"));
        for (kind, rule, source) in std::iter::once((CommissionKind::Cash, a.rule, "default")).chain(credit) {
            let key = format!("referral:{}:period:{period}:{}", c.referral_id, kind.as_str());
            let entry = NewCommission {
                partner_id: &a.id,
                referral_id: &c.referral_id,
                workspace_id: &c.workspace_id,
                plan_id: &plan.id,
                kind: kind.as_str(),
                amount_cents: payout_cents(price, rule).get(),
                rule_source: source,
                rule_kind: rule.kind(),
                rule_value: rule.value(),
                period: *period,
                idempotency_key: &key,
                available_at: crate::domain::payouts::available_at(*at, a.hold_days),
                invoice_id: invoice_id.as_deref(),
                event_id: None,
                reverses_id: None,
            };
            crate::server::services::commissions::record(&mut tx, *at, &entry).await?;
        }
    }

    // Monthly payouts on the 1st: paid two days later, except the latest run's (due).
    let (y, m, _) = crate::domain::dates::civil_from_days(now.div_euclid(DAY_MS));
    let mut firsts: Vec<(i64, String)> = (0..6)
        .map(|back| {
            let index = y * 12 + i64::from(m - 1) - back;
            let (yy, mm) = (index.div_euclid(12), index.rem_euclid(12) as u32 + 1);
            let day = crate::domain::dates::days_from_civil(yy, mm, 1);
            (day * DAY_MS + 9 * HOUR_MS, format!("{yy:04}-{mm:02}-01"))
        })
        .filter(|(at, _)| *at < now)
        .collect();
    firsts.reverse();
    let last = firsts.len().saturating_sub(1);
    for (n, (at, date)) in firsts.iter().enumerate() {
        let run_id = new_id();
        bulk::insert_run(&mut tx, &run_id, *at).await?;
        for a in &active {
            let (joined, until) = (now - a.from_day * DAY_MS, now - a.until_day * DAY_MS);
            if *at < joined || (a.until_day > 0 && *at > until) {
                continue;
            }
            let threshold = if a.id == harbor { 5_000 } else { 1 };
            if bulk::available_at(&mut tx, &a.id, *at).await? < threshold {
                continue;
            }
            let id = new_id();
            let key = format!("payout:{}:monthly:{date}", a.id);
            let payout = payouts::NewPayout {
                id: &id,
                partner_id: &a.id,
                run_id: Some(&run_id),
                method: "manual",
                status: "pending",
                period: date,
                key: &key,
            };
            let created = payouts::create(&mut tx, db.backend, &[payout], *at).await?;
            let gathered: Vec<(&str, &str)> =
                created.iter().map(|(id, _)| (id.as_str(), a.id.as_str())).collect();
            payouts::gather(&mut tx, db.backend, &gathered, *at).await?;
            if n < last {
                let reference = format!("BANK-{}-{}", date.replace('-', ""), &a.id[a.id.len() - 6..]);
                payouts::mark_paid(&mut *tx, &id, &reference, admin_id, at + 2 * DAY_MS).await?;
            }
        }
        bulk::close_run(&mut tx, &run_id).await?;
    }

    // Invite codes: a beta code many redeemed, and a founders' code a few did.
    let mut redemptions = Vec::new();
    for (flavor, credits, share) in [(InviteFlavor::Beta, 2_000, 0.12), (InviteFlavor::Og, 5_000, 0.03)] {
        let random: [u32; 7] = std::array::from_fn(|_| rng.next_u64() as u32);
        let code = InviteCode::generate(flavor, random);
        let code_id = new_id();
        let minted = now - DAYS * DAY_MS;
        let new_code = crate::server::db::invites::NewCode {
            id: &code_id,
            code: &code.display(),
            code_key: &code.key(),
            flavor: flavor.as_str(),
            max_uses: Some(500),
            invitee_credits: credits,
            inviter_credits: 0,
            expires_at: None,
            metadata: "{}",
            owner_user_id: None,
            owner_workspace_id: None,
            minted_by: Some(admin_id),
        };
        crate::server::db::invites::insert_code(&mut tx, &new_code, minted).await?;
        for c in &customers {
            if !rng.chance(share) {
                continue;
            }
            let at = c.created + 60_000;
            let redemption_id = new_id();
            redemptions.push(vec![
                Val::from(&redemption_id),
                Val::from(&code_id),
                Val::from(&c.workspace_id),
                Val::from(&c.user_id),
                flavor.as_str().into(),
                credits.into(),
                0.into(),
                at.into(),
            ]);
            let grant = NewCreditEntry {
                id: new_id(),
                workspace_id: c.workspace_id.clone(),
                kind: CreditKind::InviteGrant.as_str(),
                amount: credits,
                cause_type: "invite",
                cause_id: Some(redemption_id.clone()),
                reason: Some(format!("Invite code {}", code.display())),
                created_by: None,
                idempotency_key: format!("invite:{redemption_id}:invitee"),
            };
            crate::server::services::credits::grant_in_tx(&mut tx, at, &grant).await?;
            if rng.chance(0.4) {
                let spend = -(credits.min(500 + rng.below(1_000) as i64));
                let spent = NewCreditEntry {
                    id: new_id(),
                    workspace_id: c.workspace_id.clone(),
                    kind: CreditKind::Spend.as_str(),
                    amount: spend,
                    cause_type: "demo",
                    cause_id: None,
                    reason: Some("Applied to an invoice".into()),
                    created_by: None,
                    idempotency_key: format!("demo-spend:{redemption_id}"),
                };
                crate::server::services::credits::grant_in_tx(
                    &mut tx,
                    (at + 20 * DAY_MS).min(now - 1),
                    &spent,
                )
                .await?;
            }
        }
        bulk::insert_rows(&mut tx, Table::InviteRedemptions, &std::mem::take(&mut redemptions)).await?;
        bulk::count_invite_uses(&mut tx, &code_id).await?;
    }
    // The clicks went in as bulk rows, past the click log that keeps their hourly rollup.
    db::rollups::rebuild_in(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

fn new_customer(
    rng: &mut Rng,
    plans: &[crate::server::db::billing::PlanRecord],
    at: i64,
    referral: Option<(usize, ReferralSource, Option<String>)>,
) -> Customer {
    let roll = rng.unit();
    let plan = if roll < 0.55 {
        0
    } else if roll < 0.9 {
        1
    } else {
        2
    };
    Customer {
        workspace_id: new_id(),
        user_id: new_id(),
        plan: plan.min(plans.len().saturating_sub(1)),
        created: at,
        referral,
        referral_id: new_id(),
    }
}

async fn sqlx_state_history(
    tx: &mut Tx,
    partner_id: &str,
    admin_id: &str,
    history: &[(Option<PartnerState>, PartnerState, Option<&str>, i64)],
) -> Result<(), sqlx::Error> {
    for (from, to, reason, at) in history {
        let change = db::lifecycle::StateChange {
            partner_id,
            from: from.map(PartnerState::as_str).unwrap_or(""),
            to: to.as_str(),
            // An application files itself; every other change is an admin's.
            actor_id: (*to != PartnerState::Pending).then_some(admin_id),
            reason_code: *reason,
            note: None,
            now: *at,
        };
        db::lifecycle::record_state_change(&mut **tx, &change).await?;
    }
    Ok(())
}
