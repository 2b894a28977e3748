//! Completion of link paths, anchors, wiki-links, reference labels, dates and admonitions; where
//! none of them applies, of DCGM names, kubectl subcommands and flags and pack terms ([`terms`]).
//!
//! Every list replaces the prefix typed so far (`replace`), so clients insert exactly once.

mod terms;

use crate::dialect::Dialect;
use crate::graph::{
    file_stem, hugo_url_path, relative_path, shortest_unique_name, Graph, NoteId, Resolved,
};
use crate::syntax::LinkTarget;
use crate::text::TextRange;
use chrono::NaiveDate;
use std::collections::BinaryHeap;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    /// The typed prefix the chosen item replaces.
    pub replace: TextRange,
    pub items: Vec<CompletionItem>,
    /// More items exist than were sent; the client should ask again as the user types.
    pub incomplete: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompletionItem {
    pub label: String,
    pub kind: CompletionKind,
    pub detail: Option<String>,
    /// Markdown shown beside the list (a term's description).
    pub documentation: Option<String>,
    pub insert: String,
    /// Extra text the client may match the typed prefix against (a note's title).
    pub filter: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    File,
    Heading,
    Reference,
    Value,
    /// A DCGM field.
    Constant,
    /// A kubectl command.
    Command,
    /// A kubectl flag.
    Flag,
}

/// Above this many candidates, only those matching the typed prefix are sent, up to the cap.
const MAX_ITEMS: usize = 200;

const ADMONITIONS: [&str; 5] = ["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"];

/// Completion at `offset`: Markdown syntax (paths, anchors, wiki-links, labels, dates,
/// admonitions) first, else terms (DCGM names, kubectl subcommands and flags).
pub fn complete(
    graph: &Graph,
    id: NoteId,
    offset: usize,
    today: NaiveDate,
    date_label: &str,
) -> Option<Completion> {
    let note = graph.note(id);
    complete_markdown(graph, id, offset, today, date_label)
        .or_else(|| terms::complete(&note.text(), &note.syntax, offset, graph.packs()))
}

fn complete_markdown(
    graph: &Graph,
    id: NoteId,
    offset: usize,
    today: NaiveDate,
    date_label: &str,
) -> Option<Completion> {
    let note = graph.note(id);
    let text = note.text();
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset)
        || note.syntax.is_code(offset.saturating_sub(1)) && !note.syntax.is_code(offset)
    {
        return None;
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..offset];

    if let Some(open) = before.rfind("[[").filter(|&i| !before[i..].contains("]]")) {
        let typed_start = line_start + open + 2;
        return Some(wiki(
            graph,
            id,
            &text[typed_start..offset],
            typed_start,
            offset,
        ));
    }
    if let Some(open) = before
        .rfind("](")
        .filter(|&i| !before[i + 2..].contains([')', ' ']))
    {
        let typed_start = line_start + open + 2;
        let is_image = before[..open]
            .rfind("![")
            .is_some_and(|bang| !before[bang..open].contains("]("));
        return Some(path_or_anchor(
            graph,
            id,
            &text[typed_start..offset],
            typed_start,
            offset,
            is_image,
        ));
    }
    if let Some(open) = before
        .rfind("][")
        .filter(|&i| !before[i + 2..].contains(']'))
    {
        let typed_start = line_start + open + 2;
        let items = note
            .syntax
            .link_defs
            .iter()
            .map(|d| CompletionItem {
                documentation: None,
                label: d.label.clone(),
                kind: CompletionKind::Reference,
                detail: Some(text[d.range.as_usize()].trim().to_string()),
                insert: d.label.clone(),
                filter: None,
            })
            .collect();
        return Some(Completion {
            replace: TextRange::new(typed_start, offset),
            items,
            incomplete: false,
        });
    }
    let trimmed = before.trim_start_matches(['>', ' ', '*', '_']);
    if let Some(rest) = trimmed
        .strip_prefix(date_label)
        .and_then(|r| r.strip_prefix(':'))
    {
        let typed = rest.trim_start();
        let today = today.format("%Y-%m-%d").to_string();
        return Some(Completion {
            replace: TextRange::new(offset - typed.len(), offset),
            items: vec![CompletionItem {
                documentation: None,
                label: today.clone(),
                kind: CompletionKind::Value,
                detail: Some("today".into()),
                insert: today,
                filter: None,
            }],
            incomplete: false,
        });
    }
    if let Some(open) = before
        .rfind("[!")
        .filter(|&i| before[..i].trim_end().ends_with('>') && !before[i..].contains(']'))
    {
        let typed_start = line_start + open + 2;
        let items = ADMONITIONS
            .iter()
            .map(|kind| CompletionItem {
                documentation: None,
                label: kind.to_string(),
                kind: CompletionKind::Value,
                detail: Some("admonition".into()),
                insert: format!("{kind}]"),
                filter: None,
            })
            .collect();
        return Some(Completion {
            replace: TextRange::new(typed_start, offset),
            items,
            incomplete: false,
        });
    }
    None
}

