//! The packs in use: the shipped ones (embedded in the binary, parsed once on first use) that are
//! switched on, plus the user's own, merged into one set of lookups.
//!
//! Knows nothing about notes or the file system: user packs come in already parsed.

use super::pack::{
    parse_pack, DcgmField, DcgmStatus, KubectlCommand, KubectlFlag, Pack, PackRow, PackTerm,
};
use crate::text::suggest::{self, Candidate};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// A pack shipped inside kbls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BuiltinPack {
    Dcgm,
    Kubectl,
    Xid,
}

static DCGM_TEXT: &str = include_str!("../../packs/dcgm.tsv");
static KUBECTL_TEXT: &str = include_str!("../../packs/kubectl.tsv");
static XID_TEXT: &str = include_str!("../../packs/xid.tsv");

impl BuiltinPack {
    pub const ALL: [BuiltinPack; 3] = [BuiltinPack::Dcgm, BuiltinPack::Kubectl, BuiltinPack::Xid];

    /// The name used in `kbls.toml` and in the pack's own header.
    pub fn name(self) -> &'static str {
        match self {
            BuiltinPack::Dcgm => "dcgm",
            BuiltinPack::Kubectl => "kubectl",
            BuiltinPack::Xid => "xid",
        }
    }

    pub fn from_name(name: &str) -> Option<BuiltinPack> {
        BuiltinPack::ALL
            .into_iter()
            .find(|pack| pack.name() == name)
    }

    /// The pack, parsed on first use. The shipped packs are checked by tests, so a parse error
    /// cannot happen in a release; if it did, the pack would be empty rather than a panic.
    pub fn pack(self) -> Arc<Pack> {
        static DCGM: OnceLock<Arc<Pack>> = OnceLock::new();
        static KUBECTL: OnceLock<Arc<Pack>> = OnceLock::new();
        static XID: OnceLock<Arc<Pack>> = OnceLock::new();
        let (cell, text) = match self {
            BuiltinPack::Dcgm => (&DCGM, DCGM_TEXT),
            BuiltinPack::Kubectl => (&KUBECTL, KUBECTL_TEXT),
            BuiltinPack::Xid => (&XID, XID_TEXT),
        };
        cell.get_or_init(|| Arc::new(parse_pack(text).unwrap_or_default()))
            .clone()
    }
}

/// Where the flags of a command line are looked up: the command's own and the global ones, and
/// with `subcommands` those of every command under it too. A line that names a command group
/// and stops there or at a placeholder (`kubectl create service -o yaml`, `kubectl [command] -o
/// json`, `kubectl --raw`) may pass the flags of any command it could stand for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlagScope<'a> {
    pub command: &'a str,
    pub subcommands: bool,
}

/// Where an entry lives: which pack, which row of its kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct EntryRef {
    pack: u32,
    idx: u32,
}

/// The merged lookups over the packs in use. Where two packs define the same DCGM name, command
/// path or flag of a command, the later pack (user packs come last) wins.
#[derive(Clone, Debug, Default)]
pub struct Packs {
    packs: Vec<Arc<Pack>>,
    /// DCGM fields sorted by name, one per name.
    dcgm: Vec<EntryRef>,
    commands: HashMap<String, EntryRef>,
    /// Parent path to `(name or alias, child path)`, sorted by name.
    children: HashMap<String, Vec<(String, String)>>,
    /// Command path to its own flags (globals are those of `kubectl`), in pack order.
    flags: HashMap<String, Vec<EntryRef>>,
    /// Long flag name to the paths of the commands that have it, sorted.
    flag_commands: HashMap<String, Vec<String>>,
    /// Lowercased term name or alias to the pack terms.
    terms: HashMap<String, Vec<EntryRef>>,
}

impl Packs {
    /// The shipped packs named in `builtins`, then the user's `user` packs.
    pub fn new(builtins: &[BuiltinPack], user: Vec<Pack>) -> Packs {
        let mut packs: Vec<Arc<Pack>> = Vec::new();
        for builtin in BuiltinPack::ALL {
            if builtins.contains(&builtin) {
                packs.push(builtin.pack());
            }
        }
        packs.extend(user.into_iter().map(Arc::new));
        Packs::from_packs(packs)
    }

