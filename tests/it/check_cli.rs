//! `kbls check` from the outside: the report of every fixture corpus in every format, exit
//! codes, options, and how the loader treats odd files and folders.
//!
//! Fixture reports are `expect_file!` snapshots under `snapshots/`; refresh them with
//! `UPDATE_EXPECT=1 cargo test --test it` and review the diff against `fixtures/<name>-expected.md`.

use crate::support::{kbls, repo_root, Corpus, Kbls, Run};
use expect_test::{expect, expect_file, Expect, ExpectFile};
use serde_json::Value;

/// The date every fixture's expectations are written for.
const TODAY: &str = "2026-11-28";

/// Checks the human and JSON reports of `fixtures/<name>` and the exit code.
#[track_caller]
fn check_fixture(name: &str, code: i32, human: ExpectFile, json: ExpectFile) {
    let path = format!("fixtures/{name}");
    let run = kbls(repo_root(), &["check", &path, "--today", TODAY]);
    assert_eq!(run.stderr, "");
    assert_eq!(run.code, code, "human report of {name}");
    human.assert_eq(&run.stdout);

    let run = kbls(
        repo_root(),
        &["check", &path, "--today", TODAY, "--format", "json"],
    );
    assert_eq!(run.stderr, "");
    assert_eq!(run.code, code, "JSON report of {name}");
    json.assert_eq(&run.stdout);
    assert_sorted(&parse_json(&run.stdout));
}

fn parse_json(text: &str) -> Value {
    serde_json::from_str(text).expect("kbls printed valid JSON")
}

