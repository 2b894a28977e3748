//! Findings about the reference names a note uses: `DCGM_FI_*` names that DCGM does not have,
//! kubectl subcommands that do not exist, and flags that the command at hand does not take.
//!
//! A word where a kubectl command or subcommand should be is reported only when it is a slip of
//! one (`gett`, `restrat`): after `kubectl` any other word names a plugin (`kubectl hello`), and
//! below the top level it stands for a subcommand in prose (`kubectl create something`). A flag
//! is reported when no command the line may stand for has it (see [`Invocation::open`]), with
//! the version of the pack, so a reader on another kubectl knows why.
//!
//! Each finding may carry a suggestion; the quick fix replaces the finding's range with it.
//! Checks run only against the packs in use (switching the DCGM pack off silences
//! `unknown-dcgm-field`). Suppression comments are left to the caller, as for every other rule.
//! Knows nothing about LSP; ranges are byte offsets.

use super::{Code, Finding, Fix};
use crate::ide::terms::flag_scope_phrase;
use crate::syntax::NoteSyntax;
use crate::terms::{dcgm_mentions, is_placeholder, note_invocations, Invocation, NoteNames, Packs};
use crate::text::TextRange;

/// Well-known kubectl plugins (`kubectl krew`, `kubectl virt`): a first word that is neither a
/// command nor a slip of one is taken for a plugin and not reported, and these never are, even
/// when one letter from a command (`tail` and `taint`).
const KNOWN_PLUGINS: &[&str] = &[
    "access-matrix",
    "ai",
    "argo",
    "cert-manager",
    "cnpg",
    "ctx",
    "df-pv",
    "example",
    "gadget",
    "hns",
    "images",
    "karmada",
    "konfig",
    "krew",
    "ktop",
    "kuttl",
    "kyverno",
    "minio",
    "mtail",
    "neat",
    "node-shell",
    "ns",
    "oidc-login",
    "resource-capacity",
    "rook-ceph",
    "rollouts",
    "slice",
    "sniff",
    "stern",
    "tail",
    "trace",
    "tree",
    "view-secret",
    "virt",
    "who-can",
];

/// The findings of one note, in document order.
pub(super) fn check(text: &str, syntax: &NoteSyntax, packs: &Packs) -> Vec<Finding> {
    let mut res = Vec::new();
    let mentions = if packs.has_dcgm() {
        dcgm_mentions(text)
    } else {
        Vec::new()
    };
    let invocations = if packs.has_kubectl() {
        note_invocations(text, syntax, packs)
    } else {
        Vec::new()
    };
    let names = NoteNames::new(text, &mentions, &invocations, packs);
    for mention in &mentions {
        if mention.partial {
            continue;
        }
        let name = &text[mention.range.as_usize()];
        if packs.dcgm_field(name).is_some() {
            continue;
        }
        let suggestion = packs
            .dcgm_suggest(name, |close| names.uses_dcgm(close))
            .map(String::from);
        let message = match &suggestion {
            Some(close) => format!("`{name}` is not a DCGM field (did you mean `{close}`?)"),
            None => format!("`{name}` is not a DCGM field"),
        };
        res.push(finding(
            Code::UnknownDcgmField,
            mention.range,
            message,
            suggestion,
        ));
    }
    for inv in &invocations {
        check_invocation(inv, packs, &names, &mut res);
    }
    res.sort_by_key(|f| (f.range.start, f.range.end));
    res
}

fn check_invocation(
    inv: &Invocation,
    packs: &Packs,
    names: &NoteNames<'_>,
    res: &mut Vec<Finding>,
) {
    let stop = inv
        .args
        .first()
        .filter(|word| packs.has_subcommands(&inv.command) && !is_placeholder(&word.text));
    if let Some(first) = stop {
        let word = first.text.as_str();
        let at_top = inv.command == "kubectl";
        if at_top && KNOWN_PLUGINS.contains(&word) {
            return;
        }
        let suggestion = packs
            .suggest_subcommand(&inv.command, word, |path| names.uses_command(path))
            .map(String::from);
        match &suggestion {
            Some(close) => {
                let message = if at_top {
                    format!("`{word}` is not a kubectl command (did you mean `kubectl {close}`?)")
                } else {
                    let parent = &inv.command;
                    format!(
                        "`{word}` is not a subcommand of `{parent}` (did you mean `{parent} {close}`?)"
                    )
                };
                res.push(finding(
                    Code::UnknownKubectlCommand,
                    first.range,
                    message,
                    suggestion,
                ));
                // With the command mistyped, its flags cannot be judged.
                return;
            }
            // No slip of a command: after `kubectl`, a plugin, whose flags are its own.
            None if at_top => return,
            // Below the top level, a word standing for a subcommand: `inv.open` is set, so the
            // flags may be those of any of them.
            None => {}
        }
    }
    check_flags(inv, packs, names, res);
}

