//! Did-you-mean: the known name a mistyped one most likely meant. One ranking serves notes,
//! anchors, reference labels, DCGM names, kubectl subcommands and flags.
//!
//! Knows nothing of where the names come from: the caller says which candidates the note with
//! the typo already uses, and which are deprecated.

/// A name that may be what was meant.
#[derive(Clone, Debug)]
pub struct Candidate<'a, T> {
    /// The text compared with the typo.
    pub name: &'a str,
    /// What [`closest`] gives back when this candidate wins.
    pub value: T,
    /// The note with the typo uses this name elsewhere (links to it, writes it).
    pub used: bool,
    /// A name kept only for compatibility, such as a deprecated alias.
    pub deprecated: bool,
}

impl<'a, T> Candidate<'a, T> {
    pub fn new(name: &'a str, value: T) -> Candidate<'a, T> {
        Candidate {
            name,
            value,
            used: false,
            deprecated: false,
        }
    }

    pub fn used(self, used: bool) -> Candidate<'a, T> {
        Candidate { used, ..self }
    }

    pub fn deprecated(self, deprecated: bool) -> Candidate<'a, T> {
        Candidate { deprecated, ..self }
    }
}

/// Only segments at least this long count as shared: `gpu` or `vs` in common says little.
pub(super) const MIN_SHARED_SEGMENT: usize = 4;

/// The candidate `typo` most likely meant, if any is plausible.
///
/// A candidate is *close* when it is a few edits away (Damerau-Levenshtein: none for typos of 1 or
/// 2 characters but case, 1 up to 4, 2 up to 12, a sixth of the length beyond) or, when the typo is a compound of
/// several `_`/`-`/`/`/space-separated segments, a prefix of the typo covering at least half of
/// it. In a one-word typo a shorter word it starts with is as likely a truncation as a stem
/// (`deploy` in `deploymnt`), so there only edits count. A candidate is *related* when it shares
/// with a compound typo segments that make up at least half of the letters of both, one of the
/// typo's longest (of 4 characters or more) among them (`gpu-operator-cdi-dra` for
/// `gpu-operator-install`). Close and related candidates rank by, in order:
/// 1. used by the note itself, if close: sharing a segment is too weak a tie to outrank a fix of
///    one letter (`--client-certificate` for `--certificate-athority`);
/// 2. a prefix of the typo, related, or a single slip away: else the singular `--namespace`
///    would beat the one-letter fix `--all-namespaces` for `--all-namespace`;
/// 3. fewer edits;
/// 4. not deprecated;
/// 5. given first.
///
/// Case is ignored, but a candidate spelled exactly as the typo is never suggested.
pub fn closest<'a, T>(
    typo: &str,
    candidates: impl IntoIterator<Item = Candidate<'a, T>>,
) -> Option<T> {
    let typo_lower = typo.to_lowercase();
    let typo_len = typo_lower.chars().count();
    let max_edits = max_edits(typo_len)?;
    let typo_segments: Vec<&str> = segments(&typo_lower).collect();
    let is_compound = typo_segments.len() > 1;
    let longest = longest_segments(&typo_segments);
    let typo_letters: usize = typo_segments.iter().map(|s| s.chars().count()).sum();
    // One buffer for the lowercased candidates: this runs over every sibling of a broken link
    // and every DCGM name.
    let mut lower = String::new();
    let mut best: Option<((bool, bool, usize, bool), T)> = None;
    for candidate in candidates {
        if candidate.name == typo {
            continue;
        }
        lowercase_into(candidate.name, &mut lower);
        let len = lower.chars().count();
        let is_prefix =
            is_compound && len < typo_len && 2 * len >= typo_len && typo_lower.starts_with(&*lower);
        // Cheap test first: most candidates contain none of the typo's longest segments.
        let is_related = longest.iter().any(|segment| lower.contains(segment)) && {
            let shared: Vec<&str> = segments(&lower)
                .filter(|s| typo_segments.contains(s))
                .collect();
            let shared_letters: usize = shared.iter().map(|s| s.chars().count()).sum();
            let letters: usize = segments(&lower).map(|s| s.chars().count()).sum();
            shared.iter().any(|s| longest.contains(s))
                && 2 * shared_letters >= typo_letters
                && 2 * shared_letters >= letters
        };
        // Lengths first: most candidates are rejected without computing a distance.
        if !(is_prefix || is_related) && len.abs_diff(typo_len) > max_edits {
            continue;
        }
        let edits = strsim::damerau_levenshtein(&typo_lower, &lower);
        let is_close = is_prefix || edits <= max_edits;
        if !(is_close || is_related) {
            continue;
        }
        let is_structural = is_prefix || is_related || edits <= 1;
        // Smaller is better; a later candidate must be strictly better to win.
        let key = (
            !(candidate.used && is_close),
            !is_structural,
            edits,
            candidate.deprecated,
        );
        if best.as_ref().is_none_or(|(best_key, _)| key < *best_key) {
            best = Some((key, candidate.value));
        }
    }
    best.map(|(_, value)| value)
}

