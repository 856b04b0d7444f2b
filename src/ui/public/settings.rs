//! `/dashboard/settings`: the workspace's API tokens (for white-label clients that call
//! the tracking endpoints with a bearer token).
use leptos::prelude::*;

use super::PublicHeader;
use crate::api::settings::{CreateApiToken, RevokeApiToken, my_api_tokens};
use crate::api::types::{ApiTokenRow, NewApiToken, Viewer};
use crate::domain::dates::format_datetime;
use crate::ui::copy::CopyField;
use crate::ui::data_table::{DataTable, col};
use crate::ui::forms::{CreateForm, FormError, RowButton};
use crate::ui::gate::Gate;
use crate::ui::widgets::{Loading, StatusPill, or_error};

#[component]
pub fn WorkspaceSettingsPage() -> impl IntoView {
    view! {
        <PublicHeader />
        <main class="page">
            <p><a href="/dashboard">"← Dashboard"</a></p>
            <Gate admits=|_| true>
                <ManagedWorkspace />
            </Gate>
        </main>
    }
}

/// The workspace the tokens belong to: the first one this user owns or administers
/// (the server picks the same one).
#[component]
fn ManagedWorkspace() -> impl IntoView {
    let viewer = expect_context::<Viewer>();
    let managed = viewer.managed_workspace().cloned();
    view! {
        <h1>"Settings"</h1>
        {match managed {
            Some(workspace) => {
                view! {
                    <p class="muted">
                        "Workspace: " <strong data-testid="settings-workspace">{workspace.name}</strong>
                    </p>
                    <ApiTokens />
                }
                    .into_any()
            }
            None => view! { <NoManagedWorkspace /> }.into_any(),
        }}
    }
}

#[component]
fn NoManagedWorkspace() -> impl IntoView {
    view! {
        <section class="card" data-testid="no-managed-workspace">
            <p>
                "API tokens belong to a workspace you own or administer. "
                <a href="/onboarding/workspace">"Create a workspace"</a> " first."
            </p>
        </section>
    }
}

#[component]
fn ApiTokens() -> impl IntoView {
    let create = ServerAction::<CreateApiToken>::new();
    let revoke = ServerAction::<RevokeApiToken>::new();
    let tokens = Resource::new(move || (create.version().get(), revoke.version().get()), |_| my_api_tokens());
    provide_context(revoke);
    let revoked = Signal::derive(move || revoke.value().get());
    view! {
        <CreateTokenForm action=create />
        <section class="card">
            <h2>"API tokens"</h2>
            <p class="muted">"Send a token as " <code>"Authorization: Bearer <token>"</code> "."</p>
            <FormError result=revoked />
            <Transition fallback=Loading>
                {move || tokens.get().map(|r| or_error(r, |rows| view! { <TokensTable rows /> }.into_any()))}
            </Transition>
        </section>
    }
}

#[component]
fn CreateTokenForm(action: ServerAction<CreateApiToken>) -> impl IntoView {
    view! {
        <section class="card">
            <h2>"Create an API token"</h2>
            <CreateForm
                action
                testid="create-token-form"
                submit="Create token"
                inline=true
                fields=&["name"]
                success=|token: NewApiToken| view! { <NewTokenOnce token /> }
            >
                <label>
                    "Name"
                    <input name="name" required maxlength="60" placeholder="Agency site" autocomplete="off" />
                </label>
            </CreateForm>
        </section>
    }
}

/// The token in full: the server keeps only its hash.
#[component]
fn NewTokenOnce(token: NewApiToken) -> impl IntoView {
    view! {
        <div data-testid="new-token">
            <p class="notice">"Copy it now — it won't be shown again."</p>
            <CopyField text=token.token label="New API token" testid="new-token-value" />
        </div>
    }
}

#[component]
fn TokensTable(rows: Vec<ApiTokenRow>) -> impl IntoView {
    view! {
        <DataTable
            rows=rows
            empty="No API tokens yet."
            testid="tokens-table"
            cols=[col("Name"), col("Created"), col("Last used"), col("Status"), col("")]
            row=move |token: ApiTokenRow| {
                view! { <TokenRow token /> }
            }
        />
    }
}

#[component]
fn TokenRow(token: ApiTokenRow) -> impl IntoView {
    let revoke = expect_context::<ServerAction<RevokeApiToken>>();
    let active = token.revoked_at.is_none();
    let name = token.name.clone();
    view! {
        <tr data-testid="token-row" data-name=name>
            <td>{token.name}</td>
            <td>{format_datetime(token.created_at)}</td>
            <td>{token.last_used_at.map(format_datetime).unwrap_or_else(|| "Never".to_string())}</td>
            <td><StatusPill status=if active { "active" } else { "revoked" } /></td>
            <td>
                {active
                    .then(|| {
                        view! {
                            <RowButton
                                action=revoke
                                fields=vec![("token_id", token.id)]
                                label="Revoke"
                                class="danger"
                                testid="revoke-token"
                            />
                        }
                    })}
            </td>
        </tr>
    }
}
