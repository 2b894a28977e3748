#!/usr/bin/env python3
"""Generates the term packs shipped inside kbls from the reference tables.

Usage: scripts/gen_packs.py [REFERENCE_DIR] [OUT_DIR]

REFERENCE_DIR defaults to ../shared/reference relative to the repository root and must hold
dcgm-fields.tsv, kubectl-commands.tsv, kubectl-flags.tsv and xid-errors.tsv (see its SOURCES.md). OUT_DIR defaults
to packs/ in the repository. The output is deterministic: running the script twice on the same
input gives byte-identical packs. The format is described in packs/README.md.

Python 3.11 standard library only.
"""

import csv
import os
import sys

FORMAT_LINE = "# kbls term pack v1"


def escape(value):
    """Escapes a field for the pack: backslash, tab, newline and carriage return."""
    return (
        value.replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )


def row(*fields):
    """One pack row; trailing empty fields are dropped to keep the packs small."""
    fields = [escape(f) for f in fields]
    while fields and fields[-1] == "":
        fields.pop()
    return "\t".join(fields)


def read_tsv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def dcgm_rows(rows):
    """Every DCGM_FI_* name: current fields, deprecated aliases (old names that most notes and
    dcgm-exporter still use), markers, and names removed in earlier releases. Each keeps its status,
    so kbls can tell an unknown name from an old one."""
    by_name = {r["name"]: r for r in rows}
    out = []
    for r in rows:
        name = r["name"]
        kind = r["kind"]
        if kind == "marker":
            status = "marker" if r["status"] == "current" else "removed"
        else:
            status = r["status"]
        description = r["description"] or r["exporter_help"]
        alias_of = ""
        if kind == "alias":
            alias_of = r["canonical_name"]
            target = by_name.get(alias_of)
            target_description = (target["description"] or target["exporter_help"]) if target else ""
            # An alias carries its target's comment; kbls copies it back when it reads the pack.
            if description == target_description:
                description = ""
        notes = []
        if status == "removed":
            notes.append(f"removed after DCGM {r['last_seen']}")
        elif kind == "field" and r["first_seen"] not in ("", "v2.1.4"):
            notes.append(f"name since DCGM {r['first_seen']}")
        if status == "deprecated" and kind == "field":
            notes.append("deprecated in the DCGM header")
        if r["prom_type"]:
            exporter = f"dcgm-exporter {r['prom_type']}"
            if r["exporter_default_enabled"] == "yes":
                exporter += ", on by default"
            notes.append(exporter)
        out.append(
            row("dcgm-field", name, r["id"], r["type"], r["unit"], status, alias_of, "; ".join(notes), description)
        )
    return out


def kubectl_rows(commands, flags):
    out = []
    for c in commands:
        aliases = ",".join(a for a in c["aliases"].split(",") if a)
        description = c["description"]
        if description == c["synopsis"] or description == c["synopsis"] + ".":
            description = ""
        if c["note"]:
            description = (description + " " + c["note"]).strip()
        out.append(row("kubectl-command", c["command"], aliases, c["synopsis"], c["usage"], description))
    # Flags that several commands share word for word (`--filename`, `--output`, the printing
    # flags) become one row listing every command, which keeps the pack at about half the size.
    groups = {}
    for f in flags:
        description = f["description"]
        if f["gate"]:
            description += f" (shown only with {f['gate']})"
        key = (f["flag"], f["shorthand"], f["value_type"], f["default"], description)
        groups.setdefault(key, []).append(f["command"])
    for (flag, shorthand, value_type, default, description), command_paths in groups.items():
        out.append(row("kubectl-flag", ",".join(command_paths), flag, shorthand, value_type, default, description))
    # Flags that kubectl gained after v1.33, listed in SOURCES.md ("Known gaps") from a static
    # diff of the kubectl source against kubernetes-1.36.3. They are kept so that notes written
    # for newer kubectl are not warned about; the types are read from how the flags are used.
    newer = "Added after kubectl v1.33 (kubernetes/kubectl, by kubernetes-1.36.3); not in the v1.33.1 help."
    for commands, flag, value_type in [
        ("kubectl attach,kubectl run", "--detach-keys", "string"),
        ("kubectl autoscale", "--cpu", "string"),
        ("kubectl autoscale", "--memory", "string"),
        ("kubectl diff", "--show-secrets", "bool"),
        ("kubectl top node,kubectl top pod", "--show-swap", "bool"),
    ]:
        out.append(row("kubectl-flag", commands, flag, "", value_type, "", newer))
    return out


# NVIDIA's Xid catalog, where the description, causes and actions of each code are.
XID_CATALOG = "https://docs.nvidia.com/deploy/xid-errors/analyzing-xid-catalog.html"


