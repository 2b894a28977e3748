//! Graph tests: resolution snapshots and incremental updates checked against fresh builds.

use super::*;
use expect_test::expect;

fn corpus(files: &[(&str, &str)]) -> Vec<(String, Arc<str>)> {
    files
        .iter()
        .map(|(p, t)| (p.to_string(), Arc::from(*t)))
        .collect()
}

const FILES: &[(&str, &str)] = &[
    ("index.md", "# Home\n\n[K8s](k8s/) [pods](k8s/pods.md#requests-vs-limits) [gone](k8s/gone.md) [bad](k8s/pods.md#nope)\n"),
    ("k8s/index.md", "# Kubernetes\n\n[[pods]] [[pods#Requests vs Limits]] [up](../index.md) [[dup]] [[b/dup]] ![[pods]] ![img](../img/a.png)\n"),
    ("k8s/pods.md", "# Pods\n\n## Requests vs Limits\n\n[out](../../x.md) [self](#pods) [ext](pods)\n"),
    ("a/dup.md", "# A dup\n"),
    ("b/dup.md", "# B dup\n"),
];

#[test]
fn build_resolves_every_link_kind() {
    let graph = Graph::build(
        corpus(FILES),
        vec!["img/a.png".into()],
        &ParseOptions::default(),
    );
    expect![[r#"
        a/dup.md "A dup"
          # #a-dup
        b/dup.md "B dup"
          # #b-dup
          <- k8s/index.md
        index.md "Home"
          # #home
          [K8s](k8s/) -> k8s/index.md
          [pods](k8s/pods.md#requests-vs-limits) -> k8s/pods.md#requests-vs-limits
          [gone](k8s/gone.md) -> <missing k8s/gone.md>
          [bad](k8s/pods.md#nope) -> k8s/pods.md#<missing>
          <- k8s/index.md
        k8s/index.md "Kubernetes"
          # #kubernetes
          [[pods]] -> k8s/pods.md
          [[pods#Requests vs Limits]] -> k8s/pods.md#requests-vs-limits
          [up](../index.md) -> index.md
          [[dup]] -> <ambiguous: 2 notes>
          [[b/dup]] -> b/dup.md
          ![[pods]] -> k8s/pods.md
          ![img](../img/a.png) -> file img/a.png
          <- index.md
        k8s/pods.md "Pods"
          # #pods
          ## #requests-vs-limits
          [out](../../x.md) -> <outside root>
          [self](#pods) -> k8s/pods.md#pods
          [ext](pods) -> k8s/pods.md
          <- index.md, k8s/index.md, k8s/pods.md
    "#]]
    .assert_eq(&graph.dump());
}

/// Only what links into a note see makes an edit return its dependents: text added to a
/// paragraph returns the note alone; a heading, an anchor or the front matter changed return
/// every note linking to it.
#[test]
fn an_edit_returns_the_dependents_only_when_links_into_the_note_see_it() {
    // A vault, where `^block` ids are anchors.
    let options = ParseOptions {
        site: Site::new(Dialect::Obsidian),
        ..ParseOptions::default()
    };
    let mut graph = Graph::build(corpus(FILES), vec!["img/a.png".into()], &options);
    graph.index_backlinks();
    let affected = |graph: &mut Graph, text: &str| -> Vec<String> {
        let ids = graph.update("k8s/pods.md", Arc::from(text), &options);
        ids.iter().map(|id| graph.note(*id).path.clone()).collect()
    };
    let pods = "# Pods\n\n## Requests vs Limits\n\n[out](../../x.md) [self](#pods) [ext](pods)\n";
    let dependents = ["index.md", "k8s/index.md", "k8s/pods.md"];
    let typed = format!("{pods}\nA new paragraph with [a link](../index.md).\n");
    assert_eq!(affected(&mut graph, &typed), ["k8s/pods.md"]);
    let renamed = typed.replace("## Requests vs Limits", "## Requests and Limits");
    assert_eq!(affected(&mut graph, &renamed), dependents);
    let anchored = format!("{renamed}\nA rack ^rack-a\n");
    assert_eq!(affected(&mut graph, &anchored), dependents);
    let titled = format!("---\ntitle: Pods\n---\n{anchored}");
    assert_eq!(affected(&mut graph, &titled), dependents);
    let level = titled.replace("## Requests", "### Requests");
    assert_eq!(affected(&mut graph, &level), dependents);
}

/// Marksman's paranoid mode as a test: every sequence of updates must leave the same graph as a
/// build from scratch of the final texts.
#[test]
fn incremental_updates_agree_with_a_fresh_build() {
    let options = ParseOptions::default();
    let mut graph = Graph::build(corpus(&FILES[..2]), vec!["img/a.png".into()], &options);
    for (path, text) in &FILES[2..] {
        graph.update(path, Arc::from(*text), &options);
    }
    let edited = "# Pods\n\n## Requests and Limits\n";
    let affected = graph.update("k8s/pods.md", Arc::from(edited), &options);
    let affected_paths: Vec<&str> = affected
        .iter()
        .map(|id| graph.note(*id).path.as_str())
        .collect();
    assert_eq!(affected_paths, ["index.md", "k8s/index.md", "k8s/pods.md"]);
    graph.remove("b/dup.md");
    graph.update("k8s/gone.md", Arc::from("# Gone no more\n"), &options);

    let mut final_files: Vec<(&str, &str)> = FILES
        .iter()
        .copied()
        .filter(|(p, _)| *p != "b/dup.md" && *p != "k8s/pods.md")
        .collect();
    final_files.push(("k8s/pods.md", edited));
    final_files.push(("k8s/gone.md", "# Gone no more\n"));
    let fresh = Graph::build(corpus(&final_files), vec!["img/a.png".into()], &options);
    assert_eq!(graph.dump(), fresh.dump());
}

/// A note that turns unreadable (and back, or goes) leaves what a fresh load finds: the file is
/// listed with its reason, links to it resolve to the file, and it is no note.
#[test]
fn unreadable_files_agree_with_a_fresh_build() {
    let options = ParseOptions::default();
    let mut graph = Graph::build(corpus(FILES), Vec::new(), &options);
    graph.index_backlinks();
    let affected = graph.set_unreadable("k8s/pods.md", "file is binary".into());
    let affected: Vec<&str> = affected
        .iter()
        .map(|id| graph.note(*id).path.as_str())
        .collect();
    assert_eq!(affected, ["index.md", "k8s/index.md"]);
    graph.set_unreadable("a/dup.md", "too large".into());
    graph.update("a/dup.md", Arc::from("# A dup\n"), &options);
    graph.set_unreadable("b/dup.md", "not UTF-8".into());
    graph.remove("b/dup.md");

    let final_files: Vec<(&str, &str)> = FILES
        .iter()
        .copied()
        .filter(|(p, _)| *p != "k8s/pods.md" && *p != "b/dup.md")
        .collect();
    let mut fresh = Graph::build(corpus(&final_files), vec!["k8s/pods.md".into()], &options);
    fresh.set_unreadable("k8s/pods.md", "file is binary".into());
    assert_eq!(graph.dump(), fresh.dump());
    assert!(graph
        .dump()
        .contains("[pods](k8s/pods.md#requests-vs-limits) -> file k8s/pods.md"));
    assert!(graph
        .dump()
        .ends_with("k8s/pods.md unreadable: file is binary\n"));
    assert!(!graph.has_file("b/dup.md") && graph.by_path("k8s/pods.md").is_none());
}

#[test]
fn paths_under_a_note_or_a_folder() {
    let graph = Graph::build(corpus(FILES), Vec::new(), &ParseOptions::default());
    assert_eq!(graph.paths_under("k8s/pods.md"), ["k8s/pods.md"]);
    assert_eq!(graph.paths_under("k8s"), ["k8s/index.md", "k8s/pods.md"]);
    assert!(graph.paths_under("k8").is_empty());
}

/// An edit while a snapshot shares the mention index updates a copy (the index is not dropped and
/// built again), and the snapshot keeps the mentions it had.
#[test]
fn an_edit_beside_a_snapshot_updates_a_copy_of_the_mention_index() {
    let options = ParseOptions::default();
    let files: &[(&str, &str)] = &[
        (
            "glossary.md",
            "# Glossary\n\n- **Pod**: A group of containers.\n",
        ),
        ("ops.md", "# Ops\n\nA Pod runs here.\n"),
        ("gpu.md", "# GPU\n\nOne Pod.\n"),
    ];
    let mut graph = Graph::build(corpus(files), Vec::new(), &options);
    let before = graph.dump_mentions();
    let snapshot = graph.clone();
    graph.update(
        "ops.md",
        Arc::from("# Ops\n\nNo pods, then a Pod.\n"),
        &options,
    );
    graph.remove("gpu.md");
    assert!(graph.mentions_built(), "dropped on an edit");
    assert!(!Arc::ptr_eq(&graph.mentions(), &snapshot.mentions()));
    assert_eq!(snapshot.dump_mentions(), before);
    let edited = graph.dump_mentions();
    assert!(edited.contains("term:pod ops.md 23..26"), "{edited}");
    assert!(!edited.contains("gpu.md"), "{edited}");
}

/// The mention index, once built, is kept current note by note; every sequence of edits
/// (same term names, a new name, a removed note) leaves what a fresh build finds.
#[test]
fn incremental_mentions_agree_with_a_fresh_build() {
    let options = ParseOptions::default();
    let files: &[(&str, &str)] = &[
        ("glossary.md", "# Glossary\n\n- **Pod**: A group of containers.\n- **Node**: A machine.\n"),
        ("gpu.md", "# GPU\n\nWatch `DCGM_FI_DEV_GPU_UTIL` on every Node.\n\n```sh\nkubectl get pods -A\n```\n"),
        ("ops.md", "# Ops\n\nA Pod runs on a Node; `kubectl describe node` shows it.\n"),
    ];
    let mut graph = Graph::build(corpus(files), Vec::new(), &options);
    graph.mentions();
    // Same names: the index is updated in place.
    graph.update(
        "ops.md",
        Arc::from("# Ops\n\nEvery Pod, twice: Pod. `DCGM_FI_DEV_FB_USED`\n"),
        &options,
    );
    // A new name: mentions elsewhere change.
    graph.update(
        "glossary.md",
        Arc::from(
            "# Glossary\n\n- **Pod**: A group.\n- **Node**: A machine.\n- **Ops**: Operations.\n",
        ),
        &options,
    );
    graph.mentions();
    graph.update(
        "new.md",
        Arc::from("# New\n\nOps on a Node with `kubectl get nodes`.\n"),
        &options,
    );
    graph.remove("gpu.md");
    let incremental = graph.dump_mentions();
    assert!(incremental.contains("term:ops new.md"), "{incremental}");

    let mut final_files: Vec<(String, Arc<str>)> = graph
        .notes()
        .map(|(_, note)| (note.path.clone(), Arc::from(note.text())))
        .collect();
    final_files.sort();
    let fresh = Graph::build(final_files, Vec::new(), &options);
    assert_eq!(incremental, fresh.dump_mentions());
}

#[test]
fn same_note_fragments_are_indexed_under_the_note_itself() {
    let graph = Graph::build(corpus(FILES), Vec::new(), &ParseOptions::default());
    let dependents = |path: &str| -> Vec<String> {
        graph
            .dependents(path)
            .into_iter()
            .map(|id| graph.note(id).path.clone())
            .collect()
    };
    // `[self](#pods)` in `k8s/pods.md` names that note, not its folder `k8s` (whose index is
    // `k8s/index.md`).
    assert_eq!(
        dependents("k8s/pods.md"),
        ["index.md", "k8s/index.md", "k8s/pods.md"]
    );
    assert_eq!(dependents("k8s/index.md"), ["index.md"]);
}

/// Everything a fresh build must reproduce: notes, links and backlinks, unreadable files, term
/// definitions and the mention index.
fn full_dump(graph: &Graph) -> String {
    format!(
        "{}\n--- terms\n{}\n--- mentions\n{}",
        graph.dump(),
        graph.dump_terms(),
        graph.dump_mentions()
    )
}

/// Builds the current notes and files of `graph` from scratch and compares the two.
#[track_caller]
fn assert_agrees_with_fresh_build(graph: &Graph, context: &str) {
    let mut notes: Vec<(String, Arc<str>)> = graph
        .notes()
        .map(|(_, note)| (note.path.clone(), Arc::from(note.text())))
        .collect();
    notes.sort();
    let files: Vec<String> = graph.files().map(String::from).collect();
    let fresh = Graph::build(notes, files, &ParseOptions::default());
    let (incremental, fresh) = (full_dump(graph), full_dump(&fresh));
    assert!(
        incremental == fresh,
        "{context}: incremental and fresh graphs differ\n--- incremental\n{incremental}\n--- fresh\n{fresh}"
    );
}

/// The folders of `fixtures/` that hold notes.
fn fixture_corpora() -> Vec<(String, Vec<(String, String)>)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut res: Vec<(String, Vec<(String, String)>)> = std::fs::read_dir(&root)
        .expect("fixtures/")
        .flatten()
        .filter(|entry| entry.path().is_dir())
        .map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            (name, crate::test_fixture::read_corpus(&entry.path()))
        })
        .filter(|(_, notes)| !notes.is_empty())
        .collect();
    res.sort();
    res
}

/// Every fixture corpus, loaded note by note into an empty graph whose indexes are live and
/// which keeps its texts packed (as the server does), then edited (a note rewritten with links
/// and a term of another, one removed, one renamed), agrees with a fresh build keeping them
/// plain after each step.
#[test]
fn every_fixture_corpus_built_incrementally_agrees_with_a_fresh_build() {
    let options = ParseOptions::default();
    let corpora = fixture_corpora();
    assert!(corpora.len() >= 5, "fixture corpora: {}", corpora.len());
    let (mut packed, mut total) = (0, 0);
    for (name, notes) in corpora {
        let mut graph = Graph::build_stored(Vec::new(), Vec::new(), &options, TextStorage::Packed);
        graph.mentions();
        let (first, rest) = notes.split_at(notes.len() / 2);
        for (path, text) in first {
            graph.update(path, Arc::from(text.as_str()), &options);
        }
        graph.mentions();
        for (path, text) in rest {
            graph.update(path, Arc::from(text.as_str()), &options);
        }
        assert_agrees_with_fresh_build(&graph, &format!("{name}: loaded"));
        packed += graph
            .notes()
            .filter(|(_, note)| matches!(note.stored_text(), StoredText::Packed(_)))
            .count();
        total += notes.len();
        let (first_path, _) = &notes[0];
        let (last_path, last_text) = &notes[notes.len() - 1];
        let edited = format!(
            "# Edited\n\n- **Kbls term**: Defined in {first_path}.\n\n[last]({last_path}) [[{}]] and a Kbls term.\n",
            crate::graph::file_stem(last_path)
        );
        graph.update(first_path, Arc::from(edited.as_str()), &options);
        graph.mentions();
        assert_agrees_with_fresh_build(&graph, &format!("{name}: edited {first_path}"));
        graph.remove(last_path);
        graph.update("moved/renamed.md", Arc::from(last_text.as_str()), &options);
        assert_agrees_with_fresh_build(&graph, &format!("{name}: moved {last_path}"));
    }
    assert!(packed * 2 > total, "{packed} of {total} notes packed");
}

/// Pieces random notes are made of: titles and headings, links of every kind between the
/// notes of [`RANDOM_PATHS`], term definitions and mentions, DCGM names and kubectl lines.
const RANDOM_PIECES: &[&str] = &[
    "# Pods\n",
    "# Nodes\n",
    "## Limits\n",
    "## Setup\n",
    "## Setup\n",
    "[a](a.md) ",
    "[b](../b.md#limits) ",
    "[c](k8s/c.md#setup-1) ",
    "[[a]] ",
    "[[c#Setup]] ",
    "[[dup]] ",
    "[r][lbl]\n\n[lbl]: k8s/c.md#limits\n",
    "![img](img/p.png) ",
    "- **Pod**: A group of containers.\n",
    "- **Node** (Machine): Where pods run.\n",
    "| Term | Meaning |\n|---|---|\n| MIG | Multi-Instance GPU |\n",
    "A Pod on a Node, sliced by MIG. ",
    "Watch `DCGM_FI_DEV_GPU_UTIL` and DCGM_FI_DEV_FB_USED. ",
    "```sh\nkubectl get pods --sort-by=.metadata.name\nkubectl top node\n```\n",
    "---\naliases: [Machine room]\n---\n",
    "\n",
    "Plain prose.\n",
];

const RANDOM_PATHS: &[&str] = &[
    "a.md",
    "b.md",
    "k8s/c.md",
    "k8s/dup.md",
    "gpu/dup.md",
    "gpu/d.md",
];

fn random_note(rng: &mut fastrand::Rng) -> String {
    (0..rng.usize(1..8))
        .map(|_| RANDOM_PIECES[rng.usize(..RANDOM_PIECES.len())])
        .collect()
}

/// Seeded random edit sequences (updates, removals, index warm-ups) agree with a fresh build
/// after every step.
#[test]
fn random_edit_sequences_agree_with_a_fresh_build() {
    let options = ParseOptions::default();
    for seed in 0..40 {
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut notes: Vec<(String, Arc<str>)> = Vec::new();
        for path in RANDOM_PATHS {
            if rng.bool() {
                notes.push((path.to_string(), Arc::from(random_note(&mut rng).as_str())));
            }
        }
        let files = vec!["img/p.png".into()];
        let mut graph = Graph::build_stored(notes, files, &options, TextStorage::Packed);
        for step in 0..25 {
            match rng.usize(..10) {
                0..=5 => {
                    let path = RANDOM_PATHS[rng.usize(..RANDOM_PATHS.len())];
                    graph.update(path, Arc::from(random_note(&mut rng).as_str()), &options);
                }
                6 | 7 => {
                    graph.remove(RANDOM_PATHS[rng.usize(..RANDOM_PATHS.len())]);
                }
                8 => {
                    graph.mentions();
                }
                _ => graph.index_backlinks(),
            }
            assert_agrees_with_fresh_build(&graph, &format!("seed {seed}, step {step}"));
        }
    }
}

fn resolutions(graph: &Graph) -> BTreeMap<String, String> {
    graph.dump_resolutions()
}

/// Every note whose links resolve differently after a change must be among the dependents the
/// change returned: else the server would not publish its findings again.
#[track_caller]
fn assert_dependents_cover(
    before: &BTreeMap<String, String>,
    graph: &Graph,
    affected: &[NoteId],
    context: &str,
) {
    let affected: Vec<&str> = affected
        .iter()
        .map(|id| graph.note(*id).path.as_str())
        .collect();
    for (path, after) in resolutions(graph) {
        if before.get(&path).is_some_and(|before| *before != after) {
            assert!(
                affected.contains(&path.as_str()),
                "{context}: {path} resolves differently but is not among the dependents {affected:?}\n--- before\n{}--- after\n{after}",
                before[&path]
            );
        }
    }
}

/// The site of each dialect's fixture corpus, as `load::dialect` reads it from the corpus.
fn fixture_site(name: &str) -> Site {
    match name {
        "obsidian" => Site::new(Dialect::Obsidian),
        "hugo" => Site {
            content_dirs: vec!["content/en".into(), "content/fr".into()],
            static_dirs: vec!["static".into(), "assets".into()],
            heading_ids: crate::dialect::HeadingIds::Blackfriday,
            definition_term_ids: true,
            // Hugo's built-in formats, RSS renamed by the fixture's `[outputFormats.RSS]`.
            output_files: [
                ("html", "index.html"),
                ("rss", "feed.xml"),
                ("json", "index.json"),
            ]
            .map(|(name, file)| (name.to_string(), file.to_string()))
            .to_vec(),
            ..Site::new(Dialect::Hugo)
        },
        "mdbook" => Site {
            content_dirs: vec!["src".into()],
            ..Site::new(Dialect::Mdbook)
        },
        _ => Site::default(),
    }
}

/// The files of a fixture corpus that are no notes (images, PDFs, static files).
fn fixture_files(name: &str) -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name);
    let mut res = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("a fixture folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_none_or(|e| e != "md") {
                let rel = path.strip_prefix(&root).expect("under the root");
                res.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    res.sort();
    res
}

/// In every fixture corpus read in its dialect, removing each note, adding it back, moving it
/// and emptying it returns among the dependents every note whose links then resolve
/// differently (by a Hugo URL, an Obsidian name or shortest path, an mdBook `.html` page).
#[test]
fn dependents_cover_every_changed_resolution_in_the_fixture_corpora() {
    for (name, notes) in fixture_corpora() {
        let options = ParseOptions {
            site: fixture_site(&name),
            ..ParseOptions::default()
        };
        let notes: Vec<(String, Arc<str>)> = notes
            .into_iter()
            .map(|(path, text)| (path, Arc::from(text.as_str())))
            .collect();
        let mut graph = Graph::build(notes.clone(), fixture_files(&name), &options);
        for (path, text) in &notes {
            let moved = format!("moved/{}", file_name(path));
            let steps: [(&str, Option<&str>); 5] = [
                ("remove", None),
                ("add back", Some(text)),
                ("empty", Some("")),
                ("restore", Some(text)),
                ("move", None),
            ];
            for (step, new_text) in steps {
                let before = resolutions(&graph);
                let affected = match (step, new_text) {
                    ("move", _) => {
                        let mut affected = graph.remove(path);
                        affected.extend(graph.update(&moved, text.clone(), &options));
                        affected
                    }
                    (_, Some(new_text)) => graph.update(path, Arc::from(new_text), &options),
                    (_, None) => graph.remove(path),
                };
                assert_dependents_cover(
                    &before,
                    &graph,
                    &affected,
                    &format!("{name}: {step} {path}"),
                );
            }
            let before = resolutions(&graph);
            let mut affected = graph.remove(&moved);
            affected.extend(graph.update(path, text.clone(), &options));
            assert_dependents_cover(
                &before,
                &graph,
                &affected,
                &format!("{name}: move back {path}"),
            );
        }
    }
}

/// Per dialect: the site, the paths random notes take, the files beside them and the pieces
/// their texts are made of (every link form the dialect resolves, between those paths).
fn dialect_corpus(
    dialect: Dialect,
) -> (
    Site,
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
) {
    match dialect {
        Dialect::Github => (Site::default(), RANDOM_PATHS, &["img/p.png"], RANDOM_PIECES),
        Dialect::Obsidian => (
            Site::new(Dialect::Obsidian),
            &[
                "a.md",
                "k8s/c.md",
                "k8s/Dup.md",
                "gpu/dup.md",
                "gpu/d.md",
                "k8s/index.md",
            ],
            &["img/p.png", "gpu/p.png"],
            &[
                "# Pods\n",
                "## Limits\n",
                "## Setup\n",
                "### Deep\n",
                "Text ^blk\n\n",
                "[[a]] ",
                "[[DUP]] ",
                "[[gpu/dup]] ",
                "[[c#Setup]] ",
                "[[c#Limits#Deep]] ",
                "[[d#^blk]] ",
                "![[p.png]] ",
                "[x](c.md) ",
                "[x](d.md#Limits) ",
                "[x](../a.md) ",
                "[x](k8s/) ",
                "[x](Dup.md) ",
                "---\nrelated: \"[[d]]\"\n---\n",
                "\n",
            ],
        ),
        Dialect::Hugo => (
            Site {
                content_dirs: vec!["content".into()],
                static_dirs: vec!["static".into()],
                ..Site::new(Dialect::Hugo)
            },
            &[
                "content/_index.md",
                "content/docs/a.md",
                "content/docs/k8s/_index.md",
                "content/docs/k8s/c.md",
                "content/docs/k8s/C/index.md",
                "content/blog/post.md",
            ],
            &["static/images/p.png", "content/docs/k8s/d.html"],
            &[
                "---\ntitle: Post\nurl: /special/\naliases: [/old/]\n---\n",
                "---\naliases: [/docs/gone/]\n---\n",
                "# Pods\n",
                "## Setup\n",
                "[x](/docs/a/) ",
                "[x](/docs/k8s/) ",
                "[x](/Docs/K8s/C/#setup) ",
                "[x](../c/) ",
                "[x](c/) ",
                "[x](../a.md) ",
                "[x](/) ",
                "[x](../) ",
                "[x](/special/) ",
                "[x](/old/) ",
                "[x](/docs/gone/) ",
                "[x](/docs/k8s/d/) ",
                "![x](/images/p.png) ",
                "[x]({{< ref \"docs/a\" >}}) ",
                "{{< relref \"c.md#setup\" >}} ",
                "\n",
            ],
        ),
        Dialect::Mdbook => (
            Site {
                content_dirs: vec!["src".into()],
                ..Site::new(Dialect::Mdbook)
            },
            &[
                "src/SUMMARY.md",
                "src/README.md",
                "src/ch01.md",
                "src/ch01/README.md",
                "src/ch01/sec.md",
                "src/ch02.md",
            ],
            &["src/img/p.png"],
            &[
                "# Pods\n",
                "## Setup\n",
                "- [C](ch01.md)\n",
                "[x](ch01.html) ",
                "[x](ch01/sec.html#setup) ",
                "[x](index.html) ",
                "[x](../ch02.html) ",
                "[x](ch01/index.html) ",
                "[x](ch02.md#pods) ",
                "[x](ch01/) ",
                "![x](img/p.png) ",
                "\n",
            ],
        ),
    }
}

/// Seeded random edit sequences in each dialect: after every update (of the whole text, or of
/// a paragraph added), removal or addition, the dependents returned include every note whose
/// links resolve differently.
#[test]
fn dependents_cover_every_changed_resolution_in_random_edits() {
    for dialect in Dialect::ALL {
        let (site, paths, files, pieces) = dialect_corpus(dialect);
        let options = ParseOptions {
            site,
            ..ParseOptions::default()
        };
        let random_note = |rng: &mut fastrand::Rng| -> String {
            (0..rng.usize(1..8))
                .map(|_| pieces[rng.usize(..pieces.len())])
                .collect()
        };
        for seed in 0..40 {
            let mut rng = fastrand::Rng::with_seed(seed);
            let mut notes: Vec<(String, Arc<str>)> = Vec::new();
            for path in paths {
                if rng.bool() {
                    notes.push((path.to_string(), Arc::from(random_note(&mut rng).as_str())));
                }
            }
            let files: Vec<String> = files.iter().map(|f| f.to_string()).collect();
            let mut graph = Graph::build(notes, files, &options);
            for step in 0..25 {
                let before = resolutions(&graph);
                let path = paths[rng.usize(..paths.len())];
                let roll = rng.usize(..10);
                let affected = match graph.by_path(path) {
                    // Text added below what links into the note see: no other note changes.
                    Some(id) if roll < 3 => {
                        let text = format!("{}\n\nMore text.\n", graph.note(id).text());
                        graph.update(path, Arc::from(text.as_str()), &options)
                    }
                    _ if roll < 7 => {
                        graph.update(path, Arc::from(random_note(&mut rng).as_str()), &options)
                    }
                    _ => graph.remove(path),
                };
                let context = format!("{}: seed {seed}, step {step}, {path}", dialect.as_str());
                assert_dependents_cover(&before, &graph, &affected, &context);
            }
        }
    }
}

/// Editing an mdBook's SUMMARY.md returns the chapters it starts or stops listing (their
/// `unlisted-chapter` findings change); removing it, the chapters it did not list.
#[test]
fn summary_edits_return_the_chapters_whose_listing_changed() {
    let options = ParseOptions {
        site: fixture_site("mdbook"),
        ..ParseOptions::default()
    };
    let notes = corpus(&[
        ("src/SUMMARY.md", "- [A](a.md)\n- [B](b.md)\n"),
        ("src/a.md", "# A\n"),
        ("src/b.md", "# B\n"),
        ("src/c.md", "# C\n"),
    ]);
    let mut graph = Graph::build(notes, Vec::new(), &options);
    let paths = |graph: &Graph, ids: Vec<NoteId>| -> Vec<String> {
        ids.into_iter()
            .map(|id| graph.note(id).path.clone())
            .collect()
    };
    let affected = graph.update(
        "src/SUMMARY.md",
        Arc::from("- [A](a.md)\n- [C](c.md)\n"),
        &options,
    );
    assert_eq!(
        paths(&graph, affected),
        ["src/SUMMARY.md", "src/b.md", "src/c.md"]
    );
    let affected = graph.remove("src/SUMMARY.md");
    assert_eq!(paths(&graph, affected), ["src/b.md"]);
}

#[test]
fn a_page_is_a_dependent_of_the_links_to_its_other_outputs() {
    let options = ParseOptions {
        site: fixture_site("hugo"),
        ..ParseOptions::default()
    };
    let feed = "---\ntitle: Feed\noutputs: [html, json]\n---\nThe feed.\n";
    let mut graph = Graph::build(
        vec![
            ("content/en/docs/feed.md".to_string(), Arc::from(feed)),
            (
                "content/en/b.md".to_string(),
                Arc::from("# B\n\n[JSON](/docs/feed/index.json)\n"),
            ),
        ],
        Vec::new(),
        &options,
    );
    let b = graph.by_path("content/en/b.md").expect("b");
    let target = &graph.note(b).syntax.links[0].target;
    let feed_id = graph.by_path("content/en/docs/feed.md");
    assert!(
        matches!(graph.resolve(graph.note(b), target), Resolved::Note { note, .. } if Some(note) == feed_id)
    );
    let affected = graph.remove("content/en/docs/feed.md");
    assert!(affected.contains(&b), "{affected:?}");
}
