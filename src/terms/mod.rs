//! Terms: what the notes and the shipped reference packs say a name means.
mod pack;
mod packs;

pub use pack::{escape_field, parse_pack, DcgmField, DcgmStatus, FlagType, KubectlCommand, KubectlFlag, Pack, PackError, PackTerm};
pub use packs::{BuiltinPack, Packs};
