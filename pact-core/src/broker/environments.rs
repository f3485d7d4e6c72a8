//! Environments, and recording that a pacticipant version was deployed to one or released to
//! one, through the version resource's `pb:record-deployment` / `pb:record-release` links.

use reqwest::Url;
use serde_json::{json, Value};

use super::{BrokerClient, BrokerError};

/// An environment to create or update.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Environment {
    /// The name used in deployment code (`production`; no spaces).
    pub name: String,
    /// The name people read (`Production`).
    pub display_name: Option<String>,
    /// Whether it is a production environment.
    pub production: bool,
    /// A contact's name.
    pub contact_name: Option<String>,
    /// A contact's email address.
    pub contact_email: Option<String>,
}

/// An environment as the broker stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEnvironment {
    /// Its identifier.
    pub uuid: String,
    /// Its name.
    pub name: String,
    /// Its display name.
    pub display_name: Option<String>,
    /// Whether it is a production environment.
    pub production: bool,
    /// Whether this call created it (rather than updating it).
    pub created: bool,
}

impl Environment {
    fn body(&self) -> Value {
        let mut body = json!({"name": self.name, "production": self.production});
        if let Some(display_name) = &self.display_name {
            body["displayName"] = json!(display_name);
        }
        if self.contact_name.is_some() || self.contact_email.is_some() {
            let mut details = json!({});
            if let Some(email) = &self.contact_email {
                details["emailAddress"] = json!(email);
            }
            body["contacts"] =
                json!([{ "name": self.contact_name.clone().unwrap_or_default(), "details": details }]);
        }
        body
    }
}

fn stored(value: &Value, created: bool) -> StoredEnvironment {
    let text = |k: &str| value.get(k).and_then(Value::as_str).map(str::to_string);
    StoredEnvironment {
        uuid: text("uuid").unwrap_or_default(),
        name: text("name").unwrap_or_default(),
        display_name: text("displayName"),
        production: value.get("production").and_then(Value::as_bool).unwrap_or(false),
        created,
    }
}

/// What a deployment or release recorded.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The URL of the deployed- or released-version resource.
    pub url: Option<String>,
    /// The answer.
    pub body: Value,
}

impl BrokerClient {
    /// Every environment.
    pub async fn environments(&self) -> Result<Vec<StoredEnvironment>, BrokerError> {
        let url = self.environments_url().await?;
        let list = self.get(url).await?;
        Ok(match list.embedded("environments") {
            Some(Value::Array(items)) => items.iter().map(|e| stored(e, false)).collect(),
            _ => Vec::new(),
        })
    }

    async fn environments_url(&self) -> Result<Url, BrokerError> {
        self.index_link(
            &["pb:environments"],
            &[],
            Some("environments need a broker of version 2.80 or later"),
        )
        .await
    }

    /// Creates an environment.
    pub async fn create_environment(
        &self,
        environment: &Environment,
    ) -> Result<StoredEnvironment, BrokerError> {
        check_name(&environment.name)?;
        let url = self.environments_url().await?;
        let answer = self.post(url, &environment.body()).await?;
        Ok(stored(&answer.body, true))
    }

    /// Creates an environment, or updates the one with the same name.
    pub async fn create_or_update_environment(
        &self,
        environment: &Environment,
    ) -> Result<StoredEnvironment, BrokerError> {
        check_name(&environment.name)?;
        let existing = self.environments().await?.into_iter().find(|e| e.name == environment.name);
        match existing {
            None => self.create_environment(environment).await,
            Some(existing) => {
                let link = self.index().await?.require("pb:environment", None)?;
                let url = self.resolve(&link.expand(&[("uuid", &existing.uuid)])?)?;
                let answer = self.put(url, &environment.body()).await?;
                Ok(stored(&answer.body, false))
            }
        }
    }

    /// Records that a pacticipant version was deployed to an environment (optionally to one
    /// application instance of it).
    pub async fn record_deployment(
        &self,
        pacticipant: &str,
        version: &str,
        environment: &str,
        application_instance: Option<&str>,
    ) -> Result<Recorded, BrokerError> {
        let mut body = json!({});
        if let Some(instance) = application_instance.filter(|i| !i.is_empty()) {
            body = json!({"applicationInstance": instance, "target": instance});
        }
        self.record(pacticipant, version, environment, "pb:record-deployment", &body).await
    }

    /// Records that a pacticipant version was released to an environment.
    pub async fn record_release(
        &self,
        pacticipant: &str,
        version: &str,
        environment: &str,
    ) -> Result<Recorded, BrokerError> {
        self.record(pacticipant, version, environment, "pb:record-release", &json!({})).await
    }

    async fn record(
        &self,
        pacticipant: &str,
        version: &str,
        environment: &str,
        relation: &str,
        body: &Value,
    ) -> Result<Recorded, BrokerError> {
        let url = self
            .index_link(
                &["pb:pacticipant-version"],
                &[("pacticipant", pacticipant), ("version", version)],
                None,
            )
            .await?;
        let resource = match self.get_optional(url).await? {
            Some(resource) => resource,
            None => {
                return Err(BrokerError::Unknown(format!(
                    "the broker has no version {version:?} of {pacticipant:?} (publish a pact or a verification for it first)"
                )))
            }
        };
        let links = resource.links(relation);
        let Some(link) = links.iter().find(|l| l.name.as_deref() == Some(environment)) else {
            let known: Vec<String> = links.iter().filter_map(|l| l.name.clone()).collect();
            return Err(BrokerError::Unknown(format!(
                "the broker has no environment {environment:?} (known: {}); create it with `pact create-environment --name {environment}`",
                if known.is_empty() { "none".to_string() } else { known.join(", ") }
            )));
        };
        let answer = self.send(reqwest::Method::POST, self.resolve(&link.href)?, Some(body)).await?;
        let url = answer
            .body
            .pointer("/_links/self/href")
            .and_then(Value::as_str)
            .map(str::to_string)
            .or(answer.location);
        Ok(Recorded { url, body: answer.body })
    }
}

fn check_name(name: &str) -> Result<(), BrokerError> {
    if name.trim().is_empty() || name.chars().any(char::is_whitespace) {
        return Err(BrokerError::Config(format!(
            "an environment name must be one word without spaces, found {name:?}"
        )));
    }
    Ok(())
}
