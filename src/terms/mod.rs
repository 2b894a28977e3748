//! Terms: what the notes and the shipped reference packs say a name means.
//!
//! - [`pack`](parse_pack) reads the term pack format; [`Packs`] merges the shipped packs (DCGM
//!   fields, kubectl commands and flags, NVIDIA Xid codes, embedded in the binary) with the
//!   user's own.
//! - [`extract`] finds the definitions one note writes; [`TermIndex`] holds them for the corpus
//!   and finds their mentions; [`dcgm_mentions`] finds `DCGM_FI_*` names.
//! - [`note_invocations`] reads kubectl command lines in shell blocks and code spans.
//! - [`MentionIndex`] holds every mention of every term across the corpus.
//! - [`check`] reports unknown DCGM fields, kubectl commands and flags; [`term_at`],
//!   [`hover_markdown`] and [`complete`] serve the editor; [`lookup`] serves `kbls terms`.
//!
//! Pure analysis: no LSP types, no file system, no clock. Ranges are byte offsets in the note.

mod check;
mod complete;
mod extract;
mod hover;
mod kubectl;
mod lookup;
mod mentions;
mod pack;
mod packs;
mod recognize;

pub use check::{
    check, NoteNames, TermFinding, CODES, UNKNOWN_DCGM_FIELD, UNKNOWN_KUBECTL_COMMAND,
    UNKNOWN_KUBECTL_FLAG,
};
pub use complete::{complete, Completion, CompletionItem, CompletionKind, MAX_DCGM_ITEMS};
pub use extract::{extract, DefKind, TermDef, GENERIC_LABELS, LABEL_REPEATS};
pub use hover::{hover_markdown, term_at, DefLocation, TermAt, TermAtKind, MAX_HOVER_DEFINITIONS};
pub use kubectl::{
    code_span_kubectl, dialect_of, invocations, note_invocations, Dialect, FlagUse, Invocation,
    Word,
};
pub use lookup::{lookup, LookupResult};
pub use mentions::{mention_key, MentionIndex};
pub use pack::{
    escape_field, parse_pack, DcgmField, DcgmStatus, FlagType, KubectlCommand, KubectlFlag, Pack,
    PackError, PackTerm,
};
pub use packs::{BuiltinPack, FlagScope, Packs};
pub use recognize::{dcgm_mentions, DcgmMention, DefSite, Mention, TermId, TermIndex};

#[cfg(test)]
mod tests;
