//! JSON-RPC 2.0 over HTTP at `POST /api/mcp/gateway`: single calls, batches (run
//! concurrently), notifications, id echo, standard and domain error codes. Always answers
//! JSON (or 204 when only notifications were sent), never a panic or an HTML error.

use super::Gateway;
use app::contract::{codes, RpcError};
use app::gateway::Credentials;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

/// Most calls accepted in one batch.
pub const MAX_BATCH: usize = 100;

/// Credentials from the request: a bearer token, else the admin session cookie.
pub fn credentials(headers: &HeaderMap) -> Credentials {
    if let Some(token) = crate::auth::bearer(headers) {
        return Credentials::Bearer(token.to_owned());
    }
    let values = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok());
    app::gateway::session_token(values)
        .map(Credentials::Session)
        .unwrap_or(Credentials::Anonymous)
}

/// Whether the request's media type is exactly `application/json` (parameters allowed).
fn declares_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
}

/// One JSON-RPC response object, serialized straight from this struct (no intermediate
/// JSON map per call).
#[derive(Debug, serde::Serialize)]
struct Reply {
    jsonrpc: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    result: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ErrorObject>,
    id: Value,
}

/// The `error` member of a response.
#[derive(Debug, serde::Serialize)]
struct ErrorObject {
    code: i64,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<Value>,
}

fn success(id: Value, result: Value) -> Reply {
    Reply {
        jsonrpc: "2.0",
        result: Some(result),
        error: None,
        id,
    }
}

fn error_response(id: Value, err: RpcError) -> Reply {
    Reply {
        jsonrpc: "2.0",
        result: None,
        error: Some(ErrorObject {
            code: err.code,
            message: err.message,
            data: err.data,
        }),
        id,
    }
}

/// Methods that may not be sent in a batch: a batch of sign-ins would multiply the password
/// hashing one HTTP request causes.
const NOT_IN_BATCH: [&str; 1] = ["admin.login"];

/// The members of one call the gateway reads (any others are ignored).
struct Members<'a> {
    /// `id`, when present (`null` included).
    id: Option<Value>,
    /// `jsonrpc`, when it is a string.
    jsonrpc: Option<&'a str>,
    /// `method`, when it is a string.
    method: Option<&'a str>,
    /// `params`, when present.
    params: Option<Value>,
}

/// A single call as clients send it, read from the body without building a JSON tree. It
/// fails on anything else — a batch, a member of another type, an escaped `jsonrpc` or
/// `method`, a repeated member — and the body then takes the general path, which answers
/// every such case (and these, the same way).
#[derive(serde::Deserialize)]
struct Plain<'a> {
    #[serde(borrow)]
    jsonrpc: &'a str,
    #[serde(borrow)]
    method: &'a str,
    #[serde(default, deserialize_with = "present")]
    params: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    id: Option<Value>,
}

/// A member that is present, `null` included (serde reads a `null` `Option` as absent).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    serde::Deserialize::deserialize(d).map(Some)
}

impl<'a> From<Plain<'a>> for Members<'a> {
    fn from(plain: Plain<'a>) -> Self {
        Self {
            id: plain.id,
            jsonrpc: Some(plain.jsonrpc),
            method: Some(plain.method),
            params: plain.params,
        }
    }
}

/// Handles one request object (`in_batch` when it came in a batch); `None` for a notification.
async fn call_one(
    gateway: &Gateway,
    credentials: Credentials,
    request: Value,
    in_batch: bool,
) -> Option<Reply> {
    let Value::Object(mut obj) = request else {
        return Some(error_response(
            Value::Null,
            RpcError::new(codes::INVALID_REQUEST, "each request must be a JSON object"),
        ));
    };
    // Taken out of the request, not copied: the object is ours.
    let members = Members {
        id: obj.remove("id"),
        params: obj.remove("params"),
        jsonrpc: obj.get("jsonrpc").and_then(Value::as_str),
        method: obj.get("method").and_then(Value::as_str),
    };
    answer(gateway, credentials, members, in_batch).await
}

