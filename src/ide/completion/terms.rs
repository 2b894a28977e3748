//! Completion of reference names as they are typed: `DCGM_FI_` field names anywhere, kubectl
//! subcommands after `kubectl ` (and after `kubectl create `, ...), and the flags of the command
//! at hand after `-` or `--`, in shell blocks and `kubectl` code spans; and pack terms of several
//! words once their first word is typed (`Xid ` offers the Xid codes), outside code blocks.
//!
//! Knows nothing about LSP: the result is a byte range to replace and plain items.

use super::{Completion, CompletionItem, CompletionKind};
use crate::syntax::NoteSyntax;
use crate::terms::{invocation_at, DcgmStatus, Invocation, KubectlFlag, Packs};
use crate::text::TextRange;

/// The most DCGM names listed at once (there are over a thousand).
const MAX_DCGM_ITEMS: usize = 200;

/// Completions at `offset`, if the cursor is on something this module completes.
pub(super) fn complete(
    text: &str,
    syntax: &NoteSyntax,
    offset: usize,
    packs: &Packs,
) -> Option<Completion> {
    if offset > text.len() || !text.is_char_boundary(offset) {
        return None;
    }
    complete_dcgm(text, offset, packs)
        .or_else(|| {
            let inv = invocation_at(text, syntax, offset, packs)?;
            complete_kubectl(text, &inv, offset, packs)
        })
        .or_else(|| complete_pack_terms(text, syntax, offset, packs))
}

/// The pack terms that start with the word before the cursor, a space and what is typed of the
/// next word: `Xid 7` offers `Xid 7` and `Xid 70` to `Xid 79`. An accepted item keeps the case
/// the first word was typed in (`XID 79`).
fn complete_pack_terms(
    text: &str,
    syntax: &NoteSyntax,
    offset: usize,
    packs: &Packs,
) -> Option<Completion> {
    // In a code block such words are commands or log output, not prose.
    if syntax.code_blocks.iter().any(|b| b.content.touches(offset)) {
        return None;
    }
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    let mut start = offset;
    while start > 0 && is_word(bytes[start - 1]) {
        start -= 1;
    }
    let mut end = offset;
    while end < bytes.len() && is_word(bytes[end]) {
        end += 1;
    }
    let space = start.checked_sub(1).filter(|&at| bytes[at] == b' ')?;
    let mut first_start = space;
    while first_start > 0 && is_word(bytes[first_start - 1]) {
        first_start -= 1;
    }
    if first_start == space {
        return None;
    }
    let typed = &text[first_start..offset];
    let first_word = &text[first_start..space];
    let items: Vec<CompletionItem> = packs
        .terms_starting_with(typed)
        .into_iter()
        .map(|(name, term)| {
            let mut documentation = term.definition.clone();
            if !term.link.is_empty() {
                documentation.push_str(&format!("\n\n[More]({})", term.link));
            }
            CompletionItem {
                label: name.to_string(),
                kind: CompletionKind::Constant,
                detail: Some(term.definition.clone()),
                documentation: Some(documentation),
                insert: format!("{first_word}{}", &name[first_word.len()..]),
                filter: None,
            }
        })
        .collect();
    if items.is_empty() {
        return None;
    }
    Some(Completion {
        replace: TextRange::new(first_start, end),
        items,
        incomplete: false,
    })
}

fn complete_dcgm(text: &str, offset: usize, packs: &Packs) -> Option<Completion> {
    let bytes = text.as_bytes();
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut start = offset;
    while start > 0 && is_ident(bytes[start - 1]) {
        start -= 1;
    }
    let mut end = offset;
    while end < bytes.len() && is_ident(bytes[end]) {
        end += 1;
    }
    let typed = text[start..offset].to_ascii_uppercase();
    // `DCGM` or more of `DCGM_FI_...`.
    let is_dcgm =
        typed.len() >= 4 && ("DCGM_FI_".starts_with(&typed) || typed.starts_with("DCGM_FI_"));
    if !is_dcgm || !packs.has_dcgm() {
        return None;
    }
    let fields = packs.dcgm_complete(if typed.len() < 8 { "DCGM_FI_" } else { &typed });
    let incomplete = fields.len() > MAX_DCGM_ITEMS;
    let items = fields
        .into_iter()
        .take(MAX_DCGM_ITEMS)
        .map(|field| {
            let mut detail: Vec<String> = Vec::new();
            if let Some(id) = field.id {
                detail.push(format!("id {id}"));
            }
            for part in [&field.value_type, &field.unit] {
                if !part.is_empty() {
                    detail.push(part.clone());
                }
            }
            if field.status == DcgmStatus::Deprecated {
                detail.push(match &field.alias_of {
                    Some(target) => format!("old name of {target}"),
                    None => "deprecated".to_string(),
                });
            }
            CompletionItem {
                label: field.name.clone(),
                kind: CompletionKind::Constant,
                detail: Some(detail.join(" · ")),
                documentation: Some(field.description.clone()),
                insert: field.name.clone(),
                filter: None,
            }
        })
        .collect();
    Some(Completion {
        replace: TextRange::new(start, end),
        items,
        incomplete,
    })
}

