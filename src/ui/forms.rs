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

/// A form that creates or saves something: its fields (the children), the submit button
/// (disabled while the action runs), the errors no field shows, the success line, and the
/// fields cleared after a success. `inline` forms sit on one line and show the errors of
/// `fields` under the form; other forms show them under each input (the caller's
/// `FieldError`s), and `fields` only keeps the form error from repeating them.
#[component]
pub fn CreateForm<ServFn, OutputProtocol, S, V>(
    action: ServerAction<ServFn>,
/// The form's `data-testid`.
    testid: &'static str,
    submit: &'static str,
    #[prop(optional)] submit_testid: &'static str,
    #[prop(optional)] inline: bool,
    #[prop(optional)] fields: &'static [&'static str],
/// The line shown after a success, from the action's answer.
    success: S,
    children: Children,
) -> impl IntoView
where
    ServFn: serde::de::DeserializeOwned
        + leptos::server_fn::ServerFn<
            Protocol = leptos::server_fn::Http<leptos::server_fn::codec::PostUrl, OutputProtocol>,
            Error = AppError,
        >
        + Clone
        + Send
        + Sync
        + 'static,
    <<ServFn::Client as leptos::server_fn::client::Client<AppError>>::Request as leptos::server_fn::request::ClientReq<AppError>>::FormData:
        From<leptos::web_sys::FormData>,
    ServFn::Output: Clone + Send + Sync + 'static,
    <ServFn as leptos::server_fn::ServerFn>::Client: leptos::server_fn::client::Client<AppError>,
    S: Fn(ServFn::Output) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let result: Signal<Option<Result<ServFn::Output, AppError>>> =
        Signal::derive(move || action.value().get());
    let form = NodeRef::new();
    crate::ui::widgets::reset_on_success(result, form);
    let button = view! {
        <button
            type="submit"
            data-testid=(!submit_testid.is_empty()).then_some(submit_testid)
            disabled=move || action.pending().get()
        >
            {submit}
        </button>
    };
    let (class, below) = if inline { ("form inline", fields) } else { ("form", &[][..]) };
    view! {
        <ActionForm action node_ref=form attr:class=class attr:data-testid=testid>
            {children()}
            {(!inline).then(|| view! { <FormError result fields /> })}
            {if inline { button.into_any() } else { view! { <div>{button}</div> }.into_any() }}
        </ActionForm>
        {below.iter().map(|field| view! { <FieldError result field /> }).collect_view()}
        {inline.then(|| view! { <FormError result fields /> })}
        {move || result.get().and_then(Result::ok).map(&success)}
    }
}
