//! The `text/plain` form of `/matrix` and `/can-i-deploy`, which the official broker offers
//! beside JSON: one line per matrix row, then whether the versions are deployable and why.
//!
//! ```text
//! CONSUMER | C_VERSION | PROVIDER | P_VERSION | NUMBER | SUCCESS
//! ---------|-----------|----------|-----------|--------|--------
//! Foo      | 1         | Bar      | 2         | 1      | true
//!
//! Deployable: true
//! Reason: All required verification results are published and successful
//! ```

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

/// Whether the request's `Accept` asks for `text/plain` rather than JSON.
pub fn wants_text(headers: &HeaderMap) -> bool {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    accept.contains("text/plain") && !accept.contains("json")
}

/// A 200 `text/plain` answer with the text of a rendered matrix `body`.
pub fn response(body: &Value) -> Response {
    let mut response = (StatusCode::OK, render(body)).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain;charset=utf-8"));
    response
}

/// The text of a rendered matrix body (`matrix` rows and `summary`). Cells are the names and
/// numbers as stored; line breaks cannot occur in them (names are single-line).
pub fn render(body: &Value) -> String {
    let text =
        |v: &Value, pointer: &str| v.pointer(pointer).and_then(Value::as_str).unwrap_or("").to_string();
    let rows: Vec<[String; 6]> = body
        .get("matrix")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|row| {
            let verification = row.get("verificationResult").filter(|v| !v.is_null());
            // The verification's number is the last segment of its URL.
            let number = verification
                .and_then(|v| v.pointer("/_links/self/href"))
                .and_then(Value::as_str)
                .and_then(|href| href.rsplit('/').next())
                .unwrap_or("")
                .to_string();
            let success = match verification.and_then(|v| v.get("success")).and_then(Value::as_bool) {
                Some(s) => s.to_string(),
                None => String::new(),
            };
            [
                text(row, "/consumer/name"),
                text(row, "/consumer/version/number"),
                text(row, "/provider/name"),
                text(row, "/provider/version/number"),
                number,
                success,
            ]
        })
        .collect();
    let header = ["CONSUMER", "C_VERSION", "PROVIDER", "P_VERSION", "NUMBER", "SUCCESS"];
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let padded: Vec<String> =
            cells.iter().zip(&widths).map(|(cell, width)| format!("{cell:<width$}")).collect();
        padded.join(" | ").trim_end().to_string()
    };
    let mut out = String::new();
    out.push_str(&line(header.to_vec()));
    out.push('\n');
    out.push_str(&widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>().join("-|-"));
    out.push('\n');
    for row in &rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
        out.push('\n');
    }
    let deployable = match body.pointer("/summary/deployable") {
        Some(Value::Bool(b)) => b.to_string(),
        _ => "nil".to_string(),
    };
    out.push_str(&format!("\nDeployable: {deployable}\nReason: {}\n", text(body, "/summary/reason")));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rows_and_the_verdict_are_written_as_text() {
        let body = json!({
            "summary": {"deployable": false, "reason": "one failed"},
            "matrix": [
                {"consumer": {"name": "Foo", "version": {"number": "1"}},
                 "provider": {"name": "Bar", "version": {"number": "2.0"}},
                 "verificationResult": {"success": false, "_links": {"self": {"href": "http://b/x/verification-results/7"}}}},
                {"consumer": {"name": "Foo", "version": {"number": "1"}},
                 "provider": {"name": "Bar", "version": null},
                 "verificationResult": null}
            ]
        });
        assert_eq!(
            render(&body),
            "CONSUMER | C_VERSION | PROVIDER | P_VERSION | NUMBER | SUCCESS\n\
             ---------|-----------|----------|-----------|--------|--------\n\
             Foo      | 1         | Bar      | 2.0       | 7      | false\n\
             Foo      | 1         | Bar      |           |        |\n\
             \n\
             Deployable: false\n\
             Reason: one failed\n"
        );
        let unknown = json!({"summary": {"deployable": null, "reason": "r"}, "matrix": []});
        assert!(render(&unknown).ends_with("\nDeployable: nil\nReason: r\n"));
    }

    #[test]
    fn json_wins_when_both_are_accepted() {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_static("text/plain"));
        assert!(wants_text(&headers));
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/hal+json, text/plain"));
        assert!(!wants_text(&headers));
        assert!(!wants_text(&HeaderMap::new()));
    }
}
