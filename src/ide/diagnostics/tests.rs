//! Rule tests: fixtures of small corpora and the findings they must produce.

use super::*;
use crate::test_fixture;
use expect_test::{expect, Expect};

fn render(fixture: &str, config: Config, expect: Expect) {
    render_fixture(test_fixture::parse(fixture), config, expect);
}

fn render_fixture(fixture: test_fixture::Fixture, config: Config, expect: Expect) {
    let cfg = DiagnosticsConfig::new(config, NaiveDate::from_ymd_opt(2026, 11, 28).unwrap());
    let mut notes: Vec<_> = fixture.graph.notes().collect();
    notes.sort_by(|a, b| a.1.path.cmp(&b.1.path));
    let mut out = String::new();
    for (id, note) in notes {
        for d in note_diagnostics(&fixture.graph, id, &cfg) {
            out += &line(note, d);
        }
    }
    expect.assert_eq(&out);
}

/// `path:line:col severity code "text": message [fix: "old" -> "new"]`.
fn line(note: &crate::graph::Note, d: Diagnostic) -> String {
    let text = note.text();
    let pos = note.line_index().line_col(
        &text,
        d.range.start as usize,
        crate::text::WideEncoding::Chars,
    );
    let fix = d
        .fix
        .map(|f| {
            format!(
                " [fix: {:?} -> {:?}]",
                &text[f.range.as_usize()],
                f.new_text
            )
        })
        .unwrap_or_default();
    format!(
        "{}:{}:{} {} {} {:?}: {}{fix}\n",
        note.path,
        pos.line + 1,
        pos.col + 1,
        d.severity.as_str(),
        d.code.as_str(),
        &text[d.range.as_usize()],
        d.message
    )
}

fn check(fixture: &str, expect: Expect) {
    let mut config = Config::default();
    config.rules.insert(Code::MissingDate, None);
    render(fixture, config, expect)
}

