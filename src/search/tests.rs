//! Tests of the search index: ranking on the fixture corpus, the query language, incremental
//! updates and the on-disk cache.

use super::*;
use crate::syntax::{parse, ParseOptions};
use expect_test::{expect, Expect};
use std::path::PathBuf;
use std::sync::OnceLock;

/// Every note of `fixtures/kb` as (path relative to it, text), sorted by path.
fn corpus() -> &'static [(String, String)] {
    static CORPUS: OnceLock<Vec<(String, String)>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/kb");
        let mut res = Vec::new();
        let mut dirs = vec![root.clone()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir)
                .expect("fixture directory")
                .flatten()
            {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|ext| ext == "md") {
                    let rel = path
                        .strip_prefix(&root)
                        .expect("under root")
                        .to_string_lossy()
                        .replace('\\', "/");
                    res.push((rel, std::fs::read_to_string(&path).expect("utf-8 note")));
                }
            }
        }
        res.sort();
        res
    })
}

fn sections_of(path: &str, text: &str) -> Vec<SectionDoc> {
    let syntax = parse(text, &ParseOptions::default());
    note_sections(path, text, &syntax)
}

fn index_notes(index: &mut SearchIndex, notes: &[(String, String)]) {
    for (path, text) in notes {
        index.replace_note(path, content_fingerprint(text), sections_of(path, text));
    }
    index.commit().expect("commit");
}

/// The fixture corpus, indexed once in memory and shared by the ranking tests.
fn corpus_index() -> &'static SearchSnapshot {
    static INDEX: OnceLock<SearchSnapshot> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index = SearchIndex::in_memory();
        index_notes(&mut index, corpus());
        index.snapshot()
    })
}

fn render_hits(hits: &[SearchHit], with_snippets: bool) -> String {
    let mut res = String::new();
    for hit in hits {
        let approximate = if hit.approximate {
            " (approximate)"
        } else {
            ""
        };
        res += &format!(
            "{}:{} {}{approximate}\n",
            hit.path,
            hit.line + 1,
            hit.heading_path
        );
        if with_snippets {
            res += &format!("    {}\n", hit.snippet);
        }
    }
    res
}

#[track_caller]
fn check_search(query: &str, limit: usize, expect: Expect) {
    let hits = corpus_index().search(query, limit);
    expect.assert_eq(&render_hits(&hits, false));
}

#[track_caller]
fn check_snippets(query: &str, limit: usize, expect: Expect) {
    let hits = corpus_index().search(query, limit);
    expect.assert_eq(&render_hits(&hits, true));
}

