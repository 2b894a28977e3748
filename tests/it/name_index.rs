//! The did-you-mean index misses nothing the full ranking could choose: for typos made from
//! random names, from the note names of the fixture corpora and of generated corpora, every name
//! left out of the index's candidates is one `suggest::closest` rejects on its own, and ranking
//! only the candidates gives what ranking every name gives, whichever names the note uses or are
//! deprecated.

use crate::fuzz::Rng;
use crate::gen;
use kbls::text::name_index::NameIndex;
use kbls::text::suggest::{self, Candidate};
use std::collections::BTreeMap;
use std::path::Path;

/// Letters that make near-collisions likely, with separators, case and characters whose
/// lowercase is longer or depends on the position.
const LETTERS: &[&str] = &[
    "a", "b", "c", "d", "e", "a", "b", "-", "_", " ", "/", "A", "B", "é", "ß", "İ", "Σ", "0", "1",
];
const SEGMENTS: &[&str] = &[
    "gpu",
    "operator",
    "install",
    "deploy",
    "deployment",
    "setup",
    "note",
    "missing",
    "cluster",
    "kubectl",
    "metrics",
    "DCGM",
    "FI",
    "DEV",
    "util",
];

fn random_name(rng: &mut Rng) -> String {
    let mut name = String::new();
    for _ in 0..1 + rng.below(4) {
        if !name.is_empty() {
            name.push_str(rng.pick(&["-", "_", " ", "/"]));
        }
        if rng.below(2) == 0 {
            name.push_str(rng.pick(SEGMENTS));
        } else {
            for _ in 0..1 + rng.below(6) {
                name.push_str(rng.pick(LETTERS));
            }
        }
    }
    name
}

/// `name` with a few random slips: letters changed, added, dropped or swapped, case changed,
/// a segment added or the end cut off.
fn mistype(name: &str, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = name.chars().collect();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(chars.len() + 1);
        let letter = rng.pick(LETTERS).chars().next().expect("a letter");
        match rng.below(8) {
            0 if at < chars.len() => chars[at] = letter,
            1 => chars.insert(at, letter),
            2 if at < chars.len() => {
                chars.remove(at);
            }
            3 if at + 1 < chars.len() => chars.swap(at, at + 1),
            4 if at < chars.len() => chars[at] = chars[at].to_ascii_uppercase(),
            5 => chars.extend(format!("-{}", rng.pick(SEGMENTS)).chars()),
            6 => chars.truncate(at.max(1)),
            _ => {}
        }
    }
    chars.into_iter().collect()
}

/// Compares the index with the full ranking for `typos` among `names`.
fn check(names: &[String], typos: &[String], rng: &mut Rng) {
    let index = NameIndex::new(names.iter().map(String::as_str));
    for typo in typos {
        let candidates = index.candidates(typo);
        assert!(
            candidates.windows(2).all(|w| w[0] < w[1]),
            "{typo}: unsorted"
        );
        let mut found = candidates.iter().peekable();
        for (pos, name) in names.iter().enumerate() {
            if found.next_if_eq(&&pos).is_some() {
                continue;
            }
            let alone = suggest::closest(typo, [Candidate::new(name.as_str(), ())]);
            assert!(alone.is_none(), "{typo:?}: the index misses {name:?}");
        }
        for _ in 0..3 {
            let flags: Vec<(bool, bool)> = names
                .iter()
                .map(|_| (rng.below(4) == 0, rng.below(4) == 0))
                .collect();
            let candidate = |pos: usize| {
                let (used, deprecated) = flags[pos];
                Candidate::new(names[pos].as_str(), pos)
                    .used(used)
                    .deprecated(deprecated)
            };
            assert_eq!(
                suggest::closest(typo, candidates.iter().map(|&pos| candidate(pos))),
                suggest::closest(typo, (0..names.len()).map(candidate)),
                "{typo:?}"
            );
        }
    }
}

/// Typos made from `names`: each name mistyped, some twice, and some names as they are.
fn typos_of(names: &[String], rng: &mut Rng) -> Vec<String> {
    let mut typos: Vec<String> = names.iter().map(|name| mistype(name, rng)).collect();
    for _ in 0..names.len() / 4 {
        let name = &names[rng.below(names.len())];
        typos.push(mistype(&mistype(name, rng), rng));
        typos.push(name.clone());
    }
    typos
}

#[test]
fn random_names() {
    let mut rng = Rng(0x0ddb_a115_5eed_f00d);
    for _ in 0..4 {
        let names: Vec<String> = (0..100).map(|_| random_name(&mut rng)).collect();
        let mut typos = typos_of(&names, &mut rng);
        typos.extend((0..50).map(|_| random_name(&mut rng)));
        check(&names, &typos, &mut rng);
    }
}

/// Names that differ only in digits, as generated corpora have them by the thousand.
#[test]
fn numbered_names() {
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let names: Vec<String> = (0..500).map(|i| format!("note-{:06}", i * 8 + 3)).collect();
    let mut typos: Vec<String> = (0..40)
        .map(|_| mistype(&names[rng.below(names.len())], &mut rng))
        .collect();
    typos.extend(
        [
            "note-000123-missing",
            "note-00123",
            "Note-000011",
            "note-0000",
        ]
        .map(String::from),
    );
    check(&names, &typos, &mut rng);
}

/// The file stems of the notes under `dir`, grouped by folder as broken links are matched.
fn stems_by_folder(dir: &Path, res: &mut BTreeMap<String, Vec<String>>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|entry| entry.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            stems_by_folder(&path, res);
        } else if path.extension().is_some_and(|ext| ext == "md") {
            let stem = path.file_stem().expect("a file name").to_string_lossy();
            res.entry(dir.display().to_string())
                .or_default()
                .push(stem.into_owned());
        }
    }
}

#[test]
fn note_names_of_the_fixtures_and_of_a_generated_corpus() {
    let mut rng = Rng(0xface_b00c_0123_4567);
    let dir = tempfile::tempdir().expect("temp dir");
    let stats = gen::generate(dir.path(), 300, 3, gen::BROKEN_PER_MILLE);
    let mut folders = BTreeMap::new();
    stems_by_folder(dir.path(), &mut folders);
    stems_by_folder(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
        &mut folders,
    );
    let broken: Vec<String> = stats
        .broken
        .iter()
        .filter_map(|(_, _, dest)| Some(dest.split('#').next()?.trim_end_matches(".md")))
        .map(|path| path.rsplit('/').next().unwrap_or(path).to_string())
        .collect();
    assert!(folders.len() > 5 && !broken.is_empty());
    for names in folders.values() {
        let mut typos = typos_of(names, &mut rng);
        typos.extend(broken.iter().take(20).cloned());
        check(names, &typos, &mut rng);
    }
}
