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
        .map(|(_, note)| (note.path.clone(), note.text.clone()))
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
        .map(|(_, note)| (note.path.clone(), note.text.clone()))
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

/// Every fixture corpus, loaded note by note into an empty graph whose indexes are live, then
/// edited (a note rewritten with links and a term of another, one removed, one renamed),
/// agrees with a fresh build after each step.
#[test]
fn every_fixture_corpus_built_incrementally_agrees_with_a_fresh_build() {
    let options = ParseOptions::default();
    let corpora = fixture_corpora();
    assert!(corpora.len() >= 5, "fixture corpora: {}", corpora.len());
    for (name, notes) in corpora {
        let mut graph = Graph::default();
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
        let mut graph = Graph::build(notes, vec!["img/p.png".into()], &options);
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
