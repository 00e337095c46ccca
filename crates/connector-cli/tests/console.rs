//! The console's JSON API, in process: the flow an operator follows, and what it must never do.
#![allow(clippy::unwrap_used, reason = "test helpers fail loudly")]

use connector_cli::console::api::Console;
use connector_cli::console::store::Store;
use connector_simulator::{Simulator, SimulatorConfig};
use serde_json::{Value, json};

async fn console(dir: &str) -> Console {
    let dir = std::env::temp_dir().join(format!("sms-console-{dir}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let simulator = Simulator::start(SimulatorConfig::ephemeral())
        .await
        .unwrap();
    Console::new(
        connectors::registry(),
        Store::open(&dir).unwrap(),
        Some(simulator),
    )
}

async fn call(console: &Console, method: &str, path: &str, body: Value) -> (u16, Value) {
    let body = if body.is_null() {
        Vec::new()
    } else {
        serde_json::to_vec(&body).unwrap()
    };
    let reply = console.handle(method, path, &body).await;
    let value = serde_json::from_slice(&reply.body).unwrap_or(Value::Null);
    (reply.status, value)
}

#[tokio::test]
async fn the_operator_flow_for_every_connector() {
    let console = console("flow").await;
    let (_, list) = call(&console, "GET", "/api/connectors", Value::Null).await;
    let ids: Vec<String> = list["connectors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(ids.len() >= 3);
    for id in &ids {
        let (_, readme) = call(
            &console,
            "GET",
            &format!("/api/connectors/{id}/readme"),
            Value::Null,
        )
        .await;
        assert!(
            readme["html"].as_str().unwrap().contains("<h1>"),
            "{id}: README rendered"
        );
        let logo = console
            .handle("GET", &format!("/api/connectors/{id}/logo.svg"), b"")
            .await;
        assert!(
            String::from_utf8_lossy(&logo.body).contains("<svg"),
            "{id}: logo"
        );

        // An unsaved connector starts from its example config (simulator mode).
        let (_, draft) = call(
            &console,
            "GET",
            &format!("/api/connectors/{id}/config"),
            Value::Null,
        )
        .await;
        assert_eq!(draft["saved"], false);
        let config = draft["config"].clone();

        // A mistake is reported at its field; fixing it validates.
        // (The router has no templates of its own: its default route goes missing instead;
        // the HTTP connector's templates are optional: its endpoint goes missing.)
        let required = if id.starts_with("http-") {
            "endpoint"
        } else if config.get("templates").is_some() {
            "templates"
        } else {
            "default"
        };
        let mut broken = config.clone();
        broken.as_object_mut().unwrap().remove(required);
        let (_, verdict) = call(
            &console,
            "POST",
            &format!("/api/connectors/{id}/validate"),
            json!({"config": broken}),
        )
        .await;
        assert_eq!(verdict["valid"], false);
        assert_eq!(verdict["problems"][0]["path"], format!("/{required}"));
        let (_, verdict) = call(
            &console,
            "POST",
            &format!("/api/connectors/{id}/validate"),
            json!({"config": config}),
        )
        .await;
        assert_eq!(verdict["valid"], true, "{id}: {verdict}");

        // A test send reaches the simulator.
        let to = if id.contains("twilio") {
            "+14155550100"
        } else {
            "+8613800138000"
        };
        let (status, receipt) = call(
            &console,
            "POST",
            &format!("/api/connectors/{id}/test"),
            json!({"config": config, "to": to}),
        )
        .await;
        assert_eq!(status, 200, "{id}: {receipt}");
        assert!(receipt["messageId"].as_str().is_some_and(|m| !m.is_empty()));
        let delivered = console.simulator().unwrap().messages();
        assert!(
            delivered
                .iter()
                .any(|m| m.message_id == receipt["messageId"].as_str().unwrap())
        );

        // Save makes it the active connector; its secrets never come back.
        let (status, saved) = call(
            &console,
            "POST",
            &format!("/api/connectors/{id}/save"),
            json!({"config": config}),
        )
        .await;
        assert_eq!(status, 200, "{saved}");
        assert_eq!(saved["active"], json!(id));
        let (_, reloaded) = call(
            &console,
            "GET",
            &format!("/api/connectors/{id}/config"),
            Value::Null,
        )
        .await;
        assert_eq!(reloaded["saved"], true);
        let set = reloaded["secretsSet"].as_array().unwrap();
        assert!(!set.is_empty());
        for pointer in set {
            assert_eq!(
                reloaded["config"].pointer(pointer.as_str().unwrap()),
                Some(&json!(""))
            );
        }
        let text = reloaded.to_string();
        for secret in connector_kit::SchemaView::root(
            &call(
                &console,
                "GET",
                &format!("/api/connectors/{id}/schema"),
                Value::Null,
            )
            .await
            .1["schema"],
        )
        .secret_values(&config)
        {
            assert!(!text.contains(&secret), "{id}: a saved secret came back");
        }
        // Sending with the secret left empty uses the saved one.
        let (status, _) = call(
            &console,
            "POST",
            &format!("/api/connectors/{id}/test"),
            json!({"config": reloaded["config"], "to": to}),
        )
        .await;
        assert_eq!(status, 200, "{id}: the saved secret is kept");
    }
    // One connector is active; switching kept every saved config.
    let (_, list) = call(&console, "GET", "/api/connectors", Value::Null).await;
    let active: Vec<&Value> = list["connectors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["active"] == true)
        .collect();
    assert_eq!(active.len(), 1);
    assert_eq!(active[0]["id"], json!(ids.last().unwrap()));
    assert!(
        list["connectors"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["saved"] == true)
    );
    let (status, _) = call(
        &console,
        "POST",
        &format!("/api/connectors/{}/activate", ids[0]),
        Value::Null,
    )
    .await;
    assert_eq!(status, 200);
    let (_, list) = call(&console, "GET", "/api/connectors", Value::Null).await;
    assert_eq!(list["active"], json!(ids[0]));
}

#[tokio::test]
async fn invalid_configs_are_not_saved_and_bad_requests_are_refused() {
    let console = console("refusals").await;
    let (status, answer) = call(
        &console,
        "POST",
        "/api/connectors/twilio-sms/save",
        json!({"config": {"accountSID": "x"}}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(answer["code"], "invalid_config");
    assert!(!answer["problems"].as_array().unwrap().is_empty());
    let (_, list) = call(&console, "GET", "/api/connectors", Value::Null).await;
    assert_eq!(list["active"], Value::Null);

    let (status, answer) = call(
        &console,
        "POST",
        "/api/connectors/twilio-sms/activate",
        Value::Null,
    )
    .await;
    assert_eq!((status, answer["code"].clone()), (409, json!("not_saved")));
    let reply = console
        .handle("POST", "/api/connectors/twilio-sms/validate", b"{not json")
        .await;
    assert_eq!(reply.status, 400);
    let (status, _) = call(&console, "GET", "/api/connectors/nexmo/schema", Value::Null).await;
    assert_eq!(status, 404);
    let page = console.handle("GET", "/", b"").await;
    let html = String::from_utf8(page.body).unwrap();
    for needle in [
        "<label for=\"test-to\">",
        "Send test</button>",
        ">Save</button>",
        "/console.js",
    ] {
        assert!(html.contains(needle), "{needle}");
    }
}