fn path_or_anchor(
    graph: &Graph,
    id: NoteId,
    typed: &str,
    typed_start: usize,
    offset: usize,
    is_image: bool,
) -> Completion {
    let note = graph.note(id);
    if let Some(hash) = typed.find('#') {
        // Anchors of the note the path names (or of this note for `](#`).
        let path = &typed[..hash];
        let target = if path.is_empty() {
            Some(id)
        } else {
            let target = LinkTarget::Path {
                path: crate::syntax::percent_decode(path).into(),
                path_range: TextRange::empty(0),
                fragment: None,
            };
            match graph.resolve(note, &target) {
                Resolved::Note { note, .. } => Some(note),
                _ => None,
            }
        };
        // Obsidian names a heading by its text, the others by its id (the site's algorithm).
        let obsidian = graph.site().dialect == Dialect::Obsidian;
        let mut items = heading_items(graph, target, |h| {
            let (label, insert) = if obsidian {
                (h.text.clone(), encode_path(&h.text))
            } else {
                (h.anchor.clone(), h.anchor.clone())
            };
            (
                label,
                insert,
                Some(format!("{} {}", "#".repeat(h.level as usize), h.text)),
                Some(h.text.clone()),
            )
        });
        if let Some(target) = target.filter(|_| obsidian) {
            items.extend(block_items(graph, target));
        }
        return Completion {
            replace: TextRange::new(typed_start + hash + 1, offset),
            items,
            incomplete: false,
        };
    }
    let site = graph.site();
    // A Hugo link typed from `/` is a site URL: pages of this page's content folder, static
    // files; typed relative, a path to the file (which Hugo reads too).
    let site_url = site.dialect == Dialect::Hugo && typed.starts_with('/');
    let content_dir = site.content_dir_of(&note.path).unwrap_or("");
    let notes = graph
        .note_names()
        .filter(|(other, _, _)| *other != id)
        .map(|(_, path, title)| Candidate {
            path,
            title: Some(title),
        })
        .filter(|c| !site_url || site.content_dir_of(c.path) == Some(content_dir));
    let files = graph
        .files()
        .filter(|_| is_image)
        .map(|path| Candidate { path, title: None });
    let (candidates, incomplete) = rank(notes.chain(files), typed, note.dir());
    let candidates: Vec<(String, Option<String>)> = candidates
        .into_iter()
        .filter_map(|c| {
            let path = if site_url {
                hugo_site_url(graph, c.path)?
            } else {
                relative_path(note.dir(), c.path)
            };
            Some((path, c.title.map(String::from)))
        })
        .collect();
    let items = candidates
        .into_iter()
        .map(|(path, title)| CompletionItem {
            documentation: None,
            label: path.clone(),
            kind: CompletionKind::File,
            insert: encode_path(&path),
            filter: title.as_ref().map(|t| format!("{path} {t}")),
            detail: title,
        })
        .collect();
    Completion {
        replace: TextRange::new(typed_start, offset),
        items,
        incomplete,
    }
}

