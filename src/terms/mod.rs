//! Terms: what the notes and the shipped reference packs say a name means.
mod pack;
mod extract;
mod kubectl;
mod packs;

pub use pack::{escape_field, parse_pack, DcgmField, DcgmStatus, FlagType, KubectlCommand, KubectlFlag, Pack, PackError, PackTerm};
pub use packs::{BuiltinPack, Packs};

#[cfg(test)]
mod tests;
pub use kubectl::{code_span_kubectl, dialect_of, invocations, note_invocations, Dialect, FlagUse, Invocation, Word};
pub use extract::{extract, DefKind, TermDef};
