//! What is under the cursor: a DCGM name, a kubectl command word or flag, or a mention of a
//! term the notes or a pack define ([`term_at`]). Hover, definition, references and mention
//! counts all start here.
//!
//! Knows nothing about LSP: offsets and ranges are bytes in the note.

use super::kubectl::{code_span_kubectl, dialect_of, invocations, Dialect, Invocation};
use super::packs::Packs;
use super::recognize::{dcgm_mentions, TermIndex};
use crate::syntax::NoteSyntax;
use crate::text::TextRange;

/// The name under the cursor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TermAt {
    /// The name's range in the note.
    pub range: TextRange,
    pub kind: TermAtKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TermAtKind {
    /// A `DCGM_FI_*` identifier.
    Dcgm { name: String },
    /// `kubectl` or one of its subcommand words, resolved to the command's full path.
    KubectlCommand { path: String },
    /// A flag of a kubectl command line, as written (`--sort-by`, `-o`), with that command and
    /// whether the line leaves it open ([`Invocation::open`]).
    KubectlFlag {
        command: String,
        flag: String,
        subcommands: bool,
    },
    /// A term the notes or a user pack define, by its lowercased name.
    Term { name: String },
}

impl TermAt {
    /// The name to look definitions up by: the DCGM name, the command path, the flag as written
    /// or the term.
    pub fn name(&self) -> &str {
        match &self.kind {
            TermAtKind::Dcgm { name } | TermAtKind::Term { name } => name,
            TermAtKind::KubectlCommand { path } => path,
            TermAtKind::KubectlFlag { flag, .. } => flag,
        }
    }
}

/// What is at `offset`: a DCGM name, a kubectl command word or flag, or a mention of a defined term.
pub fn term_at(
    text: &str,
    syntax: &NoteSyntax,
    offset: usize,
    packs: &Packs,
    index: &TermIndex,
) -> Option<TermAt> {
    if let Some(mention) = dcgm_mentions(text)
        .into_iter()
        .find(|m| !m.partial && m.range.touches(offset))
    {
        let name = text[mention.range.as_usize()].to_string();
        return Some(TermAt {
            range: mention.range,
            kind: TermAtKind::Dcgm { name },
        });
    }
    if let Some(inv) = invocation_at(text, syntax, offset, packs) {
        if let Some(res) = kubectl_word_at(&inv, offset, packs) {
            return Some(res);
        }
    }
    let mention = index.mention_at(text, syntax, offset)?;
    let name = index.term_key(mention.term).to_string();
    Some(TermAt {
        range: mention.range,
        kind: TermAtKind::Term { name },
    })
}

/// The kubectl invocation whose command line holds `offset`, in a shell block or a code span.
pub fn invocation_at(
    text: &str,
    syntax: &NoteSyntax,
    offset: usize,
    packs: &Packs,
) -> Option<Invocation> {
    let (range, dialect) = syntax
        .code_blocks
        .iter()
        .find(|b| b.content.touches(offset))
        .and_then(|b| Some((b.content, dialect_of(b.lang.as_deref())?)))
        .or_else(|| {
            let span = syntax.code_spans.iter().find(|s| s.touches(offset))?;
            Some((code_span_kubectl(text, *span)?, Dialect::Script))
        })?;
    invocations(text, range, dialect, packs)
        .into_iter()
        .find(|inv| inv.extent.touches(offset))
}

fn kubectl_word_at(inv: &Invocation, offset: usize, packs: &Packs) -> Option<TermAt> {
    if inv.kubectl.touches(offset) {
        return Some(TermAt {
            range: inv.kubectl,
            kind: TermAtKind::KubectlCommand {
                path: "kubectl".to_string(),
            },
        });
    }
    if let Some(idx) = inv.path.iter().position(|w| w.range.touches(offset)) {
        let words: Vec<&str> = inv.path[..=idx].iter().map(|w| w.text.as_str()).collect();
        let (path, _) = packs.resolve_command(&words);
        return Some(TermAt {
            range: inv.path[idx].range,
            kind: TermAtKind::KubectlCommand { path },
        });
    }
    let flag = inv.flags.iter().find(|f| f.range.touches(offset))?;
    Some(TermAt {
        range: flag.range,
        kind: TermAtKind::KubectlFlag {
            command: inv.command.clone(),
            flag: flag.name.clone(),
            subcommands: inv.open,
        },
    })
}