fn complete_kubectl(
    text: &str,
    inv: &Invocation,
    offset: usize,
    packs: &Packs,
) -> Option<Completion> {
    if offset < inv.kubectl.end as usize
        || inv
            .after_dash_dash
            .iter()
            .any(|w| (w.range.start as usize) < offset)
    {
        return None;
    }
    // A flag being typed: `-`, `--`, `--so`, `-o` (read from the text: `-` and `--` alone are
    // not flags to the parser).
    let word_start = text[..offset]
        .rfind(|c: char| c.is_whitespace() || c == '`')
        .map_or(0, |idx| idx + 1);
    let typed = &text[word_start..offset];
    if typed.starts_with('-') {
        if let Some(flag) = inv.flags.iter().find(|f| f.range.touches(offset)) {
            if flag.range.start as usize != word_start {
                // The cursor is inside a combined group like `-it`; nothing sensible to offer.
                return None;
            }
        }
        let word_end = text[offset..]
            .find(|c: char| c.is_whitespace() || c == '=' || c == '`')
            .map_or(text.len(), |idx| offset + idx);
        return Some(flag_completion(
            inv,
            TextRange::new(word_start, word_end),
            typed,
            packs,
        ));
    }
    // A word being typed, or a blank after the last word.
    let words = inv.path.iter().chain(&inv.args);
    let current = words.clone().find(|w| w.range.touches(offset));
    let args_before = inv.args.iter().any(|w| {
        (w.range.end as usize) < offset
            || current.is_some_and(|c| c.range != w.range && w.range.start < c.range.start)
    });
    if args_before
        || inv
            .flags
            .iter()
            .any(|f| f.value.as_ref().is_some_and(|v| v.range.touches(offset)))
    {
        return None;
    }
    // The value a flag still waits for (`-o |`) is not a subcommand.
    let waiting_flag = inv.flags.iter().any(|f| {
        f.value.is_none()
            && (f.range.end as usize) < offset
            && packs
                .scope_flag(inv.flag_scope(), &f.name)
                .is_some_and(|(_, fl)| fl.value_type.takes_value())
    });
    if waiting_flag && current.is_none() {
        return None;
    }
    let (parent_words, replace_range): (Vec<&str>, TextRange) = match current {
        Some(word) => (
            inv.path
                .iter()
                .take_while(|w| w.range.end < word.range.start)
                .map(|w| w.text.as_str())
                .collect(),
            word.range,
        ),
        None => (
            inv.path.iter().map(|w| w.text.as_str()).collect(),
            TextRange::empty(offset),
        ),
    };
    if current.is_none() && !text[..offset].ends_with(char::is_whitespace) {
        return None;
    }
    let (parent, _) = packs.resolve_command(&parent_words);
    let subcommands = packs.subcommands(&parent);
    if subcommands.is_empty() {
        return None;
    }
    let items = subcommands
        .into_iter()
        .map(|command| {
            let mut documentation = String::new();
            if !command.usage.is_empty() {
                documentation.push_str(&format!("`{}`\n\n", command.usage));
            }
            documentation.push_str(if command.description.is_empty() {
                &command.synopsis
            } else {
                &command.description
            });
            CompletionItem {
                label: command.name().to_string(),
                kind: CompletionKind::Command,
                detail: Some(command.synopsis.clone()),
                documentation: Some(documentation),
                insert: command.name().to_string(),
                filter: None,
            }
        })
        .collect();
    Some(Completion {
        replace: replace_range,
        items,
        incomplete: false,
    })
}