/// Checks one call's members, runs it and makes its response; `None` for a notification.
async fn answer(
    gateway: &Gateway,
    credentials: Credentials,
    members: Members<'_>,
    in_batch: bool,
) -> Option<Reply> {
    let Members {
        id,
        jsonrpc,
        method,
        params,
    } = members;
    let echo = match &id {
        Some(v @ (Value::String(_) | Value::Number(_) | Value::Null)) => v.clone(),
        Some(_) => {
            return Some(error_response(
                Value::Null,
                RpcError::new(
                    codes::INVALID_REQUEST,
                    "id must be a string, a number or null",
                ),
            ))
        }
        None => Value::Null,
    };
    let invalid = |message: &str| {
        Some(error_response(
            echo.clone(),
            RpcError::new(codes::INVALID_REQUEST, message),
        ))
    };
    if jsonrpc != Some("2.0") {
        return invalid("\"jsonrpc\" must be exactly \"2.0\"");
    }
    let Some(method) = method else {
        return invalid("\"method\" must be a string");
    };
    if in_batch && NOT_IN_BATCH.contains(&method) {
        // Not run; a notification gets no answer, as always.
        id.as_ref()?;
        return invalid(&format!(
            "{method} cannot be sent in a batch; send it as a single request"
        ));
    }
    let params = match params {
        None => Value::Object(Map::new()),
        Some(p @ Value::Object(_)) => p,
        Some(Value::Array(_)) => {
            return Some(error_response(
                echo,
                RpcError::new(
                    codes::INVALID_PARAMS,
                    "params must be an object with named fields",
                ),
            ))
        }
        Some(_) => return invalid("\"params\" must be an object"),
    };
    let outcome = gateway.run(credentials, method, params).await;
    id.as_ref()?;
    Some(match outcome {
        Ok(result) => success(echo, result),
        Err(err) => error_response(echo, err),
    })
}

/// The response to a call or a notification.
fn respond(reply: Option<Reply>) -> Response {
    match reply {
        Some(response) => Json(response).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    }
}

/// Largest request body accepted.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// A JSON-RPC error answer outside any one call (`id` null) with an HTTP status.
fn refuse(status: StatusCode, err: RpcError) -> Response {
    (status, Json(error_response(Value::Null, err))).into_response()
}

/// The route handler. Reads the headers in place and the body itself (at most
/// [`MAX_BODY_BYTES`]): no extractor copies the header map.
pub async fn handle(State(gateway): State<Gateway>, request: Request) -> Response {
    let credentials = credentials(request.headers());
    if matches!(credentials, Credentials::Session(_)) && !declares_json(request.headers()) {
        // A cross-site HTML form can send text/plain or form bodies with the cookie, but not
        // application/json (that needs a CORS preflight), so cookie calls must declare it.
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            RpcError::new(
                codes::INVALID_REQUEST,
                "requests with the session cookie must be sent with content-type: application/json",
            ),
        );
    }
    let body = match axum::body::to_bytes(request.into_body(), MAX_BODY_BYTES).await {
        Ok(body) => body,
        Err(e) if is_too_large(&e) => {
            return refuse(
                StatusCode::PAYLOAD_TOO_LARGE,
                RpcError::new(codes::INVALID_REQUEST, "the body must be at most 1 MiB"),
            )
        }
        Err(_) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                RpcError::new(
                    codes::INVALID_REQUEST,
                    "the body could not be read; send it again",
                ),
            )
        }
    };
    if let Ok(plain) = serde_json::from_slice::<Plain<'_>>(&body) {
        return respond(answer(&gateway, credentials, plain.into(), false).await);
    }
    let parsed: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            let err = RpcError::new(
                codes::PARSE_ERROR,
                format!("the body is not valid JSON: {e}"),
            );
            return refuse(StatusCode::OK, err);
        }
    };
    match parsed {
        Value::Array(batch) if batch.is_empty() => refuse(
            StatusCode::OK,
            RpcError::new(
                codes::INVALID_REQUEST,
                "an empty batch is not a valid request",
            ),
        ),
        Value::Array(batch) if batch.len() > MAX_BATCH => refuse(
            StatusCode::OK,
            RpcError::new(
                codes::INVALID_REQUEST,
                format!("a batch may hold at most {MAX_BATCH} calls"),
            ),
        ),
        Value::Array(batch) => {
            // Every call of a batch counts against the client's limit, not just the request.
            if let Some(ip) = crate::http::limit::client() {
                let extra = u32::try_from(batch.len() - 1).unwrap_or(u32::MAX);
                if let Err(wait) = gateway.services().limits.ip_extra(ip, extra) {
                    let err = super::rate_limited("too many calls from your address", wait);
                    return refuse(StatusCode::TOO_MANY_REQUESTS, err);
                }
            }
            let calls = batch
                .into_iter()
                .map(|request| call_one(&gateway, credentials.clone(), request, true));
            let responses: Vec<Reply> = futures_util::future::join_all(calls)
                .await
                .into_iter()
                .flatten()
                .collect();
            if responses.is_empty() {
                StatusCode::NO_CONTENT.into_response()
            } else {
                Json(responses).into_response()
            }
        }
        single => respond(call_one(&gateway, credentials, single, false).await),
    }
}

/// Whether reading the body failed on its size limit (not on the connection).
fn is_too_large(e: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if err.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = err.source();
    }
    false
}

/// `GET /api/mcp/gateway/methods`: every method with its description and required access.
pub async fn methods(State(gateway): State<Gateway>) -> Json<Value> {
    let list: Vec<Value> = gateway
        .registry()
        .iter()
        .map(super::discover::describe)
        .collect();
    Json(json!({ "count": list.len(), "methods": list }))
}
