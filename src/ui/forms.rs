use leptos::prelude::*;

use crate::api::AppError;

type ActionResult<T> = Signal<Option<Result<T, AppError>>>;

/// The message for one field, shown under its input.
#[component]
pub fn FieldError<T: Clone + Send + Sync + 'static>(
    #[prop(into)] result: ActionResult<T>,
    field: &'static str,
) -> impl IntoView {
    move || {
        result
            .get()
            .and_then(Result::err)
            .and_then(|e| e.for_field(field))
            .map(|message| view! { <p class="field-error" role="alert">{message}</p> })
    }
}

/// Any error not already shown next to one of `fields`.
#[component]
pub fn FormError<T: Clone + Send + Sync + 'static>(
    #[prop(into)] result: ActionResult<T>,
    #[prop(optional)] fields: &'static [&'static str],
) -> impl IntoView {
    move || {
        result
            .get()
            .and_then(Result::err)
            .filter(|e| !fields.iter().any(|f| e.for_field(f).is_some()))
            .map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })
    }
}

/// The one-button form of a table row ("Remove", "Approve", "Revoke"): the row's ids as
/// hidden fields and a submit button that is disabled while the action runs.
#[component]
pub fn RowButton<ServFn, OutputProtocol>(
    action: ServerAction<ServFn>,
/// `(name, value)` of each hidden field.
    fields: Vec<(&'static str, String)>,
    label: &'static str,
/// Button classes (`small` is always there): `danger`, `ghost`.
    #[prop(optional)]
    class: &'static str,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView
where
    ServFn: serde::de::DeserializeOwned
        + leptos::server_fn::ServerFn<Protocol = leptos::server_fn::Http<leptos::server_fn::codec::PostUrl, OutputProtocol>>
        + Clone
        + Send
        + Sync
        + 'static,
    <<ServFn::Client as leptos::server_fn::client::Client<ServFn::Error>>::Request as leptos::server_fn::request::ClientReq<ServFn::Error>>::FormData:
        From<leptos::web_sys::FormData>,
    ServFn::Output: Send + Sync + 'static,
    ServFn::Error: Send + Sync + 'static,
    <ServFn as leptos::server_fn::ServerFn>::Client: leptos::server_fn::client::Client<<ServFn as leptos::server_fn::ServerFn>::Error>,
{
    let class = format!("small {class}");
    view! {
        <ActionForm action attr:class="inline">
            {fields
                .into_iter()
                .map(|(name, value)| view! { <input type="hidden" name=name value=value /> })
                .collect_view()}
            <button
                type="submit"
                class=class
                data-testid=(!testid.is_empty()).then_some(testid)
                disabled=move || action.pending().get()
            >
                {label}
            </button>
        </ActionForm>
    }
}