fn wiki(graph: &Graph, id: NoteId, typed: &str, typed_start: usize, offset: usize) -> Completion {
    let obsidian = graph.site().dialect == Dialect::Obsidian;
    if let Some(hash) = typed.find('#') {
        let stem = &typed[..hash];
        let target = if stem.is_empty() {
            Some(id)
        } else {
            let target = LinkTarget::Wiki {
                stem: stem.into(),
                stem_range: TextRange::empty(0),
                fragment: None,
            };
            match graph.resolve(graph.note(id), &target) {
                Resolved::Note { note, .. } => Some(note),
                _ => graph.notes_with_stem(stem).first().copied(),
            }
        };
        let mut items = heading_items(graph, target, |h| {
            (
                h.text.clone(),
                h.text.clone(),
                Some(format!("#{}", h.anchor)),
                None,
            )
        });
        // Obsidian's block references, `[[note#^id]]`.
        if let Some(target) = target.filter(|_| obsidian) {
            items.extend(block_items(graph, target));
        }
        return Completion {
            replace: TextRange::new(typed_start + hash + 1, offset),
            items,
            incomplete: false,
        };
    }
    // Obsidian writes the shortest path that names the note alone (its name when unique),
    // worked out from the path; elsewhere a wiki-link names a stem.
    let candidates =
        graph
            .note_names()
            .filter(|(other, _, _)| *other != id)
            .map(|(_, path, title)| Candidate {
                path: if obsidian { path } else { file_stem(path) },
                title: Some(title),
            });
    // Stems have no folder: every candidate counts as near.
    let (candidates, incomplete) = rank(candidates, typed, "");
    let items = candidates
        .into_iter()
        .map(|c| {
            let name = if obsidian {
                shortest_unique_name(
                    c.path,
                    graph
                        .notes_with_stem(file_stem(c.path))
                        .iter()
                        .map(|id| graph.note(*id).path.as_str()),
                )
            } else {
                c.path.to_string()
            };
            (name, c.title.map(String::from))
        })
        .map(|(stem, title)| CompletionItem {
            documentation: None,
            label: stem.clone(),
            kind: CompletionKind::File,
            insert: stem.clone(),
            filter: title.as_ref().map(|t| format!("{stem} {t}")),
            detail: title,
        })
        .collect();
    Completion {
        replace: TextRange::new(typed_start, offset),
        items,
        incomplete,
    }
}

/// One item per `^block-id` marker of `target`.
fn block_items(graph: &Graph, target: NoteId) -> Vec<CompletionItem> {
    graph
        .note(target)
        .syntax
        .anchors
        .iter()
        .filter(|a| a.id.starts_with('^'))
        .map(|a| CompletionItem {
            label: a.id.clone(),
            kind: CompletionKind::Reference,
            detail: Some("block".into()),
            documentation: None,
            insert: a.id.clone(),
            filter: None,
        })
        .collect()
}

/// The site URL Hugo publishes the page or static file at `path` under (`/docs/a/`, lowercase
/// as Hugo writes page URLs; `/images/x.svg`), `None` outside the content and static folders.
fn hugo_site_url(graph: &Graph, path: &str) -> Option<String> {
    let site = graph.site();
    if graph.by_path(path).is_some() {
        let content_dir = site.content_dir_of(path)?;
        let url = hugo_url_path(path);
        let url = url[content_dir.len().min(url.len())..].trim_matches('/');
        return Some(if url.is_empty() {
            "/".to_string()
        } else {
            format!("/{}/", url.to_lowercase())
        });
    }
    site.static_dirs
        .iter()
        .find(|dir| crate::dialect::is_under(path, dir))
        .map(|dir| path[dir.len()..].to_string())
}

/// One item per heading of `target` (none without a target), built from `(label, insert text,
/// detail, filter text)`.
fn heading_items(
    graph: &Graph,
    target: Option<NoteId>,
    item: impl Fn(&crate::syntax::Heading) -> (String, String, Option<String>, Option<String>),
) -> Vec<CompletionItem> {
    let Some(target) = target else {
        return Vec::new();
    };
    graph
        .note(target)
        .syntax
        .headings
        .iter()
        .map(|h| {
            let (label, insert, detail, filter) = item(h);
            CompletionItem {
                insert,
                label,
                kind: CompletionKind::Heading,
                detail,
                documentation: None,
                filter,
            }
        })
        .collect()
}

/// A completion candidate before its label is computed: a corpus path and a title.
#[derive(Clone, Copy)]
struct Candidate<'a> {
    path: &'a str,
    title: Option<&'a str>,
}

