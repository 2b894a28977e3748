//! `kbls terms [QUERY]`: look a term up (the notes' definitions, then the packs), or list the
//! terms the notes define.

use super::{ListFormat, TermsArgs};
use crate::ide::terms::hover::{hover_markdown, DefLocation};
use crate::load;
use crate::terms::{self, DefSite, TermAt, TermAtKind};
use crate::workspace::Workspace;
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;

pub(super) fn run(args: TermsArgs) -> ExitCode {
    super::finish(terms(&args).map(|(out, found)| (out, !found)))
}

/// The rendered output and whether anything was found.
fn terms(args: &TermsArgs) -> anyhow::Result<(String, bool)> {
    let path = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    anyhow::ensure!(path.exists(), "no such file or folder: {}", path.display());
    let root = load::find_root(&path, Some(&load::current_dir()?));
    let workspace = Workspace::load(&root, load::load_config(&root, None)?)?;
    let graph = workspace.graph();
    let line_of = |site: &DefSite<'_>| {
        graph.by_path(site.path).map_or(1, |id| {
            graph
                .note(id)
                .line_index()
                .line_of(site.def.term_range.start as usize)
                + 1
        })
    };
    match &args.query {
        Some(query) => {
            let results = terms::lookup(query, graph.packs(), graph.terms());
            let out = match args.format {
                ListFormat::Json => {
                    let results: Vec<JsonResult> = results
                        .iter()
                        .map(|r| {
                            JsonResult::new(&r.target, graph.packs(), &r.definitions, &line_of)
                        })
                        .collect();
                    to_json(&JsonLookup {
                        version: 1,
                        query,
                        results,
                    })
                }
                _ => results
                    .iter()
                    .map(|r| {
                        let lines: Vec<u32> = r.definitions.iter().map(&line_of).collect();
                        let defs: Vec<DefLocation<'_>> = r
                            .definitions
                            .iter()
                            .zip(&lines)
                            .map(|(site, line)| DefLocation {
                                path: site.path,
                                line: *line,
                                site: *site,
                            })
                            .collect();
                        hover_markdown(
                            &r.target,
                            graph.packs(),
                            &defs,
                            None,
                            &terms::NoteNames::default(),
                        ) + "\n"
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
            };
            Ok((out, !results.is_empty()))
        }
        None => {
            let all = graph.terms().all_definitions();
            let out = match args.format {
                ListFormat::Json => {
                    let terms: Vec<JsonDefinition> = all
                        .iter()
                        .map(|site| JsonDefinition::new(site, line_of(site)))
                        .collect();
                    to_json(&JsonList { version: 1, terms })
                }
                _ => all
                    .iter()
                    .map(|site| {
                        format!(
                            "{}\t{}:{}\t{}\n",
                            site.term(),
                            site.path,
                            line_of(site),
                            one_line(&site.definition(), 100)
                        )
                    })
                    .collect(),
            };
            Ok((out, !all.is_empty()))
        }
    }
}

fn one_line(text: &str, max_chars: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &flat[..cut]),
        None => flat,
    }
}

fn to_json(value: &impl Serialize) -> String {
    let mut out = serde_json::to_string_pretty(value).expect("JSON of plain values");
    out.push('\n');
    out
}

#[derive(Serialize)]
struct JsonLookup<'a> {
    version: u32,
    query: &'a str,
    results: Vec<JsonResult<'a>>,
}

#[derive(Serialize)]
struct JsonList<'a> {
    version: u32,
    terms: Vec<JsonDefinition<'a>>,
}

#[derive(Serialize)]
struct JsonDefinition<'a> {
    term: String,
    aliases: &'a [Box<str>],
    path: &'a str,
    line: u32,
    kind: &'static str,
    definition: String,
}

impl<'a> JsonDefinition<'a> {
    fn new(site: &DefSite<'a>, line: u32) -> JsonDefinition<'a> {
        JsonDefinition {
            term: site.term(),
            aliases: &site.def.aliases,
            path: site.path,
            line,
            kind: site.def.kind.as_str(),
            definition: site.definition(),
        }
    }
}

/// One lookup result: what it is, the notes' definitions, and the pack entry.
#[derive(Serialize)]
struct JsonResult<'a> {
    kind: &'static str,
    name: String,
    definitions: Vec<JsonDefinition<'a>>,
    /// The pack entry, when a pack has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pack: Option<serde_json::Value>,
}

impl<'a> JsonResult<'a> {
    fn new(
        target: &TermAt,
        packs: &terms::Packs,
        defs: &[DefSite<'a>],
        line_of: &dyn Fn(&DefSite<'_>) -> u32,
    ) -> JsonResult<'a> {
        // Each pack entry names its pack and the version that pack describes.
        let entry = |pack: Option<&terms::Pack>, mut value: serde_json::Value| {
            if let (Some(pack), Some(object)) = (pack, value.as_object_mut()) {
                object.insert(
                    "source".to_string(),
                    serde_json::json!({"pack": pack.name, "version": pack.version}),
                );
            }
            value
        };
        let (kind, pack) = match &target.kind {
            TermAtKind::Dcgm { name } => (
                "dcgm-field",
                packs.dcgm_field(name).map(|f| {
                    entry(packs.pack_of(f), serde_json::json!({"id": f.id, "type": f.value_type, "unit": f.unit, "status": f.status.as_str(), "description": f.description}))
                }),
            ),
            TermAtKind::KubectlCommand { path } => (
                "kubectl-command",
                packs.kubectl_command(path).map(|c| entry(packs.pack_of(c), serde_json::json!({"synopsis": c.synopsis, "usage": c.usage, "description": c.description}))),
            ),
            TermAtKind::KubectlFlag { command, flag, .. } => (
                "kubectl-flag",
                packs.flag(command, flag).map(|f| {
                    entry(packs.pack_of(f), serde_json::json!({"command": command, "long": f.long, "short": f.short.map(String::from), "type": f.value_type.as_str(), "default": f.default, "description": f.description}))
                }),
            ),
            TermAtKind::Term { name } => (
                "term",
                packs.terms(name).first().map(|t| {
                    entry(packs.pack_of(*t), serde_json::json!({"name": t.name, "aliases": t.aliases, "definition": t.definition, "link": t.link}))
                }),
            ),
        };
        JsonResult {
            kind,
            name: target.name().to_string(),
            definitions: defs
                .iter()
                .map(|site| JsonDefinition::new(site, line_of(site)))
                .collect(),
            pack,
        }
    }
}
