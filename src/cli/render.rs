//! The four output formats of `kbls check`: human, json, github and sarif, and the progress bar.

use super::Format;
use crate::codes::{Code, Severity};
use crate::dialect::Dialect;
use crate::graph::Note;
use crate::ide::diagnostics::Diagnostic;
use crate::text::{ceil_char_boundary, floor_char_boundary, TextRange, WideEncoding};
use serde::Serialize;
use serde_json::json;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(Default)]
pub(super) struct Report {
    pub files: usize,
    pub items: Vec<ReportItem>,
    /// The dialect of each root checked, in order, each once.
    pub dialects: Vec<Dialect>,
}

impl Report {
    /// The dialects checked, by name (`github`; `github, hugo` for roots of two dialects).
    pub fn dialect(&self) -> String {
        match self.dialects.as_slice() {
            [] => Dialect::default().as_str().to_string(),
            dialects => dialects
                .iter()
                .map(|d| d.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|i| i.severity == severity).count()
    }
}

/// One finding, positioned for people: 1-based lines and columns in Unicode scalar values.
pub(super) struct ReportItem {
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    pub suggestion: Option<String>,
    /// What the human format shows of the line the finding starts on.
    pub source: Option<SourceExcerpt>,
}

/// The line a finding starts on, whole when it is short, else a window around the finding (with
/// `…` where it is cut), so a long line with many findings is never copied once per finding.
pub(super) struct SourceExcerpt {
    pub text: String,
    /// The byte range of `text` to underline.
    pub underline: (usize, usize),
}

/// Lines up to this many bytes are shown whole.
const WHOLE_LINE: usize = 400;
/// Context kept on each side of a finding in a longer line, in bytes.
const CONTEXT: usize = 80;
/// Most of a finding's own text shown in a longer line, in bytes.
const MAX_UNDERLINE: usize = 120;

impl SourceExcerpt {
    fn new(text: &str, line: TextRange, start: usize, end: usize) -> SourceExcerpt {
        let (line_start, line_end) = (line.start as usize, line.end as usize);
        let start = start.clamp(line_start, line_end);
        let end = end.clamp(start, line_end);
        if line_end - line_start <= WHOLE_LINE {
            return SourceExcerpt {
                text: text[line_start..line_end].to_string(),
                underline: (start - line_start, end - line_start),
            };
        }
        let from = floor_char_boundary(text, start.saturating_sub(CONTEXT).max(line_start));
        let end = floor_char_boundary(text, end.min(start + MAX_UNDERLINE));
        let to = ceil_char_boundary(text, (end + CONTEXT).min(line_end));
        let mut shown = String::new();
        if from > line_start {
            shown.push('…');
        }
        let offset = shown.len();
        shown.push_str(&text[from..to]);
        if to < line_end {
            shown.push('…');
        }
        SourceExcerpt {
            text: shown,
            underline: (offset + start - from, offset + end - from),
        }
    }
}

impl ReportItem {
    pub fn new(path: String, note: &Note, d: Diagnostic) -> ReportItem {
        let text = note.text();
        let lines = note.line_index();
        let start = lines.line_col(&text, d.range.start as usize, WideEncoding::Chars);
        let end = lines.line_col(&text, d.range.end as usize, WideEncoding::Chars);
        let line_range = lines.line_range(&text, start.line);
        let source = SourceExcerpt::new(
            &text,
            line_range,
            d.range.start as usize,
            d.range.end as usize,
        );
        ReportItem {
            path,
            line: start.line + 1,
            column: start.col + 1,
            end_line: end.line + 1,
            end_column: end.col + 1,
            severity: d.severity,
            code: d.code,
            message: d.message,
            suggestion: d.suggestion,
            source: Some(source),
        }
    }

