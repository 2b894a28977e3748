//! A stable text dump of the graph, for snapshot tests and for checking that incremental updates
//! agree with a build from scratch.

use super::{FragmentMatch, Graph, Note, Resolved};
use std::fmt::Write;

impl Graph {
    pub fn dump(&self) -> String {
        let mut notes: Vec<_> = self.notes().collect();
        notes.sort_by(|a, b| a.1.path.cmp(&b.1.path));
        let mut out = String::new();
        for (_, note) in notes {
            self.dump_note(note, &mut out);
            let backlinks = self.backlinks(self.by_path(&note.path).expect("listed note"));
            if !backlinks.is_empty() {
                let mut from: Vec<String> = backlinks
                    .iter()
                    .map(|b| self.note(b.from).path.clone())
                    .collect();
                from.dedup();
                let _ = writeln!(out, "  <- {}", from.join(", "));
            }
        }
        for (path, reason) in self.unreadable() {
            let _ = writeln!(out, "{path} unreadable: {reason}");
        }
        out
    }

    /// One note's title, headings and links with what they resolve to.
    fn dump_note(&self, note: &Note, out: &mut String) {
        let _ = writeln!(out, "{} {:?}", note.path, note.title());
        for heading in &note.syntax.headings {
            let _ = writeln!(
                out,
                "  {} #{}",
                "#".repeat(heading.level as usize),
                heading.anchor
            );
        }
        let text = note.text();
        for link in &note.syntax.links {
            let written = &text[link.range.as_usize()];
            let resolved = match self.resolve(note, &link.target) {
                Resolved::External => "external".to_string(),
                Resolved::Note {
                    note: target,
                    fragment,
                } => {
                    let target = self.note(target);
                    match fragment {
                        FragmentMatch::None => target.path.clone(),
                        FragmentMatch::Heading(idx) => {
                            format!("{}#{}", target.path, target.syntax.headings[idx].anchor)
                        }
                        FragmentMatch::Anchor(idx) => {
                            format!("{}#{}", target.path, target.syntax.anchors[idx].id)
                        }
                        FragmentMatch::Title => format!("{}#<title>", target.path),
                        FragmentMatch::Missing => format!("{}#<missing>", target.path),
                    }
                }
                Resolved::File { path } => format!("file {path}"),
                Resolved::Missing { path } => format!("<missing {path}>"),
                Resolved::FolderWithoutIndex { path } => {
                    format!("<folder without index {path}>")
                }
                Resolved::OutsideRoot => "<outside root>".to_string(),
                Resolved::Ambiguous { candidates } => {
                    format!("<ambiguous: {} notes>", candidates.len())
                }
                Resolved::UndefinedReference => "<undefined reference>".to_string(),
            };
            let _ = writeln!(out, "  {written} -> {resolved}");
        }
    }
}

#[cfg(test)]
impl Graph {
    /// Each note's headings and resolved links as [`Graph::dump`] prints them, by path.
    pub fn dump_resolutions(&self) -> std::collections::BTreeMap<String, String> {
        self.notes()
            .map(|(_, note)| {
                let mut out = String::new();
                self.dump_note(note, &mut out);
                (note.path.clone(), out)
            })
            .collect()
    }

    /// Every term mention as `key path start..end`, sorted: equal for an incrementally updated
    /// graph and a fresh build of the same texts, whatever their note ids.
    pub fn dump_mentions(&self) -> String {
        let mentions = self.mentions();
        let mut lines: Vec<String> = mentions
            .entries(self.terms())
            .into_iter()
            .flat_map(|(key, at)| {
                at.iter().map(move |(id, range)| {
                    format!(
                        "{key} {} {}..{}",
                        self.note(super::NoteId(*id)).path,
                        range.start,
                        range.end
                    )
                })
            })
            .collect();
        lines.sort();
        lines.join("\n")
    }

    /// The term index as text: every definition, then each name defined with the notes that
    /// define it and whether prose mentions of it are recognized.
    pub fn dump_terms(&self) -> String {
        let terms = self.terms();
        let mut out = String::new();
        let mut names = std::collections::BTreeSet::new();
        for site in terms.all_definitions() {
            let def = site.def;
            let text = site.text();
            let _ = writeln!(
                out,
                "{} {:?} {}..{} {:?} aliases {:?}: {}",
                site.path,
                def.term(&text),
                def.range.start,
                def.range.end,
                def.kind,
                def.aliases,
                def.definition(&text)
            );
            names.extend(def.names(&text).map(str::to_lowercase));
        }
        for name in names {
            let paths: Vec<&str> = terms.definitions(&name).iter().map(|s| s.path).collect();
            let recognized = if terms.term_id(&name).is_some() {
                "recognized"
            } else {
                "not recognized"
            };
            let _ = writeln!(out, "{name} ({recognized}): {}", paths.join(", "));
        }
        out
    }
}