/// The JSON diagnostics are ordered by path, then position.
#[track_caller]
fn assert_sorted(report: &Value) {
    let keys: Vec<(String, u64, u64)> = report["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .map(|d| {
            (
                d["path"].as_str().expect("path").to_string(),
                d["line"].as_u64().expect("line"),
                d["column"].as_u64().expect("column"),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

/// One line per finding, `path:line:col code`, from a JSON report.
fn findings(run: &Run) -> String {
    let report = parse_json(&run.stdout);
    let mut out = String::new();
    for d in report["diagnostics"].as_array().expect("diagnostics array") {
        out += &format!(
            "{}:{}:{} {} {}\n",
            d["path"].as_str().expect("path"),
            d["line"],
            d["column"],
            d["severity"].as_str().expect("severity"),
            d["code"].as_str().expect("code"),
        );
    }
    out += &format!("summary {}\n", report["summary"]);
    out
}

#[track_caller]
fn check_findings(run: &Run, code: i32, expect: Expect) {
    assert_eq!(run.stderr, "", "stderr");
    assert_eq!(run.code, code, "exit code; stdout:\n{}", run.stdout);
    expect.assert_eq(&findings(run));
}

// The fixture corpora. Each snapshot was reviewed against `fixtures/<name>-expected.md`.

#[test]
fn fixture_kb() {
    // The reviewed expected report: exactly the four findings of `fixtures/kb-expected-findings.md`.
    check_fixture(
        "kb",
        1,
        expect_file!["snapshots/kb.human"],
        expect_file!["snapshots/kb.json"],
    );
}

#[test]
fn fixture_links() {
    check_fixture(
        "links",
        1,
        expect_file!["snapshots/links.human"],
        expect_file!["snapshots/links.json"],
    );
}

#[test]
fn fixture_headings() {
    check_fixture(
        "headings",
        1,
        expect_file!["snapshots/headings.human"],
        expect_file!["snapshots/headings.json"],
    );
}

#[test]
fn fixture_dates() {
    check_fixture(
        "dates",
        1,
        expect_file!["snapshots/dates.human"],
        expect_file!["snapshots/dates.json"],
    );
}

#[test]
fn fixture_suppress() {
    check_fixture(
        "suppress",
        1,
        expect_file!["snapshots/suppress.human"],
        expect_file!["snapshots/suppress.json"],
    );
}

#[test]
fn fixture_unreadable() {
    check_fixture(
        "unreadable",
        1,
        expect_file!["snapshots/unreadable.human"],
        expect_file!["snapshots/unreadable.json"],
    );
}

#[test]
fn fixture_unicode() {
    check_fixture(
        "unicode",
        1,
        expect_file!["snapshots/unicode.human"],
        expect_file!["snapshots/unicode.json"],
    );
}

#[test]
fn fixture_thematic_breaks() {
    check_fixture(
        "thematic-breaks",
        1,
        expect_file!["snapshots/thematic-breaks.human"],
        expect_file!["snapshots/thematic-breaks.json"],
    );
}

#[test]
fn fixture_obsidian() {
    check_fixture(
        "obsidian",
        1,
        expect_file!["snapshots/obsidian.human"],
        expect_file!["snapshots/obsidian.json"],
    );
}

#[test]
fn fixture_hugo() {
    check_fixture(
        "hugo",
        1,
        expect_file!["snapshots/hugo.human"],
        expect_file!["snapshots/hugo.json"],
    );
}

#[test]
fn fixture_mdbook() {
    check_fixture(
        "mdbook",
        1,
        expect_file!["snapshots/mdbook.human"],
        expect_file!["snapshots/mdbook.json"],
    );
}

#[test]
fn config_error_unknown_key() {
    let run = kbls(
        repo_root(),
        &[
            "check",
            "fixtures/config-errors/unknown-key",
            "--today",
            TODAY,
        ],
    );
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    expect![[r#"
        kbls: fixtures/config-errors/unknown-key/kbls.toml:1:1: unknown field `stale_after_dayz`, expected one of `stale_after_days`, `date_label`, `date_keys`, `exclude`, `wikilinks`, `max_file_size`, `rules`, `date_grace_days`, `staleness`, `terms`, `dialect`
    "#]]
    .assert_eq(&run.stderr);
}

#[test]
fn config_error_bad_value() {
    let run = kbls(
        repo_root(),
        &[
            "check",
            "fixtures/config-errors/bad-value",
            "--today",
            TODAY,
        ],
    );
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    expect![[r#"
        kbls: fixtures/config-errors/bad-value/kbls.toml:2:15: [rules] `broken-link`: invalid severity `fatal` (expected "error", "warning", "info", "hint" or "off")
    "#]]
    .assert_eq(&run.stderr);
}

#[test]
fn config_error_seen_from_inside_the_corpus() {
    // The file is named relative to the current folder, wherever that is.
    let cwd = repo_root().join("fixtures/config-errors/unknown-key");
    let run = kbls(&cwd, &["check", "note.md", "--today", TODAY]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("kbls: kbls.toml:1:1: unknown field `stale_after_dayz`"),
        "{}",
        run.stderr
    );
}

// Output formats.

#[test]
fn format_github() {
    let run = kbls(
        repo_root(),
        &[
            "check",
            "fixtures/links",
            "--today",
            TODAY,
            "--format",
            "github",
        ],
    );
    assert_eq!(run.code, 1);
    expect![[r#"
        ::error file=fixtures/links/index.md,line=21,col=37,endLine=21,endColumn=47,title=broken-link::link target `missing.md` does not exist
        ::error file=fixtures/links/index.md,line=22,col=50,endLine=22,endColumn=65,title=broken-anchor::no heading `#no-such-heading` in `target.md`
        ::error file=fixtures/links/index.md,line=23,col=48,endLine=23,endColumn=55,title=broken-anchor::no heading `#nowhere` in this note
        ::error file=fixtures/links/index.md,line=32,col=44,endLine=32,endColumn=57,title=undefined-reference::no definition `[no-such-label]: ...` for this reference link
        ::error file=fixtures/links/index.md,line=51,col=38,endLine=51,endColumn=56,title=broken-link::image target `images/missing.png` does not exist
        ::warning file=fixtures/links/index.md,line=79,col=30,endLine=79,endColumn=33,title=ambiguous-wikilink::wiki-link matches 2 notes: a/dup.md, b/dup.md; use a path to choose one
        ::error file=fixtures/links/index.md,line=80,col=28,endLine=80,endColumn=40,title=broken-link::no note named `missing-note` for wiki-link
        ::error file=fixtures/links/index.md,line=81,col=38,endLine=81,endColumn=53,title=broken-anchor::no heading `#No Such Heading` in `target.md`
        ::warning file=fixtures/links/sub/deep.md,line=6,col=46,endLine=6,endColumn=62,title=link-outside-root::link climbs out of the corpus root; kbls does not follow it
    "#]]
    .assert_eq(&run.stdout);
}

#[test]
fn format_github_escapes_properties_and_data() {
    let corpus = Corpus::new(&[(
        "a,b:c.md",
        "# A\n\n[x](100%.md)\n\nLast updated: 2026-11-01\n",
    )]);
    let run = corpus.kbls(&["check", "--today", TODAY, "--format", "github"]);
    assert_eq!(run.code, 1);
    expect![[r#"
        ::error file=a%2Cb%3Ac.md,line=3,col=5,endLine=3,endColumn=12,title=broken-link::link target `100%25.md` does not exist
    "#]]
    .assert_eq(&run.stdout);
}

/// `kbls check fixtures/links --format sarif`.
fn links_sarif() -> Run {
    kbls(
        repo_root(),
        &[
            "check",
            "fixtures/links",
            "--today",
            TODAY,
            "--format",
            "sarif",
        ],
    )
}

#[test]
fn format_sarif() {
    let run = links_sarif();
    assert_eq!(run.code, 1);
    let sarif = parse_json(&run.stdout);
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["$schema"]
        .as_str()
        .expect("$schema")
        .contains("sarif-2.1.0"));
    let runs = sarif["runs"].as_array().expect("runs array");
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "kbls");
    let rules = driver["rules"].as_array().expect("rules array");
    let rule_ids: Vec<&str> = rules
        .iter()
        .map(|rule| rule["id"].as_str().expect("rule id"))
        .collect();
    for code in [
        "broken-link",
        "broken-anchor",
        "undefined-reference",
        "ambiguous-wikilink",
        "stale-note",
        "invalid-date",
        "future-date",
        "missing-date",
        "duplicate-heading",
        "link-outside-root",
        "unreadable-file",
    ] {
        assert!(rule_ids.contains(&code), "no SARIF rule {code}");
    }
    for rule in rules {
        assert!(rule["shortDescription"]["text"].is_string(), "{rule}");
    }

    // The results are the JSON report's findings, one for one.
    let json = parse_json(
        &kbls(
            repo_root(),
            &[
                "check",
                "fixtures/links",
                "--today",
                TODAY,
                "--format",
                "json",
            ],
        )
        .stdout,
    );
    let diagnostics = json["diagnostics"].as_array().expect("diagnostics");
    let results = runs[0]["results"].as_array().expect("results array");
    assert_eq!(results.len(), diagnostics.len());
    for (result, d) in results.iter().zip(diagnostics) {
        let rule_id = result["ruleId"].as_str().expect("ruleId");
        assert_eq!(rule_id, d["code"]);
        let rule_index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rule_ids[rule_index], rule_id);
        let level = result["level"].as_str().expect("level");
        let severity = d["severity"].as_str().expect("severity");
        let want = match severity {
            "error" => "error",
            "warning" => "warning",
            _ => "note",
        };
        assert_eq!(level, want);
        assert_eq!(result["message"]["text"], d["message"]);
        let locations = result["locations"].as_array().expect("locations");
        assert_eq!(locations.len(), 1);
        let physical = &locations[0]["physicalLocation"];
        assert_eq!(physical["artifactLocation"]["uri"], d["path"]);
        let region = &physical["region"];
        assert_eq!(region["startLine"], d["line"]);
        assert_eq!(region["startColumn"], d["column"]);
        assert_eq!(region["endLine"], d["end_line"]);
        assert_eq!(region["endColumn"], d["end_column"]);
    }
}

#[test]
fn sarif_help_uris_point_at_anchors_in_the_readme() {
    let run = links_sarif();
    let sarif = parse_json(&run.stdout);
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules array");
    assert!(rules.len() >= 17, "{rules:?}");
    let readme = std::fs::read_to_string(repo_root().join("README.md")).expect("read README.md");
    let anchors = readme_anchors(&readme);
    for rule in rules {
        let uri = rule["helpUri"].as_str().expect("helpUri");
        let fragment = uri
            .strip_prefix("https://github.com/kbls/kbls#")
            .unwrap_or_else(|| panic!("helpUri {uri} is not the README on GitHub"));
        assert!(
            anchors.iter().any(|a| a == fragment),
            "helpUri {uri}: README.md has no anchor `{fragment}`"
        );
    }
}

/// The fragments GitHub gives README.md: explicit `<a id>`/`<a name>` anchors, and each heading's
/// slug (lowercase, punctuation but `-` and `_` dropped, spaces to `-`, repeats numbered).
fn readme_anchors(readme: &str) -> Vec<String> {
    let mut res = Vec::new();
    for attr in ["<a id=\"", "<a name=\""] {
        for (idx, _) in readme.match_indices(attr) {
            let rest = &readme[idx + attr.len()..];
            res.extend(rest.split('"').next().map(str::to_string));
        }
    }
    let mut in_code = false;
    let mut slugs: Vec<String> = Vec::new();
    for line in readme.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        }
        let Some(title) = line.trim_start_matches('#').strip_prefix(' ') else {
            continue;
        };
        if in_code || !line.starts_with('#') {
            continue;
        }
        let slug: String = title
            .trim()
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '))
            .map(|c| if c == ' ' { '-' } else { c })
            .collect();
        let n_same = slugs.iter().filter(|s| **s == slug).count();
        res.push(match n_same {
            0 => slug.clone(),
            n => format!("{slug}-{n}"),
        });
        slugs.push(slug);
    }
    res
}

#[test]
fn format_json_of_a_clean_corpus() {
    let corpus = Corpus::new(&[("note.md", "# Note\n\nLast updated: 2026-11-01\n")]);
    let run = corpus.kbls(&["check", "--today", TODAY, "--format", "json"]);
    assert_eq!(run.code, 0);
    expect![[r#"
        {
          "version": 1,
          "diagnostics": [],
          "summary": {
            "files": 1,
            "errors": 0,
            "warnings": 0,
            "infos": 0,
            "dialect": "github"
          }
        }
    "#]]
    .assert_eq(&run.stdout);
}

#[test]
fn human_has_no_color_when_not_a_terminal() {
    // `NO_COLOR` unset: colors still stay off, since stdout is a pipe.
    let run = Kbls::new(repo_root())
        .env_remove("NO_COLOR")
        .args(&["check", "fixtures/suppress", "--today", TODAY])
        .run();
    assert_eq!(run.code, 1);
    assert!(!run.stdout.contains('\x1b'), "{}", run.stdout);
}

#[cfg(target_os = "linux")]
#[test]
fn human_has_color_on_a_terminal_unless_no_color() {
    // util-linux `script` gives kbls a pseudo-terminal as stdout.
    let script = std::path::Path::new("/usr/bin/script");
    assert!(
        script.exists(),
        "this test needs util-linux `script` (Debian package bsdutils)"
    );
    let on_terminal = |no_color: &str| {
        let shell = format!(
            "env NO_COLOR={no_color} '{}' check fixtures/suppress --today {TODAY}",
            env!("CARGO_BIN_EXE_kbls")
        );
        let output = std::process::Command::new(script)
            .args(["-qec", &shell, "/dev/null"])
            .current_dir(repo_root())
            .stdin(std::process::Stdio::null())
            .output()
            .expect("run script");
        assert_eq!(output.status.code(), Some(1));
        String::from_utf8(output.stdout).expect("UTF-8")
    };
    let colored = on_terminal("");
    assert!(
        colored.contains("\x1b[1;31merror[broken-link]\x1b[0m"),
        "{colored:?}"
    );
    let plain = on_terminal("1");
    assert!(!plain.contains('\x1b'), "{plain:?}");
    assert!(plain.contains("error[broken-link]"), "{plain:?}");
}

// Exit codes.

#[test]
fn exit_0_on_a_clean_corpus() {
    let corpus = Corpus::new(&[
        (
            "a.md",
            "# A\n\nSee [B](b.md#b-heading).\n\nLast updated: 2026-11-01\n",
        ),
        ("b.md", "# B Heading\n\nLast updated: 2026-11-01\n"),
    ]);
    let run = corpus.kbls(&["check", "--today", TODAY]);
    assert_eq!(run.code, 0);
    expect![[r#"
        2 files checked: 0 errors, 0 warnings, 0 infos (dialect: github)
    "#]]
    .assert_eq(&run.stdout);
}

#[test]
fn exit_1_only_with_deny_warnings_when_only_warnings() {
    let corpus = Corpus::new(&[("old.md", "# Old\n\nLast updated: 2020-01-01\n")]);
    let run = corpus.kbls(&["check", "--today", TODAY, "--format", "json"]);
    check_findings(
        &run,
        0,
        expect![[r#"
            old.md:3:15 warning stale-note
            summary {"dialect":"github","errors":0,"files":1,"infos":0,"warnings":1}
        "#]],
    );
    let run = corpus.kbls(&[
        "check", "--today", TODAY, "--deny", "warnings", "--format", "json",
    ]);
    assert_eq!(run.code, 1);
}

#[test]
fn exit_2_on_bad_usage() {
    let cases: &[&[&str]] = &[
        &["check", "--format", "xml"],
        &["check", "--no-such-flag"],
        &["check", "--stale-after", "-3"],
        &["check", "--stale-after", "soon"],
        &["check", "--deny", "errors"],
        &["no-such-command"],
        &[],
    ];
    for args in cases {
        let run = kbls(repo_root(), args);
        assert_eq!(run.code, 2, "kbls {args:?}: {run:?}");
        assert_eq!(run.stdout, "", "kbls {args:?}");
        assert!(!run.stderr.is_empty(), "kbls {args:?}");
    }
}

#[test]
fn exit_2_on_a_bad_today() {
    let run = kbls(
        repo_root(),
        &["check", "fixtures/kb", "--today", "2026-13-01"],
    );
    assert_eq!((run.code, run.stdout.as_str()), (2, ""));
    expect![[r#"
        kbls: invalid date `2026-13-01` for today (expected YYYY-MM-DD)
    "#]]
    .assert_eq(&run.stderr);

    let run = Kbls::new(repo_root())
        .env("KBLS_TODAY", "tomorrow")
        .args(&["check", "fixtures/kb"])
        .run();
    assert_eq!((run.code, run.stdout.as_str()), (2, ""));
    expect![[r#"
        kbls: invalid date `tomorrow` for today (expected YYYY-MM-DD)
    "#]]
    .assert_eq(&run.stderr);
}

#[test]
fn exit_2_on_a_missing_path() {
    let run = kbls(
        repo_root(),
        &["check", "fixtures/no-such-corpus", "--today", TODAY],
    );
    assert_eq!((run.code, run.stdout.as_str()), (2, ""));
    expect![[r#"
        kbls: no such file or folder: fixtures/no-such-corpus
    "#]]
    .assert_eq(&run.stderr);
}

#[test]
fn exit_2_on_a_missing_config_file() {
    let run = kbls(
        repo_root(),
        &[
            "check",
            "fixtures/kb",
            "--today",
            TODAY,
            "--config",
            "no-such.toml",
        ],
    );
    assert_eq!((run.code, run.stdout.as_str()), (2, ""));
    expect![[r#"
        kbls: cannot read config no-such.toml: No such file or directory (os error 2)
    "#]]
    .assert_eq(&run.stderr);
}

// Options.

#[test]
fn stale_after_overrides_the_config() {
    // 27 days old on TODAY; stale means strictly older than the limit.
    let corpus = Corpus::new(&[
        ("kbls.toml", "stale_after_days = 1\n"),
        ("note.md", "# Note\n\nLast updated: 2026-11-01\n"),
    ]);
    let run = corpus.kbls(&["check", "--today", TODAY, "--format", "json"]);
    check_findings(
        &run,
        0,
        expect![[r#"
            note.md:3:15 warning stale-note
            summary {"dialect":"github","errors":0,"files":1,"infos":0,"warnings":1}
        "#]],
    );
    let run = corpus.kbls(&[
        "check",
        "--today",
        TODAY,
        "--format",
        "json",
        "--stale-after",
        "26",
    ]);
    check_findings(
        &run,
        0,
        expect![[r#"
            note.md:3:15 warning stale-note
            summary {"dialect":"github","errors":0,"files":1,"infos":0,"warnings":1}
        "#]],
    );
    let run = corpus.kbls(&[
        "check",
        "--today",
        TODAY,
        "--format",
        "json",
        "--stale-after",
        "27",
    ]);
    check_findings(
        &run,
        0,
        expect![[r#"
            summary {"dialect":"github","errors":0,"files":1,"infos":0,"warnings":0}
        "#]],
    );
}

#[test]
fn today_from_kbls_today() {
    let corpus = Corpus::new(&[("note.md", "# Note\n\nLast updated: 2026-11-01\n")]);
    // 2027-06-01 is 212 days later: stale under the default 180 days.
    let run = Kbls::new(corpus.path())
        .env("KBLS_TODAY", "2027-06-01")
        .args(&["check", "--format", "json"])
        .run();
    check_findings(
        &run,
        0,
        expect![[r#"
            note.md:3:15 warning stale-note
            summary {"dialect":"github","errors":0,"files":1,"infos":0,"warnings":1}
        "#]],
    );
    // The flag wins over the variable; 2026-10-01 puts the date in the future.
    let run = Kbls::new(corpus.path())
        .env("KBLS_TODAY", "2027-06-01")
        .args(&["check", "--format", "json", "--today", "2026-10-01"])
        .run();
    check_findings(
        &run,
        0,
        expect![[r#"
            note.md:3:15 warning future-date
            summary {"dialect":"github","errors":0,"files":1,"infos":0,"warnings":1}
        "#]],
    );
}

#[test]
fn config_flag_replaces_the_root_config() {
    let corpus = Corpus::new(&[
        ("kbls.toml", "stale_after_days = 1\n"),
        (
            "strict.toml",
            "stale_after_days = 3650\n[rules]\nbroken-link = \"warning\"\nmissing-date = \"error\"\n",
        ),
        ("note.md", "# Note\n\n[gone](gone.md)\n\nLast updated: 2026-11-01\n"),
        ("undated.md", "# Undated\n"),
    ]);
    let run = corpus.kbls(&["check", "--today", TODAY, "--format", "json"]);
    check_findings(
        &run,
        1,
        expect![[r#"
            note.md:3:8 error broken-link
            note.md:5:15 warning stale-note
            summary {"dialect":"github","errors":1,"files":2,"infos":0,"warnings":1}
        "#]],
    );
    let run = corpus.kbls(&[
        "check",
        "--today",
        TODAY,
        "--format",
        "json",
        "--config",
        "strict.toml",
    ]);
    check_findings(
        &run,
        1,
        expect![[r#"
            note.md:3:8 warning broken-link
            undated.md:1:1 error missing-date
            summary {"dialect":"github","errors":1,"files":2,"infos":0,"warnings":1}
        "#]],
    );
}

#[test]
fn rules_off_by_default_can_be_turned_on() {
    // `fixtures/dates/missing.md` and the three `## Setup` headings of `fixtures/headings`.
    let corpus = Corpus::new(&[(
        "on.toml",
        "stale_after_days = 365\n[rules]\nmissing-date = \"warning\"\nduplicate-heading = \"info\"\noutdated-date = \"off\"\n",
    )]);
    let config = corpus.join("on.toml");
    let config = config.to_str().expect("UTF-8 temp path");
    let run = kbls(
        repo_root(),
        &[
            "check",
            "fixtures/dates",
            "fixtures/headings",
            "--today",
            TODAY,
            "--format",
            "json",
            "--config",
            config,
        ],
    );
    check_findings(
        &run,
        1,
        expect![[r#"
            fixtures/dates/fm-lastmod.md:2:10 warning stale-note
            fixtures/dates/future.md:5:15 warning future-date
            fixtures/dates/invalid.md:5:15 error invalid-date
            fixtures/dates/missing.md:1:1 warning missing-date
            fixtures/dates/stale.md:5:15 warning stale-note
            fixtures/dates/unparseable.md:5:15 error invalid-date
            fixtures/headings/headings.md:27:4 info duplicate-heading
            fixtures/headings/headings.md:31:4 info duplicate-heading
            fixtures/headings/links.md:33:30 error broken-anchor
            fixtures/headings/links.md:34:33 error broken-anchor
            fixtures/headings/links.md:35:31 error broken-anchor
            fixtures/headings/links.md:36:40 error broken-anchor
            fixtures/headings/links.md:37:46 error broken-anchor
            fixtures/headings/links.md:38:30 error broken-anchor
            fixtures/headings/links.md:39:37 error broken-anchor
            summary {"dialect":"github","errors":9,"files":13,"infos":2,"warnings":4}
        "#]],
    );
}

#[test]
fn quiet_leaves_out_the_summary() {
    let run = kbls(
        repo_root(),
        &["check", "fixtures/suppress", "--today", TODAY, "--quiet"],
    );
    assert_eq!(run.code, 1);
    assert!(!run.stdout.contains("checked"), "{}", run.stdout);
    assert_eq!(run.stdout.lines().count(), 4 * 3);

    let corpus = Corpus::new(&[("note.md", "# Note\n\nLast updated: 2026-11-01\n")]);
    let run = corpus.kbls(&["check", "--today", TODAY, "--quiet"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "", "")
    );
}

// Which files are checked.

#[test]
fn single_file_uses_the_root_above_it() {
    // Dated 2026-02-09, 292 days before TODAY: stale under the default 180 days, not under the
    // root's `stale_after_days = 365`. Its links into the rest of the corpus resolve. The two
    // notes that link into it are checked too, for those links only, so 3 files are counted.
    let run = kbls(
        repo_root(),
        &[
            "check",
            "fixtures/kb/gpu/gpu-sharing.md",
            "--today",
            TODAY,
            "--format",
            "json",
        ],
    );
    check_findings(
        &run,
        0,
        expect![[r#"
            summary {"dialect":"github","errors":0,"files":3,"infos":0,"warnings":0}
        "#]],
    );
    let run = kbls(
        repo_root(),
        &[
            "check",
            "fixtures/kb/kubernetes/device-plugins.md",
            "--today",
            TODAY,
            "--format",
            "json",
        ],
    );
    check_findings(
        &run,
        1,
        expect![[r#"
            fixtures/kb/kubernetes/device-plugins.md:14:91 error broken-link
            summary {"dialect":"github","errors":1,"files":3,"infos":0,"warnings":0}
        "#]],
    );
}

#[test]
fn single_file_in_the_current_folder() {
    let cwd = repo_root().join("fixtures/kb/devops");
    let run = kbls(&cwd, &["check", "git-internals.md", "--today", TODAY]);
    assert_eq!(run.code, 0);
    expect![[r#"
        git-internals.md:84:15: warning[stale-note]: note was last updated 682 days ago on 2025-01-15, more than the 365 days allowed
        84 | Last updated: 2025-01-15
           |               ^^^^^^^^^^
        3 files checked: 0 errors, 1 warning, 0 infos (dialect: github)
    "#]]
    .assert_eq(&run.stdout);
}

#[test]
fn default_path_is_the_current_folder() {
    let cwd = repo_root().join("fixtures/suppress");
    let run = kbls(&cwd, &["check", "--today", TODAY, "--format", "json"]);
    check_findings(
        &run,
        1,
        expect![[r#"
            notes.md:7:28 error broken-link
            notes.md:9:18 error broken-link
            notes.md:17:31 error broken-link
            until-eof.md:3:37 error broken-link
            summary {"dialect":"github","errors":4,"files":3,"infos":0,"warnings":0}
        "#]],
    );
}

#[test]
fn several_paths_and_roots_in_one_report() {
    let run = kbls(
        repo_root(),
        &[
            "check",
            "fixtures/suppress/until-eof.md",
            "fixtures/headings",
            "fixtures/suppress/notes.md",
            "--today",
            TODAY,
            "--format",
            "json",
        ],
    );
    check_findings(
        &run,
        1,
        expect![[r#"
            fixtures/headings/links.md:33:30 error broken-anchor
            fixtures/headings/links.md:34:33 error broken-anchor
            fixtures/headings/links.md:35:31 error broken-anchor
            fixtures/headings/links.md:36:40 error broken-anchor
            fixtures/headings/links.md:37:46 error broken-anchor
            fixtures/headings/links.md:38:30 error broken-anchor
            fixtures/headings/links.md:39:37 error broken-anchor
            fixtures/suppress/notes.md:7:28 error broken-link
            fixtures/suppress/notes.md:9:18 error broken-link
            fixtures/suppress/notes.md:17:31 error broken-link
            fixtures/suppress/until-eof.md:3:37 error broken-link
            summary {"dialect":"github","errors":11,"files":4,"infos":0,"warnings":0}
        "#]],
    );
}

#[test]
fn file_arguments_without_a_config_share_the_current_folder_as_root() {
    // No kbls.toml and no git repository: the current folder is the root, not each file's own
    // folder, so `../a.md` resolves and its missing anchor is found.
    let corpus = Corpus::new(&[
        ("a.md", "# A\n\n## Part\n\nLast updated: 2026-11-01\n"),
        (
            "sub/b.md",
            "# B\n\n[A](../a.md) [Part](../a.md#part) [nope](../a.md#nope) [[a]]\n\nLast updated: 2026-11-01\n",
        ),
    ]);
    let run = corpus.kbls(&[
        "check", "a.md", "sub/b.md", "--today", TODAY, "--format", "json",
    ]);
    check_findings(
        &run,
        1,
        expect![[r#"
            sub/b.md:3:50 error broken-anchor
            summary {"dialect":"github","errors":1,"files":2,"infos":0,"warnings":0}
        "#]],
    );
    // A file outside the current folder falls back to its own folder.
    let elsewhere = Corpus::new(&[]);
    let b = corpus.join("sub/b.md");
    let run = elsewhere.kbls(&[
        "check",
        b.to_str().expect("UTF-8 temp path"),
        "--today",
        TODAY,
        "--format",
        "json",
    ]);
    let report = parse_json(&run.stdout);
    let codes: Vec<&str> = report["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .map(|d| d["code"].as_str().expect("code"))
        .collect();
    assert!(codes.contains(&"link-outside-root"), "{}", run.stdout);
}

#[test]
fn file_arguments_report_links_elsewhere_that_point_into_them() {
    let corpus = Corpus::new(&[
        ("kbls.toml", ""),
        ("a.md", "# A\n\n## Renamed\n\nLast updated: 2026-11-01\n"),
        (
            "notes/c.md",
            "# C\n\n[Part](../a.md#part) [ok](../a.md#renamed) [old](gone.md) [[a#part]]\n\nLast updated: 2026-11-01\n",
        ),
        ("notes/d.md", "# D\n\n[old](gone.md)\n\nLast updated: 2026-11-01\n"),
    ]);
    // Run from a subfolder: the root is still the folder with kbls.toml.
    let run = kbls(
        &corpus.join("notes"),
        &["check", "../a.md", "--today", TODAY, "--format", "json"],
    );
    // `c.md`'s links into `a.md` are checked, not its own broken `gone.md`; `d.md` is not read.
    check_findings(
        &run,
        1,
        expect![[r#"
            c.md:3:16 error broken-anchor
            c.md:3:63 error broken-anchor
            summary {"dialect":"github","errors":2,"files":2,"infos":0,"warnings":0}
        "#]],
    );
}

#[test]
fn huge_file_is_unreadable_and_the_rest_is_checked() {
    let corpus = Corpus::new(&[(
        "small.md",
        "# Small\n\n[x](gone.md) [big](big.md)\n\nLast updated: 2026-11-01\n",
    )]);
    // One byte over 8 MiB of otherwise fine Markdown.
    let line = "Some text with a [link](gone-too.md) in it.\n";
    let mut text = String::from("# Big\n\n");
    while text.len() <= 8 * 1024 * 1024 {
        text += line;
    }
    text.truncate(8 * 1024 * 1024 + 1);
    corpus.write("big.md", &text);
    let run = corpus.kbls(&["check", "--today", TODAY, "--format", "json"]);
    check_findings(
        &run,
        1,
        expect![[r#"
            big.md:1:1 error unreadable-file
            small.md:3:5 error broken-link
            summary {"dialect":"github","errors":2,"files":2,"infos":0,"warnings":0}
        "#]],
    );
    let report = parse_json(&run.stdout);
    expect![
        "file is 8388609 bytes, over the limit of 8388608 bytes (`max_file_size` in kbls.toml)"
    ]
    .assert_eq(
        report["diagnostics"][0]["message"]
            .as_str()
            .expect("message"),
    );
}

#[test]
fn max_file_size_in_config() {
    let corpus = Corpus::new(&[
        ("kbls.toml", "max_file_size = 40\n"),
        ("short.md", "# Short\n\nLast updated: 2026-11-01\n"),
        (
            "long.md",
            "# Long\n\nThis note is longer than forty bytes.\n\nLast updated: 2026-11-01\n",
        ),
    ]);
    let run = corpus.kbls(&["check", "--today", TODAY, "--format", "json"]);
    check_findings(
        &run,
        1,
        expect![[r#"
            long.md:1:1 error unreadable-file
            summary {"dialect":"github","errors":1,"files":2,"infos":0,"warnings":0}
        "#]],
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_do_not_hang() {
    let corpus = Corpus::new(&[
        (
            "note.md",
            "# Note\n\n[Other](sub/other.md)\n\nLast updated: 2026-11-01\n",
        ),
        ("sub/other.md", "# Other\n\nLast updated: 2026-11-01\n"),
    ]);
    std::os::unix::fs::symlink("..", corpus.join("sub/up")).expect("symlink to parent");
    std::os::unix::fs::symlink(".", corpus.join("sub/here")).expect("symlink to itself");
    std::os::unix::fs::symlink("b", corpus.join("a")).expect("symlink a -> b");
    std::os::unix::fs::symlink("a", corpus.join("b")).expect("symlink b -> a");
    let run = corpus.kbls(&["check", "--today", TODAY, "--format", "json"]);
    check_findings(
        &run,
        0,
        expect![[r#"
            summary {"dialect":"github","errors":0,"files":2,"infos":0,"warnings":0}
        "#]],
    );
}

#[test]
fn ignored_and_hidden_files_are_skipped() {
    let broken = "# Broken\n\n[x](gone.md)\n\nLast updated: 2026-11-01\n";
    let corpus = Corpus::new(&[
        (".gitignore", "drafts/\n*.tmp.md\n"),
        ("note.md", "# Note\n\nLast updated: 2026-11-01\n"),
        ("drafts/wip.md", broken),
        ("scratch.tmp.md", broken),
        (".obsidian/cache.md", broken),
        (".hidden.md", broken),
        ("sub/.trash/old.md", broken),
        ("sub/.ignore", "private.md\n"),
        ("sub/private.md", broken),
    ]);
    let run = corpus.kbls(&["check", "--today", TODAY, "--format", "json"]);
    check_findings(
        &run,
        0,
        expect![[r#"
            summary {"dialect":"obsidian","errors":0,"files":1,"infos":0,"warnings":0}
        "#]],
    );
}

#[test]
fn exclude_in_config() {
    let broken = "# Broken\n\n[x](gone.md)\n\nLast updated: 2026-11-01\n";
    let corpus = Corpus::new(&[
        (
            "kbls.toml",
            "exclude = [\"archive/**\", \"**/*.draft.md\"]\n",
        ),
        ("note.md", "# Note\n\nLast updated: 2026-11-01\n"),
        ("archive/2019/old.md", broken),
        ("sub/idea.draft.md", broken),
        ("sub/kept.md", broken),
    ]);
    let run = corpus.kbls(&["check", "--today", TODAY, "--format", "json"]);
    check_findings(
        &run,
        1,
        expect![[r#"
            sub/kept.md:3:5 error broken-link
            summary {"dialect":"github","errors":1,"files":2,"infos":0,"warnings":0}
        "#]],
    );
}

/// The root is a wall: a note symlinked to a file outside it is never read, a symlinked folder
/// outside it is never walked; both `check` and the server say so and show none of the content.
#[test]
fn symlinks_out_of_the_root_are_not_followed() {
    let outside = Corpus::new(&[
        (
            "secret.md",
            "# Top Secret Heading\n\nThe launch code is 1234.\n",
        ),
        ("dir/more.md", "# More Secret\n"),
    ]);
    let corpus = Corpus::new(&[
        ("kbls.toml", ""),
        ("a.md", "# A\n\n[s](secret-link.md) [in](inside-link.md)\n"),
        ("b.md", "# B\n"),
    ]);
    std::os::unix::fs::symlink(outside.join("secret.md"), corpus.join("secret-link.md"))
        .expect("symlink");
    std::os::unix::fs::symlink(outside.join("dir"), corpus.join("linked-dir")).expect("symlink");
    std::os::unix::fs::symlink(corpus.join("b.md"), corpus.join("inside-link.md"))
        .expect("symlink");
    let run = corpus.kbls(&["check", "--format", "json", "--today", TODAY]);
    assert!(
        !run.stdout.contains("Secret") && !run.stdout.contains("1234"),
        "{}",
        run.stdout
    );
    let report = parse_json(&run.stdout);
    let found: Vec<(String, String)> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().into(),
                d["code"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [("secret-link.md".to_string(), "unreadable-file".to_string())]
    );
    assert!(report["diagnostics"][0]["message"]
        .as_str()
        .unwrap()
        .contains("outside the corpus root"));

    let (mut client, _) =
        crate::lsp_client::LspClient::start(corpus.path(), serde_json::json!({}), Value::Null);
    let published = client.diagnostics_for("secret-link.md", |d| !d.is_empty());
    assert_eq!(published[0]["code"], "unreadable-file");
    let symbols = client.request("workspace/symbol", serde_json::json!({"query": "Secret"}));
    assert_eq!(symbols.as_array().map(Vec::len), Some(0), "{symbols}");
    // A watcher event on the link reads nothing either.
    client.notify(
        "workspace/didChangeWatchedFiles",
        serde_json::json!({"changes": [{"uri": client.uri("secret-link.md"), "type": 2}]}),
    );
    let symbols = client.request("workspace/symbol", serde_json::json!({"query": "Secret"}));
    assert_eq!(symbols.as_array().map(Vec::len), Some(0), "{symbols}");
    assert_eq!(client.shutdown(), 0);
}

/// Many findings on one long line: each shows a window of the line, not the whole line, so the
/// report grows with the findings, not with findings × line length; the server copes too.
#[test]
fn many_findings_on_one_long_line() {
    let line = "[a](nope.md) ".repeat(50_000);
    let corpus = Corpus::new(&[
        ("kbls.toml", ""),
        ("long.md", &format!("# Long\n\n{line}\n")),
    ]);
    let run = corpus.kbls(&["check", "--today", TODAY]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout.matches("error[broken-link]").count(), 50_000);
    assert!(
        run.stdout.len() < 50_000 * 500,
        "{} bytes",
        run.stdout.len()
    );
    let last = run.stdout.lines().rev().nth(2).expect("a source line");
    assert!(last.starts_with("3 | …") && last.len() < 400, "{last}");

    let (mut client, _) =
        crate::lsp_client::LspClient::start(corpus.path(), serde_json::json!({}), Value::Null);
    let published = client.diagnostics_for("long.md", |d| !d.is_empty());
    assert_eq!(published.len(), 50_000);
    assert_eq!(
        published[49_999]["range"]["start"]["character"],
        13 * 49_999 + 4
    );
    assert_eq!(client.shutdown(), 0);
}

/// Errors name what went wrong and where, in one line, and never echo a file kbls was not asked
/// to show.
#[test]
fn errors_are_one_line_and_show_nothing_they_should_not() {
    let corpus = Corpus::new(&[
        ("a.md", "# A\n"),
        ("kbls.toml", "[terms]\npacks = [\"/etc/passwd\"]\n"),
    ]);
    let run = corpus.kbls(&["check"]);
    assert_eq!(run.code, 2);
    assert!(!run.stderr.contains("root:"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("term pack `/etc/passwd` is outside the corpus root"),
        "{}",
        run.stderr
    );

    corpus.write("kbls.toml", "");
    let run = corpus.kbls(&["check", "/dev/null"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "kbls: /dev/null is not a Markdown note (*.md, *.markdown) or a folder\n"
    );

    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kbls"))
        .args(["check", "."])
        .current_dir(corpus.path())
        .stdout(full)
        .output()
        .expect("run kbls");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("kbls: cannot write the output:"));

    for command in ["search", "terms"] {
        let run = corpus.kbls(&[command, "--help"]);
        assert!(
            run.stdout.contains("[possible values: human, json]"),
            "{}",
            run.stdout
        );
    }
}

/// Lone CR, CRLF and LF line endings, alone and mixed: the same findings on the same lines in
/// `check` and in the server (LSP counts all three as line ends).
#[test]
fn every_line_ending() {
    let corpus = Corpus::new(&[
        ("kbls.toml", ""),
        (
            "cr.md",
            "# T\r\rSee [a](nope.md) here.\r\r## Sub\r\r[b](#sub) [c](#gone)\r",
        ),
        ("mixed.md", "# M\n\nx\r[a](nope2.md)\r\n[b](nope3.md)\n"),
    ]);
    let run = corpus.kbls(&["check", "--format", "json", "--today", TODAY]);
    let report = parse_json(&run.stdout);
    let found: Vec<String> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] != "missing-date")
        .map(|d| {
            format!(
                "{}:{}:{} {}",
                d["path"].as_str().unwrap(),
                d["line"],
                d["column"],
                d["code"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            "cr.md:3:9 broken-link",
            "cr.md:7:16 broken-anchor",
            "mixed.md:4:5 broken-link",
            "mixed.md:5:5 broken-link"
        ]
    );
    let (mut client, _) =
        crate::lsp_client::LspClient::start(corpus.path(), serde_json::json!({}), Value::Null);
    for (note, lines) in [("cr.md", vec![2, 6]), ("mixed.md", vec![3, 4])] {
        let published = client.diagnostics_for(note, |d| !d.is_empty());
        let got: Vec<u64> = published
            .iter()
            .filter(|d| d["code"] != "missing-date")
            .map(|d| d["range"]["start"]["line"].as_u64().unwrap())
            .collect();
        assert_eq!(got, lines, "{note}");
    }
    // An edit in the editor lands where the client means it on a CR-only note.
    client.open("cr.md");
    client.notify(
        "textDocument/didChange",
        serde_json::json!({"textDocument": {"uri": client.uri("cr.md"), "version": 2},
            "contentChanges": [{"range": {"start": {"line": 6, "character": 15}, "end": {"line": 6, "character": 19}}, "text": "sub"}]}),
    );
    let published =
        client.diagnostics_for("cr.md", |d| d.iter().all(|d| d["code"] != "broken-anchor"));
    assert_eq!(
        published
            .iter()
            .filter(|d| d["code"] == "broken-link")
            .count(),
        1
    );
    assert_eq!(client.shutdown(), 0);
}

/// A 600-byte YAML alias bomb (nine levels of nine aliases) is refused, not expanded: the note
/// gets `invalid-front-matter`, its links are still checked, and both `check` and the server
/// finish at once.
#[test]
fn a_yaml_alias_bomb_is_refused() {
    let mut yaml = String::from("a: &a [x,x,x,x,x,x,x,x,x]\n");
    for (level, name) in "bcdefghi".chars().enumerate() {
        let prev = (b'a' + level as u8) as char;
        let refs = vec![format!("*{prev}"); 9].join(",");
        yaml += &format!("{name}: &{name} [{refs}]\n");
    }
    yaml += "tags: *i\n";
    let note = format!("---\n{yaml}---\n# Bomb\n\n[x](nope.md)\n");
    let corpus = Corpus::new(&[("kbls.toml", ""), ("bomb.md", &note)]);
    let run = corpus.kbls(&["check", "--format", "json", "--today", TODAY]);
    let report = parse_json(&run.stdout);
    let codes: Vec<&str> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["invalid-front-matter", "broken-link"]);
    assert!(report["diagnostics"][0]["message"]
        .as_str()
        .unwrap()
        .contains("more than 100000 YAML nodes"));
    let (mut client, _) =
        crate::lsp_client::LspClient::start(corpus.path(), serde_json::json!({}), Value::Null);
    let published = client.diagnostics_for("bomb.md", |d| !d.is_empty());
    assert_eq!(published[0]["code"], "invalid-front-matter");
    assert_eq!(client.shutdown(), 0);
}

#[test]
fn hugo_config_folder_is_read() {
    // No config file at the root: `config/_default/` holds it, one file per top-level key.
    let corpus = Corpus::new(&[
        ("config/_default/hugo.toml", "contentDir = \"content/en\"\n"),
        (
            "config/_default/markup.toml",
            "[goldmark.parser]\nautoHeadingIDType = \"blackfriday\"\n",
        ),
        (
            "content/en/docs/a.md",
            "---\ntitle: A\nlastmod: 2026-11-01\n---\n## What's new? (v1.2)\n\n\
             [b](/docs/b/) [ok](#what-s-new-v1-2) [GitHub's id](#whats-new-v12)\n",
        ),
        (
            "content/en/docs/b.md",
            "---\ntitle: B\nlastmod: 2026-11-01\n---\nB.\n",
        ),
    ]);
    let run = corpus.kbls(&["check", "--today", TODAY]);
    assert_eq!(run.code, 1);
    expect![[r#"
        content/en/docs/a.md:7:53: error[broken-anchor]: no heading `#whats-new-v12` in this note; did you mean `#what-s-new-v1-2`?
        7 | [b](/docs/b/) [ok](#what-s-new-v1-2) [GitHub's id](#whats-new-v12)
          |                                                     ^^^^^^^^^^^^^
        2 files checked: 1 error, 0 warnings, 0 infos (dialect: hugo)
    "#]].assert_eq(&run.stdout);
}