fn check_flags(inv: &Invocation, packs: &Packs, names: &NoteNames<'_>, res: &mut Vec<Finding>) {
    let scope = inv.flag_scope();
    for flag in &inv.flags {
        if packs.scope_flag(scope, &flag.name).is_some() {
            continue;
        }
        let others = packs.commands_with_flag(&flag.name);
        let elsewhere = match others.as_slice() {
            [] => String::new(),
            [one] => format!(" (it is a flag of `{one}`)"),
            [one, two] => format!(" (it is a flag of `{one}` and `{two}`)"),
            [one, two, rest @ ..] => format!(
                " (it is a flag of `{one}`, `{two}` and {} more)",
                rest.len()
            ),
        };
        // Only a whole flag word can be replaced: not one letter of `-itz`.
        let replaceable = flag.is_long() || flag.range.len() == 2;
        let suggestion = if replaceable {
            packs.suggest_flag(scope, &flag.name, |long| {
                names.uses_flag(&inv.command, long)
            })
        } else {
            None
        };
        let hint = match &suggestion {
            Some(close) if elsewhere.is_empty() => format!(" (did you mean `{close}`?)"),
            Some(close) => format!("; did you mean `{close}`?"),
            None => String::new(),
        };
        res.push(finding(
            Code::UnknownKubectlFlag,
            flag.range,
            format!(
                "`{}` is not {}{elsewhere}{hint}",
                flag.name,
                flag_scope_phrase(scope, packs)
            ),
            suggestion,
        ));
    }
}

