//! `stale-note`, `invalid-date`, `future-date` and `missing-date`.

use super::{Code, DiagnosticsConfig, Finding, Fix};
use crate::graph::Note;
use crate::syntax::{DateError, DateSource};

pub(super) fn check(note: &Note, cfg: &DiagnosticsConfig, findings: &mut Vec<Finding>) {
    let Some(date) = &note.syntax.date else {
        let first_line = note.line_index.line_range(&note.text, 0);
        findings.push(Finding::new(
            Code::MissingDate,
            first_line,
            format!(
                "note has no date (add a `{}: YYYY-MM-DD` line)",
                cfg.config.date_label
            ),
        ));
        return;
    };
    let today = cfg.today;
    let set_today = Fix {
        range: date.range,
        new_text: today.format("%Y-%m-%d").to_string(),
    };
    match date.value {
        Err(error) => {
            let why = match error {
                DateError::Unparseable => "is not a date of the form YYYY-MM-DD",
                DateError::NoSuchDay => "does not exist",
            };
            let mut finding = Finding::new(
                Code::InvalidDate,
                date.range,
                format!("date `{}` {why}", date.text),
            );
            finding.suggestion = Some(set_today.new_text.clone());
            finding.fix = Some(set_today);
            findings.push(finding);
        }
        Ok(value) if value > today => {
            let days = (value - today).num_days();
            let mut finding = Finding::new(
                Code::FutureDate,
                date.range,
                format!(
                    "date {value} is {days} day{} in the future (today is {today})",
                    plural(days)
                ),
            );
            finding.suggestion = Some(set_today.new_text.clone());
            finding.fix = Some(set_today);
            findings.push(finding);
        }
        Ok(value) => {
            let age = (today - value).num_days();
            let limit = i64::from(cfg.config.stale_after_days);
            if age > limit {
                let source = match &date.source {
                    DateSource::Line => String::new(),
                    DateSource::FrontMatter { key } => format!(" (front matter `{key}`)"),
                };
                let mut finding = Finding::new(
                    Code::StaleNote,
                    date.range,
                    format!("note was last updated {age} days ago on {value}{source}, more than the {limit} days allowed"),
                );
                finding.fix = Some(set_today);
                findings.push(finding);
            }
        }
    }
}

fn plural(n: i64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
