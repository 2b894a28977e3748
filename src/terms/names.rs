//! The pack names one note uses correctly, so that a did-you-mean for a typo in the same note
//! ranks them first.

use super::kubectl::Invocation;
use super::packs::Packs;
use super::recognize::DcgmMention;

/// The pack names one note uses correctly. A typo most likely means a name the same note writes
/// elsewhere, so these rank first among did-you-mean candidates.
#[derive(Debug, Default)]
pub struct NoteNames<'a> {
    dcgm: Vec<&'a str>,
    /// The command paths the note runs, with their parents (`kubectl rollout restart` and
    /// `kubectl rollout`).
    commands: Vec<&'a str>,
    /// `(command, long flag)` for each known flag the note passes.
    flags: Vec<(&'a str, &'a str)>,
}

impl<'a> NoteNames<'a> {
    /// The names among the note's DCGM `mentions` (of `text`) and kubectl `invocations`.
    pub fn new(
        text: &'a str,
        mentions: &[DcgmMention],
        invocations: &'a [Invocation],
        packs: &'a Packs,
    ) -> NoteNames<'a> {
        let mut res = NoteNames::default();
        for mention in mentions.iter().filter(|m| !m.partial) {
            let name = &text[mention.range.as_usize()];
            if packs.dcgm_field(name).is_some() {
                res.dcgm.push(name);
            }
        }
        for inv in invocations {
            let mut command = inv.command.as_str();
            while let Some((parent, _)) = command.rsplit_once(' ') {
                res.commands.push(command);
                command = parent;
            }
            for flag in &inv.flags {
                if let Some((_, known)) = packs.scope_flag(inv.flag_scope(), &flag.name) {
                    res.flags.push((&inv.command, &known.long));
                }
            }
        }
        res
    }

    pub fn uses_dcgm(&self, name: &str) -> bool {
        self.dcgm.contains(&name)
    }

    pub fn uses_command(&self, path: &str) -> bool {
        self.commands.contains(&path)
    }

    pub fn uses_flag(&self, command: &str, long: &str) -> bool {
        self.flags.contains(&(command, long))
    }
}
