//! `pact can-i-deploy` (and `pact broker can-i-deploy`): may this version go to that
//! environment? Exit 0 when the broker says yes, 1 when it says no or does not know.
//! `pact matrix`: every verification of one version, and the URL of that matrix.

use std::time::Duration;

use clap::{ArgAction, ArgMatches, Args};
use pact_core::broker::{CanIDeploy, Matrix, Selector};

use crate::broker_args::BrokerArgs;
use crate::failure::Failure;

/// `pact can-i-deploy --pacticipant NAME --version V [--to-environment ENV]`
///
/// `--version`, `--latest`, `--tag`, `--branch` and `--main-branch` belong to the
/// `--pacticipant` before them, so several pacticipants can be checked together.
#[derive(Args, Debug, Clone)]
pub struct CanIDeployArgs {
    /// The pacticipant name (repeatable; the version options after it are its own).
    #[arg(short = 'a', long, value_name = "PACTICIPANT", required = true)]
    pub pacticipant: Vec<String>,
    /// The pacticipant version.
    #[arg(short = 'e', long, value_name = "VERSION")]
    pub version: Vec<String>,
    /// The latest version of the pacticipant, or with a TAG the latest with that tag.
    #[arg(short = 'l', long, value_name = "TAG", num_args = 0..=1, default_missing_value = "")]
    pub latest: Vec<String>,
    /// The versions of the pacticipant with this tag.
    #[arg(long, value_name = "TAG")]
    pub tag: Vec<String>,
    /// The latest version of the pacticipant on this branch.
    #[arg(long, value_name = "BRANCH")]
    pub branch: Vec<String>,
    /// The latest version of the pacticipant's main branch.
    #[arg(long, action = ArgAction::Count)]
    pub main_branch: u8,
    /// A pacticipant to leave out (repeatable; a --version after it ignores only that version).
    #[arg(long, value_name = "PACTICIPANT", env = "PACT_BROKER_CAN_I_DEPLOY_IGNORE", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// The environment to deploy to.
    #[arg(long, value_name = "ENVIRONMENT")]
    pub to_environment: Option<String>,
    /// The tag of the versions to deploy alongside (the older, tag-based workflow).
    #[arg(long, value_name = "TAG")]
    pub to: Option<String>,
    /// Ask again this many times while results are missing (the provider is still verifying).
    #[arg(long, value_name = "TIMES")]
    pub retry_while_unknown: Option<u32>,
    /// Seconds between those questions.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub retry_interval: u64,
    /// Print the answer but always exit 0.
    #[arg(long, env = "PACT_BROKER_CAN_I_DEPLOY_DRY_RUN")]
    pub dry_run: bool,
    /// Output: table or json.
    #[arg(short = 'o', long, value_name = "FORMAT", default_value = "table", value_parser = ["table", "json"])]
    pub output: String,
    #[command(flatten)]
    pub broker: BrokerArgs,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Pacticipant,
    Ignore,
    Version,
    Latest,
    Tag,
    Branch,
    MainBranch,
}