/// Keeps every candidate when there are few. Otherwise only those whose path or title holds the
/// typed characters in order (ASCII case ignored), the folder of the note being edited first,
/// best [`MAX_ITEMS`] of them by score, then path, then order given. The candidates are read
/// once, as they come: nothing is allocated per candidate, nor a list of them all, and most are
/// turned away by one comparison with the worst kept, so every note of a large corpus can be a
/// candidate on each keystroke.
fn rank<'a>(
    candidates: impl IntoIterator<Item = Candidate<'a>>,
    typed: &str,
    from_dir: &str,
) -> (Vec<Candidate<'a>>, bool) {
    let mut candidates = candidates.into_iter();
    let mut few: Vec<Candidate<'a>> = candidates.by_ref().take(MAX_ITEMS + 1).collect();
    if few.len() <= MAX_ITEMS {
        few.sort_by(|a, b| a.path.cmp(b.path));
        return (few, false);
    }
    // Typed text is a relative path: match what follows its `../` and `./` steps.
    let mut wanted = typed;
    while let Some(rest) = wanted
        .strip_prefix("../")
        .or_else(|| wanted.strip_prefix("./"))
    {
        wanted = rest;
    }
    let wanted = wanted.to_ascii_lowercase();
    // The best so far by (score, path, position), the worst on top.
    let mut best: BinaryHeap<Ranked<'a>> = BinaryHeap::with_capacity(MAX_ITEMS);
    for (i, c) in few.into_iter().chain(candidates).enumerate() {
        let Some(score) = subsequence_score_ascii(c.path, &wanted).or_else(|| {
            c.title
                .and_then(|t| subsequence_score_ascii(t, &wanted))
                .map(|s| s + 200)
        }) else {
            continue;
        };
        let ranked = Ranked {
            key: (
                score + if in_dir(c.path, from_dir) { 0 } else { 1000 },
                c.path,
                i,
            ),
            candidate: c,
        };
        if best.len() < MAX_ITEMS {
            best.push(ranked);
        } else if let Some(mut worst) = best.peek_mut().filter(|worst| ranked.key < worst.key) {
            *worst = ranked;
        }
    }
    let ranked = best
        .into_sorted_vec()
        .into_iter()
        .map(|r| r.candidate)
        .collect();
    (ranked, true)
}

/// A candidate kept by [`rank`], ordered by its key alone.
struct Ranked<'a> {
    key: (usize, &'a str, usize),
    candidate: Candidate<'a>,
}

impl PartialEq for Ranked<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Eq for Ranked<'_> {}

impl PartialOrd for Ranked<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ranked<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key.cmp(&other.key)
    }
}

/// Whether `path` is directly in the folder `dir` (`parent_dir(path) == dir`), looking for a
/// `/` only past `dir`.
fn in_dir(path: &str, dir: &str) -> bool {
    let name = if dir.is_empty() {
        Some(path)
    } else {
        path.strip_prefix(dir)
            .and_then(|rest| rest.strip_prefix('/'))
    };
    name.is_some_and(|name| !name.contains('/'))
}

/// [`subsequence_score`] ignoring ASCII case, without allocating; `needle` is lowercase.
fn subsequence_score_ascii(haystack: &str, needle: &str) -> Option<usize> {
    let (hay, want) = (haystack.as_bytes(), needle.as_bytes());
    let Some((&head, tail)) = want.split_first() else {
        return Some(0);
    };
    // In order first (a substring is in order too): most candidates fail it, and `memchr` skips
    // the bytes that cannot match many at a time.
    let find = |from: usize, b: u8| {
        let rest = &hay[from..];
        let at = if b.is_ascii_lowercase() {
            memchr::memchr2(b, b.to_ascii_uppercase(), rest)
        } else {
            memchr::memchr(b, rest)
        };
        at.map(|at| from + at)
    };
    let first = find(0, head)?;
    let mut last = first;
    for &b in tail {
        last = find(last + 1, b)?;
    }
    if let Some(pos) = hay
        .windows(want.len())
        .position(|w| w.eq_ignore_ascii_case(want))
    {
        return Some(pos.min(50));
    }
    Some(100 + last - first)
}

/// Lower is better: the span over which `needle`'s characters appear in order, `None` if they don't.
pub(crate) fn subsequence_score(haystack: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    if let Some(pos) = haystack.find(needle) {
        return Some(pos.min(50));
    }
    let mut chars = needle.chars();
    let mut want = chars.next();
    let mut first = None;
    for (i, c) in haystack.char_indices() {
        if Some(c) == want {
            first.get_or_insert(i);
            want = chars.next();
            if want.is_none() {
                return Some(100 + i - first.unwrap_or(0));
            }
        }
    }
    None
}

