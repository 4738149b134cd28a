//! The OpenAPI 3.1 document, written out by hand from one table of routes
//! (`ROUTES`); a test sends a request to every route in the table, so the
//! document cannot name a route the server does not have.

use serde_json::{Value, json};

pub struct Route {
    pub method: &'static str,
    /// In OpenAPI form (`{id}`), as axum writes it too.
    pub path: &'static str,
    pub summary: &'static str,
    /// The request body's schema, if any.
    pub body: Option<&'static str>,
    /// The success response's schema.
    pub response: &'static str,
    pub authenticated: bool,
}

const fn route(
    method: &'static str,
    path: &'static str,
    summary: &'static str,
    body: Option<&'static str>,
    response: &'static str,
    authenticated: bool,
) -> Route {
    Route {
        method,
        path,
        summary,
        body,
        response,
        authenticated,
    }
}

pub const ROUTES: &[Route] = &[
    route(
        "post",
        "/api/session",
        "Sign in: credentials for a bearer token",
        Some("Credentials"),
        "Token",
        false,
    ),
    route(
        "delete",
        "/api/session",
        "Sign out: end this token's session",
        None,
        "Empty",
        true,
    ),
    route(
        "get",
        "/api/clients",
        "The caller's caseload",
        None,
        "ClientList",
        true,
    ),
    route(
        "get",
        "/api/clients/{id}",
        "One client with courses and sessions",
        None,
        "Client",
        true,
    ),
    route(
        "get",
        "/api/clients/{id}/administrations",
        "A client's administrations, oldest first",
        None,
        "AdministrationList",
        true,
    ),
    route(
        "post",
        "/api/clients/{id}/administrations",
        "Enter a measure on the client's behalf; scored, alerts raised",
        Some("NewEntry"),
        "Entered",
        true,
    ),
    route(
        "get",
        "/api/clients/{id}/videos",
        "A client's session videos with their synchrony analyses, oldest session first",
        None,
        "VideoList",
        true,
    ),
    route(
        "get",
        "/api/sessions/{id}/readiness",
        "The readiness review of a medicine session, as of the session's own time",
        None,
        "Readiness",
        true,
    ),
    route(
        "get",
        "/api/alerts",
        "Open alerts of the caller's clients",
        None,
        "AlertList",
        true,
    ),
    route(
        "post",
        "/api/alerts/{id}/acknowledge",
        "Acknowledge an alert",
        None,
        "Alert",
        true,
    ),
    route(
        "post",
        "/api/alerts/{id}/resolve",
        "Resolve an alert, with an optional note",
        Some("Resolution"),
        "Alert",
        true,
    ),
    route(
        "get",
        "/api/openapi.json",
        "This document",
        None,
        "Empty",
        false,
    ),
];