impl CanIDeployArgs {
    /// The question, with each version option given to the pacticipant (or ignore) before it.
    /// `matches` are the command's own matches, which know where each option stood.
    pub fn question(&self, matches: Option<&ArgMatches>) -> Result<CanIDeploy, Failure> {
        let mut events: Vec<(usize, Kind, String)> = Vec::new();
        let main_branch = vec![String::new(); usize::from(self.main_branch)];
        let lists: [(&str, Kind, &Vec<String>); 7] = [
            ("pacticipant", Kind::Pacticipant, &self.pacticipant),
            ("ignore", Kind::Ignore, &self.ignore),
            ("version", Kind::Version, &self.version),
            ("latest", Kind::Latest, &self.latest),
            ("tag", Kind::Tag, &self.tag),
            ("branch", Kind::Branch, &self.branch),
            ("main_branch", Kind::MainBranch, &main_branch),
        ];
        for (id, kind, values) in lists {
            let indices: Vec<usize> =
                matches.and_then(|m| m.indices_of(id)).map(Iterator::collect).unwrap_or_default();
            for (i, value) in values.iter().enumerate() {
                // Without positions (or for values from the environment), options follow the first pacticipant.
                let at = indices.get(i).copied().unwrap_or(if kind == Kind::Ignore { usize::MAX } else { 1 });
                events.push((at, kind, value.clone()));
            }
        }
        events.sort_by_key(|(at, kind, _)| (*at, *kind != Kind::Pacticipant));
        let mut question = CanIDeploy {
            to_environment: self.to_environment.clone(),
            to_tag: self.to.clone(),
            ..Default::default()
        };
        let mut current_is_ignore = false;
        for (_, kind, value) in events {
            match kind {
                Kind::Pacticipant => {
                    question.selectors.push(Selector { pacticipant: value, ..Default::default() });
                    current_is_ignore = false;
                }
                Kind::Ignore => {
                    question.ignore.push((value, None));
                    current_is_ignore = true;
                }
                Kind::Version if current_is_ignore => {
                    if let Some(last) = question.ignore.last_mut() {
                        last.1 = Some(value);
                    }
                }
                _ => {
                    let Some(selector) = question.selectors.last_mut() else {
                        return Err(Failure::config(
                            "--version and the other version options follow a --pacticipant",
                        ));
                    };
                    match kind {
                        Kind::Version => selector.version = Some(value),
                        Kind::Latest => {
                            selector.latest = true;
                            selector.latest_tag = Some(value).filter(|t| !t.is_empty());
                        }
                        Kind::Tag => selector.tag = Some(value),
                        Kind::Branch => selector.branch = Some(value),
                        _ => selector.main_branch = true,
                    }
                }
            }
        }
        if self.to_environment.is_some() && self.to.is_some() {
            return Err(Failure::config("give --to-environment or --to, not both"));
        }
        for selector in &question.selectors {
            if selector.version.is_none()
                && !selector.latest
                && selector.branch.is_none()
                && !selector.main_branch
            {
                return Err(Failure::config(format!(
                    "--pacticipant {:?}: say which version with --version, --latest, --branch or --main-branch",
                    selector.pacticipant
                )));
            }
        }
        Ok(question)
    }
}

/// `pact matrix --pacticipant NAME --version V`
#[derive(Args, Debug, Clone)]
pub struct MatrixArgs {
    /// The pacticipant.
    #[arg(short = 'a', long, value_name = "PACTICIPANT")]
    pub pacticipant: String,
    /// The version.
    #[arg(short = 'e', long, value_name = "VERSION")]
    pub version: String,
    /// Output: table or json.
    #[arg(short = 'o', long, value_name = "FORMAT", default_value = "table", value_parser = ["table", "json"])]
    pub output: String,
    #[command(flatten)]
    pub broker: BrokerArgs,
}

/// Runs `pact matrix`: the rows, then the matrix URL.
pub async fn matrix(args: MatrixArgs) -> Result<u8, Failure> {
    let client = args.broker.client()?;
    let matrix = client.matrix_for_version(&args.pacticipant, &args.version).await?;
    if args.output == "json" {
        println!("{}", serde_json::to_string_pretty(&matrix.body).unwrap_or_default());
        return Ok(0);
    }
    let rows: Vec<[String; 5]> = matrix
        .rows
        .iter()
        .map(|r| {
            let success = match r.success {
                Some(true) => "true",
                Some(false) => "false",
                None => "unknown",
            };
            [
                r.consumer.clone(),
                r.consumer_version.clone().unwrap_or_else(|| "unknown".into()),
                r.provider.clone(),
                r.provider_version.clone().unwrap_or_else(|| "unknown".into()),
                success.to_string(),
            ]
        })
        .collect();
    if rows.is_empty() {
        println!(
            "The broker has no pacts or verifications for {} version {}.",
            args.pacticipant, args.version
        );
    } else {
        print!("{}", table(&["CONSUMER", "C.VERSION", "PROVIDER", "P.VERSION", "SUCCESS?"], &rows));
    }
    println!("Matrix: {}", matrix.url);
    Ok(0)
}

/// Runs `pact can-i-deploy`.
pub async fn run(args: CanIDeployArgs, matches: Option<&ArgMatches>) -> Result<u8, Failure> {
    let question = args.question(matches)?;
    let client = args.broker.client()?;
    let matrix = client
        .can_i_deploy_polling(
            &question,
            args.retry_while_unknown.unwrap_or(0),
            Duration::from_secs(args.retry_interval),
        )
        .await?;
    if args.output == "json" {
        println!("{}", serde_json::to_string_pretty(&matrix.body).unwrap_or_default());
    } else {
        print!("{}", render(&matrix));
    }
    let deployable = matrix.deployable == Some(true);
    if deployable {
        Ok(0)
    } else if args.dry_run {
        println!("Dry run: exiting 0 although the answer is no.");
        Ok(0)
    } else {
        Ok(1)
    }
}

