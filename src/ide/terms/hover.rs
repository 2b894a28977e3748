//! Hover on a term: the notes' own definitions first, with a link to each, then the pack entry
//! with the pack and the version it describes, then how many notes mention it.
//!
//! [`hover`] puts the corpus around the term under the cursor; [`hover_markdown`] writes the
//! text, also for `kbls terms`, whose caller says where each definition is.

use super::flag_scope_phrase;
use crate::graph::{Graph, NoteId};
use crate::ide::results::HoverResult;
use crate::terms::{
    self, mention_key, DcgmField, DcgmStatus, DefSite, FlagScope, KubectlCommand, KubectlFlag,
    NoteNames, Pack, Packs, TermAt, TermAtKind,
};
use std::fmt::Write;

/// The notes' own definitions first, then the pack entry, then how many notes mention it.
pub fn hover(graph: &Graph, id: NoteId, offset: usize) -> Option<HoverResult> {
    let at = super::term_at(graph, id, offset)?;
    let sites = graph.terms().definitions(at.name());
    let from_dir = graph.note(id).dir().to_string();
    // Paths in the hover are links relative to the hovered note, with the line as a fragment.
    let located: Vec<(String, u32)> = sites
        .iter()
        .map(|site| {
            let line = graph
                .by_path(site.path)
                .map(|note| {
                    graph
                        .note(note)
                        .line_index()
                        .line_of(site.def.term_range.start as usize)
                        + 1
                })
                .unwrap_or(1);
            (crate::graph::relative_path(&from_dir, site.path), line)
        })
        .collect();
    let defs: Vec<DefLocation<'_>> = sites
        .iter()
        .zip(&located)
        .map(|(site, (path, line))| DefLocation {
            path,
            line: *line,
            site: *site,
        })
        .collect();
    let mentioned_in = graph
        .mentions()
        .note_count(&mention_key(&at, graph.packs()), graph.terms());
    // The hover suggests only DCGM names, so the note's kubectl lines are not read.
    let text = graph.note(id).text();
    let names = NoteNames::new(&text, &terms::dcgm_mentions(&text), &[], graph.packs());
    let markdown = hover_markdown(&at, graph.packs(), &defs, Some(mentioned_in), &names);
    Some(HoverResult {
        range: at.range,
        markdown,
    })
}
/// The most note definitions a hover lists; the rest are counted.
pub const MAX_HOVER_DEFINITIONS: usize = 10;

/// A definition in the notes and where the caller says it is.
#[derive(Clone, Copy, Debug)]
pub struct DefLocation<'a> {
    /// The path to show and link to (relative to the hovered note, or to the corpus root).
    pub path: &'a str,
    /// 1-based line of the definition.
    pub line: u32,
    /// The definition, and the defining note's text its ranges are in.
    pub site: DefSite<'a>,
}