fn schemas() -> Value {
    let uuid = json!({ "type": "string", "format": "uuid" });
    let time = json!({ "type": "string", "format": "date-time" });
    let opt = |v: Value| json!({ "oneOf": [v, { "type": "null" }] });
    let mut all = json!({
        "Empty": { "type": "object" },
        "Error": { "type": "object", "required": ["error"], "properties": { "error": {
            "type": "object", "required": ["code", "message"], "properties": {
                "code": { "enum": ["unauthenticated", "forbidden", "not_found", "invalid", "conflict", "gone", "too_many_attempts", "too_large", "internal"] },
                "message": { "type": "string" },
                "field": { "type": "string" } } } } },
        "Credentials": { "type": "object", "required": ["username", "password"], "properties": {
            "username": { "type": "string", "maxLength": 64 }, "password": { "type": "string", "maxLength": 1024 },
            "code": { "type": "string", "description": "one-time code, for accounts with two-step sign-in" } } },
        "Token": { "type": "object", "required": ["token", "expires_at", "role"], "properties": {
            "token": { "type": "string" }, "expires_at": time, "role": { "enum": ["admin", "therapist", "supervisor", "researcher"] } } },
        "ClientSummary": { "type": "object", "required": ["id", "code", "lead_therapist"], "properties": {
            "id": uuid, "code": { "type": "string" }, "lead_therapist": uuid, "co_therapist": opt(uuid.clone()) } },
        "ClientList": { "type": "array", "items": { "$ref": "#/components/schemas/ClientSummary" } },
        "Session": { "type": "object", "properties": {
            "id": uuid, "number": { "type": "integer" }, "kind": { "enum": ["screening", "preparation", "medicine", "integration", "follow_up"] },
            "scheduled_at": time, "held_at": opt(time.clone()), "readiness_override": opt(json!({ "type": "string" })),
            "cancelled_at": opt(time.clone()), "cancel_reason": opt(json!({ "enum": ["client_cancelled", "clinic_cancelled", "no_show", "clinical_reason", "other"] })) } },
        "Course": { "type": "object", "properties": {
            "id": uuid, "modality": { "type": "string" }, "protocol": { "type": "string" }, "started_on": { "type": "string", "format": "date" },
            "sessions": { "type": "array", "items": { "$ref": "#/components/schemas/Session" } } } },
        "Client": { "type": "object", "properties": {
            "id": uuid, "code": { "type": "string" }, "name": { "type": "string" }, "lead_therapist": uuid, "co_therapist": opt(uuid.clone()),
            "courses": { "type": "array", "items": { "$ref": "#/components/schemas/Course" } } } },
        "Administration": { "type": "object", "properties": {
            "id": uuid, "instrument": { "type": "string" }, "instrument_version": { "type": "integer" }, "respondent": { "type": "string" },
            "course": opt(uuid.clone()), "session": opt(uuid.clone()), "time_point": opt(json!({ "type": "string" })), "administered_at": time,
            "completed_via": { "enum": ["portal", "clinician_entry", "import"] },
            "answers": { "type": "array", "items": opt(json!({ "type": "number" })) },
            "total": opt(json!({ "type": "number" })), "band": opt(json!({ "type": "string" })), "complete": { "type": "boolean" },
            "prorated": { "type": "boolean" }, "wording_pack": opt(json!({ "type": "string" })), "scorer": { "type": "string" },
            "supersedes": opt(uuid.clone()) } },
        "AdministrationList": { "type": "array", "items": { "$ref": "#/components/schemas/Administration" } },
        "NewEntry": { "type": "object", "additionalProperties": false, "required": ["idempotency_key", "instrument", "answers"], "properties": {
            "idempotency_key": { "type": "string", "maxLength": 128, "pattern": "^[A-Za-z0-9_-]+$" },
            "instrument": { "type": "string" },
            "answers": { "type": "array", "items": opt(json!({ "type": "number" })) },
            "session": opt(uuid.clone()), "time_point": opt(json!({ "type": "string", "maxLength": 40 })) } },
        "Entered": { "type": "object", "properties": {
            "id": uuid, "created": { "type": "boolean" }, "total": opt(json!({ "type": "number" })), "band": opt(json!({ "type": "string" })),
            "complete": { "type": "boolean" }, "alerts": { "type": "array", "items": uuid } } },
        "Alert": { "type": "object", "properties": {
            "id": uuid, "client": uuid, "kind": { "type": "string" }, "severity": { "enum": ["notice", "warning", "urgent", "immediate"] },
            "message": { "type": "string" }, "status": { "enum": ["open", "acknowledged", "resolved"] }, "raised_at": time } },
        "AlertList": { "type": "array", "items": { "$ref": "#/components/schemas/Alert" } },
        "Readiness": { "type": "object", "required": ["session", "verdict", "reasons", "signed"], "properties": {
            "session": uuid, "verdict": { "enum": ["ready", "caution", "not_ready"] }, "signed": { "type": "boolean" },
            "reasons": { "type": "array", "items": { "type": "object", "properties": {
                "code": { "type": "string" }, "outcome": { "enum": ["ready", "caution", "not_ready"] },
                "message": { "type": "string" }, "to_do": { "type": "boolean" } } } } } },
        "Resolution": { "type": "object", "additionalProperties": false, "properties": { "note": { "type": "string", "maxLength": 1000 } } },
    });
    if let (Some(all), Value::Object(videos)) = (all.as_object_mut(), video_schemas()) {
        all.extend(videos);
    }
    all
}