/// The matrix as a table, the verification results, the notices and the verdict.
pub fn render(matrix: &Matrix) -> String {
    let header = ["CONSUMER", "C.VERSION", "PROVIDER", "P.VERSION", "SUCCESS?", "RESULT#"];
    let mut rows: Vec<[String; 6]> = Vec::new();
    let mut results = Vec::new();
    for row in &matrix.rows {
        let success = match row.success {
            Some(true) => "true",
            Some(false) => "false",
            None => "unknown",
        };
        let number = match &row.verification_url {
            Some(url) => {
                results.push((url.clone(), success));
                results.len().to_string()
            }
            None => String::new(),
        };
        let ignored = if row.ignored { " (ignored)" } else { "" };
        rows.push([
            row.consumer.clone(),
            row.consumer_version.clone().unwrap_or_else(|| "unknown".into()),
            row.provider.clone(),
            row.provider_version.clone().unwrap_or_else(|| "unknown".into()),
            format!("{success}{ignored}"),
            number,
        ]);
    }
    let mut out = String::new();
    if !rows.is_empty() {
        out.push_str(&table(&header, &rows));
        out.push('\n');
    }
    if !results.is_empty() {
        out.push_str("VERIFICATION RESULTS\n--------------------\n");
        for (i, (url, success)) in results.iter().enumerate() {
            out.push_str(&format!(
                "{}. {url} ({})\n",
                i + 1,
                if *success == "true" { "success" } else { "failure" }
            ));
        }
        out.push('\n');
    }
    for notice in &matrix.notices {
        out.push_str(&notice.text);
        out.push('\n');
    }
    if matrix.notices.is_empty() && !matrix.reason.is_empty() {
        out.push_str(&matrix.reason);
        out.push('\n');
    }
    out.push_str(match matrix.deployable {
        Some(true) => "Computer says yes \\o/\n",
        _ => "Computer says no ¯\\_(ツ)_/¯\n",
    });
    out
}

/// A plain-text table with columns as wide as their widest cell.
pub fn table<const N: usize>(header: &[&str; N], rows: &[[String; N]]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
        padded.join(" | ").trim_end().to_string() + "\n"
    };
    let mut out = line(header.to_vec());
    out.push_str(&widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>().join("-|-"));
    out.push('\n');
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{CommandFactory, FromArgMatches, Parser};

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: CanIDeployArgs,
    }

    fn question(argv: &[&str]) -> CanIDeploy {
        let matches = Cli::command().get_matches_from(std::iter::once("x").chain(argv.iter().copied()));
        let cli = Cli::from_arg_matches(&matches).unwrap();
        cli.args.question(Some(&matches)).unwrap_or_else(|f| panic!("{}", f.message))
    }

    #[test]
    fn version_options_belong_to_the_pacticipant_before_them() {
        let q = question(&[
            "-b",
            "http://b",
            "--pacticipant",
            "Foo",
            "--version",
            "1",
            "--pacticipant",
            "Bar",
            "--latest",
            "main",
            "--ignore",
            "Baz",
            "--version",
            "3",
            "--to-environment",
            "prod",
        ]);
        assert_eq!(q.selectors.len(), 2);
        assert_eq!(q.selectors[0], Selector::version("Foo", "1"));
        assert_eq!(q.selectors[1].pacticipant, "Bar");
        assert!(q.selectors[1].latest);
        assert_eq!(q.selectors[1].latest_tag.as_deref(), Some("main"));
        assert_eq!(q.ignore, vec![("Baz".to_string(), Some("3".to_string()))]);
        assert_eq!(q.to_environment.as_deref(), Some("prod"));
    }

    #[test]
    fn a_pacticipant_without_a_version_is_a_usage_error() {
        let matches = Cli::command().get_matches_from(["x", "-b", "http://b", "--pacticipant", "Foo"]);
        let cli = Cli::from_arg_matches(&matches).unwrap();
        let failure = cli.args.question(Some(&matches)).err().unwrap();
        assert_eq!(failure.code, 2);
        assert!(failure.message.contains("--pacticipant \"Foo\""), "{}", failure.message);
    }
}