/// The flags of the invocation's command (its own first, then global ones); after `--` only
/// long names, after a single `-` the shorthands too.
fn flag_completion(
    inv: &Invocation,
    replace_range: TextRange,
    typed: &str,
    packs: &Packs,
) -> Completion {
    let mut flags = packs.flags(&inv.command);
    // The command's own flags first, then the global ones, each group by name.
    flags.sort_by_key(|flag| {
        (
            !flag.commands.iter().any(|c| c == &inv.command),
            flag.long.clone(),
        )
    });
    let mut items: Vec<CompletionItem> = flags
        .iter()
        .map(|flag| flag_item(flag, &flag.long, &inv.command))
        .collect();
    if !typed.starts_with("--") {
        items.extend(
            flags.iter().filter_map(|flag| {
                Some(flag_item(flag, &format!("-{}", flag.short?), &inv.command))
            }),
        );
    }
    Completion {
        replace: replace_range,
        items,
        incomplete: false,
    }
}

fn flag_item(flag: &KubectlFlag, label: &str, command: &str) -> CompletionItem {
    let mut detail = vec![flag.value_type.as_str().to_string()];
    if !flag.default.is_empty() {
        detail.push(format!("default {}", flag.default));
    }
    if label != flag.long {
        detail.push(flag.long.clone());
    }
    if !flag.commands.iter().any(|c| c == command) {
        detail.push("global".to_string());
    }
    CompletionItem {
        label: label.to_string(),
        kind: CompletionKind::Flag,
        detail: Some(detail.join(" · ")),
        documentation: Some(flag.description.clone()),
        insert: label.to_string(),
        filter: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{parse, ParseOptions};
    use expect_test::{expect, Expect};

    /// `$0` is the cursor. Shows the replaced text, then up to `limit` items as `label — detail`.
    fn check(fixture: &str, limit: usize, expect: Expect) {
        let offset = fixture.find("$0").unwrap_or(0);
        let text = fixture.replace("$0", "");
        let syntax = parse(&text, &ParseOptions::default());
        let res = match complete(&text, &syntax, offset, Packs::builtin()) {
            None => "none".to_string(),
            Some(completion) => {
                let mut lines = vec![format!(
                    "replace {:?}, {} items{}",
                    &text[completion.replace.as_usize()],
                    completion.items.len(),
                    if completion.incomplete {
                        " (incomplete)"
                    } else {
                        ""
                    }
                )];
                lines.extend(completion.items.iter().take(limit).map(|item| {
                    format!(
                        "{} — {}",
                        item.label,
                        item.detail.as_deref().unwrap_or_default()
                    )
                }));
                lines.join("\n")
            }
        };
        expect.assert_eq(&res);
    }

    #[test]
    fn dcgm_names() {
        check(
            "Watch DCGM_FI_DEV_GPU_T$0 closely.",
            10,
            expect![[r#"
            replace "DCGM_FI_DEV_GPU_T", 6 items
            DCGM_FI_DEV_GPU_TEMP — id 150 · int64 · C · old name of DCGM_FI_DEV_GPU_TEMP_CELSIUS
            DCGM_FI_DEV_GPU_TEMP_CELSIUS — id 150 · int64 · degrees C
            DCGM_FI_DEV_GPU_TEMP_LIMIT — id 153 · int64 · C · old name of DCGM_FI_DEV_GPU_TEMP_MARGIN_CELSIUS
            DCGM_FI_DEV_GPU_TEMP_MARGIN_CELSIUS — id 153 · int64 · C
            DCGM_FI_DEV_GPU_TEMP_SHUTDOWN_CELSIUS — id 159 · int64 · C
            DCGM_FI_DEV_GPU_TEMP_SLOWDOWN_CELSIUS — id 158 · int64 · C"#]],
        );
        check(
            "`dcgm_fi_prof_gr$0`",
            10,
            expect![[r#"
            replace "dcgm_fi_prof_gr", 2 items
            DCGM_FI_PROF_GR_ENGINE_ACTIVE — id 1001 · double · ratio · old name of DCGM_FI_PROF_GR_ENGINE_UTIL_RATIO
            DCGM_FI_PROF_GR_ENGINE_UTIL_RATIO — id 1001 · double · ratio"#]],
        );
        check(
            "DCGM$0",
            2,
            expect![[r#"
            replace "DCGM", 200 items (incomplete)
            DCGM_FI_BIND_UNBIND_EVENT — id 6 · int64 · old name of DCGM_FI_SYSTEM_GPU_BIND_EVENT
            DCGM_FI_CUDA_DRIVER_VERSION — id 5 · int64"#]],
        );
        check("DCG$0", 2, expect!["none"]);
    }

    #[test]
    fn xid_codes_after_xid() {
        check(
            "The node logged Xid $0 twice.",
            2,
            expect![[r#"
                replace "Xid ", 176 items
                Xid 1 — NVIDIA GPU error. Mnemonic `ROBUST_CHANNEL_FIFO_ERROR_FIFO_METHOD`. Its description and what to do are in NVIDIA's Xid catalog.
                Xid 2 — NVIDIA GPU error. Mnemonic `ROBUST_CHANNEL_FIFO_ERROR_SW_METHOD`. Its description and what to do are in NVIDIA's Xid catalog."#]],
        );
        check(
            "- **XID 7$0**: the GPU fell off the bus.",
            3,
            expect![[r#"
                replace "XID 7", 11 items
                Xid 7 — NVIDIA GPU error. Mnemonic `ROBUST_CHANNEL_FIFO_ERROR_PTE_ERR`. Its description and what to do are in NVIDIA's Xid catalog.
                Xid 70 — NVIDIA GPU error. Mnemonic and driver macro `ROBUST_CHANNEL_CE3_ERROR`. Its description and what to do are in NVIDIA's Xid catalog.
                Xid 71 — NVIDIA GPU error. Mnemonic and driver macro `ROBUST_CHANNEL_CE4_ERROR`. Its description and what to do are in NVIDIA's Xid catalog."#]],
        );
        check(
            "A fixed Xid $0",
            1,
            expect![[r#"
            replace "Xid ", 176 items
            Xid 1 — NVIDIA GPU error. Mnemonic `ROBUST_CHANNEL_FIFO_ERROR_FIFO_METHOD`. Its description and what to do are in NVIDIA's Xid catalog."#]],
        );
        check("Xid$0", 1, expect!["none"]);
        check("```\ndmesg | grep Xid $0\n```\n", 1, expect!["none"]);
        check("Some other $0", 1, expect!["none"]);
    }

    #[test]
    fn kubectl_subcommands() {
        check(
            "```bash\nkubectl $0\n```\n",
            3,
            expect![[r#"
            replace "", 45 items
            alpha — Commands for features in alpha
            annotate — Update the annotations on a resource
            api-resources — Print the supported API resources on the server"#]],
        );
        check(
            "```bash\nkubectl cre$0\n```\n",
            1,
            expect![[r#"
            replace "cre", 45 items
            alpha — Commands for features in alpha"#]],
        );
        check(
            "```bash\nkubectl create $0\n```\n",
            3,
            expect![[r#"
            replace "", 17 items
            clusterrole — Create a cluster role
            clusterrolebinding — Create a cluster role binding for a particular cluster role
            configmap — Create a config map from a local file, directory or literal value"#]],
        );
        check(
            "```bash\nkubectl auth $0 create pods\n```\n",
            5,
            expect![[r#"
            replace "", 3 items
            can-i — Check whether an action is allowed
            reconcile — Reconciles rules for RBAC role, role binding, cluster role, and cluster role binding objects
            whoami — Experimental: Check self subject attributes"#]],
        );
        check("```bash\nkubectl get pods $0\n```\n", 3, expect!["none"]);
        check("```bash\nkubectl get -o $0\n```\n", 3, expect!["none"]);
        check("```yaml\nkubectl $0\n```\n", 3, expect!["none"]);
    }

    #[test]
    fn kubectl_flags_of_the_command() {
        check(
            "```bash\nkubectl get pods --so$0\n```\n",
            3,
            expect![[r#"
            replace "--so", 52 items
            --all-namespaces — bool · default false
            --allow-missing-template-keys — bool · default true
            --chunk-size — int · default 500"#]],
        );
        check(
            "Try `kubectl logs web -$0`.",
            4,
            expect![[r#"
            replace "-", 53 items
            --all-containers — bool · default false
            --all-pods — bool · default false
            --container — string
            --follow — bool · default false"#]],
        );
        check(
            "```bash\nkubectl get pods --$0\n```\n",
            2,
            expect![[r#"
            replace "--", 52 items
            --all-namespaces — bool · default false
            --allow-missing-template-keys — bool · default true"#]],
        );
        check(
            "```bash\nkubectl debug -i$0t web\n```\n",
            2,
            expect![[r#"
            replace "-it", 61 items
            --arguments-only — bool · default false
            --attach — bool · default false"#]],
        );
        check(
            "```sh\nkubectl exec -it web -- ls -$0\n```\n",
            3,
            expect!["none"],
        );
    }
}
