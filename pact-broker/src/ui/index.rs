//! `/ui`: the pacticipants, and the latest pact of every integration with its latest
//! verification result.

use axum::extract::State;
use axum::http::StatusCode;

use super::html::{self, esc, link};
use super::{nav, result_cell, Labels, UiResult};
use crate::api::AppState;
use crate::hal::BaseUrl;
use crate::storage::{pacticipants, pacts, verifications, versions};

/// At most this many pacticipants are listed.
const MAX_PACTICIPANTS: i64 = 500;

/// `GET /ui`.
pub async fn page(State(state): State<AppState>, base: BaseUrl) -> UiResult {
    let mut conn = state.storage.read().await?;
    let mut labels = Labels::default();
    let latest = pacts::latest_of_every_pair(&mut conn).await?;
    let mut body = String::from("<h1>Pacts</h1>");
    if latest.is_empty() {
        body.push_str("<p class=\"muted\">No pacts have been published yet.</p>");
    } else {
        body.push_str(
            "<table id=\"pacts\"><thead><tr><th>Consumer</th><th>Latest consumer version</th><th>Provider</th>\
             <th>Published</th><th>Latest verification</th><th></th></tr></thead><tbody>",
        );
        for p in &latest {
            let verification = verifications::latest_for_pact_version(&mut conn, p.pact_version_id).await?;
            let (class, text) = result_cell(verification.as_ref());
            let verified_by = verification
                .as_ref()
                .map(|v| {
                    format!(
                        " <span class=\"muted\">by {} {}</span>",
                        esc(&p.provider_name),
                        esc(&v.provider_version_number)
                    )
                })
                .unwrap_or_default();
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
            let matrix = base.href_with_query(
                &["ui", "matrix"],
                &[("consumer", &p.consumer_name), ("provider", &p.provider_name)],
            );
            body.push_str(&format!(
                "<tr class=\"{class}\"><td>{}</td><td>{} {}</td><td>{}</td><td class=\"when\">{}</td><td class=\"result\">{}{verified_by}</td><td>{}</td></tr>",
                esc(&p.consumer_name),
                link(&pact_page, &p.consumer_version_number),
                labels.of(&mut conn, p.consumer_version_id).await?,
                esc(&p.provider_name),
                html::when(&p.created_at),
                esc(text),
                link(&matrix, "matrix"),
            ));
        }
        body.push_str("</tbody></table>");
    }
    let (list, total) = pacticipants::list(&mut conn, 0, MAX_PACTICIPANTS).await?;
    body.push_str("<h2>Pacticipants</h2>");
    if list.is_empty() {
        body.push_str("<p class=\"muted\">None yet.</p>");
    } else {
        body.push_str(
            "<table id=\"pacticipants\"><thead><tr><th>Name</th><th>Main branch</th><th>Latest version</th><th>Created</th></tr></thead><tbody>",
        );
        for p in &list {
            let latest = versions::latest(&mut conn, p.id, None, None).await?;
            let version = match &latest {
                Some(v) => format!("{} {}", esc(&v.number), labels.of(&mut conn, v.id).await?),
                None => "<span class=\"muted\">none</span>".into(),
            };
            body.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{version}</td><td class=\"when\">{}</td></tr>",
                esc(&p.name),
                esc(p.main_branch.as_deref().unwrap_or("")),
                html::when(&p.created_at),
            ));
        }
        body.push_str("</tbody></table>");
        if total > MAX_PACTICIPANTS {
            body.push_str(&format!("<p class=\"muted\">and {} more</p>", total - MAX_PACTICIPANTS));
        }
    }
    Ok(html::response(StatusCode::OK, html::page("Pacts", &nav(&base), &body)))
}
