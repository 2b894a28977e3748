//! Terms: what the notes and the shipped reference packs say a name means.
//!
//! - [`pack`](parse_pack) reads the term pack format; [`Packs`] merges the shipped packs (DCGM
//!   fields, kubectl commands and flags, NVIDIA Xid codes, embedded in the binary) with the
//!   user's own.
//! - [`extract`] finds the definitions one note writes; [`TermIndex`] holds them for the corpus
//!   and finds their mentions; [`dcgm_mentions`] finds `DCGM_FI_*` names.
//! - [`note_invocations`] reads kubectl command lines in shell blocks and code spans.
//! - [`MentionIndex`] holds every mention of every term across the corpus.
//! - [`term_at`] says what is under a cursor, [`NoteNames`] which pack names a note uses
//!   correctly (for did-you-mean ranking), [`lookup`] what a name given to `kbls terms` means.
//!
//! The features built on these (the rules, hover, completion) live in `crate::ide`.
//! Pure analysis: no LSP types, no file system, no clock. Ranges are byte offsets in the note.

mod at;
mod extract;
mod kubectl;
mod lookup;
mod mentions;
mod names;
mod pack;
mod packs;
mod recognize;

pub use at::{invocation_at, term_at, TermAt, TermAtKind};
pub use extract::{extract, DefKind, DefText, TermDef, GENERIC_LABELS, LABEL_REPEATS};
pub use kubectl::{
    code_span_kubectl, dialect_of, invocations, is_placeholder, note_invocations, Dialect, FlagUse,
    Invocation, Word,
};
pub use lookup::{lookup, LookupResult};
pub use mentions::{mention_key, MentionIndex, MentionKey};
pub use names::NoteNames;
pub use pack::{
    escape_field, parse_pack, DcgmField, DcgmStatus, FlagType, KubectlCommand, KubectlFlag, Pack,
    PackError, PackTerm,
};
pub use packs::{BuiltinPack, FlagScope, Packs};
pub use recognize::{dcgm_mentions, DcgmMention, DefSite, Mention, TermId, TermIndex};

#[cfg(test)]
mod tests;
