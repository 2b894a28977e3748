//! Parser tests: a dump of everything found in small notes, one line per item.

use super::*;
use expect_test::{expect, Expect};

/// Prints what the parser found, one item per line, with the source text of each range.
fn dump(text: &str) -> String {
    let syntax = parse(text, &ParseOptions::default());
    let at = |r: TextRange| &text[r.as_usize()];
    let mut out = String::new();
    if let Some(title) = &syntax.title {
        out += &format!("title {title:?}\n");
    }
    if let Some(fm) = &syntax.front_matter {
        let kind = fm.kind.map(|kind| format!("{kind:?}")).unwrap_or_default();
        out += &format!("front matter {kind} {:?}\n", at(fm.range));
    }
    for h in &syntax.headings {
        out += &format!(
            "h{} {:?} #{} text={:?}\n",
            h.level,
            h.text,
            h.anchor,
            at(h.text_range)
        );
    }
    for link in &syntax.links {
        let target = match &link.target {
            LinkTarget::External { url } => format!("external {url}"),
            LinkTarget::Path {
                path,
                path_range,
                fragment,
            } => format!(
                "path {path:?} at {:?}{}",
                at(*path_range),
                fragment
                    .as_ref()
                    .map(|f| format!(" #{:?} at {:?}", f.text, at(f.range)))
                    .unwrap_or_default()
            ),
            LinkTarget::Wiki {
                stem,
                stem_range,
                fragment,
            } => format!(
                "wiki {stem:?} at {:?}{}",
                at(*stem_range),
                fragment
                    .as_ref()
                    .map(|f| format!(" #{:?}", f.text))
                    .unwrap_or_default()
            ),
            LinkTarget::Reference { label, def, .. } => format!("ref {label:?} def={def:?}"),
        };
        let image = if link.is_image { " image" } else { "" };
        let text = link
            .text
            .map(|t| format!(" text={:?}", at(t)))
            .unwrap_or_default();
        out += &format!(
            "{:?}{image} {:?}{text} -> {target}\n",
            link.kind,
            at(link.range)
        );
    }
    for def in &syntax.link_defs {
        out += &format!("def {:?} label at {:?}\n", def.label, at(def.label_range));
    }
    if let Some(date) = &syntax.date {
        out += &format!(
            "date {:?} at {:?} {:?}\n",
            date.text,
            at(date.range),
            date.value.map(|d| d.to_string())
        );
    }
    for block in &syntax.code_blocks {
        out += &format!("code {:?} {:?}\n", block.lang, at(block.content));
    }
    out
}

fn check(text: &str, expect: Expect) {
    expect.assert_eq(&dump(text));
}