/// A finding whose suggestion, when there is one, is also its quick fix.
fn finding(code: Code, range: TextRange, message: String, suggestion: Option<String>) -> Finding {
    let fix = suggestion.as_ref().map(|new_text| Fix {
        range,
        new_text: new_text.clone(),
    });
    Finding {
        code,
        range,
        message,
        suggestion,
        fix,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{parse, ParseOptions};
    use expect_test::{expect, Expect};

    /// Each finding as `code "text at range" -> suggestion: message`.
    fn check_findings(text: &str, expect: Expect) {
        let syntax = parse(text, &ParseOptions::default());
        let res: Vec<String> = check(text, &syntax, Packs::builtin())
            .iter()
            .map(|f| {
                let fix = f
                    .suggestion
                    .as_deref()
                    .map(|s| format!(" -> {s}"))
                    .unwrap_or_default();
                format!(
                    "{} {:?}{fix}: {}",
                    f.code.as_str(),
                    &text[f.range.as_usize()],
                    f.message
                )
            })
            .collect();
        expect.assert_eq(&res.join("\n"));
    }

    #[test]
    fn unknown_dcgm_fields() {
        check_findings(
            "Watch `DCGM_FI_DEV_GPU_TEMPP` and DCGM_FI_PROF_GR_ENGINE_ACTIVE, DCGM_FI_NOT_A_THING,\nDCGM_FI_PROF_* and the removed DCGM_FI_DEV_MEM_COPY_UTIL_SAMPLES.\n",
            expect![[r#"
                unknown-dcgm-field "DCGM_FI_DEV_GPU_TEMPP" -> DCGM_FI_DEV_GPU_TEMP: `DCGM_FI_DEV_GPU_TEMPP` is not a DCGM field (did you mean `DCGM_FI_DEV_GPU_TEMP`?)
                unknown-dcgm-field "DCGM_FI_NOT_A_THING": `DCGM_FI_NOT_A_THING` is not a DCGM field"#]],
        );
    }

    #[test]
    fn dcgm_suggestions_rank_first_the_names_the_note_uses() {
        // Issue 10: a prefix of what was typed, and the name the note uses a few lines above,
        // beats `DCGM_FI_DEV_VGPU_UTILIZATIONS`, two edits away. And among eight names one digit
        // away, the one the note uses wins.
        check_findings(
            "Alert on `DCGM_FI_DEV_GPU_UTIL` and `DCGM_FI_PROF_NVDEC_UTIL_3_RATIO`.\n\nGraph DCGM_FI_DEV_GPU_UTILIZATION and DCGM_FI_PROF_NVDEC_UTIL_9_RATIO.\n",
            expect![[r#"
                unknown-dcgm-field "DCGM_FI_DEV_GPU_UTILIZATION" -> DCGM_FI_DEV_GPU_UTIL: `DCGM_FI_DEV_GPU_UTILIZATION` is not a DCGM field (did you mean `DCGM_FI_DEV_GPU_UTIL`?)
                unknown-dcgm-field "DCGM_FI_PROF_NVDEC_UTIL_9_RATIO" -> DCGM_FI_PROF_NVDEC_UTIL_3_RATIO: `DCGM_FI_PROF_NVDEC_UTIL_9_RATIO` is not a DCGM field (did you mean `DCGM_FI_PROF_NVDEC_UTIL_3_RATIO`?)"#]],
        );
        check_findings(
            "Graph DCGM_FI_PROF_NVDEC_UTIL_9_RATIO.\n",
            expect![[r#"
                unknown-dcgm-field "DCGM_FI_PROF_NVDEC_UTIL_9_RATIO" -> DCGM_FI_PROF_NVDEC_UTIL_0_RATIO: `DCGM_FI_PROF_NVDEC_UTIL_9_RATIO` is not a DCGM field (did you mean `DCGM_FI_PROF_NVDEC_UTIL_0_RATIO`?)"#]],
        );
    }

    #[test]
    fn kubectl_suggestions_rank_first_what_the_note_runs() {
        // `nod` is one letter from `node` and from `pod`; `--cluser` one from `--cluster` and two
        // from `--user`.
        check_findings(
            "```bash\nkubectl top nod\nkubectl get pods --cluser prod\n```\n",
            expect![[r#"
                unknown-kubectl-command "nod" -> node: `nod` is not a subcommand of `kubectl top` (did you mean `kubectl top node`?)
                unknown-kubectl-flag "--cluser" -> --cluster: `--cluser` is not a flag of `kubectl get` in kubectl v1.33.1 (did you mean `--cluster`?)"#]],
        );
        check_findings(
            "```bash\nkubectl top pod web\nkubectl top nod\nkubectl get pods --user admin\nkubectl get pods --cluser prod\n```\n",
            expect![[r#"
                unknown-kubectl-command "nod" -> pod: `nod` is not a subcommand of `kubectl top` (did you mean `kubectl top pod`?)
                unknown-kubectl-flag "--cluser" -> --user: `--cluser` is not a flag of `kubectl get` in kubectl v1.33.1 (did you mean `--user`?)"#]],
        );
    }

    #[test]
    fn unknown_kubectl_commands() {
        check_findings(
            "```bash\nkubectl gett pods\nkubectl rollout restrat deploy/web\nkubectl krew install neat\nkubectl foo --bar\nkubectl <command> --help\nkubectl create deploymnt web --image=nginx\n```\nIn prose: `kubectl rollout restart/status`.\n",
            expect![[r#"
                unknown-kubectl-command "gett" -> get: `gett` is not a kubectl command (did you mean `kubectl get`?)
                unknown-kubectl-command "restrat" -> restart: `restrat` is not a subcommand of `kubectl rollout` (did you mean `kubectl rollout restart`?)
                unknown-kubectl-command "deploymnt" -> deployment: `deploymnt` is not a subcommand of `kubectl create` (did you mean `kubectl create deployment`?)"#]],
        );
    }

    #[test]
    fn unknown_kubectl_flags_are_command_aware() {
        check_findings(
            "```sh\nkubectl get pods --tail 10\nkubectl get pods --sortby=.metadata.name\nkubectl logs web -c app --tail=5 -f\nkubectl debug -itz web --image=busybox\nkubectl exec -it web -- ls --color -l\nkubectl -n kube-system get pods --namespac foo\n```\nAlso `kubectl get pod -o wide --no-header`.\n",
            expect![[r#"
                unknown-kubectl-flag "--tail": `--tail` is not a flag of `kubectl get` in kubectl v1.33.1 (it is a flag of `kubectl logs`)
                unknown-kubectl-flag "--sortby" -> --sort-by: `--sortby` is not a flag of `kubectl get` in kubectl v1.33.1 (did you mean `--sort-by`?)
                unknown-kubectl-flag "z": `-z` is not a flag of `kubectl debug` in kubectl v1.33.1
                unknown-kubectl-flag "--namespac" -> --namespace: `--namespac` is not a flag of `kubectl get` in kubectl v1.33.1 (did you mean `--namespace`?)
                unknown-kubectl-flag "--no-header" -> --no-headers: `--no-header` is not a flag of `kubectl get` in kubectl v1.33.1 (did you mean `--no-headers`?)"#]],
        );
    }

    #[test]
    fn valid_command_lines_have_no_findings() {
        check_findings(
            r#"```bash
kubectl logs -l app=my-service
kubectl debug -it <pod-name> --image=busybox --target=<container-name> --share-processes
kubectl delete pod <pod-name> --grace-period=0 --force
kubectl get pods -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName,STATUS:.status.phase
kubectl get pods -o jsonpath='{range .items[*]}{.metadata.name}{"\t"}{.spec.containers[*].image}{"\n"}{end}'
kubectl get pods --sort-by='.status.containerStatuses[0].restartCount'
kubectl port-forward svc/my-service 8080:80
kubectl auth can-i create deployments
kubectl api-resources --verbs=list --namespaced -o name \
  | xargs -n 1 kubectl get --show-kind --ignore-not-found -l <label>=<value> -n <namespace>
kubectl cp <pod-name>:/tmp/capture.pcap ./capture.pcap -c <debug-container-name>
kubectl top nodes
kubectl config use-context prod
kubectl create secret docker-registry regcred --docker-server=x
```
"#,
            expect![[""]],
        );
    }

    #[test]
    fn flag_values_never_start_with_a_dash() {
        // kubernetes/website tasks/debug/debug-application/debug-pods.md: `--validate` takes a
        // value (`--validate=strict`), but not `-f`.
        check_findings(
            "For example, run `kubectl apply --validate -f mypod.yaml`.\n",
            expect![[""]],
        );
        // Still a typo after it, and the file is not taken for a subcommand.
        check_findings(
            "Run `kubectl apply --validate -f mypod.yaml --prunne`.\n",
            expect![[r#"
                unknown-kubectl-flag "--prunne" -> --prune: `--prunne` is not a flag of `kubectl apply` in kubectl v1.33.1 (did you mean `--prune`?)"#]],
        );
        check_findings(
            "```bash\nkubectl apply --validate -x -f mypod.yaml\nkubectl logs web --tail -1\ncat pod.yaml | kubectl apply -f -\n```\n",
            expect![[r#"
                unknown-kubectl-flag "-x": `-x` is not a flag of `kubectl apply` in kubectl v1.33.1"#]],
        );
    }

    #[test]
    fn a_command_group_takes_the_flags_of_its_subcommands() {
        // kubernetes/website tasks/manage-kubernetes-objects/imperative-command.md.
        check_findings(
            "1. The `kubectl create service -o yaml --dry-run=client` command creates the configuration.\n",
            expect![[""]],
        );
        check_findings(
            "```bash\nkubectl rollout --revision 2 history deployment/web\nkubectl config --kubeconfig=dev view\n```\n",
            expect![[""]],
        );
        // A typo in the flag, in the subcommand, and a flag that no subcommand has.
        check_findings(
            "```bash\nkubectl create service -o yaml --dry-rn=client\nkubectl create service clustrip my-svc --tcp=5678:8080\nkubectl create servce clusterip my-svc\nkubectl create service --replicas 3\nkubectl rollout --revison 2 history deployment/web\n```\n",
            expect![[r#"
                unknown-kubectl-flag "--dry-rn" -> --dry-run: `--dry-rn` is not a flag of `kubectl create service` or its subcommands in kubectl v1.33.1 (did you mean `--dry-run`?)
                unknown-kubectl-command "clustrip" -> clusterip: `clustrip` is not a subcommand of `kubectl create service` (did you mean `kubectl create service clusterip`?)
                unknown-kubectl-command "servce" -> service: `servce` is not a subcommand of `kubectl create` (did you mean `kubectl create service`?)
                unknown-kubectl-flag "--replicas": `--replicas` is not a flag of `kubectl create service` or its subcommands in kubectl v1.33.1 (it is a flag of `kubectl create deployment` and `kubectl scale`)
                unknown-kubectl-flag "--revison" -> --revision: `--revison` is not a flag of `kubectl rollout` or its subcommands in kubectl v1.33.1 (did you mean `--revision`?)"#]],
        );
        // `kubectl create` runs on its own: a flag only its subcommands have is a mistake there.
        check_findings(
            "```bash\nkubectl create -f web.yaml --image=nginx\n```\n",
            expect![[
                r#"unknown-kubectl-flag "--image": `--image` is not a flag of `kubectl create` in kubectl v1.33.1 (it is a flag of `kubectl create cronjob`, `kubectl create deployment` and 3 more)"#
            ]],
        );
    }

    #[test]
    fn placeholders_end_the_command_path() {
        // kubernetes/website reference/kubectl/_index.md.
        check_findings(
            "```shell\nkubectl [command] [TYPE] [NAME] -o <output_format>\nkubectl [command] [TYPE] [NAME] --sort-by=<jsonpath_exp>\nkubectl create secret TYPE NAME --from-literal=key=value\nkubectl $VERB pods -w\nkubectl ${CMD} --all-namespaces\nkubectl {{.Command}} -A\nkubectl create ... --dry-run=client\n```\n",
            expect![[""]],
        );
        check_findings(
            "```shell\nkubectl [command] [TYPE] [NAME] --sort-byy=<jsonpath_exp>\nkubectl create secret TYPE NAME --from-litteral=key=value\n```\n",
            expect![[r#"
                unknown-kubectl-flag "--sort-byy" -> --sort-by: `--sort-byy` is not a flag of any kubectl command in kubectl v1.33.1 (did you mean `--sort-by`?)
                unknown-kubectl-flag "--from-litteral" -> --from-literal: `--from-litteral` is not a flag of `kubectl create secret` or its subcommands in kubectl v1.33.1 (did you mean `--from-literal`?)"#]],
        );
    }

    #[test]
    fn a_flag_named_alone_is_any_commands() {
        // kubernetes/website reference/using-api/api-concepts.md, custom-resource-definition-
        // versioning.md and reference/kubectl/quick-reference.md.
        check_findings(
            "Prior to Kubernetes 1.25, `kubectl --validate` was used to toggle client-side validation;\nupdating used `kubectl --raw`, and ```kubectl -A``` lists all namespaces.\n",
            expect![[""]],
        );
        check_findings(
            "Use `kubectl --rawz` or `kubectl -Z`.\n",
            expect![[r#"
                unknown-kubectl-flag "--rawz" -> --raw: `--rawz` is not a flag of any kubectl command in kubectl v1.33.1 (did you mean `--raw`?)
                unknown-kubectl-flag "-Z": `-Z` is not a flag of any kubectl command in kubectl v1.33.1"#]],
        );
    }

    #[test]
    fn unknown_words_are_plugins_or_placeholders_unless_a_slip() {
        // kubernetes/website reference/kubectl/_index.md (`hello`, `whoami`) and
        // tasks/extend-kubectl/kubectl-plugins.md (`something`, `foo`).
        check_findings(
            "```shell\nkubectl hello\nkubectl whoami\nkubectl foo bar baz arg1 --meaningless-flag=true\n```\nCustom create commands of the shape `kubectl create something`.\n",
            expect![[""]],
        );
        check_findings(
            "```shell\nkubectl hepl\nkubectl create secrte generic db\nkubectl describ pod web\n```\n",
            expect![[r#"
                unknown-kubectl-command "hepl" -> help: `hepl` is not a kubectl command (did you mean `kubectl help`?)
                unknown-kubectl-command "secrte" -> secret: `secrte` is not a subcommand of `kubectl create` (did you mean `kubectl create secret`?)
                unknown-kubectl-command "describ" -> describe: `describ` is not a kubectl command (did you mean `kubectl describe`?)"#]],
        );
    }

    #[test]
    fn flags_of_another_command_say_the_pack_version() {
        // kubernetes/website concepts/workloads/management.md: these flags are `kubectl patch`'s.
        check_findings(
            "```shell\nkubectl scale --replicas 1 deployments/my-nginx --subresource='scale' --type='merge' -p '{\"spec\":{\"replicas\": 1}}'\n```\n",
            expect![[r#"
                unknown-kubectl-flag "--subresource": `--subresource` is not a flag of `kubectl scale` in kubectl v1.33.1 (it is a flag of `kubectl apply`, `kubectl auth can-i` and 4 more)
                unknown-kubectl-flag "--type": `--type` is not a flag of `kubectl scale` in kubectl v1.33.1 (it is a flag of `kubectl create secret generic`, `kubectl expose` and 1 more)
                unknown-kubectl-flag "-p": `-p` is not a flag of `kubectl scale` in kubectl v1.33.1 (it is a flag of `kubectl logs`, `kubectl patch` and 1 more)"#]],
        );
    }

    /// The findings on `fixtures/kb`, reviewed by hand: each must be a genuine error. One per
    /// line: `path line: code message`.
    #[test]
    fn findings_on_the_fixtures() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/kb");
        let mut res = String::new();
        for (path, text) in crate::test_fixture::read_corpus(&root) {
            let syntax = parse(&text, &ParseOptions::default());
            let line_index = crate::text::LineIndex::new(&text);
            for finding in check(&text, &syntax, Packs::builtin()) {
                let line = line_index.line_of(finding.range.start as usize) + 1;
                res.push_str(&format!(
                    "{path}:{line}: {} {}\n",
                    finding.code.as_str(),
                    finding.message
                ));
            }
        }
        expect_test::expect_file!["../../../fixtures/terms-findings.expected"].assert_eq(&res);
    }
}