/// Session videos and their analyses (a second table: one `json!` this size
/// would exceed the macro's recursion limit).
fn video_schemas() -> Value {
    let uuid = json!({ "type": "string", "format": "uuid" });
    let time = json!({ "type": "string", "format": "date-time" });
    let opt = |v: Value| json!({ "oneOf": [v, { "type": "null" }] });
    let numbers = json!({ "type": "array", "items": { "type": "number" } });
    let chance = json!({ "type": "object", "properties": { "surrogates": { "type": "integer" },
        "mean": { "type": "number" }, "sd": { "type": "number" }, "percentile": { "type": "number" }, "z": { "type": "number" } } });
    let movement = json!({ "$ref": "#/components/schemas/Movement" });
    json!({
        "Video": { "type": "object", "properties": {
            "id": uuid, "session": uuid, "file_name": { "type": "string" }, "bytes": { "type": "integer" }, "sha256": { "type": "string" },
            "uploaded_at": time, "state": { "enum": ["queued", "running", "done", "failed"] }, "attempts": { "type": "integer" },
            "error": opt(json!({ "type": "string" })), "analysed_at": opt(time.clone()), "file_deleted_at": opt(time.clone()),
            "analysis": opt(json!({ "$ref": "#/components/schemas/VideoAnalysis" })) } },
        "VideoList": { "type": "array", "items": { "$ref": "#/components/schemas/Video" } },
        "VideoAnalysis": { "type": "object", "description": "Synchrony: mean |Fisher z| of windowed cross-lagged correlations of client and therapist motion energy; positive lags mean the client leads.",
            "properties": {
            "synchrony": { "type": "number" }, "frames": { "type": "integer" }, "fps": { "type": "number" }, "duration_sec": { "type": "number" },
            "window_sec": { "type": "number" }, "step_sec": { "type": "number" }, "max_lag_sec": { "type": "number" }, "smooth_sec": { "type": "number" },
            "threshold": { "type": "integer" }, "decoder": { "type": "string" },
            "lag_seconds": numbers.clone(), "lag_profile": numbers.clone(),
            "window_start_sec": numbers.clone(), "window_synchrony": numbers,
            "chance": opt(chance), "client": opt(movement.clone()), "therapist": opt(movement) } },
        "Movement": { "type": "object", "properties": {
            "mean_percent": { "type": "number" }, "sd": { "type": "number" }, "moving_share": { "type": "number" } } },
    })
}

pub fn document() -> Value {
    let mut paths = serde_json::Map::new();
    let error = json!({ "description": "refused; see the error's code and message",
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } });
    for r in ROUTES {
        let mut op = json!({
            "summary": r.summary,
            "responses": {
                "200": { "description": "done", "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{}", r.response) } } } },
                "default": error,
            },
        });
        if r.path.contains("{id}") {
            op["parameters"] = json!([{ "name": "id", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } }]);
        }
        if let Some(body) = r.body {
            op["requestBody"] = json!({ "required": r.method != "post" || !r.path.ends_with("/resolve"),
                "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{body}") } } } });
        }
        if !r.authenticated {
            op["security"] = json!([]);
        }
        let entry = paths.entry(r.path).or_insert_with(|| json!({}));
        entry[r.method] = op;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Attune API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Clients, courses, sessions, administrations and alerts, under the same access rules as the web pages.",
        },
        "components": {
            "schemas": schemas(),
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
        },
        "security": [{ "bearer": [] }],
        "paths": paths,
    })
}