    /// The shipped packs, shared.
    pub fn builtin_shared() -> Arc<Packs> {
        static PACKS: OnceLock<Arc<Packs>> = OnceLock::new();
        PACKS
            .get_or_init(|| Arc::new(Packs::builtin().clone()))
            .clone()
    }

    /// No packs at all.
    pub fn empty() -> Packs {
        Packs::default()
    }

    /// All shipped packs and no user packs, built once.
    pub fn builtin() -> &'static Packs {
        static PACKS: OnceLock<Packs> = OnceLock::new();
        PACKS.get_or_init(|| Packs::new(&BuiltinPack::ALL, Vec::new()))
    }

    fn from_packs(packs: Vec<Arc<Pack>>) -> Packs {
        let mut res = Packs {
            packs,
            ..Packs::default()
        };
        let mut dcgm: HashMap<&str, EntryRef> = HashMap::new();
        for (pack_idx, pack) in res.packs.iter().enumerate() {
            let entry = |idx: usize| EntryRef {
                pack: pack_idx as u32,
                idx: idx as u32,
            };
            for (idx, field) in pack.dcgm_fields.iter().enumerate() {
                dcgm.insert(&field.name, entry(idx));
            }
            for (idx, command) in pack.kubectl_commands.iter().enumerate() {
                res.commands.insert(command.path.clone(), entry(idx));
            }
            for (idx, flag) in pack.kubectl_flags.iter().enumerate() {
                for command in &flag.commands {
                    let list = res.flags.entry(command.clone()).or_default();
                    // A later row for the same flag of the same command replaces the earlier one.
                    list.retain(|r| {
                        res.packs[r.pack as usize].kubectl_flags[r.idx as usize].long != flag.long
                    });
                    list.push(entry(idx));
                    res.flag_commands
                        .entry(flag.long.clone())
                        .or_default()
                        .push(command.clone());
                }
            }
            for (idx, term) in pack.terms.iter().enumerate() {
                for name in std::iter::once(&term.name).chain(&term.aliases) {
                    res.terms
                        .entry(name.to_lowercase())
                        .or_default()
                        .push(entry(idx));
                }
            }
        }
        let mut dcgm: Vec<EntryRef> = dcgm.into_values().collect();
        dcgm.sort_by(|a, b| res.dcgm_at(*a).name.cmp(&res.dcgm_at(*b).name));
        res.dcgm = dcgm;
        let mut children: HashMap<String, Vec<(String, String)>> = HashMap::new();
        for (path, entry) in &res.commands {
            if let Some((parent, _)) = path.rsplit_once(' ') {
                let command = res.command_at(*entry);
                for name in std::iter::once(command.name())
                    .chain(command.aliases.iter().map(String::as_str))
                {
                    children
                        .entry(parent.to_string())
                        .or_default()
                        .push((name.to_string(), path.clone()));
                }
            }
        }
        res.children = children;
        for children in res.children.values_mut() {
            children.sort();
            children.dedup();
        }
        for commands in res.flag_commands.values_mut() {
            commands.sort();
            commands.dedup();
        }
        res
    }

    fn dcgm_at(&self, entry: EntryRef) -> &DcgmField {
        &self.packs[entry.pack as usize].dcgm_fields[entry.idx as usize]
    }

    fn command_at(&self, entry: EntryRef) -> &KubectlCommand {
        &self.packs[entry.pack as usize].kubectl_commands[entry.idx as usize]
    }

    fn flag_at(&self, entry: EntryRef) -> &KubectlFlag {
        &self.packs[entry.pack as usize].kubectl_flags[entry.idx as usize]
    }

    /// The packs in use, shipped ones first.
    pub fn packs(&self) -> &[Arc<Pack>] {
        &self.packs
    }

    /// The pack `row` comes from: one of the rows this set's lookups return.
    pub fn pack_of<T: PackRow>(&self, row: &T) -> Option<&Pack> {
        // Rows are returned by reference into their pack, so the pack is the one whose rows
        // hold that address.
        self.packs.iter().map(|pack| &**pack).find(|pack| {
            T::rows(pack)
                .as_ptr_range()
                .contains(&std::ptr::from_ref(row))
        })
    }

    /// `kubectl v1.33.1`: the version of the pack that defines `command`, if it says.
    pub fn kubectl_version(&self, command: &str) -> Option<&str> {
        let pack = self.pack_of(self.kubectl_command(command)?)?;
        Some(pack.version.as_str()).filter(|v| !v.is_empty())
    }

    pub fn has_dcgm(&self) -> bool {
        !self.dcgm.is_empty()
    }

    pub fn has_kubectl(&self) -> bool {
        !self.commands.is_empty()
    }

    // DCGM fields.

    pub fn dcgm_field(&self, name: &str) -> Option<&DcgmField> {
        let idx = self
            .dcgm
            .binary_search_by(|e| self.dcgm_at(*e).name.as_str().cmp(name))
            .ok()?;
        Some(self.dcgm_at(self.dcgm[idx]))
    }

    /// The old names that are aliases of `name`, sorted.
    pub fn dcgm_aliases_of(&self, name: &str) -> Vec<&DcgmField> {
        self.dcgm
            .iter()
            .map(|e| self.dcgm_at(*e))
            .filter(|f| f.alias_of.as_deref() == Some(name))
            .collect()
    }

    /// Fields whose name starts with `prefix` (ASCII case-insensitive), sorted by name. Markers and
    /// removed names are left out: they are not what one types into a new note.
    pub fn dcgm_complete(&self, prefix: &str) -> Vec<&DcgmField> {
        let upper = prefix.to_ascii_uppercase();
        let start = self
            .dcgm
            .partition_point(|e| self.dcgm_at(*e).name.as_str() < upper.as_str());
        self.dcgm[start..]
            .iter()
            .map(|e| self.dcgm_at(*e))
            .take_while(|f| f.name.starts_with(&upper))
            .filter(|f| matches!(f.status, DcgmStatus::Current | DcgmStatus::Deprecated))
            .collect()
    }

    /// The known name `name` most likely meant, for a did-you-mean; names for which `used` is
    /// true (the note writes them elsewhere) rank first. Removed names and markers are never
    /// suggested; among equally close names a current one beats a deprecated alias. Names are
    /// compared without their common `DCGM_FI_` prefix.
    pub fn dcgm_suggest(&self, name: &str, used: impl Fn(&str) -> bool) -> Option<&str> {
        let candidates = self
            .dcgm
            .iter()
            .map(|e| self.dcgm_at(*e))
            .filter(|f| matches!(f.status, DcgmStatus::Current | DcgmStatus::Deprecated));
        let body = name.strip_prefix("DCGM_FI_").unwrap_or(name);
        suggest::closest(
            body,
            candidates.map(|f| {
                Candidate::new(
                    f.name.strip_prefix("DCGM_FI_").unwrap_or(&f.name),
                    f.name.as_str(),
                )
                .used(used(&f.name))
                .deprecated(f.status != DcgmStatus::Current)
            }),
        )
    }

    // kubectl commands.

    pub fn kubectl_command(&self, path: &str) -> Option<&KubectlCommand> {
        self.commands.get(path).map(|e| self.command_at(*e))
    }

    /// The child of `parent` named `word` (or with `word` as an alias).
    pub fn subcommand(&self, parent: &str, word: &str) -> Option<&KubectlCommand> {
        let children = self.children.get(parent)?;
        let idx = children
            .binary_search_by(|(name, _)| name.as_str().cmp(word))
            .ok()?;
        self.kubectl_command(&children[idx].1)
    }

    /// Whether `path` is a command group: it has subcommands.
    pub fn has_subcommands(&self, path: &str) -> bool {
        self.children.contains_key(path)
    }

    /// Whether `path` is a command group one runs only through its subcommands (`kubectl rollout`,
    /// `kubectl create service`): it has no flags of its own. The root's flags are the global
    /// ones, which every command has, so it is one too; `kubectl create` and `kubectl apply`,
    /// with flags of their own, are not.
    pub fn is_pure_group(&self, path: &str) -> bool {
        self.has_subcommands(path) && (path == "kubectl" || !self.flags.contains_key(path))
    }

    /// The subcommands of `path`, sorted by name, without alias duplicates.
    pub fn subcommands(&self, path: &str) -> Vec<&KubectlCommand> {
        let mut res: Vec<&KubectlCommand> = self
            .children
            .get(path)
            .into_iter()
            .flatten()
            .filter(|(name, child)| child.rsplit(' ').next() == Some(name.as_str()))
            .filter_map(|(_, child)| self.kubectl_command(child))
            .collect();
        res.sort_by(|a, b| a.path.cmp(&b.path));
        res
    }

    /// Every command under `path`, depth first, each once.
    fn descendants(&self, path: &str) -> Vec<&KubectlCommand> {
        let mut res = Vec::new();
        let mut pending = self.subcommands(path);
        pending.reverse();
        while let Some(command) = pending.pop() {
            res.push(command);
            let mut children = self.subcommands(&command.path);
            children.reverse();
            pending.extend(children);
        }
        res
    }

    /// Walks `words` (after `kubectl`) down the command tree as far as they name subcommands:
    /// `["auth", "can-i", "create", "pods"]` gives `kubectl auth can-i` and 2 words used.
    pub fn resolve_command(&self, words: &[&str]) -> (String, usize) {
        let mut path = "kubectl".to_string();
        let mut used = 0;
        for word in words {
            match self.subcommand(&path, word) {
                Some(child) => {
                    path = child.path.clone();
                    used += 1;
                }
                None => break,
            }
        }
        (path, used)
    }

    /// The subcommand of `parent` that `word` is a slip of ([`suggest::is_slip`]), for a
    /// did-you-mean; commands for which `used` is true of their path (the note runs them
    /// elsewhere) rank first. A word that is no slip of any (`hello`, `something`) is taken for a
    /// plugin or a placeholder, not a typo, so there is no suggestion.
    pub fn suggest_subcommand(
        &self,
        parent: &str,
        word: &str,
        used: impl Fn(&str) -> bool,
    ) -> Option<&str> {
        let children = self.children.get(parent)?;
        let is_alias = |(name, path): &&(String, String)| path.rsplit(' ').next() != Some(name);
        // Names before aliases, so that of two equally close the name wins (`node`, not `no`).
        let (aliases, names): (Vec<_>, Vec<_>) = children.iter().partition(is_alias);
        suggest::closest(
            word,
            names
                .into_iter()
                .chain(aliases)
                .filter(|(name, _)| suggest::is_slip(word, name))
                .map(|(name, path)| Candidate::new(name, name.as_str()).used(used(path))),
        )
    }

    // kubectl flags.

    /// The command's own flags, then the global ones, each once.
    pub fn flags(&self, command: &str) -> Vec<&KubectlFlag> {
        let own = self.flags.get(command).into_iter().flatten();
        let global = if command == "kubectl" {
            None
        } else {
            self.flags.get("kubectl")
        };
        let mut res: Vec<&KubectlFlag> = Vec::new();
        for entry in own.chain(global.into_iter().flatten()) {
            let flag = self.flag_at(*entry);
            if !res.iter().any(|f| f.long == flag.long) {
                res.push(flag);
            }
        }
        res
    }

    /// The flag of `command` (own or global) written as `name`: `--output`, `-o` or `o`.
    pub fn flag(&self, command: &str, name: &str) -> Option<&KubectlFlag> {
        // The command's own flags first, as in `flags`, without building that list per lookup.
        let own = self.flags.get(command).into_iter().flatten();
        let global = (command != "kubectl")
            .then(|| self.flags.get("kubectl"))
            .flatten()
            .into_iter()
            .flatten();
        own.chain(global)
            .map(|entry| self.flag_at(*entry))
            .find(|flag| flag.is_written(name))
    }

    /// The flag written as `name` in `scope`, with the command it belongs to: the scope's own
    /// command for its own and the global flags, else the first command under it that has it.
    pub fn scope_flag<'a>(
        &'a self,
        scope: FlagScope<'a>,
        name: &str,
    ) -> Option<(&'a str, &'a KubectlFlag)> {
        if let Some(flag) = self.flag(scope.command, name) {
            return Some((scope.command, flag));
        }
        if !scope.subcommands {
            return None;
        }
        let mut found = self
            .descendant_flags(scope.command)
            .filter(|(_, flag)| flag.is_written(name));
        let first = found.next()?;
        // Where subcommands disagree (`-f` is `--filename` for most, `--follow` for `logs`), the
        // reading that takes a value wins, so that the value is not taken for a subcommand.
        if first.1.value_type.takes_value() {
            return Some(first);
        }
        Some(
            found
                .find(|(_, flag)| flag.value_type.takes_value())
                .unwrap_or(first),
        )
    }

    /// The own flags of every command under `path`, depth first, each with its command.
    fn descendant_flags(&self, path: &str) -> impl Iterator<Item = (&str, &KubectlFlag)> {
        self.descendants(path).into_iter().flat_map(|command| {
            let own = self.flags.get(&command.path).into_iter().flatten();
            own.map(|entry| (command.path.as_str(), self.flag_at(*entry)))
        })
    }

    /// The commands that have the flag `name` (`--tail` or `-c`) as their own flag, sorted.
    pub fn commands_with_flag(&self, name: &str) -> Vec<&str> {
        if name.starts_with("--") {
            return self
                .flag_commands
                .get(name)
                .into_iter()
                .flatten()
                .map(String::as_str)
                .collect();
        }
        let short = name.trim_start_matches('-').chars().next();
        let mut res: Vec<&str> = self
            .flags
            .iter()
            .filter(|(_, entries)| {
                entries
                    .iter()
                    .any(|e| short.is_some() && self.flag_at(*e).short == short)
            })
            .map(|(command, _)| command.as_str())
            .collect();
        res.sort_unstable();
        res
    }

    /// The flag of `scope` that `name` most likely meant (`--sortby` gives `--sort-by`); flags
    /// for which `used` is true of their long name (the note passes them elsewhere) rank first.
    pub fn suggest_flag(
        &self,
        scope: FlagScope<'_>,
        name: &str,
        used: impl Fn(&str) -> bool,
    ) -> Option<String> {
        // A one-letter shorthand has no meaningful spelling neighbours (`-o` is not a typo of `--v`).
        if !name.starts_with("--") {
            return None;
        }
        let mut flags = self.flags(scope.command);
        if scope.subcommands {
            flags.extend(self.descendant_flags(scope.command).map(|(_, flag)| flag));
        }
        let body = name.trim_start_matches('-');
        suggest::closest(
            body,
            flags.into_iter().map(|flag| {
                Candidate::new(flag.long.trim_start_matches('-'), &flag.long).used(used(&flag.long))
            }),
        )
        .cloned()
    }

    // Generic terms.

    /// The pack terms with a name or alias that starts with `prefix` (ASCII case ignored), in
    /// pack order, each with that name.
    pub fn terms_starting_with(&self, prefix: &str) -> Vec<(&str, &PackTerm)> {
        let mut res = Vec::new();
        for term in self.packs.iter().flat_map(|pack| &pack.terms) {
            let name = std::iter::once(&term.name)
                .chain(&term.aliases)
                .find(|name| {
                    name.get(..prefix.len())
                        .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
                });
            if let Some(name) = name {
                res.push((name.as_str(), term));
            }
        }
        res
    }

    /// Pack terms named `name` or with `name` as an alias, case-insensitively.
    pub fn terms(&self, name: &str) -> Vec<&PackTerm> {
        self.terms
            .get(&name.to_lowercase())
            .into_iter()
            .flatten()
            .map(|e| &self.packs[e.pack as usize].terms[e.idx as usize])
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_packs_parse_quickly() {
        for builtin in BuiltinPack::ALL {
            let text = match builtin {
                BuiltinPack::Dcgm => DCGM_TEXT,
                BuiltinPack::Kubectl => KUBECTL_TEXT,
                BuiltinPack::Xid => XID_TEXT,
            };
            let pack = match parse_pack(text) {
                Ok(pack) => pack,
                Err(err) => panic!("shipped pack {} does not parse: {err}", builtin.name()),
            };
            assert_eq!(pack.name, builtin.name());
            assert!(
                !pack.license.is_empty() && !pack.source.is_empty() && !pack.version.is_empty()
            );
        }
        let packs = Packs::builtin();
        assert!(packs.dcgm_field("DCGM_FI_DEV_GPU_UTIL").is_some());
        assert!(packs.kubectl_command("kubectl auth can-i").is_some());
    }

    #[test]
    fn dcgm_lookups() {
        let packs = Packs::builtin();
        let field = packs
            .dcgm_field("DCGM_FI_PROF_GR_ENGINE_ACTIVE")
            .map(|f| (f.id, f.alias_of.clone(), f.description.len() > 10));
        assert_eq!(
            field,
            Some((
                Some(1001),
                Some("DCGM_FI_PROF_GR_ENGINE_UTIL_RATIO".to_string()),
                true
            ))
        );
        assert_eq!(
            packs.dcgm_suggest("DCGM_FI_DEV_GPU_TEMPP", |_| false),
            Some("DCGM_FI_DEV_GPU_TEMP")
        );
        assert_eq!(
            packs.dcgm_suggest("DCGM_FI_PROF_GR_ENGIN_ACTIVE", |_| false),
            Some("DCGM_FI_PROF_GR_ENGINE_ACTIVE")
        );
        assert_eq!(
            packs.dcgm_suggest("DCGM_FI_TOTALLY_MADE_UP_THING", |_| false),
            None
        );
        let names: Vec<&str> = packs
            .dcgm_complete("dcgm_fi_dev_gpu_t")
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        let expected = [
            "DCGM_FI_DEV_GPU_TEMP",
            "DCGM_FI_DEV_GPU_TEMP_CELSIUS",
            "DCGM_FI_DEV_GPU_TEMP_LIMIT",
            "DCGM_FI_DEV_GPU_TEMP_MARGIN_CELSIUS",
            "DCGM_FI_DEV_GPU_TEMP_SHUTDOWN_CELSIUS",
            "DCGM_FI_DEV_GPU_TEMP_SLOWDOWN_CELSIUS",
        ];
        assert_eq!(names, expected);
        let aliases: Vec<&str> = packs
            .dcgm_aliases_of("DCGM_FI_DEV_GPU_UTIL_RATIO")
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        assert_eq!(aliases, ["DCGM_FI_DEV_GPU_UTIL"]);
    }

    #[test]
    fn kubectl_lookups() {
        let packs = Packs::builtin();
        assert_eq!(
            packs.resolve_command(&["auth", "can-i", "create", "pods"]),
            ("kubectl auth can-i".to_string(), 2)
        );
        assert_eq!(
            packs.resolve_command(&["create", "deploy", "web"]),
            ("kubectl create deployment".to_string(), 2)
        );
        assert_eq!(
            packs.resolve_command(&["gett", "pods"]),
            ("kubectl".to_string(), 0)
        );
        assert_eq!(
            packs.suggest_subcommand("kubectl", "gett", |_| false),
            Some("get")
        );
        assert_eq!(
            packs
                .flag("kubectl get", "--sort-by")
                .map(|f| f.long.as_str()),
            Some("--sort-by")
        );
        assert_eq!(
            packs.flag("kubectl get", "-o").map(|f| f.long.as_str()),
            Some("--output")
        );
        assert_eq!(
            packs.flag("kubectl get", "-n").map(|f| f.long.as_str()),
            Some("--namespace")
        );
        assert!(packs.flag("kubectl get", "--tail").is_none());
        let get = FlagScope {
            command: "kubectl get",
            subcommands: false,
        };
        assert!(packs.commands_with_flag("--tail").contains(&"kubectl logs"));
        assert!(packs.commands_with_flag("-c").contains(&"kubectl exec"));
        assert_eq!(
            packs.suggest_flag(get, "--sortby", |_| false).as_deref(),
            Some("--sort-by")
        );
        assert_eq!(
            packs.suggest_flag(get, "--namespac", |_| false).as_deref(),
            Some("--namespace")
        );
        let subcommands: Vec<&str> = packs
            .subcommands("kubectl auth")
            .iter()
            .map(|c| c.name())
            .collect();
        assert_eq!(subcommands, ["can-i", "reconcile", "whoami"]);
    }

    #[test]
    fn flag_scopes() {
        let packs = Packs::builtin();
        let scope = |command, subcommands| FlagScope {
            command,
            subcommands,
        };
        let owner = |scope, name| {
            packs
                .scope_flag(scope, name)
                .map(|(owner, f)| (owner, f.long.as_str()))
        };
        let service = scope("kubectl create service", true);
        assert_eq!(
            owner(service, "-o"),
            Some(("kubectl create service clusterip", "--output"))
        );
        assert_eq!(
            owner(service, "-n"),
            Some(("kubectl create service", "--namespace"))
        );
        assert_eq!(owner(scope("kubectl create service", false), "-o"), None);
        // Where subcommands disagree, the reading that takes a value: `-f` of `kubectl logs` is
        // `--follow`, but `--filename` for most.
        assert_eq!(
            owner(scope("kubectl", true), "-f"),
            Some(("kubectl annotate", "--filename"))
        );
        assert_eq!(owner(scope("kubectl", true), "--nope"), None);
        assert!(packs.is_pure_group("kubectl") && packs.is_pure_group("kubectl create service"));
        assert!(!packs.is_pure_group("kubectl create") && !packs.is_pure_group("kubectl get"));
        assert_eq!(
            packs
                .suggest_flag(scope("kubectl", true), "--sort-byy", |_| false)
                .as_deref(),
            Some("--sort-by")
        );
    }

    #[test]
    fn packs_say_their_versions() {
        let packs = Packs::builtin();
        assert_eq!(
            packs.kubectl_version("kubectl scale"),
            Some("kubectl v1.33.1")
        );
        let field = packs.dcgm_field("DCGM_FI_DEV_GPU_UTIL");
        let pack = field
            .and_then(|f| packs.pack_of(f))
            .map(|p| p.version.as_str());
        assert_eq!(pack, Some("DCGM 4.6.0"));
        let user = parse_pack("# name: ops\nkubectl-command\tkubectl neat\n").unwrap_or_default();
        let packs = Packs::new(&BuiltinPack::ALL, vec![user]);
        assert_eq!(packs.kubectl_version("kubectl neat"), None);
    }

    #[test]
    fn xid_codes() {
        let packs = Packs::builtin();
        let terms = packs.terms("XID 79");
        assert_eq!(terms.len(), 1);
        assert!(terms[0]
            .definition
            .contains("ROBUST_CHANNEL_GPU_HAS_FALLEN_OFF_THE_BUS"));
        assert!(terms[0].link.starts_with("https://docs.nvidia.com/"));
        let names: Vec<&str> = packs
            .terms_starting_with("xid 17")
            .iter()
            .map(|(name, _)| *name)
            .collect();
        assert_eq!(
            names,
            [
                "Xid 17", "Xid 170", "Xid 171", "Xid 172", "Xid 173", "Xid 174", "Xid 175",
                "Xid 176"
            ]
        );
        assert!(Packs::new(&[BuiltinPack::Kubectl], Vec::new())
            .terms("Xid 79")
            .is_empty());
    }

    #[test]
    fn user_packs_override_and_add() {
        let user = parse_pack("term\tSLO\tservice level objective\tA target.\nkubectl-flag\tkubectl top pod\t--show-swap\t\tbool\tfalse\tPrint swap usage.\n").unwrap_or_default();
        let packs = Packs::new(&[BuiltinPack::Kubectl], vec![user]);
        assert!(!packs.has_dcgm());
        assert!(packs.flag("kubectl top pod", "--show-swap").is_some());
        assert_eq!(packs.terms("Service Level Objective").len(), 1);
    }
}