def xid_rows(rows):
    """One term per Xid code, `Xid 79`, from the columns SOURCES.md says come from MIT code:
    the code, its mnemonic and the open driver's nverror.h macro. What a code means is NVIDIA
    documentation text without an open license, so the term links to NVIDIA's catalog instead."""
    out = []
    for r in rows:
        mnemonics = [m for m in r["mnemonic"].split("/") if m]
        macros = [m for m in r["nverror_h_macro"].split(",") if m]
        # The catalog's `A/B` are alternative mnemonics; nverror.h's `A,B` are aliases.
        mnemonic = " or ".join(f"`{m}`" for m in mnemonics)
        macro = " and ".join(f"`{m}`" for m in macros)
        if macros == mnemonics:
            facts = f"Mnemonic and driver macro {macro}."
        elif macros:
            plural = "s" if len(macros) > 1 else ""
            facts = f"Mnemonic {mnemonic}; driver macro{plural} {macro}."
        else:
            facts = f"Mnemonic {mnemonic}."
        definition = f"NVIDIA GPU error. {facts} Its description and what to do are in NVIDIA's Xid catalog."
        out.append(row("term", f"Xid {r['code']}", "", definition, XID_CATALOG))
    return out


def header(name, lines):
    return [FORMAT_LINE, f"# name: {name}"] + [f"# {line}" for line in lines]


def write_pack(path, head, rows):
    text = "\n".join(head + rows) + "\n"
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print(f"{path}: {len(rows)} rows, {len(text.encode('utf-8'))} bytes")


def main(argv):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ref = argv[1] if len(argv) > 1 else os.path.join(root, "..", "shared", "reference")
    out_dir = argv[2] if len(argv) > 2 else os.path.join(root, "packs")
    os.makedirs(out_dir, exist_ok=True)

    dcgm = read_tsv(os.path.join(ref, "dcgm-fields.tsv"))
    write_pack(
        os.path.join(out_dir, "dcgm.tsv"),
        header(
            "dcgm",
            [
                "title: NVIDIA DCGM field identifiers (DCGM_FI_*)",
                "version: DCGM 4.6.0",
                "source: NVIDIA/DCGM 4.6.0 (commit 72fa3feaa67d716a75323a8f47c34ff3ee73f824), dcgmlib/dcgm_fields.h",
                "source: and dcgmlib/src/dcgm_fields.cpp, plus every release tag v2.1.4..v4.6.0 for removed names;",
                "source: NVIDIA/dcgm-exporter (commit d5e5f510a1b6b393f39a43293ccd9dc985defc79) etc/*.csv",
                "source: for exporter types and help text",
                "license: Apache-2.0 (NVIDIA/DCGM and NVIDIA/dcgm-exporter)",
                "generated: by scripts/gen_packs.py from dcgm-fields.tsv; do not edit by hand",
                "status: current | deprecated (old names kept as aliases) | marker (range bounds) | removed",
            ],
        ),
        dcgm_rows(dcgm),
    )

    commands = read_tsv(os.path.join(ref, "kubectl-commands.tsv"))
    flags = read_tsv(os.path.join(ref, "kubectl-flags.tsv"))
    write_pack(
        os.path.join(out_dir, "kubectl.tsv"),
        header(
            "kubectl",
            [
                "title: kubectl v1.33.1 commands, subcommands and flags",
                "version: kubectl v1.33.1",
                "source: kubectl v1.33.1 (gitCommit 8adc0f041b8e7ad1d30e29cc59c6ae7a15e19828) --help and",
                "source: `kubectl options` output; help text from kubernetes/kubectl tag kubernetes-1.33.1",
                "source: (4347e2627b7587379ff54f0e5a51f70936608be7), k8s.io/cli-runtime, k8s.io/component-base",
                "license: Apache-2.0 (kubernetes/kubectl and the Kubernetes staging repositories)",
                "generated: by scripts/gen_packs.py from kubectl-commands.tsv and kubectl-flags.tsv; do not edit",
                "global flags: the kubectl-flag rows of command `kubectl` apply to every command",
            ],
        ),
        kubectl_rows(commands, flags),
    )

    xid = read_tsv(os.path.join(ref, "xid-errors.tsv"))
    write_pack(
        os.path.join(out_dir, "xid.tsv"),
        header(
            "xid",
            [
                "title: NVIDIA GPU Xid error codes: code, mnemonic and driver macro",
                "version: Xid 1-176, NVIDIA driver 595.45.04",
                "source: the code, mnemonic and nverror_h_macro columns of xid-errors.tsv (see its SOURCES.md):",
                "source: codes and driver macros from NVIDIA/open-gpu-kernel-modules (commit",
                "source: df1c9a3de2be4b130f4fc7680f7198193d8ac6ad, driver 595.45.04) src/common/sdk/nvidia/inc/nverror.h;",
                "source: mnemonics are those identifiers as NVIDIA's Xid catalog lists them",
                "license: MIT (NVIDIA/open-gpu-kernel-modules; SOURCES.md counts these three columns as MIT code)",
                "descriptions: not included (NVIDIA documentation, not openly licensed); each term",
                f"descriptions: links to NVIDIA's Xid catalog, {XID_CATALOG}",
                "generated: by scripts/gen_packs.py from xid-errors.tsv; do not edit by hand",
            ],
        ),
        xid_rows(xid),
    )


if __name__ == "__main__":
    main(sys.argv)
