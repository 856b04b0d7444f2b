//! Server rendering stays live while other routers are built in the same process (the
//! test suite builds one per test, many at a time).
use crate::common;

use std::time::Duration;

use common::*;
use tributary::server::startup;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_render_while_other_routers_are_built() {
    let app = spawn_app().await;
    let state = app.state.clone();
    let builders = tokio::task::spawn_blocking(move || {
        for _ in 0..300 {
            drop(startup::router(state.clone()));
        }
    });
    let client = browser();
    let mut stalled = Vec::new();
    for i in 0..300 {
        let url = app.url(if i % 2 == 0 { "/login" } else { "/register" });
        let page = tokio::time::timeout(Duration::from_secs(20), async {
            client.get(&url).send().await?.text().await
        });
        match page.await {
            Ok(Ok(html)) => assert!(html.contains("</html>"), "{url}: a whole page"),
            Ok(Err(e)) => panic!("{url}: {e}"),
            Err(_) => stalled.push(url),
        }
        if builders.is_finished() && i >= 100 {
            break;
        }
    }
    builders.await.expect("routers built");
    assert!(stalled.is_empty(), "renders that never finished: {stalled:?}");
}
