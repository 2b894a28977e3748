//! Terms in the editor: hover, definition and references on DCGM names, kubectl commands and
//! flags, and the terms the notes define. What a term is and where it is mentioned lives in
//! `crate::terms`; this module finds what is under the cursor in a note of the graph and puts the
//! corpus around it.

pub mod hover;

use super::results::{NavTarget, NoteRange};
use crate::graph::{Graph, NoteId};
use crate::terms::{self, mention_key, FlagScope, Packs, TermAt};
use crate::text::TextRange;

/// The term under the cursor, if any.
pub fn term_at(graph: &Graph, id: NoteId, offset: usize) -> Option<TermAt> {
    let note = graph.note(id);
    terms::term_at(
        &note.text,
        &note.syntax,
        offset,
        graph.packs(),
        graph.terms(),
    )
}

/// Where the notes define the term under the cursor.
pub fn definitions(
    graph: &Graph,
    id: NoteId,
    offset: usize,
) -> Option<(TextRange, Vec<NavTarget>)> {
    let at = term_at(graph, id, offset)?;
    let targets: Vec<NavTarget> = graph
        .terms()
        .definitions(at.name())
        .iter()
        .filter_map(|site| {
            let note = graph.by_path(site.path)?;
            Some(NavTarget::Note {
                note,
                range: site.def.range,
                focus: site.def.term_range,
            })
        })
        .collect();
    (!targets.is_empty()).then_some((at.range, targets))
}

/// Every mention of the term under the cursor across the corpus.
pub fn references(graph: &Graph, id: NoteId, offset: usize) -> Option<Vec<NoteRange>> {
    let at = term_at(graph, id, offset)?;
    let mentions = graph.mentions();
    Some(
        mentions
            .mentions(&mention_key(&at, graph.packs()))
            .iter()
            .map(|(note, range)| NoteRange {
                note: NoteId(*note),
                range: *range,
            })
            .collect(),
    )
}

/// What an unknown flag is not, with the version of the pack: "a flag of `kubectl scale` in
/// kubectl v1.33.1", "a flag of `kubectl create service` or its subcommands in ...", "a flag
/// of any kubectl command in ...".
pub(crate) fn flag_scope_phrase(scope: FlagScope<'_>, packs: &Packs) -> String {
    let mut res = match (scope.command, scope.subcommands) {
        ("kubectl", true) => "a flag of any kubectl command".to_string(),
        (command, true) => format!("a flag of `{command}` or its subcommands"),
        (command, false) => format!("a flag of `{command}`"),
    };
    if let Some(version) = packs.kubectl_version(scope.command) {
        res.push_str(" in ");
        res.push_str(version);
    }
    res
}
