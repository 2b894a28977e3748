//! `kbls search` and `kbls terms` from the outside, on the fixture corpus and small corpora.

use crate::support::{kbls, repo_root, Corpus};
use serde_json::Value;

fn search_json(args: &[&str]) -> Vec<Value> {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["fixtures/kb", "--format", "json", "--no-cache"]);
    let run = kbls(repo_root(), &all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).expect("JSON");
    json["hits"].as_array().cloned().unwrap_or_default()
}

fn first_path(query: &str) -> String {
    search_json(&[query])[0]["path"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn real_queries_find_the_right_note_first() {
    assert_eq!(
        first_path("ndots"),
        "fixtures/kb/kubernetes/kubernetes-networking.md"
    );
    assert_eq!(
        first_path("PagedAttention"),
        "fixtures/kb/ai-inference/vllm-pagedattention.md"
    );
    assert_eq!(
        first_path("force delete pod"),
        "fixtures/kb/kubernetes/kubernetes-fundamentals.md"
    );
    assert_eq!(
        first_path("DCGM_FI_DEV_GPU_UTIL"),
        "fixtures/kb/gpu/dcgm-monitoring.md"
    );
    // A misspelling still finds it.
    assert_eq!(
        first_path("pagedattenton"),
        "fixtures/kb/ai-inference/vllm-pagedattention.md"
    );
    let hit = &search_json(&["title:dns"])[0];
    assert_eq!(hit["heading_path"], "DNS (Domain Name System)");
    assert_eq!(hit["line"], 1);
}

#[test]
fn human_output_and_exit_codes() {
    let run = kbls(
        repo_root(),
        &[
            "search",
            "ndots",
            "fixtures/kb",
            "--limit",
            "1",
            "--no-cache",
        ],
    );
    assert_eq!(run.code, 0);
    let first = run.stdout.lines().next().unwrap();
    assert!(
        first.starts_with("fixtures/kb/kubernetes/kubernetes-networking.md:")
            && first.contains("DNS in Kubernetes"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("[ndots]"), "{}", run.stdout);
    let none = kbls(
        repo_root(),
        &["search", "zzqqxxvv", "fixtures/kb", "--no-cache"],
    );
    assert_eq!((none.code, none.stdout.as_str()), (1, ""));
    let bad = kbls(repo_root(), &["search", "x", "fixtures/nope"]);
    assert_eq!(bad.code, 2);
}

#[test]
fn the_cache_is_reused_and_follows_changes() {
    let corpus = Corpus::new(&[
        ("a.md", "# Alpha\n\nAbout zeppelins.\n"),
        ("b.md", "# Beta\n\nAbout gliders.\n"),
    ]);
    let cache = tempfile::tempdir().unwrap();
    let cache_dir = cache.path().to_str().unwrap();
    let first = kbls(
        corpus.path(),
        &["search", "zeppelins", "--cache-dir", cache_dir],
    );
    assert!(
        first.stderr.contains("building the search index"),
        "{}",
        first.stderr
    );
    assert!(first.stdout.starts_with("a.md:"), "{}", first.stdout);
    let second = kbls(
        corpus.path(),
        &["search", "zeppelins", "--cache-dir", cache_dir],
    );
    assert_eq!(second.stderr, "", "a second run reuses the index");
    assert_eq!(second.stdout, first.stdout);
    corpus.write("b.md", "# Beta\n\nNow about zeppelins too.\n");
    std::fs::remove_file(corpus.join("a.md")).unwrap();
    let third = kbls(
        corpus.path(),
        &["search", "zeppelins", "--cache-dir", cache_dir],
    );
    assert!(
        third.stdout.starts_with("b.md:") && !third.stdout.contains("a.md"),
        "{}",
        third.stdout
    );
}

#[test]
fn terms_lookup_list_and_user_packs() {
    let run = kbls(
        repo_root(),
        &[
            "terms",
            "DCGM_FI_DEV_GPU_UTIL",
            "--path",
            "fixtures/kb",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let result = &json["results"][0];
    assert_eq!(result["kind"], "dcgm-field");
    assert_eq!(result["pack"]["id"], 203);
    assert!(result["definitions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["path"] == "gpu/dcgm-monitoring.md"));
    let human = kbls(
        repo_root(),
        &["terms", "kubectl auth can-i", "--path", "fixtures/kb"],
    );
    assert!(
        human.stdout.contains("kubectl auth can-i"),
        "{}",
        human.stdout
    );
    let missing = kbls(
        repo_root(),
        &["terms", "DCGM_FI_NOT_A_FIELD", "--path", "fixtures/kb"],
    );
    assert_eq!(missing.code, 1);
    // The notes' definitions of an Xid code, then the `xid` pack's entry, which names its version.
    let xid = kbls(
        repo_root(),
        &[
            "terms",
            "XID 79",
            "--path",
            "fixtures/kb",
            "--format",
            "json",
        ],
    );
    assert_eq!(xid.code, 0, "{}", xid.stderr);
    let json: Value = serde_json::from_str(&xid.stdout).unwrap();
    let result = &json["results"][0];
    assert_eq!(result["definitions"].as_array().map(Vec::len), Some(2));
    assert_eq!(result["pack"]["name"], "Xid 79");
    assert_eq!(result["pack"]["source"]["pack"], "xid");
    assert_eq!(
        result["pack"]["source"]["version"],
        "Xid 1-176, NVIDIA driver 595.45.04"
    );
    let flag = kbls(
        repo_root(),
        &["terms", "kubectl get --sort-by", "--path", "fixtures/kb"],
    );
    assert!(
        flag.stdout
            .contains("From the `kubectl` pack: kubectl v1.33.1."),
        "{}",
        flag.stdout
    );

    let corpus = Corpus::new(&[
        ("kbls.toml", "[terms]\npacks = [\"ops-terms.tsv\"]\nbuiltin = [\"kubectl\"]\n"),
        ("ops-terms.tsv", "# kbls term pack v1\nterm\tToil\tgrunt work\tManual, repetitive operational work that scales with the service.\n"),
        ("a.md", "# A\n\n- **Runbook**: the steps to follow in an incident.\n\nWe cut Toil by half. DCGM_FI_NOT_A_FIELD is fine here: no DCGM pack.\n"),
    ]);
    let toil = kbls(corpus.path(), &["terms", "toil", "--format", "json"]);
    assert_eq!(toil.code, 0, "{}", toil.stderr);
    // `[terms] builtin` selects the `xid` pack like the others.
    assert_eq!(kbls(corpus.path(), &["terms", "Xid 79"]).code, 1);
    corpus.write("kbls.toml", "[terms]\nbuiltin = [\"xid\"]\n");
    assert_eq!(kbls(corpus.path(), &["terms", "Xid 79"]).code, 0);
    assert_eq!(kbls(corpus.path(), &["terms", "kubectl get"]).code, 1);
    corpus.write(
        "kbls.toml",
        "[terms]\npacks = [\"ops-terms.tsv\"]\nbuiltin = [\"kubectl\"]\n",
    );
    let listed = kbls(corpus.path(), &["terms"]);
    assert!(
        listed.stdout.starts_with("Runbook\ta.md:3\t"),
        "{}",
        listed.stdout
    );
    let check = kbls(
        corpus.path(),
        &["check", "--today", "2026-11-28", "--format", "json"],
    );
    assert!(
        !check.stdout.contains("unknown-dcgm-field"),
        "the DCGM pack is off: {}",
        check.stdout
    );
    corpus.write("ops-terms.tsv", "# kbls term pack v1\nnot-a-kind\tx\n");
    let broken = kbls(corpus.path(), &["check"]);
    assert_eq!(broken.code, 2);
    assert!(
        broken.stderr.contains("ops-terms.tsv:2:"),
        "{}",
        broken.stderr
    );
}