/// The hover text for `target`: the notes' definitions (`defs`, in the order given), then the
/// pack entry, then "Mentioned in N notes" when `mentioned_in` is known. For an unknown name the
/// pack entry suggests one, ranking first the `names` the hovered note uses.
pub fn hover_markdown(
    target: &TermAt,
    packs: &Packs,
    defs: &[DefLocation<'_>],
    mentioned_in: Option<usize>,
    names: &NoteNames<'_>,
) -> String {
    let mut sections: Vec<String> = Vec::new();
    if !defs.is_empty() {
        let mut notes = String::from("**In your notes**\n");
        for loc in defs.iter().take(MAX_HOVER_DEFINITIONS) {
            let def = loc.site.def;
            let text = loc.site.text();
            let term = def.term(&text);
            let label = if term.eq_ignore_ascii_case(target.name()) {
                String::new()
            } else {
                format!("**{term}**: ")
            };
            let _ = writeln!(
                notes,
                "- {label}{} ([{}:{}]({}#L{}))",
                def.definition(&text),
                loc.path,
                loc.line,
                loc.path,
                loc.line
            );
        }
        if defs.len() > MAX_HOVER_DEFINITIONS {
            let _ = writeln!(notes, "- … and {} more", defs.len() - MAX_HOVER_DEFINITIONS);
        }
        sections.push(notes.trim_end().to_string());
    }
    if let Some(entry) = pack_entry(target, packs, names) {
        sections.push(entry);
    }
    if let Some(n) = mentioned_in {
        sections.push(format!(
            "Mentioned in {n} note{}",
            if n == 1 { "" } else { "s" }
        ));
    }
    format!(
        "{}\n\n{}",
        title(target, packs, defs),
        sections.join("\n\n---\n\n")
    )
    .trim_end()
    .to_string()
}

fn title(target: &TermAt, packs: &Packs, defs: &[DefLocation<'_>]) -> String {
    match &target.kind {
        TermAtKind::Dcgm { name } => format!("**`{name}`**"),
        TermAtKind::KubectlCommand { path } => format!("**`{path}`**"),
        TermAtKind::KubectlFlag {
            command,
            flag,
            subcommands,
        } => {
            let scope = FlagScope {
                command,
                subcommands: *subcommands,
            };
            match packs.scope_flag(scope, flag) {
                Some((owner, found)) => format!("**`{}`** of `{owner}`", found.display_name()),
                None => format!("**`{flag}`** of `{command}`"),
            }
        }
        TermAtKind::Term { name } => {
            // The name as the notes or the pack write it, not lowercased.
            let written = defs
                .iter()
                .find_map(|loc| {
                    let text = loc.site.text();
                    let found = loc
                        .site
                        .def
                        .names(&text)
                        .find(|w| w.to_lowercase() == *name);
                    found.map(str::to_string)
                })
                .or_else(|| {
                    let mut pack = packs.terms(name).into_iter().map(|t| &t.name);
                    pack.find(|written| written.to_lowercase() == *name)
                        .cloned()
                });
            format!("**{}**", written.as_deref().unwrap_or(name.as_str()))
        }
    }
}

fn pack_entry(target: &TermAt, packs: &Packs, names: &NoteNames<'_>) -> Option<String> {
    match &target.kind {
        TermAtKind::Dcgm { name } => Some(match packs.dcgm_field(name) {
            Some(field) => with_source(dcgm_entry(field, packs), packs.pack_of(field)),
            None => match packs.dcgm_suggest(name, |close| names.uses_dcgm(close)) {
                Some(close) => format!("Not a DCGM field. Did you mean `{close}`?"),
                None if packs.has_dcgm() => "Not a DCGM field.".to_string(),
                None => return None,
            },
        }),
        TermAtKind::KubectlCommand { path } => packs
            .kubectl_command(path)
            .map(|c| with_source(command_entry(c, packs), packs.pack_of(c))),
        TermAtKind::KubectlFlag {
            command,
            flag,
            subcommands,
        } => {
            let scope = FlagScope {
                command,
                subcommands: *subcommands,
            };
            Some(match packs.scope_flag(scope, flag) {
                Some((owner, found)) => with_source(flag_entry(found, owner), packs.pack_of(found)),
                None if !packs.has_kubectl() => return None,
                None => {
                    let not = flag_scope_phrase(scope, packs);
                    match packs.commands_with_flag(flag).first() {
                        Some(other) => format!("Not {not}; `{other}` has it."),
                        None => format!("Not {not}."),
                    }
                }
            })
        }
        TermAtKind::Term { name } => {
            let terms = packs.terms(name);
            if terms.is_empty() {
                return None;
            }
            let mut res = String::new();
            let mut sources: Vec<&Pack> = Vec::new();
            for term in terms {
                let aliases = if term.aliases.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", term.aliases.join(", "))
                };
                let _ = write!(res, "**{}**{aliases}: {}", term.name, term.definition);
                if !term.link.is_empty() {
                    let _ = write!(res, " ([more]({}))", term.link);
                }
                res.push('\n');
                if let Some(pack) = packs.pack_of(term) {
                    if !sources.iter().any(|p| std::ptr::eq(*p, pack)) {
                        sources.push(pack);
                    }
                }
            }
            let mut res = res.trim_end().to_string();
            for pack in sources {
                res = with_source(res, Some(pack));
            }
            Some(res)
        }
    }
}

/// The entry, then which pack it comes from and the version that pack describes, so a reader on
/// another version knows what the entry is true of.
fn with_source(entry: String, pack: Option<&Pack>) -> String {
    let Some(pack) = pack.filter(|p| !p.name.is_empty()) else {
        return entry;
    };
    if pack.version.is_empty() {
        format!("{entry}\n\nFrom the `{}` pack.", pack.name)
    } else {
        format!(
            "{entry}\n\nFrom the `{}` pack: {}.",
            pack.name, pack.version
        )
    }
}

fn dcgm_entry(field: &DcgmField, packs: &Packs) -> String {
    let mut facts: Vec<String> = Vec::new();
    facts.push(match field.id {
        Some(id) => format!("DCGM field {id}"),
        None => "DCGM name".to_string(),
    });
    if !field.value_type.is_empty() {
        facts.push(format!("`{}`", field.value_type));
    }
    if !field.unit.is_empty() {
        facts.push(format!("unit: {}", field.unit));
    }
    match (&field.alias_of, field.status) {
        (Some(target), _) => facts.push(format!("deprecated alias of `{target}`")),
        (None, DcgmStatus::Current) => {}
        (None, status) => facts.push(status.as_str().to_string()),
    }
    if !field.note.is_empty() {
        facts.push(field.note.clone());
    }
    let mut res = facts.join(" · ");
    if !field.description.is_empty() {
        let _ = write!(res, "\n\n{}", field.description);
    }
    let old_names: Vec<String> = packs
        .dcgm_aliases_of(&field.name)
        .iter()
        .map(|f| format!("`{}`", f.name))
        .collect();
    if !old_names.is_empty() {
        let _ = write!(res, "\n\nOlder name: {}", old_names.join(", "));
    }
    res
}

fn command_entry(command: &KubectlCommand, packs: &Packs) -> String {
    let mut res = command.synopsis.clone();
    if !command.usage.is_empty() {
        let _ = write!(res, "\n\nUsage: `{}`", command.usage);
    }
    if !command.description.is_empty() && command.description != command.synopsis {
        let _ = write!(res, "\n\n{}", command.description);
    }
    if !command.aliases.is_empty() {
        let _ = write!(
            res,
            "\n\nAliases: {}",
            command
                .aliases
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let subcommands: Vec<String> = packs
        .subcommands(&command.path)
        .iter()
        .map(|c| format!("`{}`", c.name()))
        .collect();
    if !subcommands.is_empty() {
        let _ = write!(res, "\n\nSubcommands: {}", subcommands.join(", "));
    }
    res
}

fn flag_entry(flag: &KubectlFlag, command: &str) -> String {
    let scope = if flag.commands.iter().any(|c| c == command) {
        format!("flag of `{command}`")
    } else {
        "global flag (every command)".to_string()
    };
    let mut facts = vec![scope, format!("type: {}", flag.value_type.as_str())];
    if !flag.default.is_empty() {
        facts.push(format!("default: `{}`", flag.default));
    }
    format!("{}\n\n{}", facts.join(" · "), flag.description)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{parse, ParseOptions};
    use crate::terms::{dcgm_mentions, extract, term_at, TermIndex};
    use expect_test::{expect, Expect};

    /// `$0` marks the cursor in the first note; the others only define terms.
    fn check(notes: &[(&str, &str)], expect: Expect) {
        let (first_path, first_text) = notes[0];
        let offset = first_text.find("$0").unwrap_or(0);
        let text = first_text.replace("$0", "");
        let packs = Packs::builtin();
        let mut sources: Vec<(String, String)> = vec![(first_path.to_string(), text.clone())];
        sources.extend(
            notes[1..]
                .iter()
                .map(|(p, t)| (p.to_string(), t.to_string())),
        );
        let index = TermIndex::build(
            sources.iter().map(|(path, text)| {
                (
                    path.clone(),
                    text.as_str().into(),
                    extract(text, &parse(text, &ParseOptions::default())),
                )
            }),
            packs,
        );
        let syntax = parse(&text, &ParseOptions::default());
        let Some(target) = term_at(&text, &syntax, offset, packs, &index) else {
            expect.assert_eq("nothing");
            return;
        };
        let sites = index.definitions(target.name());
        let locations: Vec<DefLocation<'_>> = sites
            .iter()
            .map(|site| {
                let source = &sources
                    .iter()
                    .find(|(p, _)| p == site.path)
                    .map(|(_, t)| t.as_str())
                    .unwrap_or_default();
                let line = source[..site.def.range.start as usize]
                    .matches('\n')
                    .count() as u32
                    + 1;
                DefLocation {
                    path: site.path,
                    line,
                    site: *site,
                }
            })
            .collect();
        let hovered = &text[target.range.as_usize()];
        let res = format!(
            "{hovered:?}\n{}",
            hover_markdown(
                &target,
                packs,
                &locations,
                Some(2),
                &NoteNames::new(&text, &dcgm_mentions(&text), &[], packs)
            )
        );
        expect.assert_eq(&res);
    }

    #[test]
    fn dcgm_field_with_note_definitions() {
        check(
            &[
                ("gpu/a.md", "For MIG use `DCGM_FI_PROF_GR_EN$0GINE_ACTIVE`.\n"),
                ("gpu/b.md", "| Metric | Field | Description |\n|---|---|---|\n| **GR Engine** | `DCGM_FI_PROF_GR_ENGINE_ACTIVE` | **Use for MIG partitions** |\n"),
            ],
            expect![[r#"
                "DCGM_FI_PROF_GR_ENGINE_ACTIVE"
                **`DCGM_FI_PROF_GR_ENGINE_ACTIVE`**

                **In your notes**
                - Metric: **GR Engine**; Description: **Use for MIG partitions** ([gpu/b.md:3](gpu/b.md#L3))

                ---

                DCGM field 1001 · `double` · unit: ratio · deprecated alias of `DCGM_FI_PROF_GR_ENGINE_UTIL_RATIO` · dcgm-exporter gauge, on by default

                Ratio of time the graphics engine is active. The graphics engine is active if a graphics/compute context is bound and the graphics pipe or compute pipe is busy.

                From the `dcgm` pack: DCGM 4.6.0.

                ---

                Mentioned in 2 notes"#]],
        );
    }

    #[test]
    fn unknown_dcgm_name_suggests_the_one_the_note_uses() {
        check(
            &[(
                "gpu/a.md",
                "Alert on `DCGM_FI_PROF_NVDEC_UTIL_3_RATIO`; graph `DCGM_FI_PROF_NVDEC_UTIL_$09_RATIO`.\n",
            )],
            expect![[r#"
                "DCGM_FI_PROF_NVDEC_UTIL_9_RATIO"
                **`DCGM_FI_PROF_NVDEC_UTIL_9_RATIO`**

                Not a DCGM field. Did you mean `DCGM_FI_PROF_NVDEC_UTIL_3_RATIO`?

                ---

                Mentioned in 2 notes"#]],
        );
    }

    #[test]
    fn kubectl_flag_for_this_command() {
        check(
            &[(
                "k.md",
                "```bash\nkubectl get pods --sort$0-by=.metadata.name\n```\n",
            )],
            expect![[r#"
                "--sort-by"
                **`--sort-by`** of `kubectl get`

                flag of `kubectl get` · type: string

                If non-empty, sort list types using this field specification. The field specification is expressed as a JSONPath expression (e.g. '{.metadata.name}'). The field in the API resource specified by this JSONPath expression must be an integer or a string.

                From the `kubectl` pack: kubectl v1.33.1.

                ---

                Mentioned in 2 notes"#]],
        );
        check(
            &[("k.md", "```bash\nkubectl -n$0 kube-system get pods\n```\n")],
            expect![[r#"
                "-n"
                **`-n, --namespace`** of `kubectl get`

                global flag (every command) · type: string

                If present, the namespace scope for this CLI request

                From the `kubectl` pack: kubectl v1.33.1.

                ---

                Mentioned in 2 notes"#]],
        );
        check(
            &[("k.md", "Run `kubectl get pods --ta$0il 5`.\n")],
            expect![[r#"
                "--tail"
                **`--tail`** of `kubectl get`

                Not a flag of `kubectl get` in kubectl v1.33.1; `kubectl logs` has it.

                ---

                Mentioned in 2 notes"#]],
        );
    }

    #[test]
    fn kubectl_flag_of_a_subcommand_on_an_open_group() {
        check(
            &[(
                "k.md",
                "The `kubectl create service -$0o yaml --dry-run=client` command prints YAML.\n",
            )],
            expect![[r#"
                "-o"
                **`-o, --output`** of `kubectl create service clusterip`

                flag of `kubectl create service clusterip` · type: string

                Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).

                From the `kubectl` pack: kubectl v1.33.1.

                ---

                Mentioned in 2 notes"#]],
        );
        check(
            &[("k.md", "Use `kubectl --raw$0z`.\n")],
            expect![[r#"
                "--rawz"
                **`--rawz`** of `kubectl`

                Not a flag of any kubectl command in kubectl v1.33.1.

                ---

                Mentioned in 2 notes"#]],
        );
    }

    #[test]
    fn xid_code_with_note_definitions() {
        check(
            &[
                ("gpu/runbook.md", "After Xid $079 the node was drained.\n"),
                ("gpu/basics.md", "### Common XID Codes\n\n- XID 79 (GPU has fallen off the bus): The GPU is no longer reachable over PCIe.\n"),
            ],
            expect![[r#"
                "Xid 79"
                **XID 79**

                **In your notes**
                - The GPU is no longer reachable over PCIe. ([gpu/basics.md:3](gpu/basics.md#L3))

                ---

                **Xid 79**: NVIDIA GPU error. Mnemonic and driver macro `ROBUST_CHANNEL_GPU_HAS_FALLEN_OFF_THE_BUS`. Its description and what to do are in NVIDIA's Xid catalog. ([more](https://docs.nvidia.com/deploy/xid-errors/analyzing-xid-catalog.html))

                From the `xid` pack: Xid 1-176, NVIDIA driver 595.45.04.

                ---

                Mentioned in 2 notes"#]],
        );
    }

    #[test]
    fn kubectl_command_path() {
        check(
            &[(
                "k.md",
                "```console\n$ kubectl auth can$0-i create deployments\n```\n",
            )],
            expect![[r#"
                "can-i"
                **`kubectl auth can-i`**

                Check whether an action is allowed

                Usage: `kubectl auth can-i VERB [TYPE | TYPE/NAME | NONRESOURCEURL] [options]`

                Check whether an action is allowed. VERB is a logical Kubernetes API verb like 'get', 'list', 'watch', 'delete', etc. TYPE is a Kubernetes resource. Shortcuts and groups will be resolved. NONRESOURCEURL is a partial URL that starts with "/". NAME is the name of a particular Kubernetes resource. This command pairs nicely with impersonation. See --as global flag.

                From the `kubectl` pack: kubectl v1.33.1.

                ---

                Mentioned in 2 notes"#]],
        );
    }

    #[test]
    fn note_term_mentions() {
        check(
            &[
                ("a.md", "The kube-api$0server is busy.\n"),
                ("k8s/arch.md", "# Architecture\n\n### kube-apiserver\n\nThe API server is the front end for the control plane.\n"),
            ],
            expect![[r#"
                "kube-apiserver"
                **kube-apiserver**

                **In your notes**
                - The API server is the front end for the control plane. ([k8s/arch.md:3](k8s/arch.md#L3))

                ---

                Mentioned in 2 notes"#]],
        );
        check(
            &[
                ("a.md", "Our error bud$0get is spent.\n"),
                ("sre.md", "- **Error Budget** (EB): What may fail.\n"),
            ],
            expect![[r#"
                "error budget"
                **Error Budget**

                **In your notes**
                - What may fail. ([sre.md:1](sre.md#L1))

                ---

                Mentioned in 2 notes"#]],
        );
        check(&[("a.md", "Nothing to s$0ee here.\n")], expect!["nothing"]);
    }
}