#[test]
fn broken_links_and_anchors_with_suggestions() {
    check(
        r##"
//- /k8s/resources.md
# Resources
## Requests vs Limits
[ok](#requests-vs-limits) [typo](#request-vs-limits) [pods](pods.md#scheduling) [gone](podz.md)
[img](../img/missing.png) ![fine](../img/ok.png) [[resources#Requests vs Limits]] [[resources#Nope]]
[[missing-note]] [out](../../etc/passwd) [web](https://example.com/x.md#y)
//- /k8s/pods.md
# Pods
## Scheduling
`[not](a-link.md)`
```
[nor](this.md)
```
//- /img/ok.png
"##,
        expect![[r#"
            k8s/resources.md:3:35 error broken-anchor "request-vs-limits": no heading `#request-vs-limits` in this note; did you mean `#requests-vs-limits`? [fix: "request-vs-limits" -> "requests-vs-limits"]
            k8s/resources.md:3:88 error broken-link "podz.md": link target `podz.md` does not exist; did you mean `pods.md`? [fix: "podz.md" -> "pods.md"]
            k8s/resources.md:4:7 error broken-link "../img/missing.png": link target `../img/missing.png` does not exist
            k8s/resources.md:4:95 error broken-anchor "Nope": no heading `#Nope` in this note
            k8s/resources.md:5:3 error broken-link "missing-note": no note named `missing-note` for wiki-link
            k8s/resources.md:5:24 warning link-outside-root "../../etc/passwd": link climbs out of the corpus root; kbls does not follow it
        "#]],
    );
}

#[test]
fn suggestions_rank_first_what_the_note_already_links_to() {
    // Each broken target is one letter from two candidates; the one the note links to elsewhere
    // wins over the one given first.
    check(
        r##"
//- /k8s/a.md
# A
[ok](b.md#gpu-limits) [typo](b.md#xpu-limits) [[b#GPU Limits]] [[b#XPU Limits]]
[ok](node.md) [typo](mode.md) [[node]] [[mode]]
[ok][lbl-b] [typo][lbl-c]

[lbl-a]: b.md
[lbl-b]: b.md
//- /k8s/b.md
# B
## CPU Limits
## GPU Limits
//- /k8s/code.md
# Code
//- /k8s/node.md
# Node
"##,
        expect![[r#"
            k8s/a.md:2:35 error broken-anchor "xpu-limits": no heading `#xpu-limits` in `k8s/b.md`; did you mean `#gpu-limits`? [fix: "xpu-limits" -> "gpu-limits"]
            k8s/a.md:2:68 error broken-anchor "XPU Limits": no heading `#XPU Limits` in `k8s/b.md`; did you mean `#GPU Limits`? [fix: "XPU Limits" -> "GPU Limits"]
            k8s/a.md:3:22 error broken-link "mode.md": link target `mode.md` does not exist; did you mean `node.md`? [fix: "mode.md" -> "node.md"]
            k8s/a.md:3:42 error broken-link "mode": no note named `mode` for wiki-link; did you mean `node`? [fix: "mode" -> "node"]
            k8s/a.md:4:20 error undefined-reference "lbl-c": no definition `[lbl-c]: ...` for this reference link; did you mean `[lbl-b]`? [fix: "lbl-c" -> "lbl-b"]
        "#]],
    );
}

#[test]
fn link_findings_into_some_notes_only() {
    // Pull-request mode with `b.md` changed and `gone.md` deleted: the findings on links that name
    // them, through a reference definition too, and none of the rest of `a.md`.
    let fixture = test_fixture::parse(
        r##"
//- /a.md
# A
[x](b.md#gone) [y](nowhere.md) [[b#Nope]] [z](gone.md) [r][lbl] [[#nope]]
[![broken image](missing.png)](b.md) [![ok](b.md)](nowhere.md)

[lbl]: b.md#nope-either
//- /b.md
# B
"##,
    );
    let cfg = DiagnosticsConfig::new(
        Config::default(),
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
    );
    let graph = &fixture.graph;
    let id = graph.by_path("a.md").unwrap();
    let keys = PathKeys::new(graph, ["b.md", "gone.md"]);
    let out: String = link_diagnostics_into(graph, id, &cfg, &keys)
        .into_iter()
        .map(|d| line(graph.note(id), d))
        .collect();
    expect![[r#"
        a.md:2:10 error broken-anchor "gone": no heading `#gone` in `b.md`
        a.md:2:36 error broken-anchor "Nope": no heading `#Nope` in `b.md`
        a.md:2:47 error broken-link "gone.md": link target `gone.md` does not exist
        a.md:2:60 error broken-anchor "lbl": no heading `#nope-either` in `b.md`
    "#]]
    .assert_eq(&out);
}

#[test]
fn brackets_that_are_notation_are_no_undefined_references() {
    check(
        r##"
//- /a.md
# A
A `map[string][]string`-like map[string][]string, resource[/subresource], `[0-9a-f]`:
names match ([a-z0-9][-a-z0-9]*[a-z0-9])? and [0-9a-f][0-9a-f]; [typo][lbl-c] [x-ray][nope]

[lbl-b]: a.md
"##,
        expect![[r#"
            a.md:3:72 error undefined-reference "lbl-c": no definition `[lbl-c]: ...` for this reference link; did you mean `[lbl-b]`? [fix: "lbl-c" -> "lbl-b"]
            a.md:3:87 error undefined-reference "nope": no definition `[nope]: ...` for this reference link
        "#]],
    );
}

#[test]
fn references_and_ambiguous_wikilinks() {
    check(
        r##"
//- /a.md
# A
[one][good] [two][goood] [three][nothing] [[dup]] [plain brackets] [goo]
[also.md] [x](#a)

[good]: b/dup.md
//- /b/dup.md
# B
//- /c/dup.md
# C
"##,
        expect![[r#"
            a.md:2:19 error undefined-reference "goood": no definition `[goood]: ...` for this reference link; did you mean `[good]`? [fix: "goood" -> "good"]
            a.md:2:34 error undefined-reference "nothing": no definition `[nothing]: ...` for this reference link
            a.md:2:45 warning ambiguous-wikilink "dup": wiki-link matches 2 notes: b/dup.md, c/dup.md; use a path to choose one
            a.md:2:69 error undefined-reference "goo": no definition `[goo]: ...` for this reference link; did you mean `[good]`? [fix: "goo" -> "good"]
            a.md:3:2 error undefined-reference "also.md": no definition `[also.md]: ...` for this reference link
        "#]],
    );
}

#[test]
fn dates() {
    check(
        r##"
//- /fresh.md
# Fresh
Last updated: 2026-11-01
//- /stale.md
# Stale
Last updated: 2025-01-15
//- /invalid.md
# Invalid
Last updated: 2026-02-30
//- /words.md
# Words
Last updated: yesterday
//- /future.md
# Future
Last updated: 2027-01-01
//- /front.md
---
lastmod: 2024-06-01
---
# Front
"##,
        expect![[r##"
            front.md:2:10 warning stale-note "2024-06-01": note was last updated 910 days ago on 2024-06-01 (front matter `lastmod`), more than the 180 days allowed [fix: "2024-06-01" -> "2026-11-28"]
            future.md:2:15 warning future-date "2027-01-01": date 2027-01-01 is 34 days in the future (today is 2026-11-28) [fix: "2027-01-01" -> "2026-11-28"]
            invalid.md:2:15 error invalid-date "2026-02-30": date `2026-02-30` does not exist [fix: "2026-02-30" -> "2026-11-28"]
            stale.md:2:15 warning stale-note "2025-01-15": note was last updated 682 days ago on 2025-01-15, more than the 180 days allowed [fix: "2025-01-15" -> "2026-11-28"]
            words.md:2:15 error invalid-date "yesterday": date `yesterday` is not a date of the form YYYY-MM-DD [fix: "yesterday" -> "2026-11-28"]
        "##]],
    );
}

#[test]
fn opt_in_rules_and_suppressions() {
    let mut config = Config::default();
    config.set_rule("missing-date", "info").unwrap();
    config.set_rule("duplicate-heading", "warning").unwrap();
    config.set_rule("broken-anchor", "off").unwrap();
    render(
        r##"
//- /a.md
# A
## Setup
## Setup
[anchor](#nope)
<!-- kbls-disable-next-line broken-link -->
[x](gone.md)
[y](gone.md)
<!-- kbls-disable broken-link -->
[z](gone.md)
<!-- kbls-enable broken-link -->
"##,
        config,
        expect![[r##"
            a.md:1:1 info missing-date "# A": note has no date (add a `Last updated: YYYY-MM-DD` line)
            a.md:3:4 warning duplicate-heading "Setup": heading `#setup` repeats the one on line 2; links reach this one as `#setup-1`
            a.md:7:5 error broken-link "gone.md": link target `gone.md` does not exist
        "##]],
    );
}

#[test]
fn unknown_terms_with_fixes() {
    check(
        r##"
//- /gpu.md
# GPU
Watch `DCGM_FI_DEV_GPU_UTIL` and DCGM_FI_DEV_GPU_UTILZ.

```bash
$ kubectl get pods --sort-by=.metadata.name --tail 10
$ kubectl gett pods
```

And `kubectl describe nod worker-1 -o wide`.
"##,
        expect![[r#"
            gpu.md:2:34 warning unknown-dcgm-field "DCGM_FI_DEV_GPU_UTILZ": `DCGM_FI_DEV_GPU_UTILZ` is not a DCGM field (did you mean `DCGM_FI_DEV_GPU_UTIL`?) [fix: "DCGM_FI_DEV_GPU_UTILZ" -> "DCGM_FI_DEV_GPU_UTIL"]
            gpu.md:5:45 warning unknown-kubectl-flag "--tail": `--tail` is not a flag of `kubectl get` in kubectl v1.33.1 (it is a flag of `kubectl logs`)
            gpu.md:6:11 warning unknown-kubectl-command "gett": `gett` is not a kubectl command (did you mean `kubectl get`?) [fix: "gett" -> "get"]
            gpu.md:9:36 warning unknown-kubectl-flag "-o": `-o` is not a flag of `kubectl describe` in kubectl v1.33.1 (it is a flag of `kubectl annotate`, `kubectl api-resources` and 60 more)
        "#]],
    );
}

#[test]
fn broken_link_messages_name_the_path_as_written() {
    render(
        r#"
//- /notes/k8s/a.md
# A
[One](../gpu/gone.md) [Two][two] [Three](../gpu/) [Four](/gpu/gone.md)

[two]: ./gone%20too.md
//- /notes/gpu/b.md
# B
"#,
        Config::default(),
        expect![[r#"
            notes/k8s/a.md:2:7 error broken-link "../gpu/gone.md": link target `../gpu/gone.md` does not exist
            notes/k8s/a.md:2:29 error broken-link "two": link target `./gone too.md` does not exist
            notes/k8s/a.md:2:42 error broken-link "../gpu/": folder `../gpu/` has no index.md, _index.md or README.md to link to
            notes/k8s/a.md:2:58 error broken-link "/gpu/gone.md": link target `/gpu/gone.md` does not exist
        "#]],
    );
}

/// The findings of every note must be exactly the `^^^` marks, each labelled with its code.
#[track_caller]
fn check_marked(fixture: &str) {
    let fixture = test_fixture::parse(fixture);
    let mut found: Vec<String> = fixture
        .graph
        .notes()
        .flat_map(|(id, _)| {
            let fixture = &fixture;
            fixture
                .analysis()
                .diagnostics(id)
                .into_iter()
                .map(move |d| format!("{} {}", fixture.show(id, d.range), d.code.as_str()))
        })
        .collect();
    let mut marked: Vec<String> = fixture
        .marks
        .iter()
        .map(|m| format!("{} {}", fixture.show(m.note, m.range), m.label))
        .collect();
    found.sort();
    marked.sort();
    assert_eq!(found, marked);
}

#[test]
fn findings_sit_where_the_marks_say() {
    check_marked(
        r#"
//- /a.md
# A
[x](gone.md) [y](b.md#nope) [[dup]] [r][none]
    ^^^^^^^ broken-link
                      ^^^^ broken-anchor
                              ^^^ ambiguous-wikilink
                                        ^^^^ undefined-reference
Watch DCGM_FI_DEV_GPU_TEMPP and `kubectl gett pods`.
      ^^^^^^^^^^^^^^^^^^^^^ unknown-dcgm-field
                                         ^^^^ unknown-kubectl-command
//- /b.md
# B
//- /x/dup.md
# Dup
//- /y/dup.md
# Dup
"#,
    );
}

#[test]
fn a_hugo_heading_made_of_a_shortcode_is_never_suggested() {
    // Its text is the shortcode's argument, not what the site renders (`What's next`): an id made
    // from it is a guess, which a fix must not write.
    let fixture = test_fixture::parse_in(
        crate::dialect::Dialect::Hugo,
        r##"
//- /content/docs/task.md
## Steps

## {{% heading "whatsnext" %}}

[next](#what-s-next) [typo](#stepz)
"##,
    );
    let mut config = Config::default();
    config.rules.insert(Code::MissingDate, None);
    render_fixture(
        fixture,
        config,
        expect![[r#"
        content/docs/task.md:5:9 error broken-anchor "what-s-next": no heading `#what-s-next` in this note
        content/docs/task.md:5:30 error broken-anchor "stepz": no heading `#stepz` in this note; did you mean `#steps`? [fix: "stepz" -> "steps"]
    "#]],
    );
}

/// The server keeps note texts packed, `kbls check` plain: every finding of every fixture corpus
/// is the same either way.
#[test]
fn every_fixture_corpus_has_the_same_findings_with_packed_texts() {
    use crate::text::TextStorage;
    let today = NaiveDate::parse_from_str(test_fixture::TODAY, "%Y-%m-%d").expect("a date");
    let cfg = DiagnosticsConfig::new(Config::default(), today);
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let (mut corpora, mut compared) = (0, 0);
    for entry in std::fs::read_dir(&fixtures).expect("fixtures/").flatten() {
        let notes: Vec<(String, std::sync::Arc<str>)> = test_fixture::read_corpus(&entry.path())
            .into_iter()
            .map(|(path, text)| (path, text.as_str().into()))
            .collect();
        if notes.is_empty() {
            continue;
        }
        corpora += 1;
        let findings = |storage: TextStorage| {
            let options = crate::syntax::ParseOptions::default();
            let graph = Graph::build_stored(notes.clone(), Vec::new(), &options, storage);
            let mut notes: Vec<_> = graph.notes().collect();
            notes.sort_by(|a, b| a.1.path.cmp(&b.1.path));
            let mut out = String::new();
            for (id, note) in notes {
                for d in note_diagnostics(&graph, id, &cfg) {
                    out += &line(note, d);
                }
            }
            out
        };
        let (plain, packed) = (findings(TextStorage::Plain), findings(TextStorage::Packed));
        compared += plain.lines().count();
        assert!(
            plain == packed,
            "{}:\n{plain}\n--- packed\n{packed}",
            entry.path().display()
        );
    }
    assert!(
        corpora >= 5 && compared > 100,
        "{corpora} corpora, {compared} findings"
    );
}
