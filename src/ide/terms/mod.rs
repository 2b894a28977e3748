//! Terms in the editor: hover, definition and references on DCGM names, kubectl commands and
//! flags, and the terms the notes define. What a term is and where it is mentioned lives in
//! `crate::terms`; this module finds what is under the cursor in a note of the graph and puts the
//! corpus around it.

pub mod hover;

use super::results::{NavTarget, NoteRange};
use crate::graph::{Graph, NoteId};
use crate::terms::{self, mention_key, FlagScope, Packs, TermAt};
use crate::text::TextRange;

/// The term under the cursor, if any.
pub fn term_at(graph: &Graph, id: NoteId, offset: usize) -> Option<TermAt> {
    let note = graph.note(id);
    terms::term_at(
        &note.text(),
        &note.syntax,
        offset,
        graph.packs(),
        graph.terms(),
    )
}

/// Where the notes define the term under the cursor.
pub fn definitions(
    graph: &Graph,
    id: NoteId,
    offset: usize,
) -> Option<(TextRange, Vec<NavTarget>)> {
    let at = term_at(graph, id, offset)?;
    let targets: Vec<NavTarget> = graph
        .terms()
        .definitions(at.name())
        .iter()
        .filter_map(|site| {
            let note = graph.by_path(site.path)?;
            Some(NavTarget::Note {
                note,
                range: site.def.range,
                focus: site.def.term_range,
            })
        })
        .collect();
    (!targets.is_empty()).then_some((at.range, targets))
}

/// Every mention of the term under the cursor across the corpus.
pub fn references(graph: &Graph, id: NoteId, offset: usize) -> Option<Vec<NoteRange>> {
    let at = term_at(graph, id, offset)?;
    let mentions = graph.mentions();
    Some(
        mentions
            .mentions(&mention_key(&at, graph.packs()), graph.terms())
            .iter()
            .map(|(note, range)| NoteRange {
                note: NoteId(*note),
                range: *range,
            })
            .collect(),
    )
}

/// What an unknown flag is not, with the version of the pack: "a flag of `kubectl scale` in
/// kubectl v1.33.1", "a flag of `kubectl create service` or its subcommands in ...", "a flag
/// of any kubectl command in ...".
pub(crate) fn flag_scope_phrase(scope: FlagScope<'_>, packs: &Packs) -> String {
    let mut res = match (scope.command, scope.subcommands) {
        ("kubectl", true) => "a flag of any kubectl command".to_string(),
        (command, true) => format!("a flag of `{command}` or its subcommands"),
        (command, false) => format!("a flag of `{command}`"),
    };
    if let Some(version) = packs.kubectl_version(scope.command) {
        res.push_str(" in ");
        res.push_str(version);
    }
    res
}

#[cfg(test)]
mod tests {
    use crate::ide::results::NavTarget;
    use crate::test_fixture;
    use expect_test::{expect, Expect};

    /// The term's range, then where the notes define it.
    #[track_caller]
    fn check_definition(fixture: &str, expect: Expect) {
        let fixture = test_fixture::parse(fixture);
        let pos = fixture.position();
        let res = match fixture.analysis().goto_definition(pos) {
            None => "none".to_string(),
            Some((origin, targets)) => {
                let mut lines = vec![fixture.show(pos.note, origin)];
                for target in targets {
                    if let NavTarget::Note { note, focus, .. } = target {
                        lines.push(format!("-> {}", fixture.show(note, focus)));
                    }
                }
                lines.join("\n")
            }
        };
        expect.assert_eq(&res);
    }

    /// The mentions must be exactly the `^^^` marks.
    #[track_caller]
    fn check_references(fixture: &str) {
        test_fixture::parse(fixture).assert_references_are_marks(false);
    }

    #[track_caller]
    fn check_hover(fixture: &str, expect: Expect) {
        expect.assert_eq(&test_fixture::parse(fixture).shown_hover());
    }

    const GLOSSARY: &str = r#"
//- /glossary.md
# Glossary
- MIG: Multi-Instance GPU, a partition of one GPU.
//- /gpu/a.md
# A
Split the card with MI$0G, then watch DCGM_FI_DEV_GPU_TEMP.
//- /gpu/b.md
# B
No MIG here, only `kubectl get pods --sort-by=.metadata.name`.
"#;

    #[test]
    fn definition_of_a_term_is_where_the_notes_define_it() {
        check_definition(
            GLOSSARY,
            expect![[r#"
            gpu/a.md 24..27 "MIG"
            -> glossary.md 13..16 "MIG""#]],
        );
        check_definition(
            "//- /a.md\n# A\nWatch DCGM_FI_DEV_GPU_T$0EMP.\n",
            expect!["none"],
        );
    }

    #[test]
    fn references_of_a_term_are_its_mentions() {
        check_references(
            r#"
//- /glossary.md
# Glossary
- MIG: Multi-Instance GPU, a partition of one GPU.
  ^^^
//- /gpu/a.md
# A
Split the card with MI$0G.
                    ^^^
//- /gpu/b.md
# B
No MIG here.
   ^^^
"#,
        );
        check_references(
            r#"
//- /a.md
# A
Run `kubectl get pods --sort-b$0y=.metadata.name`.
                      ^^^^^^^^^
//- /b.md
# B
```sh
kubectl get nodes --sort-by=.metadata.name
                  ^^^^^^^^^
kubectl logs web --tail=5
```
"#,
        );
    }

    #[test]
    fn hover_on_terms_shows_definitions_pack_entries_and_mentions() {
        check_hover(
            GLOSSARY,
            expect![[r#"
            gpu/a.md 24..27 "MIG"
            **MIG**

            **In your notes**
            - Multi-Instance GPU, a partition of one GPU. ([../glossary.md:2](../glossary.md#L2))

            ---

            Mentioned in 3 notes"#]],
        );
        check_hover(
            "//- /a.md\n# A\nRun `kubectl get pods --sort-b$0y=.metadata.name`.\n",
            expect![[r#"
                a.md 26..35 "--sort-by"
                **`--sort-by`** of `kubectl get`

                flag of `kubectl get` · type: string

                If non-empty, sort list types using this field specification. The field specification is expressed as a JSONPath expression (e.g. '{.metadata.name}'). The field in the API resource specified by this JSONPath expression must be an integer or a string.

                From the `kubectl` pack: kubectl v1.33.1.

                ---

                Mentioned in 1 note"#]],
        );
        check_hover(
            "//- /a.md\n# A\nWatch DCGM_FI_DEV_GPU_TEMP and DCGM_FI_DEV_GPU_TEM$0Z.\n",
            expect![[r#"
                a.md 35..55 "DCGM_FI_DEV_GPU_TEMZ"
                **`DCGM_FI_DEV_GPU_TEMZ`**

                Not a DCGM field. Did you mean `DCGM_FI_DEV_GPU_TEMP`?

                ---

                Mentioned in 1 note"#]],
        );
    }
}