/// Paths with spaces need `<...>` or `%20` in a link; kbls writes `%20`.
fn encode_path(path: &str) -> String {
    path.replace(' ', "%20")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::Dialect;
    use crate::syntax::ParseOptions;
    use crate::test_fixture;
    use expect_test::{expect, Expect};
    use std::sync::Arc;

    /// The replaced text, then each item as `kind label (insert) — detail`.
    #[track_caller]
    fn check(fixture: &str, expect: Expect) {
        check_in(Dialect::Github, fixture, expect);
    }

    #[track_caller]
    fn check_in(dialect: Dialect, fixture: &str, expect: Expect) {
        let fixture = test_fixture::parse_in(dialect, fixture);
        let pos = fixture.position();
        let res = match fixture.analysis().completion(pos) {
            None => "none".to_string(),
            Some(completion) => {
                let text = fixture.graph.note(pos.note).text();
                let mut lines = vec![format!(
                    "replace {:?}{}",
                    &text[completion.replace.as_usize()],
                    if completion.incomplete {
                        " (incomplete)"
                    } else {
                        ""
                    }
                )];
                lines.extend(completion.items.iter().map(|item| {
                    let detail = item
                        .detail
                        .as_ref()
                        .map(|d| format!(" — {d}"))
                        .unwrap_or_default();
                    format!("{:?} {} ({}){detail}", item.kind, item.label, item.insert)
                }));
                lines.join("\n")
            }
        };
        expect.assert_eq(&res);
    }

    #[test]
    fn paths_and_anchors() {
        let notes = "//- /k8s/pods.md\n# Pods\n## Requests vs Limits\n//- /k8s/my notes.md\n# Mine\n//- /img/a.png\n";
        check(
            &format!("//- /k8s/a.md\n# A\n[x](po$0\n{notes}"),
            expect![[r#"
            replace "po"
            File my notes.md (my%20notes.md) — Mine
            File pods.md (pods.md) — Pods"#]],
        );
        check(
            &format!("//- /k8s/a.md\n# A\n![x]($0\n{notes}"),
            expect![[r#"
            replace ""
            File ../img/a.png (../img/a.png)
            File my notes.md (my%20notes.md) — Mine
            File pods.md (pods.md) — Pods"#]],
        );
        check(
            &format!("//- /k8s/a.md\n# A\n[x](pods.md#re$0\n{notes}"),
            expect![[r#"
            replace "re"
            Heading pods (pods) — # Pods
            Heading requests-vs-limits (requests-vs-limits) — ## Requests vs Limits"#]],
        );
        check(
            &format!("//- /k8s/a.md\n# A\n## Here\n[x](#$0\n{notes}"),
            expect![[r#"
            replace ""
            Heading a (a) — # A
            Heading here (here) — ## Here"#]],
        );
    }

    #[test]
    fn wiki_links_labels_dates_and_admonitions() {
        let notes = "//- /k8s/pods.md\n# Pods\n## Limits\n";
        check(
            &format!("//- /a.md\n# A\n[[po$0\n{notes}"),
            expect![[r#"
            replace "po"
            File pods (pods) — Pods"#]],
        );
        check(
            &format!("//- /a.md\n# A\n[[pods#$0\n{notes}"),
            expect![[r#"
            replace ""
            Heading Pods (Pods) — #pods
            Heading Limits (Limits) — #limits"#]],
        );
        check(
            "//- /a.md\n# A\n[x][$0\n\n[lbl]: b.md\n",
            expect![[r#"
            replace ""
            Reference lbl (lbl) — [lbl]: b.md"#]],
        );
        check(
            "//- /a.md\n# A\n\nLast updated: 20$0\n",
            expect![[r#"
            replace "20"
            Value 2026-11-28 (2026-11-28) — today"#]],
        );
        check(
            "//- /a.md\n# A\n\n> [!WA$0\n",
            expect![[r#"
            replace "WA"
            Value NOTE (NOTE]) — admonition
            Value TIP (TIP]) — admonition
            Value IMPORTANT (IMPORTANT]) — admonition
            Value WARNING (WARNING]) — admonition
            Value CAUTION (CAUTION]) — admonition"#]],
        );
    }

    #[test]
    fn terms_where_no_markdown_completes() {
        check(
            "//- /a.md\n# A\nRun `kubectl rollout res$0`.\n",
            expect![[r#"
            replace "res"
            Command history (history) — View rollout history
            Command pause (pause) — Mark the provided resource as paused
            Command restart (restart) — Restart a resource
            Command resume (resume) — Resume a paused resource
            Command status (status) — Show the status of the rollout
            Command undo (undo) — Undo a previous rollout"#]],
        );
        check("//- /a.md\n# A\nIn a code block: `ls`$0\n", expect!["none"]);
    }

    /// The ranking of a large corpus, item for item, against its definition: the candidates whose
    /// path, else title (+200), holds the typed letters in order, by score (+1000 outside the
    /// note's folder) then path, the best [`MAX_ITEMS`].
    #[test]
    fn large_corpora_rank_by_score_then_path() {
        let words = ["Kube", "dns", "Pod", "net", "GPU", "log", "node", "ark"];
        let mut notes: Vec<(String, Arc<str>)> = (0..900)
            .map(|i| {
                let name = format!("{}-{}-{i}", words[i % 8], words[i / 8 % 8]).to_lowercase();
                let title = format!("# {} {} {}\n", words[i / 3 % 8], words[i / 5 % 8], i);
                (
                    format!("{}/{name}.md", ["a", "b", "c/d"][i % 3]),
                    Arc::from(title),
                )
            })
            .collect();
        notes.push(("a/here.md".into(), Arc::from("# Here\n")));
        let graph = crate::graph::Graph::build(notes, Vec::new(), &ParseOptions::default());
        let here = graph.by_path("a/here.md").unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        for typed in [
            "", "dn", "../b/po", "gpulog", "kdns", "./NET", "zzz", "a/", "LoG-1",
        ] {
            for wiki in [false, true] {
                let (open, from_dir) = if wiki { ("[[", "") } else { ("](", "a") };
                let text = format!("# Here\n{open}{typed}");
                let mut graph = graph.clone();
                graph.update(
                    "a/here.md",
                    Arc::from(text.as_str()),
                    &ParseOptions::default(),
                );
                let got = complete(&graph, here, text.len(), today, "Last updated").unwrap();
                let labels: Vec<String> = got.items.iter().map(|i| i.label.clone()).collect();

                let wanted = typed.trim_start_matches("../").trim_start_matches("./");
                let wanted = wanted.to_lowercase();
                let mut expected: Vec<(usize, String, String)> = graph
                    .notes()
                    .filter(|(id, _)| *id != here)
                    .filter_map(|(_, n)| {
                        let key = if wiki { n.stem() } else { n.path.as_str() };
                        let score =
                            subsequence_score(&key.to_lowercase(), &wanted).or_else(|| {
                                subsequence_score(&n.title().to_lowercase(), &wanted)
                                    .map(|s| s + 200)
                            })?;
                        let near = crate::graph::parent_dir(key) == from_dir;
                        let label = if wiki {
                            key.to_string()
                        } else {
                            relative_path("a", key)
                        };
                        Some((score + if near { 0 } else { 1000 }, key.to_string(), label))
                    })
                    .collect();
                expected.sort();
                expected.truncate(MAX_ITEMS);
                let expected: Vec<String> = expected.into_iter().map(|(_, _, l)| l).collect();
                assert_eq!(labels, expected, "{open}{typed}");
                assert!(got.incomplete);
            }
        }
    }

    #[test]
    fn large_corpora_send_the_best_matches_first_and_say_there_are_more() {
        let mut notes: Vec<(String, Arc<str>)> = (0..300)
            .map(|i| {
                (
                    format!("{}/note-{i:03}.md", ["a", "b"][i % 2]),
                    Arc::from(format!("# Note {i}\n").as_str()),
                )
            })
            .collect();
        notes.push((
            "b/kubernetes-dns.md".into(),
            Arc::from("# DNS in Kubernetes\n"),
        ));
        notes.push((
            "a/here.md".into(),
            Arc::from("# Here\n\n[x](../b/kdns\n[y](\n"),
        ));
        let graph = crate::graph::Graph::build(notes, Vec::new(), &ParseOptions::default());
        let id = graph.by_path("a/here.md").unwrap();
        let text = graph.note(id).text();
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let typed = complete(
            &graph,
            id,
            text.find("kdns").unwrap() + 4,
            today,
            "Last updated",
        )
        .unwrap();
        assert!(typed.incomplete);
        assert_eq!(typed.items[0].label, "../b/kubernetes-dns.md");
        let empty = complete(&graph, id, text.len() - 1, today, "Last updated").unwrap();
        assert_eq!(empty.items.len(), MAX_ITEMS);
        // Notes of the same folder come first.
        assert_eq!(empty.items[0].label, "note-000.md");
    }

    const VAULT: &str = r#"
//- /Home.md
# Home
//- /Projects/GPU Cluster.md
# GPU Cluster
## Power budget
Racks draw 40 kW. ^power
//- /a/dup.md
# A dup
//- /b/dup.md
# B dup
"#;

    #[test]
    fn vault_wiki_links_complete_to_the_shortest_unique_path() {
        check_in(
            Dialect::Obsidian,
            &format!("{VAULT}//- /Notes.md\n[[$0\n"),
            expect![[r#"
                replace ""
                File Home (Home) — Home
                File GPU Cluster (GPU Cluster) — GPU Cluster
                File a/dup (a/dup) — A dup
                File b/dup (b/dup) — B dup"#]],
        );
    }

    #[test]
    fn vault_fragments_complete_to_heading_text_and_block_ids() {
        check_in(
            Dialect::Obsidian,
            &format!("{VAULT}//- /Notes.md\n[[GPU Cluster#$0\n"),
            expect![[r#"
                replace ""
                Heading GPU Cluster (GPU Cluster) — #gpu-cluster
                Heading Power budget (Power budget) — #power-budget
                Reference ^power (^power) — block"#]],
        );
        check_in(
            Dialect::Obsidian,
            &format!("{VAULT}//- /Notes.md\n[x](Projects/GPU%20Cluster.md#$0\n"),
            expect![[r#"
                replace ""
                Heading GPU Cluster (GPU%20Cluster) — # GPU Cluster
                Heading Power budget (Power%20budget) — ## Power budget
                Reference ^power (^power) — block"#]],
        );
    }

    const SITE: &str = r#"
//- /content/_index.md
# Home
//- /content/docs/_index.md
# Docs
//- /content/docs/setup.md
# Setup
## What's new? (v1.2)
//- /static/images/diagram.svg
//- /README.md
# Not a page
"#;

    #[test]
    fn hugo_site_paths_complete_to_pretty_urls() {
        check_in(
            Dialect::Hugo,
            &format!("{SITE}//- /content/docs/guide.md\n[x](/$0\n"),
            expect![[r#"
                replace "/"
                File / (/) — Home
                File /docs/ (/docs/) — Docs
                File /docs/setup/ (/docs/setup/) — Setup"#]],
        );
        check_in(
            Dialect::Hugo,
            &format!("{SITE}//- /content/docs/guide.md\n![x](/$0\n"),
            expect![[r#"
                replace "/"
                File / (/) — Home
                File /docs/ (/docs/) — Docs
                File /docs/setup/ (/docs/setup/) — Setup
                File /images/diagram.svg (/images/diagram.svg)"#]],
        );
        // Typed relative: a path to the file.
        check_in(
            Dialect::Hugo,
            &format!("{SITE}//- /content/docs/guide.md\n[x]($0\n"),
            expect![[r#"
                replace ""
                File ../../README.md (../../README.md) — Not a page
                File ../_index.md (../_index.md) — Home
                File _index.md (_index.md) — Docs
                File setup.md (setup.md) — Setup"#]],
        );
        check_in(
            Dialect::Hugo,
            &format!("{SITE}//- /content/docs/guide.md\n[x](/docs/setup/#$0\n"),
            expect![[r#"
                replace ""
                Heading setup (setup) — # Setup
                Heading whats-new-v12 (whats-new-v12) — ## What's new? (v1.2)"#]],
        );
    }

    #[test]
    fn mdbook_links_complete_to_chapter_paths() {
        check_in(
            Dialect::Mdbook,
            r#"
//- /src/SUMMARY.md
- [Ch1](ch01.md)
//- /src/ch01.md
# Ch1
//- /src/ch01/section.md
# Section
[x]($0
"#,
            expect![[r#"
                replace ""
                File ../SUMMARY.md (../SUMMARY.md) — SUMMARY
                File ../ch01.md (../ch01.md) — Ch1"#]],
        );
    }
}
