//! The reverse index: which links point at a note, or at one of its headings.

use super::{FragmentMatch, Graph, NoteId, Resolved};

/// One link of the corpus, by note and index into that note's `syntax.links`.
#[derive(Clone, Copy, PartialEq, Eq, Debug, PartialOrd, Ord, Hash)]
pub struct LinkRef {
    pub from: NoteId,
    pub link: usize,
}

impl Graph {
    /// Every link that resolves to `note` (any fragment), in path order of the linking notes.
    pub fn backlinks(&self, note: NoteId) -> Vec<LinkRef> {
        self.links_into(note, |_| true)
    }

    /// Every link that resolves to the heading at `heading` of `note`.
    pub fn heading_backlinks(&self, note: NoteId, heading: usize) -> Vec<LinkRef> {
        self.links_into(note, |fragment| {
            *fragment == FragmentMatch::Heading(heading)
        })
    }

    fn links_into(&self, note: NoteId, keep: impl Fn(&FragmentMatch) -> bool) -> Vec<LinkRef> {
        let incoming = self.incoming();
        let mut sources: Vec<NoteId> = self
            .note_keys(self.note(note))
            .iter()
            .filter_map(|key| incoming.get(key))
            .flatten()
            .copied()
            .collect();
        sources.sort_by(|a, b| self.note(*a).path.cmp(&self.note(*b).path));
        sources.dedup();
        let mut res = Vec::new();
        for from in sources {
            let source = self.note(from);
            for (idx, link) in source.syntax.links.iter().enumerate() {
                if let Resolved::Note {
                    note: target,
                    fragment,
                } = self.resolve(source, &link.target)
                {
                    if target == note && keep(&fragment) {
                        res.push(LinkRef { from, link: idx });
                    }
                }
            }
        }
        res
    }
}