    /// A finding of a file that is no readable note (so has no text to show): at its start.
    pub fn of_file(path: String, d: Diagnostic) -> ReportItem {
        ReportItem {
            path,
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
            severity: d.severity,
            code: d.code,
            message: d.message,
            suggestion: d.suggestion,
            source: None,
        }
    }
}

pub(super) fn render(report: &Report, format: Format, quiet: bool) -> String {
    match format {
        Format::Human => human(report, quiet, super::use_color()),
        Format::Json => json(report),
        Format::Github => github(report),
        Format::Sarif => sarif(report),
    }
}

fn human(report: &Report, quiet: bool, color: bool) -> String {
    let paint = |code: &str, text: &str| {
        if color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let mut out = String::new();
    for item in &report.items {
        let (level_color, caret_color) = match item.severity {
            Severity::Error => ("1;31", "31"),
            Severity::Warning => ("1;33", "33"),
            Severity::Info | Severity::Hint => ("1;36", "36"),
        };
        out += &format!(
            "{}: {}: {}\n",
            paint("1", &format!("{}:{}:{}", item.path, item.line, item.column)),
            paint(
                level_color,
                &format!("{}[{}]", item.severity.as_str(), item.code.as_str())
            ),
            item.message
        );
        if let Some(source) = &item.source {
            let gutter = item.line.to_string();
            // Columns count characters, but a terminal gives CJK and emoji two cells: the caret
            // goes under the cells. Tabs are kept so the caret lines up under them.
            let (start_byte, end_byte) = source.underline;
            let pad = source.text[..start_byte]
                .split('\t')
                .map(|segment| " ".repeat(cells(segment)))
                .collect::<Vec<_>>()
                .join("\t");
            let width = cells(&source.text[start_byte..end_byte]);
            let width = width.max(1);
            let source = &source.text;
            out += &format!("{gutter} | {source}\n");
            out += &format!(
                "{} | {pad}{}\n",
                " ".repeat(gutter.len()),
                paint(caret_color, &"^".repeat(width))
            );
        }
    }
    if !quiet {
        let (errors, warnings, infos) = counts(report);
        let summary = format!(
            "{} file{} checked: {errors} error{}, {warnings} warning{}, {infos} info{} (dialect: {})",
            report.files,
            plural(report.files),
            plural(errors),
            plural(warnings),
            plural(infos),
            report.dialect()
        );
        let color = if errors > 0 {
            "1;31"
        } else if warnings > 0 {
            "1;33"
        } else {
            "1;32"
        };
        out += &paint(color, &summary);
        out.push('\n');
    }
    out
}

/// The terminal cells `text` takes: CJK and emoji (with their modifiers) take two, combining
/// marks none, a tab one.
fn cells(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text) + text.matches('\t').count()
}

fn counts(report: &Report) -> (usize, usize, usize) {
    (
        report.count(Severity::Error),
        report.count(Severity::Warning),
        report.count(Severity::Info) + report.count(Severity::Hint),
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The `--format json` document. Structs, not `json!`, so that keys keep the documented order.
#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    path: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    severity: &'static str,
    code: &'static str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    suggestion: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    dialect: String,
}

fn json(report: &Report) -> String {
    let diagnostics = report
        .items
        .iter()
        .map(|item| JsonDiagnostic {
            path: &item.path,
            line: item.line,
            column: item.column,
            end_line: item.end_line,
            end_column: item.end_column,
            severity: item.severity.as_str(),
            code: item.code.as_str(),
            message: &item.message,
            suggestion: item.suggestion.as_deref(),
        })
        .collect();
    let (errors, warnings, infos) = counts(report);
    let doc = JsonReport {
        version: 1,
        diagnostics,
        summary: JsonSummary {
            files: report.files,
            errors,
            warnings,
            infos,
            dialect: report.dialect(),
        },
    };
    let mut out = serde_json::to_string_pretty(&doc).expect("JSON of plain values");
    out.push('\n');
    out
}

/// GitHub Actions workflow commands: one annotation per finding.
fn github(report: &Report) -> String {
    let escape_data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let escape_property = |s: &str| escape_data(s).replace(':', "%3A").replace(',', "%2C");
    let mut out = String::new();
    for item in &report.items {
        let level = match item.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info | Severity::Hint => "notice",
        };
        out += &format!(
            "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            escape_property(&item.path),
            item.line,
            item.column,
            item.end_line,
            item.end_column,
            item.code.as_str(),
            escape_data(&item.message)
        );
    }
    out
}

/// SARIF 2.1.0 as GitHub code scanning accepts it: one rule per code, columns in code points.
fn sarif(report: &Report) -> String {
    let rules: Vec<serde_json::Value> = Code::ALL
        .iter()
        .map(|code| {
            let level = code.default_severity().map_or("none", sarif_level);
            json!({
                "id": code.as_str(),
                "name": code.as_str(),
                "shortDescription": {"text": code.description()},
                "fullDescription": {"text": code.description()},
                "defaultConfiguration": {"level": level},
                "helpUri": format!("https://github.com/kbls/kbls#{}", code.as_str()),
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = report
        .items
        .iter()
        .map(|item| {
            let rule_index = Code::ALL.iter().position(|c| *c == item.code).unwrap_or(0);
            json!({
                "ruleId": item.code.as_str(),
                "ruleIndex": rule_index,
                "level": sarif_level(item.severity),
                "message": {"text": item.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": item.path, "uriBaseId": "%SRCROOT%"},
                        "region": {
                            "startLine": item.line,
                            "startColumn": item.column,
                            "endLine": item.end_line,
                            "endColumn": item.end_column,
                        }
                    }
                }],
            })
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "kbls",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/kbls/kbls",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&doc).expect("JSON of plain values");
    out.push('\n');
    out
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

/// A progress line on stderr, shown only on a terminal and only for runs long enough to need one.
pub(super) struct Progress {
    total: usize,
    done: AtomicUsize,
    enabled: bool,
}

impl Progress {
    const MIN_NOTES: usize = 2_000;

    pub fn new(total: usize, quiet: bool) -> Progress {
        Progress {
            total,
            done: AtomicUsize::new(0),
            enabled: !quiet && total >= Self::MIN_NOTES && std::io::stderr().is_terminal(),
        }
    }

    pub fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if self.enabled && (done.is_multiple_of(500) || done == self.total) {
            let _ = write!(std::io::stderr(), "\rchecking notes {done}/{}", self.total);
        }
    }

    pub fn finish(&self) {
        if self.enabled {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}