/// How many edits [`closest`] allows a typo of `typo_len` characters (lowercased); `None` for
/// an empty one.
pub(super) fn max_edits(typo_len: usize) -> Option<usize> {
    match typo_len {
        0 => None,
        // One edit of one or two characters leaves little of what was typed.
        1..=2 => Some(0),
        3..=4 => Some(1),
        5..=12 => Some(2),
        n => Some(n / 6),
    }
}

/// Replaces `lower` with `name` lowercased character by character, as [`closest`] compares
/// candidates.
pub(super) fn lowercase_into(name: &str, lower: &mut String) {
    lower.clear();
    if name.is_ascii() {
        lower.push_str(name);
        lower.make_ascii_lowercase();
    } else {
        lower.extend(name.chars().flat_map(char::to_lowercase));
    }
}

/// Whether `typo` is a slip of `name`: one edit away (Damerau-Levenshtein, case ignored), or two
/// for words of six characters or more. Stricter than [`closest`], for telling a mistyped name
/// from a word that names something else (a kubectl plugin, a placeholder such as `something`)
/// before asking which name was meant.
pub fn is_slip(typo: &str, name: &str) -> bool {
    let max_edits = if typo.chars().count() >= 6 { 2 } else { 1 };
    let (typo, name) = (typo.to_lowercase(), name.to_lowercase());
    typo != name
        && typo.chars().count().abs_diff(name.chars().count()) <= max_edits
        && strsim::damerau_levenshtein(&typo, &name) <= max_edits
}

pub(super) fn segments(name: &str) -> impl Iterator<Item = &str> {
    name.split(['_', '-', '/', ' ']).filter(|s| !s.is_empty())
}