#[test]
fn ndots() {
    check_snippets(
        "ndots",
        3,
        expect![[r#"
        kubernetes/kubernetes-networking.md:155 Kubernetes Networking & CNI > DNS in Kubernetes (CoreDNS) > Performance & Scalability
            …or a source of latency. The "**ndots**:5" Trap: By default, if a name has fewer than 5 dots, Kubernetes tries internal search domains first. For external names like api.github.com,…
        kubernetes/kubernetes-networking.md:126 Kubernetes Networking & CNI > DNS in Kubernetes (CoreDNS) > The Resolution Process
            …Scenario: External Domain (**ndots**:5) App->>OS: Resolve "google.com" OS->>DNS: Query: google.com.default.svc.cluster.local? DNS-->>OS: NXDOMAIN Note over OS: ...…
    "#]],
    );
}

#[test]
fn golden_rules() {
    check_search(
        "golden rules",
        5,
        expect![[r#"
        kubernetes/kubernetes-networking.md:14 Kubernetes Networking & CNI > The 3 "Golden Rules"
        kubernetes/kubernetes-networking.md:26 Kubernetes Networking & CNI > The CNI (Container Network Interface) > CNI Lifecycle & The Flow of a Pod
        networking/networking-fundamentals.md:47 Networking Fundamentals > Troubleshooting Tools & Logic > The "Golden Path"
        system-design/distributed-systems.md:108 System Design: Distributed Systems > Consensus: The Raft Algorithm > Safety & Commit Rules
        devops/sre-principles.md:22 Site Reliability Engineering (SRE) > The Four Golden Signals
    "#]],
    );
}

#[test]
fn mig_utilization_metric() {
    check_search(
        "MIG utilization metric",
        5,
        expect![[r#"
            gpu/dcgm-monitoring.md:23 GPU Monitoring with NVIDIA DCGM > Monitoring MIG (Multi-Instance GPU)
            gpu/gpu-monitoring-metrics.md:17 GPU Monitoring & Metrics > NVIDIA DCGM (Data Center GPU Manager) > Monitoring MIG Instances
            gpu/gpu-monitoring-metrics.md:7 GPU Monitoring & Metrics > NVIDIA DCGM (Data Center GPU Manager) > Key Metrics Reference
            gpu/dcgm-monitoring.md:11 GPU Monitoring with NVIDIA DCGM > DCGM Key Metrics
            gpu/dcgm-monitoring.md:35 GPU Monitoring with NVIDIA DCGM > Monitoring MIG (Multi-Instance GPU) > Other Profiling Metrics for MIG
        "#]],
    );
}

#[test]
fn force_delete_pod() {
    check_snippets(
        "force delete pod",
        3,
        expect![[r#"
        kubernetes/kubernetes-fundamentals.md:108 Kubernetes Fundamentals > Debugging > Advanced & Debugging Commands
            …or checking memory/threads **Force** **delete** a **pod** (skips graceful shutdown) List all **pods** and their specific nodes using custom columns Extract **pod** and container images using JSONPath…
        kubernetes/kubernetes-storage.md:152 Kubernetes Storage: A Deep Dive > Troubleshooting Guide (At a Glance) > Case 3: PVC is stuck in Terminating
            This happens when you try to **delete** a volume that is still in use. Remove the pvc-protection finalizer only as a last resort: first **delete** any healthy **Pod** using the PVC and check…
        kubernetes/kubernetes-storage.md:48 Kubernetes Storage: A Deep Dive > The Abstraction Stack > 1. Persistent Volumes (PV)
            …independent of any individual **Pod** that uses it. Phases: Available → Bound → Released → Failed. Reclaim Policies: **Delete**: Automatically **deletes** the underlying infrastructure…
    "#]],
    );
}

#[test]
fn paged_attention() {
    check_search(
        "PagedAttention",
        5,
        expect![[r#"
            ai-inference/vllm-pagedattention.md:1 vLLM & PagedAttention
            ai-inference/vllm-pagedattention.md:5 vLLM & PagedAttention > The PagedAttention Mechanism
            ai-inference/vllm-pagedattention.md:9 vLLM & PagedAttention > The PagedAttention Mechanism > Logical vs. Physical Mapping
            ai-inference/vllm-pagedattention.md:17 vLLM & PagedAttention > Memory Sharing & Copy-on-Write
            README.md:30 Notes > AI Inference
        "#]],
    );
}

#[test]
fn exact_identifiers() {
    check_search(
        "DCGM_FI_DEV_GPU_UTIL",
        4,
        expect![[r#"
            gpu/dcgm-monitoring.md:27 GPU Monitoring with NVIDIA DCGM > Monitoring MIG (Multi-Instance GPU) > GPU_UTIL vs GR_ENGINE_ACTIVE
            gpu/gpu-data-movement.md:95 GPU Performance: Data Movement & Bottlenecks > Debugging Bottlenecks with DCGM > Summary of Data Travel Paths
            gpu/gpu-monitoring-metrics.md:7 GPU Monitoring & Metrics > NVIDIA DCGM (Data Center GPU Manager) > Key Metrics Reference
            gpu/dcgm-monitoring.md:11 GPU Monitoring with NVIDIA DCGM > DCGM Key Metrics
        "#]],
    );
    check_search(
        "kube-proxy",
        3,
        expect![[r#"
        kubernetes/node-components.md:43 Kubernetes Node Components > kube-proxy
        kubernetes/kubernetes-networking.md:65 Kubernetes Networking & CNI > The Life of a Packet (Pod-to-Service)
        kubernetes/kubernetes-networking.md:5 Kubernetes Networking & CNI > The 4 Networking Problems
    "#]],
    );
    check_snippets(
        "--sort-by",
        2,
        expect![[r#"
        kubernetes/kubernetes-fundamentals.md:108 Kubernetes Fundamentals > Debugging > Advanced & Debugging Commands
            …by restart count kubectl get pods **--sort-by**='.status.containerStatuses[0].restartCount' # Port-forward to a service instead of a pod kubectl port-forward svc/my-service 8080:80…
    "#]],
    );
}

#[test]
fn typos_still_find_the_note() {
    check_search(
        "kubernets",
        2,
        expect![[r#"
        gpu/dcgm-monitoring.md:43 GPU Monitoring with NVIDIA DCGM > Kubernetes Integration
        README.md:7 Notes > Cloud Native: Kubernetes
    "#]],
    );
    check_search(
        "pagedattenton",
        3,
        expect![[r#"
        ai-inference/vllm-pagedattention.md:1 vLLM & PagedAttention (approximate)
        ai-inference/vllm-pagedattention.md:5 vLLM & PagedAttention > The PagedAttention Mechanism (approximate)
        README.md:30 Notes > AI Inference (approximate)
    "#]],
    );
    check_search(
        "kubernets networking",
        3,
        expect![[r#"
            kubernetes/kubernetes-networking.md:165 Kubernetes Networking & CNI > Debugging Kubernetes Networking
            kubernetes/kubernetes-networking.md:1 Kubernetes Networking & CNI
            kubernetes/kubernetes-networking.md:5 Kubernetes Networking & CNI > The 4 Networking Problems
        "#]],
    );
    check_search(
        "promethues",
        3,
        expect![[r#"
        gpu/dcgm-monitoring.md:57 GPU Monitoring with NVIDIA DCGM > Kubernetes Integration > Scraping with Prometheus (approximate)
        observability/cloud-native-observability.md:5 Cloud Native: Observability > 1. Prometheus Architecture (approximate)
        observability/cloud-native-observability.md:9 Cloud Native: Observability > 1. Prometheus Architecture > Core Components (approximate)
    "#]],
    );
}

#[test]
fn field_filters() {
    check_search(
        "title:dns",
        3,
        expect![[r#"
        networking/dns.md:1 DNS (Domain Name System)
    "#]],
    );
    check_search(
        "heading:resolution",
        3,
        expect![[r#"
        kubernetes/kubernetes-networking.md:126 Kubernetes Networking & CNI > DNS in Kubernetes (CoreDNS) > The Resolution Process
        devops/git-internals.md:55 Git Internals & Advanced Config > Advanced Configurations > Conflict Resolution & Maintenance
        networking/network-troubleshooting-flow.md:100 Network Troubleshooting Test Flow > Step-by-Step Breakdown > 7. DNS Resolution
    "#]],
    );
    check_search(
        "code:nvidia-smi",
        3,
        expect![[r#"
        gpu/gpu-troubleshooting-fundamentals.md:28 GPU Troubleshooting Fundamentals > ECC Errors (Error Correction Code) > Types of Errors
        gpu/gpu-sharing.md:25 GPU Sharing in Kubernetes > NVIDIA MIG (Multi-Instance GPU) > Configuration
        gpu/gpu-performance-troubleshooting.md:3 GPU Performance & Troubleshooting > Identifying Bottlenecks
    "#]],
    );
    check_search(
        "tag:architecture",
        3,
        expect![[r#"
        kubernetes/cluster-architecture.md:7 Kubernetes Cluster Architecture
        kubernetes/cluster-architecture.md:17 Kubernetes Cluster Architecture > Control Plane Components
        kubernetes/cluster-architecture.md:21 Kubernetes Cluster Architecture > Control Plane Components > kube-apiserver
    "#]],
    );
    check_search(
        "path:gpu utilization",
        3,
        expect![[r#"
        gpu/dcgm-monitoring.md:27 GPU Monitoring with NVIDIA DCGM > Monitoring MIG (Multi-Instance GPU) > GPU_UTIL vs GR_ENGINE_ACTIVE
        gpu/dcgm-monitoring.md:23 GPU Monitoring with NVIDIA DCGM > Monitoring MIG (Multi-Instance GPU)
        gpu/gpu-monitoring-metrics.md:17 GPU Monitoring & Metrics > NVIDIA DCGM (Data Center GPU Manager) > Monitoring MIG Instances
    "#]],
    );
    check_search(
        r#"heading:"golden rules""#,
        3,
        expect![[r#"
        kubernetes/kubernetes-networking.md:14 Kubernetes Networking & CNI > The 3 "Golden Rules"
    "#]],
    );
}

#[test]
fn phrases_keep_word_order() {
    check_search(
        r#""golden rules""#,
        3,
        expect![[r#"
        kubernetes/kubernetes-networking.md:14 Kubernetes Networking & CNI > The 3 "Golden Rules"
        kubernetes/kubernetes-networking.md:26 Kubernetes Networking & CNI > The CNI (Container Network Interface) > CNI Lifecycle & The Flow of a Pod
    "#]],
    );
    check_search(r#""rules golden""#, 3, expect![""]);
}

#[test]
fn aliases_and_front_matter_terms() {
    check_search(
        "dcgm-exporter",
        2,
        expect![[r#"
        gpu/dcgm-monitoring.md:57 GPU Monitoring with NVIDIA DCGM > Kubernetes Integration > Scraping with Prometheus
        gpu/dcgm-monitoring.md:43 GPU Monitoring with NVIDIA DCGM > Kubernetes Integration
    "#]],
    );
    check_search(
        "orphan process",
        2,
        expect![[r#"
        linux/linux-process-management.md:21 Linux Process Management > Process Lifecycle > Zombies vs. Orphans
        linux/linux-process-management.md:9 Linux Process Management
    "#]],
    );
}

#[test]
fn malformed_queries_never_panic() {
    let queries = [
        "",
        " ",
        "\"",
        "\"\"",
        "title:",
        "title:\"",
        "heading: ",
        ":::",
        "***",
        "-",
        "--",
        "(",
        ")",
        "AND OR NOT",
        "🦀",
        "title:🦀",
        "\"unbalanced phrase",
        "tag:#",
        "a:b:c",
        "\\",
        "[[",
        "`code`",
    ];
    let snapshot = corpus_index();
    let mut res = String::new();
    for query in queries {
        let n_hits = snapshot.search(query, 5).len();
        let n_symbols = snapshot.symbols(query, 5).len();
        res += &format!("{query:?}: {n_hits} hits, {n_symbols} symbols\n");
    }
    let long = "kubernetes ".repeat(500);
    res += &format!("long: {} hits\n", snapshot.search(&long, 5).len());
    res += &format!("limit 0: {} hits\n", snapshot.search("dns", 0).len());
    res += &format!(
        "limit max: {} hits\n",
        snapshot.search("dns", usize::MAX).len()
    );
    res += &format!(
        "symbols limit max: {} symbols\n",
        snapshot.symbols("", usize::MAX).len()
    );
    expect![[r#"
        "": 0 hits, 5 symbols
        " ": 0 hits, 5 symbols
        "\"": 0 hits, 5 symbols
        "\"\"": 0 hits, 5 symbols
        "title:": 0 hits, 5 symbols
        "title:\"": 0 hits, 5 symbols
        "heading: ": 0 hits, 5 symbols
        ":::": 0 hits, 5 symbols
        "***": 0 hits, 5 symbols
        "-": 0 hits, 5 symbols
        "--": 0 hits, 5 symbols
        "(": 0 hits, 5 symbols
        ")": 0 hits, 5 symbols
        "AND OR NOT": 0 hits, 5 symbols
        "🦀": 0 hits, 5 symbols
        "title:🦀": 0 hits, 5 symbols
        "\"unbalanced phrase": 0 hits, 0 symbols
        "tag:#": 0 hits, 5 symbols
        "a:b:c": 0 hits, 0 symbols
        "\\": 0 hits, 5 symbols
        "[[": 0 hits, 5 symbols
        "`code`": 5 hits, 5 symbols
        long: 5 hits
        limit 0: 0 hits
        limit max: 29 hits
        symbols limit max: 47 symbols
    "#]]
    .assert_eq(&res);
}

/// An index of the notes of a fixture: `//- /path` starts a note.
fn fixture_index(fixture: &str) -> SearchIndex {
    let mut index = SearchIndex::in_memory();
    index_notes(&mut index, &fixture_notes(fixture));
    index
}

fn fixture_notes(fixture: &str) -> Vec<(String, String)> {
    let mut res: Vec<(String, String)> = Vec::new();
    for line in fixture.split_inclusive('\n') {
        if let Some(path) = line.strip_prefix("//- /") {
            res.push((path.trim().to_string(), String::new()));
        } else if let Some((_, text)) = res.last_mut() {
            text.push_str(line);
        }
    }
    res
}

#[track_caller]
fn check_fixture_search(fixture: &str, query: &str, expect: Expect) {
    let index = fixture_index(fixture);
    expect.assert_eq(&render_hits(&index.search(query, 10), true));
}

#[test]
fn exact_matches_rank_above_misspellings() {
    let fixture = r#"
//- /a.md
# Alpha

The scheduler places pods on nodes, and the scheduler never sleeps.
//- /b.md
# Beta

The schedular is misspelled here.
"#;
    check_fixture_search(
        fixture,
        "schedular",
        expect![[r#"
        b.md:1 Beta
            The **schedular** is misspelled here.
        a.md:1 Alpha (approximate)
            The **scheduler** places pods on nodes, and the **scheduler** never sleeps.
    "#]],
    );
    check_fixture_search(
        fixture,
        "scheduler",
        expect![[r#"
        a.md:1 Alpha
            The **scheduler** places pods on nodes, and the **scheduler** never sleeps.
        b.md:1 Beta (approximate)
            The **schedular** is misspelled here.
    "#]],
    );
}

#[test]
fn every_word_ranks_above_some_words() {
    let fixture = r#"
//- /a.md
# Alpha

DNS DNS DNS DNS DNS everywhere.
//- /b.md
# Beta

DNS and its search domains.
"#;
    check_fixture_search(
        fixture,
        "dns search",
        expect![[r#"
        b.md:1 Beta
            **DNS** and its **search** domains.
        a.md:1 Alpha
            **DNS** **DNS** **DNS** **DNS** **DNS** everywhere.
    "#]],
    );
}

#[test]
fn edits_replace_only_their_note() {
    let mut index = fixture_index(
        r#"
//- /a.md
# Alpha

The old wording about flannel.
//- /b.md
# Beta

Flannel is a CNI plugin.
"#,
    );
    let render = |index: &SearchIndex, query: &str| {
        let hits = index.search(query, 10);
        hits.iter()
            .map(|h| format!("{} {:?}", h.path, h.snippet))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let new_text = "# Alpha\n\nThe new wording about calico.\n";
    index.replace_note(
        "a.md",
        content_fingerprint(new_text),
        sections_of("a.md", new_text),
    );
    let before_commit = render(&index, "wording");
    index.commit().expect("commit");
    let mut res = format!(
        "before commit:\n{before_commit}\nafter commit:\n{}\n",
        render(&index, "wording")
    );
    res += &format!("flannel:\n{}\n", render(&index, "flannel"));
    index.remove_note("b.md");
    index.commit().expect("commit");
    res += &format!(
        "flannel after removing b.md:\n{}\n",
        render(&index, "flannel")
    );
    res += &format!(
        "notes: {:?}\n",
        index
            .indexed_notes()
            .map(|(path, _)| path)
            .collect::<Vec<_>>()
    );
    expect![[r#"
        before commit:
        a.md "The old **wording** about flannel."
        after commit:
        a.md "The new **wording** about calico."
        flannel:
        b.md "**Flannel** is a CNI plugin."
        flannel after removing b.md:

        notes: ["a.md"]
    "#]]
    .assert_eq(&res);
}

#[test]
fn snapshots_keep_their_commit() {
    let mut index = fixture_index("//- /a.md\n# Alpha\n\nkeepalived\n");
    let snapshot = index.snapshot();
    index.remove_note("a.md");
    index.commit().expect("commit");
    assert_eq!(snapshot.search("keepalived", 5).len(), 1);
    assert_eq!(index.search("keepalived", 5).len(), 0);
}

fn render_sections(path: &str, text: &str) -> String {
    let mut res = String::new();
    for doc in sections_of(path, text) {
        let at = &text[doc.range.as_usize()];
        res += &format!(
            "{:?} line {} {:?} path={:?}\n",
            doc.kind, doc.line, at, doc.heading_path
        );
        if !doc.aliases.is_empty() || !doc.tags.is_empty() {
            res += &format!("  aliases={:?} tags={:?}\n", doc.aliases, doc.tags);
        }
        if let Some(date) = &doc.date {
            res += &format!("  date={date}\n");
        }
        res += &format!("  body={:?}\n", doc.body);
        if !doc.code.is_empty() {
            res += &format!("  code={:?}\n", doc.code);
        }
        for term in &doc.terms {
            res += &format!(
                "  term {:?} line {} at {:?}\n",
                term.text,
                term.line,
                &text[term.range.as_usize()]
            );
        }
    }
    res
}

#[test]
fn sections_split_at_headings() {
    let text = r#"---
aliases: [K8s DNS]
tags: [dns, kubernetes]
terms:
  ndots: How many dots make a name absolute.
---
# DNS in Kubernetes

Pods resolve names through **CoreDNS**, see [the docs](https://coredns.io).

## The ndots Trap

A name with fewer than 5 dots tries the `search` domains first: `ndots:5`.

| Option | Default |
|--------|---------|
| ndots  | 5       |

### Fix

```yaml
# Lower ndots for external names
dnsConfig:
  options:
    - name: ndots
      value: "2"
```

## Summary
Last updated: 2026-03-26
"#;
    expect![[r####"
        Title line 6 "# DNS in Kubernetes" path="DNS in Kubernetes"
          aliases=["K8s DNS"] tags=["dns", "kubernetes"]
          date=2026-03-26
          body="Pods resolve names through CoreDNS, see the docs."
          term "CoreDNS" line 8 at "CoreDNS"
          term "ndots" line 0 at "---\naliases: [K8s DNS]\ntags: [dns, kubernetes]\nterms:\n  ndots: How many dots make a name absolute.\n---"
        Section line 10 "## The ndots Trap" path="DNS in Kubernetes > The ndots Trap"
          aliases=[] tags=["dns", "kubernetes"]
          date=2026-03-26
          body="A name with fewer than 5 dots tries the search domains first: ndots:5.\nOption Default\nndots 5"
          term "search" line 12 at "search"
          term "ndots:5" line 12 at "ndots:5"
        Section line 18 "### Fix" path="DNS in Kubernetes > The ndots Trap > Fix"
          aliases=[] tags=["dns", "kubernetes"]
          date=2026-03-26
          body="Lower ndots for external names"
          code="# Lower ndots for external names\ndnsConfig:\n  options:\n    - name: ndots\n      value: \"2\""
        Section line 28 "## Summary" path="DNS in Kubernetes > Summary"
          aliases=[] tags=["dns", "kubernetes"]
          date=2026-03-26
          body=""
    "####]].assert_eq(&render_sections("kubernetes/dns.md", text));
}

#[test]
fn notes_without_headings_are_one_document() {
    expect![[r#"
        Title line 0 "" path="todo-list"
          body="Just a line of text."
    "#]]
    .assert_eq(&render_sections(
        "notes/todo-list.md",
        "Just a line of text.\n",
    ));
    expect![[r#"
        Title line 0 "" path="empty"
          body=""
    "#]]
    .assert_eq(&render_sections("empty.md", ""));
    expect![[r###"
        Title line 0 "" path="x"
          body=""
        Section line 0 "## Only a second level" path="x > Only a second level"
          body="text"
    "###]]
    .assert_eq(&render_sections("x.md", "## Only a second level\n\ntext\n"));
}

#[track_caller]
fn check_symbols(query: &str, limit: usize, expect: Expect) {
    let symbols = corpus_index().symbols(query, limit);
    let mut res = String::new();
    for symbol in symbols {
        res += &format!(
            "{:?} {:?} {}:{} in {:?}\n",
            symbol.kind,
            symbol.name,
            symbol.path,
            symbol.line + 1,
            symbol.container
        );
    }
    expect.assert_eq(&res);
}

#[test]
fn symbols_rank_titles_headings_and_terms() {
    check_symbols(
        "kube-proxy",
        3,
        expect![[r#"
        Heading "kube-proxy" kubernetes/node-components.md:43 in "Kubernetes Node Components"
        Term "kube-proxy" kubernetes/kubernetes-networking.md:88 in "Kubernetes Networking & CNI > The Life of a Packet (Pod-to-Service)"
    "#]],
    );
    check_symbols(
        "pagedatention",
        3,
        expect![[r#"
        Title "vLLM & PagedAttention" ai-inference/vllm-pagedattention.md:1 in ""
        Term "PagedAttention" ai-inference/vllm-pagedattention.md:3 in "vLLM & PagedAttention"
        Heading "The PagedAttention Mechanism" ai-inference/vllm-pagedattention.md:5 in "vLLM & PagedAttention"
    "#]],
    );
    check_symbols(
        "kube prox",
        3,
        expect![[r#"
        Heading "kube-proxy" kubernetes/node-components.md:43 in "Kubernetes Node Components"
        Term "kube-proxy" kubernetes/kubernetes-networking.md:88 in "Kubernetes Networking & CNI > The Life of a Packet (Pod-to-Service)"
        Heading "kube-apiserver" kubernetes/cluster-architecture.md:21 in "Kubernetes Cluster Architecture > Control Plane Components"
    "#]],
    );
    check_symbols(
        "zombie",
        3,
        expect![[r#"
        Term "Zombie Process" linux/linux-process-management.md:1 in "Linux Process Management"
        Heading "Zombies vs. Orphans" linux/linux-process-management.md:21 in "Linux Process Management > Process Lifecycle"
    "#]],
    );
    check_symbols(
        "DCGM_FI_DEV_GPU_UTIL",
        2,
        expect![[r#"
        Term "DCGM_FI_DEV_GPU_UTIL" gpu/dcgm-monitoring.md:30 in "GPU Monitoring with NVIDIA DCGM > Monitoring MIG (Multi-Instance GPU) > GPU_UTIL vs GR_ENGINE_ACTIVE"
        Term "DCGM_FI_DEV_GPU_UTIL" gpu/gpu-data-movement.md:120 in "GPU Performance: Data Movement & Bottlenecks > Debugging Bottlenecks with DCGM > Summary of Data Travel Paths"
    "#]],
    );
    check_symbols(
        "",
        3,
        expect![[r#"
        Title "Notes" README.md:1 in ""
        Title "AI Inference Fundamentals" ai-inference/ai-inference-fundamentals.md:1 in ""
        Title "Distributed Inference Tools" ai-inference/distributed-inference-tools.md:1 in ""
    "#]],
    );
}

/// What one run of a CLI-like caller did with the on-disk cache.
struct CacheRun {
    state: CacheState,
    reindexed: Vec<String>,
    removed: Vec<String>,
    hits: Vec<String>,
}

/// Opens the cache, brings it up to date with `notes` the way `kbls search` does (re-index only
/// notes whose fingerprint changed, remove the ones that are gone), commits and searches.
fn cache_run(cache_dir: &std::path::Path, notes: &[(String, String)], query: &str) -> CacheRun {
    let (mut index, state) = SearchIndex::open_or_create(cache_dir, "/corpus").expect("open cache");
    let mut reindexed = Vec::new();
    for (path, text) in notes {
        let fingerprint = content_fingerprint(text);
        if index.fingerprint(path) != Some(fingerprint) {
            index.replace_note(path, fingerprint, sections_of(path, text));
            reindexed.push(path.clone());
        }
    }
    let gone: Vec<String> = index
        .indexed_notes()
        .map(|(path, _)| path.to_string())
        .filter(|path| !notes.iter().any(|(p, _)| p == path))
        .collect();
    for path in &gone {
        index.remove_note(path);
    }
    index.commit().expect("commit");
    let hits = index.search(query, 5).into_iter().map(|h| h.path).collect();
    CacheRun {
        state,
        reindexed,
        removed: gone,
        hits,
    }
}

fn render_run(run: &CacheRun) -> String {
    format!(
        "{:?} reindexed={:?} removed={:?} hits={:?}\n",
        run.state, run.reindexed, run.removed, run.hits
    )
}

/// The meta file of the only corpus in `cache_dir`.
fn meta_path(cache_dir: &std::path::Path) -> PathBuf {
    let corpus_dir = std::fs::read_dir(cache_dir)
        .expect("cache dir")
        .flatten()
        .next()
        .expect("corpus dir")
        .path();
    corpus_dir.join("kbls-search.json")
}

const CACHE_FIXTURE: &str = r#"
//- /a.md
# Alpha

Calico routes pod traffic.
//- /b.md
# Beta

Cilium uses eBPF.
"#;

#[test]
fn cache_is_reused_and_updated_incrementally() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut notes = fixture_notes(CACHE_FIXTURE);
    let mut res = render_run(&cache_run(dir.path(), &notes, "calico"));
    res += &render_run(&cache_run(dir.path(), &notes, "calico"));
    notes[0].1 = "# Alpha\n\nFlannel is simpler.\n".to_string();
    res += &render_run(&cache_run(dir.path(), &notes, "calico"));
    res += &render_run(&cache_run(dir.path(), &notes, "flannel"));
    notes.remove(1);
    res += &render_run(&cache_run(dir.path(), &notes, "cilium"));
    res += &render_run(&cache_run(dir.path(), &notes, "flannel"));
    expect![[r#"
        Rebuilt(Missing) reindexed=["a.md", "b.md"] removed=[] hits=["a.md"]
        Reused reindexed=[] removed=[] hits=["a.md"]
        Reused reindexed=["a.md"] removed=[] hits=[]
        Reused reindexed=[] removed=[] hits=["a.md"]
        Reused reindexed=[] removed=["b.md"] hits=[]
        Reused reindexed=[] removed=[] hits=["a.md"]
    "#]]
    .assert_eq(&res);
}

#[test]
fn cache_is_rebuilt_when_unreadable_or_from_another_schema() {
    let dir = tempfile::tempdir().expect("temp dir");
    let notes = fixture_notes(CACHE_FIXTURE);
    let mut res = render_run(&cache_run(dir.path(), &notes, "cilium"));
    let meta = meta_path(dir.path());

    std::fs::write(&meta, "{ not json").expect("corrupt the meta file");
    res += &render_run(&cache_run(dir.path(), &notes, "cilium"));

    let text = std::fs::read_to_string(&meta).expect("meta file");
    let old_version = text.replace(
        &format!("\"schema_version\": {}", schema::SCHEMA_VERSION),
        "\"schema_version\": 0",
    );
    assert_ne!(text, old_version, "the meta file names its schema version");
    std::fs::write(&meta, old_version).expect("downgrade the meta file");
    res += &render_run(&cache_run(dir.path(), &notes, "cilium"));

    std::fs::remove_file(&meta).expect("remove the meta file");
    res += &render_run(&cache_run(dir.path(), &notes, "cilium"));
    res += &render_run(&cache_run(dir.path(), &notes, "cilium"));

    // Rebuilds leave exactly one index directory behind.
    let corpus_dir = meta.parent().expect("corpus dir");
    let n_index_dirs = std::fs::read_dir(corpus_dir)
        .expect("corpus dir")
        .flatten()
        .filter(|e| e.path().is_dir())
        .count();
    res += &format!("index directories: {n_index_dirs}\n");
    expect![[r#"
        Rebuilt(Missing) reindexed=["a.md", "b.md"] removed=[] hits=["b.md"]
        Rebuilt(Corrupt) reindexed=["a.md", "b.md"] removed=[] hits=["b.md"]
        Rebuilt(SchemaChanged) reindexed=["a.md", "b.md"] removed=[] hits=["b.md"]
        Rebuilt(Missing) reindexed=["a.md", "b.md"] removed=[] hits=["b.md"]
        Reused reindexed=[] removed=[] hits=["b.md"]
        index directories: 1
    "#]]
    .assert_eq(&res);
}

#[test]
fn a_rebuild_that_never_commits_leaves_the_old_index_in_use() {
    let dir = tempfile::tempdir().expect("temp dir");
    let notes = fixture_notes(CACHE_FIXTURE);
    let mut res = render_run(&cache_run(dir.path(), &notes, "cilium"));
    let meta = meta_path(dir.path());
    let good_meta = std::fs::read(&meta).expect("meta file");
    std::fs::write(&meta, "garbage").expect("corrupt the meta file");
    {
        // A run that starts rebuilding, queues documents and dies before its commit.
        let (mut index, state) =
            SearchIndex::open_or_create(dir.path(), "/corpus").expect("open cache");
        res += &format!("{state:?}\n");
        index.replace_note("a.md", 1, sections_of("a.md", "# Half\n\nwritten\n"));
    }
    // The previous meta file comes back (as if the crash happened before the rename).
    std::fs::write(&meta, good_meta).expect("restore the meta file");
    res += &render_run(&cache_run(dir.path(), &notes, "cilium"));
    expect![[r#"
        Rebuilt(Missing) reindexed=["a.md", "b.md"] removed=[] hits=["b.md"]
        Rebuilt(Corrupt)
        Reused reindexed=[] removed=[] hits=["b.md"]
    "#]]
    .assert_eq(&res);
}

#[test]
fn a_cache_in_use_is_an_error_not_a_corruption() {
    let dir = tempfile::tempdir().expect("temp dir");
    let notes = fixture_notes(CACHE_FIXTURE);
    cache_run(dir.path(), &notes, "cilium");
    let (_first, _) = SearchIndex::open_or_create(dir.path(), "/corpus").expect("open cache");
    let second = SearchIndex::open_or_create(dir.path(), "/corpus");
    expect!["the search index is in use by another kbls process"].assert_eq(&format!(
        "{:#}",
        second.err().map(|e| e.to_string()).unwrap_or_default()
    ));
}

#[test]
fn corpora_share_a_cache_directory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut one, _) = SearchIndex::open_or_create(dir.path(), "/one").expect("open cache");
    one.replace_note("a.md", 1, sections_of("a.md", "# A\n\nfirst corpus\n"));
    one.commit().expect("commit");
    let (two, state) = SearchIndex::open_or_create(dir.path(), "/two").expect("open cache");
    assert_eq!(state, CacheState::Rebuilt(RebuildReason::Missing));
    assert!(two.search("first", 5).is_empty());
}

#[test]
fn snippets_cut_on_unicode_safely() {
    let text = format!(
        "{}\u{3000}ndots{}\u{a0}end",
        "語".repeat(100),
        "\u{a0}é".repeat(100)
    );
    let at = text.find("ndots").expect("ndots");
    let matches = vec![std::ops::Range {
        start: at,
        end: at + "ndots".len(),
    }];
    for max_len in [1, 2, 7, 50, 180, 1000] {
        let snippet = snippet::cut(&text, &matches, max_len);
        let _ = snippet.to_markdown();
    }
    let snippet = snippet::cut(&text, &matches, 40);
    expect!["…**ndots** é é é é é é é é…"].assert_eq(&snippet.to_markdown());
}

#[test]
fn indexes_and_snapshots_cross_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<SearchIndex>();
    assert_send_sync::<SearchSnapshot>();
    assert_send_sync::<SearchHit>();
    assert_send_sync::<SymbolHit>();
}

#[test]
fn remembered_phrasings() {
    check_search(
        "something about ndots and DNS",
        3,
        expect![[r#"
        kubernetes/kubernetes-networking.md:155 Kubernetes Networking & CNI > DNS in Kubernetes (CoreDNS) > Performance & Scalability
        kubernetes/cluster-architecture.md:47 Kubernetes Cluster Architecture > Addons
        kubernetes/kubernetes-networking.md:126 Kubernetes Networking & CNI > DNS in Kubernetes (CoreDNS) > The Resolution Process
    "#]],
    );
    check_search(
        "the PCIe starvation pattern",
        3,
        expect![[r#"
        gpu/gpu-data-movement.md:122 GPU Performance: Data Movement & Bottlenecks > Debugging Bottlenecks with DCGM > Interpreting Graphs
        hpc/gpu-networking-interconnects.md:27 GPU Networking & Interconnects > Inside the Node: NVLink vs PCIe
        gpu/gpu-data-movement.md:15 GPU Performance: Data Movement & Bottlenecks > How Data Moves > 2. CPU RAM to GPU VRAM (The PCIe Pipe)
    "#]],
    );
    check_search(
        "how does a pod get an IP address",
        3,
        expect![[r#"
        kubernetes/kubernetes-networking.md:190 Kubernetes Networking & CNI > Debugging Kubernetes Networking > 1. Pod Connectivity (The Foundation)
        kubernetes/kubernetes-networking.md:26 Kubernetes Networking & CNI > The CNI (Container Network Interface) > CNI Lifecycle & The Flow of a Pod
        virtualization/kubevirt.md:50 Virtualization with KubeVirt > Network Binding Plugins
    "#]],
    );
    check_search(
        "zombie process parent",
        3,
        expect![[r#"
            linux/linux-process-management.md:21 Linux Process Management > Process Lifecycle > Zombies vs. Orphans
            linux/linux-process-management.md:9 Linux Process Management
            linux/linux-process-management.md:13 Linux Process Management > Process Lifecycle
        "#]],
    );
    check_search(
        "KV cache memory fragmentation",
        3,
        expect![[r#"
        ai-inference/ai-inference-fundamentals.md:5 AI Inference Fundamentals > KV Cache (Key-Value Cache)
        ai-inference/vllm-pagedattention.md:5 vLLM & PagedAttention > The PagedAttention Mechanism
        ai-inference/ai-inference-fundamentals.md:21 AI Inference Fundamentals > Time to First Token (TTFT) > Decoding Phase (I/O-Bound)
    "#]],
    );
    check_search(
        "raft leader election",
        3,
        expect![[r#"
        system-design/distributed-systems.md:100 System Design: Distributed Systems > Consensus: The Raft Algorithm > How Raft Works: High-Level Concepts > 2. Leader Election
        system-design/distributed-systems.md:108 System Design: Distributed Systems > Consensus: The Raft Algorithm > Safety & Commit Rules
        kubernetes/cluster-architecture.md:25 Kubernetes Cluster Architecture > Control Plane Components > etcd
    "#]],
    );
}
