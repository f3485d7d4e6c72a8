//! `/pacts/provider/{provider}/for-verification`: `POST` with consumer version selectors (read
//! access is enough), and `GET` (the deprecated query-string form; without a query it answers
//! with the defaults, which pact_verifier relies on to find the `self` href it then POSTs to).

use axum::extract::State;
use axum::http::Uri;
use serde_json::{json, Map, Value};

use super::extract::{nested_list, query_pairs, JsonBody, PathParams};
use super::provider_pacts::ProviderPath;
use super::{urls, AppState};
use crate::domain::for_verification::Criterion;
use crate::domain::for_verification::{self, Request, VerifiablePact};
use crate::domain::metadata::{MetaSelector, Metadata};
use crate::domain::{selectors, verification_notices};
use crate::error::{ApiError, ApiResult};
use crate::hal::{BaseUrl, Hal, HalBytes, Link};
use crate::storage::{format_timestamp, generation, pacticipants, Conn};
use axum::body::Bytes;

/// Reads the request body (camelCase keys).
pub fn parse_request(body: &Value) -> Result<Request, ApiError> {
    let Some(object) = body.as_object() else {
        return Err(ApiError::field("base", "expected a JSON object"));
    };
    let mut errors = Map::new();
    let mut request = Request::default();
    match object.get("consumerVersionSelectors") {
        None | Some(Value::Null) => {}
        Some(value) => match selectors::parse(value) {
            Ok(s) => request.selectors = s,
            Err(e) => {
                errors.insert("consumerVersionSelectors".into(), Value::Object(e));
            }
        },
    }
    match object.get("providerVersionBranch") {
        None | Some(Value::Null) => {}
        Some(Value::String(b)) if !b.trim().is_empty() => request.provider_version_branch = Some(b.clone()),
        Some(_) => {
            errors.insert("providerVersionBranch".into(), json!(["must be a non-blank string"]));
        }
    }
    match object.get("providerVersionTags") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
            request.provider_version_tags =
                items.iter().filter_map(Value::as_str).map(str::to_string).collect();
        }
        Some(_) => {
            errors.insert("providerVersionTags".into(), json!(["must be an array of strings"]));
        }
    }
    match object.get("includePendingStatus") {
        None | Some(Value::Null) => {}
        Some(Value::Bool(b)) => request.include_pending_status = *b,
        Some(_) => {
            errors.insert("includePendingStatus".into(), json!(["must be a boolean"]));
        }
    }
    match object.get("includeWipPactsSince") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) => match parse_date(s) {
            Some(at) => request.include_wip_pacts_since = Some(at),
            None => {
                errors.insert(
                    "includeWipPactsSince".into(),
                    json!([format!("must be a date (2020-01-01) or a date-time with offset, found {s:?}")]),
                );
            }
        },
        Some(_) => {
            errors.insert("includeWipPactsSince".into(), json!(["must be a string"]));
        }
    }
    if request.provider_version_branch.is_none() && request.selectors.iter().any(|s| s.matching_branch) {
        errors.insert(
            "providerVersionBranch".into(),
            json!(["must be specified when the selector matchingBranch=true is used"]),
        );
    }
    if errors.is_empty() {
        Ok(request)
    } else {
        Err(ApiError::fields(errors))
    }
}

/// `2020-01-01` (midnight UTC) or an RFC 3339 date-time, in the stored timestamp form.
fn parse_date(text: &str) -> Option<String> {
    use time::format_description::well_known::Rfc3339;
    if let Ok(at) = time::OffsetDateTime::parse(text, &Rfc3339) {
        return Some(format_timestamp(at));
    }
    let mut parts = text.splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    let date = time::Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()?;
    Some(format_timestamp(date.midnight().assume_utc()))
}

/// The query-string form of `GET`, turned into the body form.
fn body_from_query(uri: &Uri) -> Value {
    let pairs = query_pairs(uri);
    let mut body = Map::new();
    let selectors: Vec<Value> = nested_list(&pairs, "consumer_version_selectors")
        .into_iter()
        .map(|fields| {
            let mut selector = Map::new();
            for (key, value) in fields {
                let camel = match key.as_str() {
                    "main_branch" => "mainBranch",
                    "fallback_tag" => "fallbackTag",
                    "fallback_branch" => "fallbackBranch",
                    "matching_branch" => "matchingBranch",
                    "deployed_or_released" => "deployedOrReleased",
                    other => other,
                }
                .to_string();
                let flag = matches!(
                    camel.as_str(),
                    "latest"
                        | "mainBranch"
                        | "matchingBranch"
                        | "deployed"
                        | "released"
                        | "deployedOrReleased"
                );
                let v = if flag { Value::Bool(value == "true") } else { Value::String(value) };
                selector.insert(camel, v);
            }
            Value::Object(selector)
        })
        .collect();
    if !selectors.is_empty() {
        body.insert("consumerVersionSelectors".into(), Value::Array(selectors));
    }
    let tags: Vec<Value> =
        pairs.iter().filter(|(k, _)| k == "provider_version_tags[]").map(|(_, v)| json!(v)).collect();
    if !tags.is_empty() {
        body.insert("providerVersionTags".into(), Value::Array(tags));
    }
    for (key, value) in &pairs {
        match key.as_str() {
            "provider_version_branch" => {
                body.insert("providerVersionBranch".into(), json!(value));
            }
            "include_pending_status" => {
                body.insert("includePendingStatus".into(), json!(value == "true"));
            }
            "include_wip_pacts_since" => {
                body.insert("includeWipPactsSince".into(), json!(value));
            }
            _ => {}
        }
    }
    Value::Object(body)
}

