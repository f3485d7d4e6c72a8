//! `/ui/matrix`: consumer version × provider version × verification result, newest consumer
//! versions first; each row green (verified), red (failed) or yellow (not verified), with the
//! result in words too. `?consumer=` and `?provider=` narrow it to pacticipants, `?limit=` to
//! a number of rows (100 by default, at most 1000).

use axum::extract::State;
use axum::http::{StatusCode, Uri};

use super::html::{self, esc, link};
use super::{nav, result_cell, Labels, UiError, UiResult};
use crate::api::extract::{field, query_pairs};
use crate::api::AppState;
use crate::hal::BaseUrl;
use crate::storage::matrix::{self, RowQuery};
use crate::storage::pacticipants;

const DEFAULT_LIMIT: i64 = 100;
const MAX_LIMIT: i64 = 1000;

/// `GET /ui/matrix`.
pub async fn page(State(state): State<AppState>, base: BaseUrl, uri: Uri) -> UiResult {
    let pairs = query_pairs(&uri);
    let named = |key: &str| field(&pairs, key).map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
    let (consumer, provider) = (named("consumer"), named("provider"));
    let limit = match field(&pairs, "limit") {
        None | Some("") => DEFAULT_LIMIT,
        Some(text) => text.parse::<i64>().ok().filter(|n| (1..=MAX_LIMIT).contains(n)).ok_or_else(|| {
            UiError::bad_request(format!("limit must be a number from 1 to {MAX_LIMIT}, found {text:?}"))
        })?,
    };
    let mut conn = state.storage.read().await?;
    let mut missing = Vec::new();
    let mut id_of = async |name: &Option<String>| -> Result<Option<Option<i64>>, UiError> {
        match name {
            None => Ok(Some(None)),
            Some(n) => Ok(pacticipants::find(&mut conn, n).await?.map(|p| Some(p.id))),
        }
    };
    let consumer_id = id_of(&consumer).await?;
    let provider_id = id_of(&provider).await?;
    for (name, id) in [(&consumer, consumer_id), (&provider, provider_id)] {
        if let (Some(name), None) = (name, id) {
            missing.push(name.clone());
        }
    }
    let rows = match (consumer_id, provider_id) {
        (Some(consumer_id), Some(provider_id)) => {
            matrix::rows(
                &mut conn,
                &RowQuery { consumer_id, provider_id, limit: Some(limit), ..RowQuery::default() },
            )
            .await?
        }
        _ => Vec::new(),
    };

    let title = match (&consumer, &provider) {
        (Some(c), Some(p)) => format!("Matrix: {c} and {p}"),
        (Some(c), None) => format!("Matrix: {c}"),
        (None, Some(p)) => format!("Matrix: {p}"),
        (None, None) => "Matrix".to_string(),
    };
    let mut body = format!(
        "<h1>{}</h1><form method=\"get\" action=\"{}\"><label>Consumer <input name=\"consumer\" value=\"{}\"></label> \
         <label>Provider <input name=\"provider\" value=\"{}\"></label> <button type=\"submit\">Show</button></form>",
        esc(&title),
        esc(&base.href(&["ui", "matrix"])),
        esc(consumer.as_deref().unwrap_or("")),
        esc(provider.as_deref().unwrap_or("")),
    );
    for name in &missing {
        body.push_str(&format!("<p class=\"muted\">No pacticipant named {} exists.</p>", esc(name)));
    }
    if rows.is_empty() {
        body.push_str("<p class=\"muted\">No pacts to show.</p>");
    } else {
        body.push_str(
            "<table id=\"matrix\"><thead><tr><th>Consumer</th><th>Consumer version</th><th>Provider</th><th>Provider version</th>\
             <th>Pact published</th><th>Verified at</th><th>Result</th></tr></thead><tbody>",
        );
        let mut labels = Labels::default();
        for row in &rows {
            let p = &row.publication;
            let v = row.verification.as_ref();
            let (class, result) = result_cell(v);
            let pact_page = base.href(&[
                "ui",
                "pacts",
                "provider",
                &p.provider_name,
                "consumer",
                &p.consumer_name,
                "version",
                &p.consumer_version_number,
            ]);
            let provider_version = match v {
                Some(v) => format!(
                    "{} {}",
                    esc(&v.provider_version_number),
                    labels.of(&mut conn, v.provider_version_id).await?
                ),
                None => "<span class=\"muted\">-</span>".into(),
            };
            body.push_str(&format!(
                "<tr class=\"{class}\" data-consumer=\"{}\" data-consumer-version=\"{}\" data-provider=\"{}\" data-provider-version=\"{}\" data-result=\"{class}\">\
                 <td>{}</td><td>{} {}</td><td>{}</td><td>{provider_version}</td><td class=\"when\">{}</td><td class=\"when\">{}</td><td class=\"result\">{}</td></tr>",
                esc(&p.consumer_name),
                esc(&p.consumer_version_number),
                esc(&p.provider_name),
                esc(v.map(|v| v.provider_version_number.as_str()).unwrap_or("")),
                esc(&p.consumer_name),
                link(&pact_page, &p.consumer_version_number),
                labels.of(&mut conn, p.consumer_version_id).await?,
                esc(&p.provider_name),
                html::when(&p.created_at),
                html::when(v.map(|v| v.created_at.as_str()).unwrap_or("")),
                esc(result),
            ));
        }
        body.push_str("</tbody></table>");
        if i64::try_from(rows.len()).unwrap_or(i64::MAX) >= limit {
            body.push_str(&format!(
                "<p class=\"muted\">The newest {limit} rows; add <code>limit=</code> to see more.</p>"
            ));
        }
    }
    Ok(html::response(StatusCode::OK, html::page(&title, &nav(&base), &body)))
}
