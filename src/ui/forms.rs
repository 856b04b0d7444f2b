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