/// The longest of a compound name's `segments`, when long enough to mean something; else none.
pub(super) fn longest_segments<'a>(segments: &[&'a str]) -> Vec<&'a str> {
    let max = segments
        .iter()
        .map(|s| s.chars().count())
        .max()
        .unwrap_or(0);
    if segments.len() < 2 || max < MIN_SHARED_SEGMENT {
        return Vec::new();
    }
    segments
        .iter()
        .copied()
        .filter(|s| s.chars().count() == max)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{closest, is_slip, Candidate};
    use expect_test::{expect, Expect};

    /// Candidates are written `name`, `name+used` or `name+deprecated`.
    fn check(typo: &str, candidates: &[&str], expect: Expect) {
        let candidates = candidates.iter().map(|spec| {
            let (name, flag) = spec.split_once('+').unwrap_or((spec, ""));
            Candidate::new(name, name)
                .used(flag == "used")
                .deprecated(flag == "deprecated")
        });
        expect.assert_eq(closest(typo, candidates).unwrap_or("-"));
    }

    #[test]
    fn a_name_the_note_uses_wins() {
        // The case of issue 10: the note writes `DCGM_FI_DEV_GPU_UTIL` a few lines above.
        check(
            "DCGM_FI_DEV_GPU_UTILIZATION",
            &["DCGM_FI_DEV_VGPU_UTILIZATIONS", "DCGM_FI_DEV_GPU_UTIL+used"],
            expect!["DCGM_FI_DEV_GPU_UTIL"],
        );
        // Even over a closer spelling.
        check(
            "requests-vs-limit",
            &["requests-vs-limits", "requests-vs-limitzz+used"],
            expect!["requests-vs-limitzz"],
        );
    }

    #[test]
    fn a_used_name_must_still_be_plausible() {
        check(
            "DCGM_FI_DEV_GPU_TEMPP",
            &["DCGM_FI_DEV_GPU_UTIL+used", "DCGM_FI_DEV_GPU_TEMP"],
            expect!["DCGM_FI_DEV_GPU_TEMP"],
        );
    }

    #[test]
    fn a_prefix_of_the_typo_beats_edit_distance() {
        // `VGPU_UTILIZATIONS` is two edits away, `GPU_UTIL` seven, but what was typed starts with it.
        check(
            "DCGM_FI_DEV_GPU_UTILIZATION",
            &["DCGM_FI_DEV_VGPU_UTILIZATIONS", "DCGM_FI_DEV_GPU_UTIL"],
            expect!["DCGM_FI_DEV_GPU_UTIL"],
        );
        // Too short a prefix is no suggestion, nor is a prefix of a one-word typo.
        check("kubernetes-networking", &["kube"], expect!["-"]);
        check(
            "deploymnt",
            &["deploy", "deployment"],
            expect!["deployment"],
        );
    }

    #[test]
    fn sharing_the_longest_segment_beats_edit_distance() {
        check(
            "gpu-operator-install",
            &["gpu-operator-instal", "gpu-operator-cdi-dra"],
            expect!["gpu-operator-instal"],
        );
        check(
            "gpu-operator-install",
            &["gpu-monitor-instally", "gpu-operator-cdi-dra"],
            expect!["gpu-operator-cdi-dra"],
        );
        // Short shared segments do not count, nor do a few of many.
        check("gpu-vs-cpu", &["gpu-vs-tpu-and-more"], expect!["-"]);
        check(
            "not-a-heading-seven-hashes",
            &["heading-kinds"],
            expect!["-"],
        );
        check("show-ind", &["show-managed-fields+used"], expect!["-"]);
    }

    #[test]
    fn a_used_name_related_only_by_a_segment_does_not_outrank_a_slip() {
        check(
            "certificate-athority",
            &["client-certificate+used", "certificate-authority"],
            expect!["certificate-authority"],
        );
    }

    #[test]
    fn a_single_slip_ranks_with_the_structural_matches() {
        check(
            "all-namespace",
            &["namespace", "all-namespaces"],
            expect!["all-namespaces"],
        );
        check(
            "cpu-limits-memory",
            &["cpu-limits", "cpu-limit-memory"],
            expect!["cpu-limit-memory"],
        );
    }

    #[test]
    fn then_fewer_edits_then_current_then_first() {
        check("sertup", &["setups", "setup"], expect!["setup"]);
        check(
            "DEV_GPU_TEMPX",
            &["DEV_GPU_TEMPY+deprecated", "DEV_GPU_TEMPZ"],
            expect!["DEV_GPU_TEMPZ"],
        );
        check("gxt", &["get", "gut"], expect!["get"]);
        // Two letters leave no room for a slip.
        check("ab", &["ac", "AB"], expect!["AB"]);
    }

    #[test]
    fn slips_are_one_edit_or_two_from_six_characters() {
        let slips = |typo: &str, names: &[&str]| -> Vec<bool> {
            names.iter().map(|name| is_slip(typo, name)).collect()
        };
        assert_eq!(slips("gett", &["get", "gut", "Get"]), [true, false, true]);
        // `hello` is two edits from `help`: a plugin, not a typo.
        assert_eq!(slips("hello", &["help", "helo"]), [false, true]);
        assert_eq!(slips("restrat", &["restart", "resume"]), [true, false]);
        assert_eq!(slips("deploymnt", &["deployment", "deploy"]), [true, false]);
        assert_eq!(slips("something", &["secret", "service"]), [false, false]);
        assert_eq!(slips("get", &["get"]), [false]);
    }

    #[test]
    fn case_is_ignored_but_the_typo_itself_is_never_offered() {
        check("Setup", &["setpu", "other"], expect!["setpu"]);
        check("GRÖSSE", &["grösser", "grösse"], expect!["grösse"]);
        check("setup", &["setup", "Setup"], expect!["Setup"]);
        check("totally-made-up", &["nothing-alike"], expect!["-"]);
    }
}
