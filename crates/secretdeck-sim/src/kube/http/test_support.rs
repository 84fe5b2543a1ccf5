//! Calling the router in-process, for the HTTP tests.

use super::{HttpOptions, router};
use crate::kube::resources::EsoVersion;
use crate::kube::store::Writer;
use crate::kube::{Registry, Store};
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use futures::StreamExt;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceExt;

pub struct Sim {
    pub store: Arc<Store>,
    pub router: Router,
}

pub fn sim_with(store: Arc<Store>, opts: HttpOptions) -> Sim {
    let ns = store
        .registry()
        .by_plural("", "namespaces")
        .unwrap()
        .clone();
    for name in ["app", "other"] {
        store
            .create(
                &ns,
                "",
                json!({"metadata": {"name": name}}),
                Writer::update("test"),
            )
            .unwrap();
    }
    let router = router(store.clone(), opts);
    Sim { store, router }
}

pub fn sim() -> Sim {
    sim_with(
        Store::new(Registry::new(EsoVersion::V1, true)),
        HttpOptions::default(),
    )
}

pub struct Resp {
    pub status: StatusCode,
    pub content_type: String,
    pub body: Value,
}

impl Sim {
    pub async fn call(
        &self,
        method: &str,
        uri: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Resp {
        let mut req = Request::builder().method(method).uri(uri);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = self
            .router
            .clone()
            .oneshot(req.body(Body::from(body.to_string())).unwrap())
            .await
            .unwrap();
        let status = resp.status();
        let content_type = resp
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .unwrap();
        let body = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        Resp {
            status,
            content_type,
            body,
        }
    }

    pub async fn get(&self, uri: &str) -> Resp {
        self.call("GET", uri, &[], "").await
    }

    pub async fn send(&self, method: &str, uri: &str, ct: &str, body: Value) -> Resp {
        self.call(method, uri, &[("content-type", ct)], &body.to_string())
            .await
    }

    /// Open a watch and read its events line by line.
    pub async fn watch(&self, uri: &str, accept: Option<&str>) -> Events {
        let mut req = Request::builder().uri(uri);
        if let Some(a) = accept {
            req = req.header("accept", a);
        }
        let resp = self
            .router
            .clone()
            .oneshot(req.body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        Events {
            stream: Box::pin(resp.into_body().into_data_stream()),
            buf: Vec::new(),
        }
    }
}

type DataStream =
    std::pin::Pin<Box<dyn futures::Stream<Item = Result<axum::body::Bytes, axum::Error>> + Send>>;

pub struct Events {
    stream: DataStream,
    buf: Vec<u8>,
}

impl Events {
    /// The next event, or `None` when the stream ended. Fails the test if
    /// nothing arrives within 10 seconds.
    pub async fn next(&mut self) -> Option<Value> {
        loop {
            if let Some(i) = self.buf.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = self.buf.drain(..=i).collect();
                return Some(serde_json::from_slice(&line).expect("event line is JSON"));
            }
            let chunk = tokio::time::timeout(Duration::from_secs(10), self.stream.next())
                .await
                .expect("no watch event within 10s");
            match chunk {
                Some(Ok(b)) => self.buf.extend_from_slice(&b),
                _ => return None,
            }
        }
    }

    /// The next event that is not a BOOKMARK.
    pub async fn next_change(&mut self) -> Value {
        loop {
            let ev = self.next().await.expect("watch ended early");
            if ev["type"] != "BOOKMARK" {
                return ev;
            }
        }
    }
}

pub const MERGE: &str = "application/merge-patch+json";
pub const JSON: &str = "application/json";
