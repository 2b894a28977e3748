//! Definition extraction tests: one small note per pattern.

use super::*;
use crate::syntax::{parse, ParseOptions};
use expect_test::{expect, Expect};
use std::fmt::Write;

/// One line per definition: kind, the text at `term_range`, aliases, then the definition.
fn render(text: &str, defs: &[TermDef]) -> String {
    let mut res = String::new();
    for def in defs {
        let at = &text[def.term_range.as_usize()];
        let aliases = if def.aliases.is_empty() {
            String::new()
        } else {
            format!(" ({})", def.aliases.join(", "))
        };
        let marked = if at == def.term(text) {
            String::new()
        } else {
            format!(" at {at:?}")
        };
        let _ = writeln!(
            res,
            "{}: {}{aliases}{marked} => {}",
            def.kind.as_str(),
            def.term(text),
            def.definition(text)
        );
    }
    res
}

fn check(text: &str, expect: Expect) {
    let syntax = parse(text, &ParseOptions::default());
    expect.assert_eq(&render(text, &extract(text, &syntax)));
}

#[test]
fn table_rows_with_header_labels() {
    check(
        r#"
| Metric | DCGM Field Name | Description |
|---|---|---|
| **GPU Utilization** | `DCGM_FI_DEV_GPU_UTIL` | Traditional activity percentage |
| **Memory Used** | `DCGM_FI_DEV_FB_USED` | Amount of frame buffer memory used |
| **GR Engine** | `DCGM_FI_PROF_GR_ENGINE_ACTIVE` | **Use for MIG partitions** |
"#,
        expect![[r#"
            table row: GPU Utilization => DCGM Field Name: `DCGM_FI_DEV_GPU_UTIL`; Description: Traditional activity percentage
            table row: DCGM_FI_DEV_GPU_UTIL => Metric: **GPU Utilization**; Description: Traditional activity percentage
            table row: Memory Used => DCGM Field Name: `DCGM_FI_DEV_FB_USED`; Description: Amount of frame buffer memory used
            table row: DCGM_FI_DEV_FB_USED => Metric: **Memory Used**; Description: Amount of frame buffer memory used
            table row: GR Engine => DCGM Field Name: `DCGM_FI_PROF_GR_ENGINE_ACTIVE`; Description: **Use for MIG partitions**
            table row: DCGM_FI_PROF_GR_ENGINE_ACTIVE => Metric: **GR Engine**; Description: **Use for MIG partitions**
        "#]],
    );
}

#[test]
fn table_commands_are_not_terms() {
    check(
        r#"
| Layer | Command | What to look for |
|---|---|---|
| **PVC** | `kubectl describe pvc <name>` | `Events` section |
| **Attachment** | `kubectl get volumeattachment` | `isAttached: true` |
| Plain | text | more |
"#,
        expect![[r#"
            table row: PVC => Command: `kubectl describe pvc <name>`; What to look for: `Events` section
            table row: Attachment => Command: `kubectl get volumeattachment`; What to look for: `isAttached: true`
        "#]],
    );
}

#[test]
fn list_item_forms() {
    check(
        r#"
- **Requests**: The amount of CPU/Memory guaranteed for the container.
  - **Memory Requests**: Used logically by the scheduler.
- **Limits:** The maximum amount of CPU/Memory.
- `maxSurge`: How many extra pods can be created during the update.
- `git add`: Moves changes to the staging area.
- Requests: The plain form.
- XID 31 (GPU Memory Page Fault): Typically indicates an invalid memory access.
- SIGTERM (15): The default "clean" shutdown.
- **PFC (Priority Flow Control)**: Pauses traffic on specific priorities.
- **`GPU_UTIL`** (`DCGM_FI_DEV_GPU_UTIL`): Reports if *any* kernel is executing.
- **WEKA (WekaFS)**: Modern, flash-native storage.
1. **Striping**: Files are broken into chunks.
- [x] **Done**: A task item.
- **Speed Generations**:
  - **HDR**: 200 Gbps
"#,
        expect![[r#"
            list item: Requests => The amount of CPU/Memory guaranteed for the container.
            list item: Memory Requests => Used logically by the scheduler.
            list item: Limits => The maximum amount of CPU/Memory.
            list item: maxSurge => How many extra pods can be created during the update.
            list item: git add => Moves changes to the staging area.
            list item: Requests => The plain form.
            list item: XID 31 (GPU Memory Page Fault) => Typically indicates an invalid memory access.
            list item: SIGTERM (15) => The default "clean" shutdown.
            list item: PFC (Priority Flow Control) => Pauses traffic on specific priorities.
            list item: GPU_UTIL (DCGM_FI_DEV_GPU_UTIL) => Reports if *any* kernel is executing.
            list item: WEKA (WekaFS) => Modern, flash-native storage.
            list item: Striping => Files are broken into chunks.
            list item: Done => A task item.
            list item: Speed Generations => - **HDR**: 200 Gbps
            list item: HDR => 200 Gbps
        "#]],
    );
}

#[test]
fn list_items_that_are_not_definitions() {
    check(
        r#"
- **Action**: `ping 127.0.0.1` and check the NIC.
- Persist configuration in: `/etc/sysctl.conf`.
- See https://example.com: a link
- Scheduling In Go : Part II
- Just a sentence, with no label at all.
- 10:30: a time
- **Criteria**: one
- **Criteria**: two
- **Criteria**: three

## References

- Kubernetes Networking Series Part 1: The Model
"#,
        expect![[r#""#]],
    );
}

#[test]
fn headings_with_a_paragraph_under_them() {
    check(
        r#"
# Cluster Architecture

Intro paragraph.

## Control Plane Components

### kube-apiserver

The API server is the front end for the Kubernetes control plane.
It is the only component that talks to etcd.

### kube-scheduler
- a list, not a paragraph

## NVIDIA DCGM (Data Center GPU Manager)

The industry standard for managing NVIDIA GPUs.

## Overview

Generic sections are not terms.

### 1. Pod Connectivity (The Foundation)

Steps are not terms.

### Why does this happen?

Questions are not terms.
"#,
        expect![[r#"
            heading: kube-apiserver => The API server is the front end for the Kubernetes control plane. It is the only component that talks to etcd.
            heading: NVIDIA DCGM (Data Center GPU Manager) => The industry standard for managing NVIDIA GPUs.
        "#]],
    );
}

#[test]
fn front_matter_aliases_and_terms() {
    check(
        r#"---
aliases:
  - DCGM
  - Data Center GPU Manager
terms:
  SM: Streaming Multiprocessor, the GPU's compute unit.
  MIG (Multi-Instance GPU): Partitioning of one GPU into isolated instances.
---
# GPU Monitoring with NVIDIA DCGM

Data Center GPU Manager (DCGM) is the industry standard for monitoring NVIDIA GPUs.
"#,
        expect![[r#"
            front matter aliases: GPU Monitoring with NVIDIA DCGM (DCGM, Data Center GPU Manager) => Data Center GPU Manager (DCGM) is the industry standard for monitoring NVIDIA GPUs.
            front matter terms: SM => Streaming Multiprocessor, the GPU's compute unit.
            front matter terms: MIG (Multi-Instance GPU) => Partitioning of one GPU into isolated instances.
        "#]],
    );
}

#[test]
fn weird_input_does_not_panic() {
    let long_item = format!("- **{}**: x", "a".repeat(10_000));
    let inputs = [
        "- **",
        "- **a",
        "- `",
        "- ``x``:",
        "- :",
        "- (",
        "- a (",
        "- a ():",
        "| **x** |\n|---|\n| **y** |",
        "| a | b |\n|---|---|\n| `` ` `` | c |",
        "---\naliases: [x]\n---\n",
        "---\nterms:\n  é: ü\n---\n",
        "## (\n\npara",
        "## é (ü)\n\npara",
        long_item.as_str(),
    ];
    for input in inputs {
        let syntax = parse(input, &ParseOptions::default());
        let _ = extract(input, &syntax);
    }
}

#[test]
fn heading_aliases_must_abbreviate() {
    check(
        r#"
## Tensor Parallelism (TP)

Splits each layer across GPUs.

## NVIDIA MIG (Multi-Instance GPU)

Hardware partitions.

## Control Groups (cgroups)

Resource limits.

## B-Trees (Read-Optimized)

Pages on disk.

## The Dockerfile

A recipe for an image.
"#,
        expect![[r#"
            heading: Tensor Parallelism (TP) => Splits each layer across GPUs.
            heading: NVIDIA MIG (Multi-Instance GPU) => Hardware partitions.
            heading: Control Groups (cgroups) => Resource limits.
            heading: B-Trees => Pages on disk.
            heading: Dockerfile => A recipe for an image.
        "#]],
    );
}

#[test]
fn comparison_tables_have_no_terms() {
    check(
        r#"
| Feature | NFS | Lustre |
|---|---|---|
| **Metadata** | Serial | Parallel |
| **Complexity** | Low | High |
"#,
        expect![[r#""#]],
    );
}

#[test]
fn generic_labels_are_sorted_short_lowercase() {
    assert!(GENERIC_LABELS.windows(2).all(|w| w[0] < w[1]));
    assert!(GENERIC_LABELS
        .iter()
        .all(|l| l.len() <= 20 && *l == l.to_lowercase()));
    assert!(is_generic("Overview") && is_generic(" TL;DR ") && !is_generic("kube-apiserver"));
}
