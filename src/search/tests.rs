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
            for entry in std::fs::read_dir(&dir).expect("fixture directory").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|ext| ext == "md") {
                    let rel = path.strip_prefix(&root).expect("under root").to_string_lossy().replace('\\', "/");
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
        res += &format!("{}:{} {}\n", hit.path, hit.line + 1, hit.heading_path);
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
    check_snippets("ndots", 3, expect![[r#"
        kubernetes/kubernetes-networking.md:155 Kubernetes Networking & CNI > DNS in Kubernetes (CoreDNS) > Performance & Scalability
            …or a source of latency. The "**ndots**:5" Trap: By default, if a name has fewer than 5 dots, Kubernetes tries internal search domains first. For external names like api.github.com,…
        kubernetes/kubernetes-networking.md:126 Kubernetes Networking & CNI > DNS in Kubernetes (CoreDNS) > The Resolution Process
            …Scenario: External Domain (**ndots**:5) App->>OS: Resolve "google.com" OS->>DNS: Query: google.com.default.svc.cluster.local? DNS-->>OS: NXDOMAIN Note over OS: ...…
    "#]]);
}

#[test]
fn golden_rules() {
    check_search("golden rules", 5, expect![[r#"
        kubernetes/kubernetes-networking.md:14 Kubernetes Networking & CNI > The 3 "Golden Rules"
        kubernetes/kubernetes-networking.md:26 Kubernetes Networking & CNI > The CNI (Container Network Interface) > CNI Lifecycle & The Flow of a Pod
        networking/networking-fundamentals.md:47 Networking Fundamentals > Troubleshooting Tools & Logic > The "Golden Path"
        system-design/distributed-systems.md:108 System Design: Distributed Systems > Consensus: The Raft Algorithm > Safety & Commit Rules
        devops/sre-principles.md:22 Site Reliability Engineering (SRE) > The Four Golden Signals
    "#]]);
}

#[test]
fn mig_utilization_metric() {
    check_search("MIG utilization metric", 5, expect![[r#"
        gpu/dcgm-monitoring.md:23 GPU Monitoring with NVIDIA DCGM > Monitoring MIG (Multi-Instance GPU)
        gpu/gpu-monitoring-metrics.md:17 GPU Monitoring & Metrics > NVIDIA DCGM (Data Center GPU Manager) > Monitoring MIG Instances
        gpu/dcgm-monitoring.md:11 GPU Monitoring with NVIDIA DCGM > DCGM Key Metrics
        gpu/gpu-monitoring-metrics.md:7 GPU Monitoring & Metrics > NVIDIA DCGM (Data Center GPU Manager) > Key Metrics Reference
        gpu/dcgm-monitoring.md:35 GPU Monitoring with NVIDIA DCGM > Monitoring MIG (Multi-Instance GPU) > Other Profiling Metrics for MIG
    "#]]);
}

#[test]
fn force_delete_pod() {
    check_snippets("force delete pod", 3, expect![[r#"
        kubernetes/kubernetes-fundamentals.md:108 Kubernetes Fundamentals > Debugging > Advanced & Debugging Commands
            …or checking memory/threads **Force** **delete** a **pod** (skips graceful shutdown) List all **pods** and their specific nodes using custom columns Extract **pod** and container images using JSONPath…
        kubernetes/kubernetes-storage.md:152 Kubernetes Storage: A Deep Dive > Troubleshooting Guide (At a Glance) > Case 3: PVC is stuck in Terminating
            This happens when you try to **delete** a volume that is still in use. Remove the pvc-protection finalizer only as a last resort: first **delete** any healthy **Pod** using the PVC and check…
        kubernetes/kubernetes-storage.md:48 Kubernetes Storage: A Deep Dive > The Abstraction Stack > 1. Persistent Volumes (PV)
            …independent of any individual **Pod** that uses it. Phases: Available → Bound → Released → Failed. Reclaim Policies: **Delete**: Automatically **deletes** the underlying infrastructure…
    "#]]);
}

#[test]
fn paged_attention() {
    check_search("PagedAttention", 5, expect![[r#"
        ai-inference/vllm-pagedattention.md:1 vLLM & PagedAttention
        ai-inference/vllm-pagedattention.md:5 vLLM & PagedAttention > The PagedAttention Mechanism
        README.md:30 Notes > AI Inference
        ai-inference/vllm-pagedattention.md:9 vLLM & PagedAttention > The PagedAttention Mechanism > Logical vs. Physical Mapping
        ai-inference/vllm-pagedattention.md:17 vLLM & PagedAttention > Memory Sharing & Copy-on-Write
    "#]]);
}
