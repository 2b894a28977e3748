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
