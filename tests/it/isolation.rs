//! One partner never reaches another's records: every portal call that takes an id answers
//! a record of another partner exactly as it answers an id that does not exist (404), and
//! changes nothing.
use crate::common;

use common::{TestApp, spawn_app};
use reqwest::{Client, StatusCode};
use tributary::api::types::{CodeRow, ListingView, ProvisionedTenant, TenantRow};
use tributary::domain::roles::ClaimState;

struct Two {
    app: TestApp,
    owner: Client,
    intruder: Client,
}

async fn two_partners() -> Two {
    let app = spawn_app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let owner_id = app.partner(&admin, "Owner Co", "percent", "20").await;
    let intruder_id = app.partner(&admin, "Intruder Co", "percent", "20").await;
    let owner = app.partner_user(&admin, &owner_id, "owner@partner.example").await;
    let intruder = app.partner_user(&admin, &intruder_id, "intruder@partner.example").await;
    Two { app, owner, intruder }
}

/// The status and body of a call, for comparing two answers.
async fn answer(
    app: &TestApp,
    client: &Client,
    endpoint: &str,
    form: &[(&str, &str)],
) -> (StatusCode, String) {
    let response = app.call(client, endpoint, form).await;
    (response.status(), response.text().await.unwrap())
}

/// `endpoint` called by the intruder with the owner's id, and with an id nobody has: both
/// 404, with the same body.
async fn same_404(t: &Two, endpoint: &str, id_field: &str, id: &str, rest: &[(&str, &str)]) {
    let mut with_owners = vec![(id_field, id)];
    with_owners.extend_from_slice(rest);
    let mut with_unknown = vec![(id_field, "no-such-id")];
    with_unknown.extend_from_slice(rest);
    let theirs = answer(&t.app, &t.intruder, endpoint, &with_owners).await;
    let unknown = answer(&t.app, &t.intruder, endpoint, &with_unknown).await;
    assert_eq!(theirs.0, StatusCode::NOT_FOUND, "{endpoint} on another partner's record: {}", theirs.1);
    assert_eq!(theirs, unknown, "{endpoint}: another partner's record must look like no record");
}

#[tokio::test]
async fn another_partners_codes_listings_and_tenants_answer_404_like_unknown_ids_and_stay_unchanged() {
    let t = two_partners().await;
    let admin = t.app.signed_in_admin("admin2@example.com").await;
    let plan = t.app.plan(&admin, "Growth", "99.00").await;
    let code: CodeRow = t.app.call_ok(&t.owner, "create_code", &[("code", "Owners_Code")]).await;
    let listing_form = [("title", "Owner's Template"), ("description", "Kept as is."), ("price", "19.00")];
    let listing: ListingView = t.app.call_ok(&t.owner, "create_listing", &listing_form).await;
    let _: () = t
        .app
        .call_ok(&t.owner, "set_listing_published", &[("listing_id", &listing.id), ("published", "true")])
        .await;
    let tenant_form =
        [("workspace_name", "Client Co"), ("plan_id", plan.as_str()), ("intended_email", "c@client.example")];
    let tenant: ProvisionedTenant = t.app.call_ok(&t.owner, "provision_tenant", &tenant_form).await;

    same_404(&t, "disable_code", "code_id", &code.id, &[]).await;
    let edit = [("title", "Taken over"), ("description", "Changed."), ("price", "1.00")];
    same_404(&t, "update_listing", "listing_id", &listing.id, &edit).await;
    same_404(&t, "set_listing_published", "listing_id", &listing.id, &[("published", "false")]).await;
    same_404(&t, "revoke_tenant", "tenant_id", &tenant.id, &[]).await;

    let codes: Vec<CodeRow> = t.app.call_ok(&t.owner, "my_codes", &[]).await;
    let kept = codes.iter().find(|c| c.id == code.id).expect("the owner's code");
    assert_eq!(kept.disabled_at, None, "the intruder did not disable the code");
    let listings: tributary::model::list::Page<ListingView> =
        t.app.call_ok(&t.owner, "my_listing_page", &[("query[page]", "1")]).await;
    let kept = listings.rows.iter().find(|l| l.id == listing.id).expect("the owner's listing");
    assert_eq!((kept.title.as_str(), kept.price_cents), ("Owner's Template", 1_900));
    assert!(kept.published_at.is_some(), "the intruder did not unpublish it");
    let tenants: Vec<TenantRow> = t
        .app
        .call_ok::<tributary::model::list::Page<TenantRow>>(&t.owner, "my_tenants", &[("query[page]", "1")])
        .await
        .rows;
    let kept = tenants.iter().find(|x| x.id == tenant.id).expect("the owner's tenant");
    assert_eq!(kept.status, ClaimState::Waiting, "the intruder did not revoke the claim link");
}
