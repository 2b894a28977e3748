//! Looking a term up by name, for `kbls terms QUERY`: the query is read as a DCGM name, a
//! kubectl command line (`kubectl auth can-i`, `kubectl get --sort-by`), a flag (`--tail`) or a
//! term the notes or packs define. The caller renders each result, e.g. with
//! `crate::ide::terms::hover::hover_markdown`.
//!
//! Knows nothing about the command line or output formats.

use super::at::{TermAt, TermAtKind};
use super::packs::Packs;
use super::recognize::{DefSite, TermIndex};
use crate::text::TextRange;

/// One thing a query names, with the notes' definitions of it.
#[derive(Clone, Debug)]
pub struct LookupResult<'a> {
    /// What was found; its range is empty (there is no note).
    pub target: TermAt,
    pub definitions: Vec<DefSite<'a>>,
}

/// Everything `query` names; empty when nothing matches.
pub fn lookup<'a>(query: &str, packs: &Packs, index: &'a TermIndex) -> Vec<LookupResult<'a>> {
    let query = query.trim();
    let result = |kind: TermAtKind| {
        let target = TermAt {
            range: TextRange::empty(0),
            kind,
        };
        let definitions = index.definitions(target.name());
        LookupResult {
            target,
            definitions,
        }
    };
    if query.is_empty() {
        return Vec::new();
    }
    let upper = query.to_ascii_uppercase();
    if upper.starts_with("DCGM_FI_") {
        let known = packs.dcgm_field(&upper).is_some() || !index.definitions(&upper).is_empty();
        return if known {
            vec![result(TermAtKind::Dcgm { name: upper })]
        } else {
            Vec::new()
        };
    }
    let words: Vec<&str> = query.split_whitespace().collect();
    if words.first() == Some(&"kubectl") {
        let path_words: Vec<&str> = words[1..]
            .iter()
            .copied()
            .filter(|w| !w.starts_with('-'))
            .collect();
        let (path, used) = packs.resolve_command(&path_words);
        if used < path_words.len() || packs.kubectl_command(&path).is_none() {
            return Vec::new();
        }
        return match words.last().filter(|w| w.starts_with('-')) {
            Some(flag) => {
                let flag = flag.split('=').next().unwrap_or(flag).to_string();
                if packs.flag(&path, &flag).is_some() {
                    vec![result(TermAtKind::KubectlFlag {
                        command: path,
                        flag,
                        subcommands: false,
                    })]
                } else {
                    Vec::new()
                }
            }
            None => vec![result(TermAtKind::KubectlCommand { path })],
        };
    }
    if query.starts_with('-') && !query.contains(char::is_whitespace) {
        let flag = query.split('=').next().unwrap_or(query);
        let commands: Vec<String> = if packs.flag("kubectl", flag).is_some() {
            vec!["kubectl".to_string()]
        } else {
            packs
                .commands_with_flag(flag)
                .into_iter()
                .map(String::from)
                .collect()
        };
        return commands
            .into_iter()
            .map(|command| {
                result(TermAtKind::KubectlFlag {
                    command,
                    flag: flag.to_string(),
                    subcommands: false,
                })
            })
            .collect();
    }
    let name = query.to_lowercase();
    if index.definitions(&name).is_empty() && packs.terms(&name).is_empty() {
        return Vec::new();
    }
    vec![result(TermAtKind::Term { name })]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{parse, ParseOptions};
    use crate::terms::extract::extract;
    use expect_test::{expect, Expect};

    fn check(query: &str, expect: Expect) {
        let text =
            "- **Requests**: What the scheduler reserves.\n- `DCGM_FI_DEV_GPU_UTIL`: Busy time.\n";
        let index = TermIndex::build(
            [(
                "k8s.md".to_string(),
                text.into(),
                extract(text, &parse(text, &ParseOptions::default())),
            )],
            Packs::builtin(),
        );
        let res: Vec<String> = lookup(query, Packs::builtin(), &index)
            .iter()
            .map(|r| {
                format!(
                    "{:?} ({} note definitions)",
                    r.target.kind,
                    r.definitions.len()
                )
            })
            .collect();
        expect.assert_eq(&res.join("\n"));
    }

    #[test]
    fn queries() {
        check(
            "dcgm_fi_dev_gpu_util",
            expect![[r#"Dcgm { name: "DCGM_FI_DEV_GPU_UTIL" } (1 note definitions)"#]],
        );
        check("DCGM_FI_NOPE", expect![[""]]);
        check(
            "kubectl auth can-i",
            expect![[r#"KubectlCommand { path: "kubectl auth can-i" } (0 note definitions)"#]],
        );
        check(
            "kubectl get --sort-by",
            expect![[
                r#"KubectlFlag { command: "kubectl get", flag: "--sort-by", subcommands: false } (0 note definitions)"#
            ]],
        );
        check("kubectl gett", expect![[""]]);
        check(
            "--namespace",
            expect![[
                r#"KubectlFlag { command: "kubectl", flag: "--namespace", subcommands: false } (0 note definitions)"#
            ]],
        );
        check(
            "--tail",
            expect![[
                r#"KubectlFlag { command: "kubectl logs", flag: "--tail", subcommands: false } (0 note definitions)"#
            ]],
        );
        check(
            "requests",
            expect![[r#"Term { name: "requests" } (1 note definitions)"#]],
        );
        check("nothing here", expect![[""]]);
        check(
            "XID 79",
            expect![[r#"Term { name: "xid 79" } (0 note definitions)"#]],
        );
    }
}
