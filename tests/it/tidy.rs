//! Keeps the layering of STYLE.md honest: the analysis modules know nothing of LSP, async,
//! JSON-RPC, the file system or the clock, and every module says what it owns in a `//!` line.

use std::path::{Path, PathBuf};

const PURE_MODULES: [&str; 7] = [
    "src/text",
    "src/dialect.rs",
    "src/syntax",
    "src/graph",
    "src/ide",
    "src/terms",
    "src/config.rs",
];
const FORBIDDEN: [&str; 7] = [
    "tower_lsp_server",
    "ls_types",
    "tokio",
    "serde_json",
    "std::fs",
    "Local::now",
    "std::env",
];

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    if dir.is_file() {
        return vec![dir.to_path_buf()];
    }
    let mut files = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return files;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

#[test]
fn analysis_modules_know_nothing_of_the_outside_world() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut violations = Vec::new();
    for module in PURE_MODULES {
        // Test modules (`tests.rs`) may read fixtures from disk.
        for file in rust_files(&root.join(module))
            .into_iter()
            .filter(|f| !f.ends_with("tests.rs"))
        {
            let text = std::fs::read_to_string(&file).expect("read source");
            for (idx, line) in text.lines().enumerate() {
                // Tests may read fixtures from disk.
                if line.trim_start().starts_with("#[cfg(test)]") {
                    break;
                }
                for word in FORBIDDEN {
                    if line.contains(word) && !line.trim_start().starts_with("//") {
                        violations.push(format!(
                            "{}:{}: uses `{word}`",
                            file.strip_prefix(root).unwrap().display(),
                            idx + 1
                        ));
                    }
                }
            }
        }
    }
    assert!(
        violations.is_empty(),
        "layering violations:\n{}",
        violations.join("\n")
    );
}

#[test]
fn every_module_opens_with_a_doc_comment() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let missing: Vec<String> = rust_files(&root.join("src"))
        .into_iter()
        .filter(|f| {
            !std::fs::read_to_string(f)
                .unwrap_or_default()
                .starts_with("//!")
        })
        .map(|f| f.strip_prefix(root).unwrap().display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "modules without a `//!` doc comment: {missing:?}"
    );
}
