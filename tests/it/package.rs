//! What the published crate carries (`cargo package --list`): the sources, the shipped term packs
//! they embed, the README and both license files; none of the test corpora, benches, editor
//! clients or CI files. `cargo publish --dry-run` builds exactly this list.

use crate::support::repo_root;
use std::process::Command;

#[test]
fn crate_package_carries_sources_packs_readme_and_licenses_only() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(repo_root())
        .args(["package", "--list", "--allow-dirty", "--offline", "--quiet"])
        .output()
        .expect("run cargo package --list");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let files: Vec<&str> = std::str::from_utf8(&output.stdout)
        .expect("UTF-8 list")
        .lines()
        .collect();
    for required in [
        "Cargo.toml",
        "Cargo.lock",
        "README.md",
        "LICENSE-MIT",
        "LICENSE-APACHE",
        "src/main.rs",
        "src/lib.rs",
        "packs/dcgm.tsv",
        "packs/kubectl.tsv",
        "packs/xid.tsv",
    ] {
        assert!(
            files.contains(&required),
            "{required} is packaged: {files:?}"
        );
    }
    let stray: Vec<&&str> = files
        .iter()
        .filter(|f| {
            [
                "fixtures/",
                "tests/",
                "benches/",
                "editors/",
                "scripts/",
                "target/",
                ".ci/",
            ]
            .iter()
            .any(|dir| f.starts_with(dir))
        })
        .collect();
    assert!(stray.is_empty(), "not for the crate: {stray:?}");
    // Every source file the crate compiles is in it (an `include` list can silently drop one).
    for entry in walk(&repo_root().join("src")) {
        let rel = entry
            .strip_prefix(repo_root())
            .expect("under the repository")
            .to_string_lossy()
            .replace('\\', "/");
        assert!(files.contains(&rel.as_str()), "{rel} is packaged");
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
