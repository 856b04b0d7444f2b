//! Who is signed in, loaded once per page for the whole app: the public header and the
//! area gates read the same resource instead of each asking the server.
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::api::AppError;
use crate::api::auth::me;
use crate::api::types::Viewer;

pub type ViewerResource = Resource<Result<Option<Viewer>, AppError>>;

/// Call once inside `<Router>`. Signing in or out and creating a workspace end in a
/// client-side navigation, so the viewer reloads when the page changes — except between
/// pages of one signed-in area (`/admin`, `/partners`), whose layout stays mounted.
#[component]
pub fn ProvideViewer(children: Children) -> impl IntoView {
    let path = use_location().pathname;
    let viewer: ViewerResource = Resource::new(move || path.with(|p| reload_key(p)), |_| me());
    provide_context(viewer);
    children()
}

/// The app-wide viewer, or a fresh load where nobody provided it.
pub fn use_viewer() -> ViewerResource {
    use_context::<ViewerResource>().unwrap_or_else(|| Resource::new(|| (), |_| me()))
}

/// Pages with the same key share one load of the viewer.
fn reload_key(path: &str) -> String {
    ["/admin", "/partners"]
        .into_iter()
        .find(|area| path == *area || path.starts_with(&format!("{area}/")))
        .unwrap_or(path)
        .to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn pages_of_one_area_share_a_load_and_public_pages_do_not() {
        assert_eq!(super::reload_key("/admin/partners/1"), "/admin");
        assert_eq!(super::reload_key("/admin"), "/admin");
        assert_eq!(super::reload_key("/partners/links"), "/partners");
        assert_eq!(super::reload_key("/partnership"), "/partnership");
        assert_eq!(super::reload_key("/onboarding/workspace"), "/onboarding/workspace");
    }
}
