//! The note's date: a `Last updated: YYYY-MM-DD` line, else a front matter key.

use super::front_matter::FrontMatter;
use crate::text::TextRange;
use chrono::NaiveDate;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteDate {
    /// The date as written.
    pub text: String,
    /// Where the value is written (not the label).
    pub range: TextRange,
    /// The whole `Last updated:` line, or the front matter key's value for front matter dates.
    pub line_range: TextRange,
    pub source: DateSource,
    pub value: Result<NaiveDate, DateError>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateSource {
    Line,
    FrontMatter { key: String },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateError {
    /// Not of the form `YYYY-MM-DD`.
    Unparseable,
    /// Well formed, but no such day (`2026-02-30`).
    NoSuchDay,
}

/// Parses `YYYY-MM-DD`, also accepting a time after it (`2026-03-01T10:00:00Z`, front matter style).
pub fn parse_date(text: &str) -> Result<NaiveDate, DateError> {
    let bytes = text.as_bytes();
    let well_formed = bytes.len() >= 10
        && bytes[..10].iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
        && (bytes.len() == 10 || matches!(bytes[10], b'T' | b' '));
    if !well_formed {
        return Err(DateError::Unparseable);
    }
    let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().unwrap_or(0);
    NaiveDate::from_ymd_opt(number(0..4) as i32, number(5..7), number(8..10))
        .ok_or(DateError::NoSuchDay)
}

/// Finds the last `label: value` line outside code (the footer form of the seed notes). Emphasis
/// around the label or the value (`*Last updated: 2026-03-01*`, `**Last updated:** ...`) is allowed.
pub(crate) fn find_date_line(
    text: &str,
    label: &str,
    is_code: impl Fn(usize) -> bool,
) -> Option<NoteDate> {
    // A date line holds a `:` after its label, so only lines with a colon are read, last first.
    let bytes = text.as_bytes();
    let mut next_line_end = bytes.len();
    for colon in memchr::memrchr_iter(b':', bytes) {
        if colon >= next_line_end {
            // A colon on a line already read.
            continue;
        }
        let start = memchr::memrchr(b'\n', &bytes[..colon]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &bytes[colon..]).map_or(bytes.len(), |i| colon + i + 1);
        next_line_end = start;
        if let Some(date) = date_in_line(&text[start..end], start, label) {
            if !is_code(start) {
                return Some(date);
            }
        }
    }
    None
}

fn date_in_line(line: &str, offset: usize, label: &str) -> Option<NoteDate> {
    let decorations: &[char] = &['*', '_', '>', ' ', '\t'];
    let body = line.trim_end_matches(['\r', '\n']);
    let after_decor = body.trim_start_matches(decorations);
    let head = after_decor.get(..label.len())?;
    if !head.eq_ignore_ascii_case(label) {
        return None;
    }
    let rest = after_decor[label.len()..].trim_start_matches(['*', '_']);
    let rest = rest.strip_prefix(':')?;
    let value_raw = rest.trim_start_matches(decorations);
    let value = value_raw.trim_end_matches(decorations);
    if value.is_empty() {
        return None;
    }
    let value_start = offset + (body.len() - value_raw.len());
    let line_start = offset + (body.len() - body.trim_start().len());
    Some(NoteDate {
        text: value.to_string(),
        range: TextRange::new(value_start, value_start + value.len()),
        line_range: TextRange::new(line_start, offset + body.trim_end().len()),
        source: DateSource::Line,
        value: parse_date(value),
    })
}

/// The first of `keys` present in the front matter, as a date.
pub(crate) fn front_matter_date(front_matter: &FrontMatter, keys: &[String]) -> Option<NoteDate> {
    keys.iter().find_map(|key| {
        let scalar = front_matter.scalars.iter().find(|s| &s.key == key)?;
        Some(NoteDate {
            text: scalar.value.clone(),
            range: scalar.value_range,
            line_range: scalar.value_range,
            source: DateSource::FrontMatter { key: key.clone() },
            value: parse_date(&scalar.value),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_strict_dates() {
        assert_eq!(
            parse_date("2026-03-01"),
            Ok(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap())
        );
        assert!(parse_date("2026-03-01T10:00:00Z").is_ok());
        assert_eq!(parse_date("2026-02-30"), Err(DateError::NoSuchDay));
        assert_eq!(parse_date("2026-13-01"), Err(DateError::NoSuchDay));
        assert_eq!(parse_date("yesterday"), Err(DateError::Unparseable));
        assert_eq!(parse_date("2026-3-1"), Err(DateError::Unparseable));
    }

    #[test]
    fn finds_decorated_footer_lines() {
        let text = "# A\n\nLast updated: 2026-01-01\n\n*Last updated: 2026-02-03*\n";
        let date = find_date_line(text, "Last updated", |_| false).unwrap();
        assert_eq!(date.text, "2026-02-03");
        assert_eq!(&text[date.range.as_usize()], "2026-02-03");
        let text = "**Last updated:** 2026-02-03\n";
        let date = find_date_line(text, "Last updated", |_| false).unwrap();
        assert_eq!(&text[date.range.as_usize()], "2026-02-03");
    }

    #[test]
    fn last_date_line_outside_code_wins() {
        let text = "Last updated: 2026-01-01\nNote: a: b\nLast updated: 2026-01-02 10:00\n```\nLast updated: 2026-01-03\n```\nx: y";
        let code = text.find("```").unwrap()..text.rfind("```").unwrap();
        let date = find_date_line(text, "Last updated", |o| code.contains(&o)).unwrap();
        assert_eq!(date.text, "2026-01-02 10:00");
        assert_eq!(&text[date.range.as_usize()], "2026-01-02 10:00");
        assert!(find_date_line("no colon here\n", "Last updated", |_| false).is_none());
        let date = find_date_line("Last updated: 2026-01-04", "Last updated", |_| false).unwrap();
        assert_eq!(date.range, TextRange::new(14, 24));
    }
}
