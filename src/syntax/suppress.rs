//! Inline suppression comments: `<!-- kbls-disable-next-line CODE -->` and
//! `<!-- kbls-disable CODE -->` ... `<!-- kbls-enable CODE -->`. A comment without codes applies to
//! every rule.

use crate::text::TextRange;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Suppressions {
    items: Vec<Suppression>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Suppression {
    /// Byte range in which findings are silenced.
    range: TextRange,
    /// Empty means every code.
    codes: Vec<String>,
    /// A `kbls-disable` never enabled again: the range runs to the end of the text, which it
    /// includes (a finding may sit at the very end).
    to_end: bool,
}

impl Suppressions {
    pub fn is_suppressed(&self, code: &str, offset: usize) -> bool {
        self.items.iter().any(|item| {
            item.range.start as usize <= offset
                && (offset < item.range.end as usize
                    || (item.to_end && offset == item.range.end as usize))
                && (item.codes.is_empty() || item.codes.iter().any(|c| c == code))
        })
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Scans `text` line by line; `is_code` says whether an offset is inside code, where comments are
/// only text.
pub(crate) fn collect(text: &str, is_code: impl Fn(usize) -> bool) -> Suppressions {
    // Most notes have no suppression comment at all: one substring search instead of a line scan.
    if memchr::memmem::find(text.as_bytes(), b"<!-- kbls-").is_none() {
        return Suppressions::default();
    }
    let mut items = Vec::new();
    // Open `kbls-disable` regions: (start offset, codes).
    let mut open: Vec<(usize, Vec<String>)> = Vec::new();
    let mut line_start = 0;
    let mut pending_next_line: Option<Vec<String>> = None;
    for line in text.split_inclusive('\n') {
        let offset = line_start;
        line_start += line.len();
        if let Some(codes) = pending_next_line.take() {
            items.push(Suppression {
                range: TextRange::new(offset, line_start),
                codes,
                to_end: false,
            });
        }
        if !line.contains("<!-- kbls-") || is_code(offset) {
            continue;
        }
        for (directive, codes) in directives(line) {
            match directive {
                "kbls-disable-next-line" => pending_next_line = Some(codes),
                "kbls-disable-line" => items.push(Suppression {
                    range: TextRange::new(offset, line_start),
                    codes,
                    to_end: false,
                }),
                "kbls-disable" => open.push((line_start, codes)),
                "kbls-enable" => {
                    // Close the regions this enable names (all of them when it names none).
                    open.retain(|(start, open_codes)| {
                        let closes =
                            codes.is_empty() || open_codes.iter().all(|c| codes.contains(c));
                        if closes {
                            items.push(Suppression {
                                range: TextRange::new(*start, offset),
                                codes: open_codes.clone(),
                                to_end: false,
                            });
                        }
                        !closes
                    });
                }
                _ => {}
            }
        }
    }
    for (start, codes) in open {
        items.push(Suppression {
            range: TextRange::new(start, text.len()),
            codes,
            to_end: true,
        });
    }
    Suppressions { items }
}

fn directives(line: &str) -> Vec<(&str, Vec<String>)> {
    let mut res = Vec::new();
    let mut rest = line;
    while let Some(start) = rest.find("<!--") {
        let after = &rest[start + 4..];
        let Some(end) = after.find("-->") else { break };
        let mut words = after[..end].split_whitespace();
        if let Some(directive) = words.next() {
            let codes = words
                .flat_map(|w| w.split(','))
                .filter(|w| !w.is_empty())
                .map(String::from)
                .collect();
            res.push((directive, codes));
        }
        rest = &after[end + 3..];
    }
    res
}

#[cfg(test)]
mod tests {
    use super::collect;

    #[test]
    fn next_line_and_regions() {
        let text = "a\n<!-- kbls-disable-next-line broken-link -->\nb\nc\n<!-- kbls-disable -->\nd\n<!-- kbls-enable -->\ne\n";
        let s = collect(text, |_| false);
        let at = |needle: &str| text.find(needle).unwrap();
        assert!(s.is_suppressed("broken-link", at("b\n")));
        assert!(!s.is_suppressed("broken-anchor", at("b\n")));
        assert!(!s.is_suppressed("broken-link", at("c\n")));
        assert!(s.is_suppressed("stale-note", at("d\n")));
        assert!(!s.is_suppressed("stale-note", at("e\n")));
    }
}