#[test]
fn every_link_kind() {
    check(
        r##"# Links

[inline](a.md) [titled](b/c.md#Sec "T") [angle](<my note.md>) ![img](img/x.png)
[full][lbl] [Lbl][] [lbl] <https://example.com> [[wiki]] [[wiki|Alias]] [[wiki#Head]] [[#Local]]
[ext](https://example.com/x.md) [enc](my%20note.md#caf%C3%A9) [rooted](/top.md) [same](#links)
`[not](a link)` [undefined][nope]

- [x] done task
- [ ] open task

```md
[also not](code.md)
```

[lbl]: target.md#part "Title"
"##,
        expect![[r##"
            title "Links"
            h1 "Links" #links text="Links"
            Inline "[inline](a.md)" text="inline" -> path "a.md" at "a.md"
            Inline "[titled](b/c.md#Sec \"T\")" text="titled" -> path "b/c.md" at "b/c.md" #"Sec" at "Sec"
            Inline "[angle](<my note.md>)" text="angle" -> path "my note.md" at "my note.md"
            Inline image "![img](img/x.png)" text="img" -> path "img/x.png" at "img/x.png"
            ReferenceFull "[full][lbl]" text="full" -> ref "lbl" def=Some(0)
            ReferenceCollapsed "[Lbl][]" text="Lbl" -> ref "Lbl" def=Some(0)
            ReferenceShortcut "[lbl]" text="lbl" -> ref "lbl" def=Some(0)
            Autolink "<https://example.com>" -> external https://example.com
            Wiki "[[wiki]]" text="wiki" -> wiki "wiki" at "wiki"
            Wiki "[[wiki|Alias]]" text="Alias" -> wiki "wiki" at "wiki"
            Wiki "[[wiki#Head]]" text="wiki#Head" -> wiki "wiki" at "wiki" #"Head"
            Wiki "[[#Local]]" text="#Local" -> wiki "" at "" #"Local"
            Inline "[ext](https://example.com/x.md)" text="ext" -> external https://example.com/x.md
            Inline "[enc](my%20note.md#caf%C3%A9)" text="enc" -> path "my note.md" at "my%20note.md" #"café" at "caf%C3%A9"
            Inline "[rooted](/top.md)" text="rooted" -> path "/top.md" at "/top.md"
            Inline "[same](#links)" text="same" -> path "" at "" #"links" at "links"
            ReferenceFull "[undefined][nope]" text="undefined" -> ref "nope" def=None
            def "lbl" label at "lbl"
            code Some("md") "[also not](code.md)\n"
        "##]],
    );
}

#[test]
fn headings_anchors_and_dates() {
    check(
        "---\ntitle: FM Title\nlast_updated: 2026-01-02\n---\n\nSetext\n======\n\n## Setup\n\n## Setup\n\n## Custom {#my-id}\n\n### CPU & Memory\n\n## Café ☕ `code`\n\nLast updated: 2026-02-30\n",
        expect![[r#"
            title "Setext"
            front matter Yaml "---\ntitle: FM Title\nlast_updated: 2026-01-02\n---"
            h1 "Setext" #setext text="Setext"
            h2 "Setup" #setup text="Setup"
            h2 "Setup" #setup-1 text="Setup"
            h2 "Custom" #my-id text="Custom"
            h3 "CPU & Memory" #cpu--memory text="CPU & Memory"
            h2 "Café ☕ code" #café--code text="Café ☕ `code`"
            date "2026-02-30" at "2026-02-30" Err(NoSuchDay)
        "#]],
    );
}

#[test]
fn front_matter_date_when_no_line() {
    check(
        "+++\ntitle = \"Toml\"\nlastmod = \"2026-03-04\"\n+++\nbody\n",
        expect![[r#"
            title "Toml"
            front matter Toml "+++\ntitle = \"Toml\"\nlastmod = \"2026-03-04\"\n+++"
            date "2026-03-04" at "2026-03-04" Ok("2026-03-04")
        "#]],
    );
}

#[test]
fn body_rule_followed_by_text_is_a_thematic_break() {
    // Before front matter was found only at the start, the `---` under the list opened a YAML
    // block that ran to the next `---` and hid the link.
    check(
        "# T\n\n- item\n---\n[a](nope.md)\n\n---\n",
        expect![[r##"
            title "T"
            h1 "T" #t text="T"
            Inline "[a](nope.md)" text="a" -> path "nope.md" at "nope.md"
        "##]],
    );
}

#[test]
fn heading_between_body_rules_is_kept() {
    check(
        "# T\n\nSee [h](#hidden).\n\n---\n## Hidden\n\n---\n",
        expect![[r##"
            title "T"
            h1 "T" #t text="T"
            h2 "Hidden" #hidden text="Hidden"
            Inline "[h](#hidden)" text="h" -> path "" at "" #"hidden" at "hidden"
        "##]],
    );
}

#[test]
fn body_rule_under_a_paragraph_is_a_setext_underline() {
    check(
        "# T\n\n---\ntitle: not front matter\n---\n",
        expect![[r##"
            title "T"
            h1 "T" #t text="T"
            h2 "title: not front matter" #title-not-front-matter text="title: not front matter"
        "##]],
    );
}

#[test]
fn front_matter_only_at_the_very_start() {
    // A blank line first: the `---` is a thematic break and the rest a setext heading.
    check(
        "\n---\ntitle: x\n---\n",
        expect![[r#"
            h2 "title: x" #title-x text="title: x"
        "#]],
    );
}

#[test]
fn yaml_front_matter_at_the_start() {
    check(
        "---\ntitle: Yaml\n---\n---\nBody [a](b.md)\n",
        expect![[r##"
            title "Yaml"
            front matter Yaml "---\ntitle: Yaml\n---"
            Inline "[a](b.md)" text="a" -> path "b.md" at "b.md"
        "##]],
    );
}

#[test]
fn yaml_front_matter_closed_by_dots_with_crlf() {
    check(
        "---  \r\ntitle: Dots\r\n... \r\n# Heading\r\n",
        expect![[r##"
            title "Heading"
            front matter Yaml "---  \r\ntitle: Dots\r\n... "
            h1 "Heading" #heading text="Heading"
        "##]],
    );
}

#[test]
fn front_matter_after_a_byte_order_mark() {
    check(
        "\u{feff}---\ntitle: Bom\nupdated: 2026-01-02\n---\n[a](b.md)\n",
        expect![[r##"
            title "Bom"
            front matter Yaml "---\ntitle: Bom\nupdated: 2026-01-02\n---"
            Inline "[a](b.md)" text="a" -> path "b.md" at "b.md"
            date "2026-01-02" at "2026-01-02" Ok("2026-01-02")
        "##]],
    );
    check(
        "\u{feff}+++\ntitle = \"Bom\"\n+++\n# Heading\n",
        expect![[r##"
            title "Heading"
            front matter Toml "+++\ntitle = \"Bom\"\n+++"
            h1 "Heading" #heading text="Heading"
        "##]],
    );
    // Without front matter the heading after the mark is still a heading.
    check(
        "\u{feff}# Heading\n",
        expect![[r##"
            title "Heading"
            h1 "Heading" #heading text="Heading"
        "##]],
    );
}

#[test]
fn not_front_matter_at_the_start() {
    // A blank first line, no closing delimiter, four dashes: none opens front matter.
    for text in [
        "---\n\ntitle: x\n---\n",
        "---\ntitle: x\n",
        "----\ntitle: x\n----\n",
        "+++\ntitle = 1\n---\n",
    ] {
        let syntax = parse(text, &ParseOptions::default());
        assert_eq!(syntax.front_matter, None, "{text:?}");
    }
}

#[test]
fn pathological_input_does_not_panic() {
    let deep = "[".repeat(20_000) + &"]".repeat(20_000);
    let quotes = "> ".repeat(5_000) + "x";
    let stars = "*a **b ".repeat(5_000);
    for text in [
        deep.as_str(),
        quotes.as_str(),
        stars.as_str(),
        "[[",
        "[]()",
        "![",
        "[x]: <",
        "---\n: :\n---\n",
    ] {
        let _ = parse(text, &ParseOptions::default());
    }
}

#[test]
fn obsidian_task_statuses_are_not_references() {
    let text = "- [/] half done\n* [>] moved\n1. [-] dropped\n> - [?] quoted\n\nSee [x] here.\n- [ab] two letters\n-[!] no space\n";
    let obsidian = ParseOptions {
        site: Site {
            dialect: Dialect::Obsidian,
            ..Site::default()
        },
        ..ParseOptions::default()
    };
    let labels = |options: &ParseOptions| -> Vec<String> {
        parse(text, options)
            .links
            .iter()
            .filter_map(|link| match &link.target {
                LinkTarget::Reference { label, .. } => Some(label.to_string()),
                _ => None,
            })
            .collect()
    };
    // Obsidian reads a one-character `[c]` right after a list marker as a task's status.
    assert_eq!(labels(&obsidian), ["x", "ab", "!"]);
    // GitHub renders them as text in brackets: undefined references, as before.
    assert_eq!(
        labels(&ParseOptions::default()),
        ["/", ">", "-", "?", "x", "ab", "!"]
    );
}

#[test]
fn an_undefined_full_reference_before_a_destination_is_text_then_an_inline_link() {
    // Go's `[]T` before a link: `[][Image]` is no reference, `[Image](image.md)` is a link.
    check(
        "| images | [][Image](image.md) |\n\n[][lbl](x.md) [a][nope]\n\n[lbl]: y.md\n",
        expect![[r#"
            Inline "[Image](image.md)" text="Image" -> path "image.md" at "image.md"
            ReferenceFull "[][lbl]" text="" -> ref "lbl" def=Some(0)
            ReferenceFull "[a][nope]" text="a" -> ref "nope" def=None
            def "lbl" label at "lbl"
        "#]],
    );
}

#[test]
fn hugo_shortcodes_inside_a_destination_leave_it_to_the_site() {
    let hugo = ParseOptions {
        site: Site {
            dialect: Dialect::Hugo,
            ..Site::default()
        },
        ..ParseOptions::default()
    };
    let text = "[v1.meta/ObjectMeta](/docs/generated/{{< param \"version\" >}}/#objectmeta) \
        [notes](https://example.com/release-{{< skew currentVersion >}}.md) [ok](/docs/a/) \
        [frag](/docs/b/#v{{< param \"v\" >}})\n\n{{% note %}}\nA [plain](c.md) link.{{% /note %}}\n";
    let targets: Vec<String> = parse(text, &hugo)
        .links
        .iter()
        .map(|link| match &link.target {
            LinkTarget::External { url } => format!("external {url}"),
            LinkTarget::Path { path, .. } => format!("path {path}"),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        targets,
        [
            "external /docs/generated/{{< param \"version\" >}}/#objectmeta",
            "external https://example.com/release-{{< skew currentVersion >}}.md",
            "path /docs/a/",
            "external /docs/b/#v{{< param \"v\" >}}",
            "path c.md",
        ]
    );
}