fn metadata_of(pact: &VerifiablePact) -> Metadata {
    if pact.wip {
        return Metadata { wip: true, ..Default::default() };
    }
    let selectors = pact
        .selections
        .iter()
        .map(|s| {
            let mut m =
                MetaSelector { consumer_version_id: Some(s.consumer_version_id), ..Default::default() };
            match &s.criterion {
                Criterion::OverallLatest | Criterion::LatestForMainBranch => m.latest = Some(true),
                Criterion::LatestForTag { tag, fallback } => {
                    m.tag = Some(fallback.clone().unwrap_or_else(|| tag.clone()));
                    m.latest = Some(true);
                }
                Criterion::LatestForBranch { branch, fallback } => {
                    m.branch = Some(fallback.clone().unwrap_or_else(|| branch.clone()));
                    m.latest = Some(true);
                }
                Criterion::AllForTag { tag } => m.tag = Some(tag.clone()),
                Criterion::Deployed { environment } | Criterion::Released { environment } => {
                    m.environment = Some(environment.clone())
                }
            }
            m
        })
        .collect();
    Metadata { selectors, pending: Some(pact.pending), ..Default::default() }
}

/// Answers from the response cache when nothing was written since the same query was
/// answered; otherwise computes the answer, and caches it when nothing was written meanwhile.
async fn answer(state: AppState, base: BaseUrl, provider: String, body: Value) -> ApiResult<HalBytes> {
    let request = parse_request(&body)?;
    let mut conn = state.storage.read().await?;
    let key = (base.as_str().to_string(), provider.clone(), body.to_string());
    let before = generation::current(&mut conn).await?;
    if let Some(cached) = state.responses.get(&key, before) {
        return Ok(HalBytes(cached));
    }
    let hal = compute(&mut conn, &base, &provider, &request).await?;
    let bytes = Bytes::from(hal.body.to_string());
    if generation::current(&mut conn).await? == before {
        state.responses.put(key, before, bytes.clone());
    }
    Ok(HalBytes(bytes))
}

async fn compute(conn: &mut Conn, base: &BaseUrl, provider: &str, request: &Request) -> ApiResult<Hal> {
    let p = pacticipants::find(conn, provider)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("No provider with name '{provider}' found")))?;
    let found = for_verification::find(conn, &p, request).await.map_err(|e| match e {
        for_verification::Error::UnknownEnvironment(_) => ApiError::fields(Map::from_iter([(
            "consumerVersionSelectors".to_string(),
            json!([e.to_string()]),
        )])),
        for_verification::Error::Storage(e) => e.into(),
    })?;
    let pacts: Vec<Value> = found
        .iter()
        .map(|pact| {
            let pp = &pact.publication;
            let metadata = metadata_of(pact).encode();
            let href =
                urls::pact_version(base, &pp.provider_name, &pp.consumer_name, &pp.sha, Some(&metadata));
            let notices_url = if pact.wip {
                urls::pact_version(base, &pp.provider_name, &pp.consumer_name, &pp.sha, Some(&metadata))
            } else {
                urls::pact_version(base, &pp.provider_name, &pp.consumer_name, &pp.sha, None)
            };
            let mut properties = Map::new();
            if request.include_pending_status {
                properties.insert("pending".into(), json!(pact.pending));
            }
            if pact.wip {
                properties.insert("wip".into(), json!(true));
            }
            properties.insert(
                "notices".into(),
                Value::Array(verification_notices::notices(
                    pact,
                    &notices_url,
                    request.include_pending_status,
                )),
            );
            json!({
                "shortDescription": verification_notices::short_description(pact),
                "verificationProperties": properties,
                "_links": {"self": Link::new(href).name(verification_notices::pact_name(pact))},
            })
        })
        .collect();
    Ok(Hal::ok(json!({
        "_embedded": {"pacts": pacts},
        "_links": {"self": Link::new(base.href(&["pacts", "provider", &p.name, "for-verification"])).title("Pacts to be verified")},
    })))
}

/// `POST /pacts/provider/{provider}/for-verification`.
pub async fn query_post(
    State(state): State<AppState>,
    base: BaseUrl,
    PathParams(path): PathParams<ProviderPath>,
    JsonBody(body): JsonBody,
) -> ApiResult<HalBytes> {
    answer(state, base, path.provider, body).await
}

/// `GET /pacts/provider/{provider}/for-verification[?consumer_version_selectors[][tag]=...]`.
pub async fn query_get(
    State(state): State<AppState>,
    base: BaseUrl,
    uri: Uri,
    PathParams(path): PathParams<ProviderPath>,
) -> ApiResult<HalBytes> {
    answer(state, base, path.provider, body_from_query(&uri)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_date_times_become_utc_timestamps() {
        assert_eq!(parse_date("2020-01-02").as_deref(), Some("2020-01-02T00:00:00+00:00"));
        assert_eq!(parse_date("2020-01-02T10:00:00+02:00").as_deref(), Some("2020-01-02T08:00:00+00:00"));
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(parse_date("2020-13-01"), None);
    }

    #[test]
    fn the_query_string_form_reads_as_the_body_form() {
        let uri: Uri = "/x?consumer_version_selectors[][tag]=prod&consumer_version_selectors[][latest]=true\
                        &consumer_version_selectors[][tag]=main&provider_version_tags[]=dev&include_pending_status=true"
            .parse()
            .unwrap();
        let body = body_from_query(&uri);
        assert_eq!(
            body,
            json!({"consumerVersionSelectors": [{"tag": "prod", "latest": true}, {"tag": "main"}],
                   "providerVersionTags": ["dev"], "includePendingStatus": true})
        );
    }
}
