//! The client under test in the consumer rows, shared word for word by our crate and the
//! peer's: a reqwest client built as real client code builds it, and a `GET /users/{name}`.

/// A user as the service returns it.
#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
pub struct User {
    pub name: String,
    pub id: String,
    pub created_on: String,
    pub admin: bool,
}

/// A client of the user service.
pub struct UserClient {
    base_url: String,
    http: reqwest::Client,
}

impl UserClient {
    pub fn new(base_url: impl Into<String>) -> Self {
        UserClient { base_url: base_url.into().trim_end_matches('/').to_string(), http: reqwest::Client::new() }
    }

    /// `Some` on 200, `None` on 404, a panic otherwise (this is test code).
    pub async fn get_user(&self, name: &str) -> Option<User> {
        let url = format!("{}/users/{}", self.base_url, name);
        let response = self.http.get(&url).header("Accept", "application/json").send().await.unwrap();
        match response.status().as_u16() {
            200 => Some(serde_json::from_slice(&response.bytes().await.unwrap()).unwrap()),
            404 => None,
            status => panic!("{url} answered {status}"),
        }
    }
}

/// How many interactions the one-test row declares (`BENCH_INTERACTIONS`, 100 by default).
#[allow(dead_code)]
pub fn interactions() -> usize {
    std::env::var("BENCH_INTERACTIONS").ok().and_then(|n| n.parse().ok()).unwrap_or(100)
}
