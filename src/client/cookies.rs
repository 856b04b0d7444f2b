//! Reading and writing `document.cookie` from the page.
use wasm_bindgen::JsCast;
use web_sys::HtmlDocument;

fn document() -> Option<HtmlDocument> {
    web_sys::window()?.document()?.dyn_into::<HtmlDocument>().ok()
}

pub fn read(name: &str) -> Option<String> {
    let all = document()?.cookie().ok()?;
    all.split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty())
}

pub fn write(name: &str, value: &str, max_age_secs: i64) {
    if let Some(doc) = document() {
        let _ = doc.set_cookie(&format!("{name}={value}; Path=/; Max-Age={max_age_secs}; SameSite=Lax"));
    }
}

pub fn remove(name: &str) {
    write(name, "", 0);
}
