//! `stale-note`, `invalid-date`, `future-date` and `missing-date`.

use super::{DiagnosticsConfig, Finding, Fix};
use crate::codes::Code;
use crate::graph::Note;
use crate::history::NoteHistory;
use crate::syntax::{DateError, DateSource};

pub(super) fn check(note: &Note, cfg: &DiagnosticsConfig, findings: &mut Vec<Finding>) {
    let Some(date) = &note.syntax.date else {
        let first_line = note.line_index().line_range(&note.text(), 0);
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
    // `NaiveDate`'s `Display` is `%Y-%m-%d`, without parsing a format string for each note.
    let set_today = || Fix {
        range: date.range,
        new_text: today.to_string(),
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
            let fix = set_today();
            finding.suggestion = Some(fix.new_text.clone());
            finding.fix = Some(fix);
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
            let fix = set_today();
            finding.suggestion = Some(fix.new_text.clone());
            finding.fix = Some(fix);
            findings.push(finding);
        }
        Ok(value) => {
            let age = (today - value).num_days();
            let tags = note
                .syntax
                .front_matter
                .as_ref()
                .map_or(&[][..], |fm| fm.tags.as_slice());
            let limit = i64::from(cfg.config.stale_after_days_for(&note.path, tags));
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
                finding.fix = Some(set_today());
                findings.push(finding);
            }
            check_history(note, cfg, value, date.range, findings);
            if cfg.edited.contains(&note.path) && value != today {
                let mut finding = Finding::new(
                    Code::DateNotToday,
                    date.range,
                    format!("you are editing this note; its date {value} is not today"),
                );
                let fix = set_today();
                finding.suggestion = Some(fix.new_text.clone());
                finding.fix = Some(fix);
                findings.push(finding);
            }
        }
    }
}

/// `outdated-date`: git saw the content change after the stated date (beyond the grace days).
fn check_history(
    note: &Note,
    cfg: &DiagnosticsConfig,
    stated: chrono::NaiveDate,
    range: crate::text::TextRange,
    findings: &mut Vec<Finding>,
) {
    let Some(history) = &cfg.history else { return };
    let NoteHistory::Changed(change) = history.of(&note.path) else {
        return;
    };
    let grace = i64::from(cfg.config.date_grace_days);
    if (change.date - stated).num_days() <= grace {
        return;
    }
    let new_date = change.date.to_string();
    let mut finding = Finding::new(
        Code::OutdatedDate,
        range,
        format!(
            "content changed in commit {} on {} (\"{}\"), after the date {stated} this note states",
            change.short_hash, change.date, change.subject
        ),
    );
    finding.fix = Some(Fix {
        range,
        new_text: new_date.clone(),
    });
    finding.suggestion = Some(new_date);
    findings.push(finding);
}

fn plural(n: i64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
