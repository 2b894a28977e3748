//! A deterministic generator of large Markdown corpora for benchmarks and for comparing kbls
//! with other link checkers.
//!
//! `generate(dir, notes, seed)` writes `notes` notes of about 3 KB each into folders of about 100
//! notes: YAML front matter on some, headings, prose with about 14 links per note, a table, fenced
//! code blocks and a `Last updated:` footer. The same `(notes, seed)` always gives the same bytes.
//!
//! Links are kept to what every checker agrees on, so that kbls and lychee must report the same
//! broken set: plain relative `.md` links (inline or reference-style) whose fragments are GitHub
//! slugs of headings made of plain lowercase-able ASCII words. No wiki-links, no same-note `#x`
//! links, no links inside front matter. Usually about 1.5% of local links point to a missing note
//! and about 1.5% to a missing heading of an existing note (`generate` takes the rate);
//! `GenStats::broken` lists them all.
//! Links inside fenced code blocks and code spans are decoys: no checker may report them.

use std::fmt::Write as _;
use std::path::Path;

/// What `generate` wrote.
#[derive(Clone, Debug, Default)]
pub struct GenStats {
    pub notes: usize,
    pub folders: usize,
    pub bytes: u64,
    /// Local Markdown links outside code (to notes, with or without a fragment).
    pub links: usize,
    /// Local links with a `#fragment`.
    pub fragment_links: usize,
    /// `https://` links, which offline checkers skip.
    pub external_links: usize,
    pub broken_links: usize,
    pub broken_anchors: usize,
    /// Every intended finding: (note path relative to `dir`, 1-based line, link destination).
    pub broken: Vec<(String, usize, String)>,
}

/// Notes per folder.
const FOLDER_SIZE: usize = 100;
/// About 14 local links per note.
const LINKS_PER_NOTE: usize = 14;
/// The usual rate of broken links: 1 in 66 to a missing note, 1 in 66 to a missing heading.
pub const BROKEN_PER_MILLE: u64 = 30;

const WORDS: &[&str] = &[
    "access",
    "agent",
    "alert",
    "api",
    "archive",
    "audit",
    "backup",
    "balancer",
    "batch",
    "bucket",
    "buffer",
    "build",
    "bundle",
    "cache",
    "canary",
    "capacity",
    "certificate",
    "channel",
    "checkpoint",
    "client",
    "cluster",
    "commit",
    "compute",
    "config",
    "consensus",
    "container",
    "controller",
    "cpu",
    "cron",
    "daemon",
    "dashboard",
    "database",
    "deploy",
    "device",
    "disk",
    "dns",
    "driver",
    "endpoint",
    "event",
    "exporter",
    "failover",
    "fabric",
    "firewall",
    "gateway",
    "gpu",
    "graph",
    "handler",
    "health",
    "heap",
    "host",
    "image",
    "index",
    "ingress",
    "inode",
    "instance",
    "kernel",
    "key",
    "latency",
    "layer",
    "lease",
    "limit",
    "link",
    "load",
    "lock",
    "log",
    "memory",
    "mesh",
    "metric",
    "mirror",
    "module",
    "mount",
    "namespace",
    "network",
    "node",
    "operator",
    "overlay",
    "packet",
    "page",
    "partition",
    "patch",
    "peer",
    "pipeline",
    "plugin",
    "pod",
    "policy",
    "pool",
    "port",
    "probe",
    "process",
    "proxy",
    "queue",
    "quota",
    "raft",
    "range",
    "record",
    "region",
    "registry",
    "release",
    "replica",
    "request",
    "resource",
    "rollout",
    "route",
    "runtime",
    "scheduler",
    "schema",
    "secret",
    "segment",
    "server",
    "service",
    "shard",
    "signal",
    "snapshot",
    "socket",
    "storage",
    "stream",
    "subnet",
    "switch",
    "table",
    "task",
    "tenant",
    "thread",
    "throughput",
    "timeout",
    "token",
    "topology",
    "trace",
    "traffic",
    "tunnel",
    "upgrade",
    "volume",
    "webhook",
    "worker",
    "workload",
    "zone",
];

const FILLER: &[&str] = &[
    "the", "a", "of", "to", "and", "in", "is", "for", "on", "with", "when", "each", "every",
    "this", "that", "by", "from", "after", "before", "until", "then", "so", "it", "its",
];

const VERBS: &[&str] = &[
    "restarts",
    "drains",
    "schedules",
    "caches",
    "rotates",
    "replicates",
    "throttles",
    "evicts",
    "mounts",
    "exports",
    "resolves",
    "rebalances",
    "retries",
    "compacts",
    "watches",
    "reconciles",
    "forwards",
    "measures",
    "limits",
    "reports",
];

/// xorshift64*: small, fast and the same everywhere.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        // splitmix64 of the seed, so that nearby seeds give unrelated streams; never zero.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng((z ^ (z >> 31)) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, per_mille: u64) -> bool {
        self.next() % 1000 < per_mille
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// GitHub's slug of a heading made of ASCII words and spaces.
fn slug(heading: &str) -> String {
    heading
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == ' ' || *c == '-')
        .map(|c| {
            if c == ' ' {
                '-'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

fn folder_of(note: usize) -> usize {
    note / FOLDER_SIZE
}

fn note_path(note: usize) -> String {
    format!("area-{:03}/note-{note:05}.md", folder_of(note))
}

/// The link destination from note `from` to note `to` (a sibling or `../area-NNN/...`).
fn relative_link(from: usize, to: usize) -> String {
    if folder_of(from) == folder_of(to) {
        format!("note-{to:05}.md")
    } else {
        format!("../{}", note_path(to))
    }
}

/// The title and section headings of every note, made up front so links can name them.
struct Outline {
    title: String,
    sections: Vec<String>,
}

fn outline(rng: &mut Rng, note: usize) -> Outline {
    let title = format!(
        "{} {} {note}",
        capitalize(rng.pick(WORDS)),
        capitalize(rng.pick(WORDS))
    );
    let mut sections: Vec<String> = Vec::new();
    let n_sections = 4 + rng.below(3);
    while sections.len() < n_sections {
        let n_words = 2 + rng.below(2);
        let words: Vec<String> = (0..n_words)
            .map(|i| {
                let word = rng.pick(WORDS);
                if i == 0 {
                    capitalize(word)
                } else {
                    word.to_string()
                }
            })
            .collect();
        let heading = words.join(" ");
        // Unique slugs only: a repeated heading would get a `-1` suffix, a rule some checkers lack.
        if slug(&heading) != slug(&title) && !sections.iter().any(|s| slug(s) == slug(&heading)) {
            sections.push(heading);
        }
    }
    Outline { title, sections }
}

/// One note being written: the text, and its links still to place.
struct NoteWriter<'a> {
    note: usize,
    path: String,
    text: String,
    outlines: &'a [Outline],
    stats: &'a mut GenStats,
    n_notes: usize,
    broken_per_mille: u64,
}

impl NoteWriter<'_> {
    fn line(&self) -> usize {
        self.text.matches('\n').count() + 1
    }

    /// A link destination to another note: usually fine, sometimes broken on purpose.
    fn destination(&mut self, rng: &mut Rng) -> String {
        let target = if rng.chance(500) {
            // Same folder.
            let start = folder_of(self.note) * FOLDER_SIZE;
            let end = (start + FOLDER_SIZE).min(self.n_notes);
            start + rng.below(end - start)
        } else {
            rng.below(self.n_notes)
        };
        let mut dest = relative_link(self.note, target);
        self.stats.links += 1;
        let roll = rng.next() % 1000;
        // Half of the broken links name a missing note, half a missing heading.
        let missing_notes = self.broken_per_mille / 2;
        if roll < missing_notes {
            // A note that was never written.
            dest = dest.replace(".md", "-draft.md");
            self.stats.broken_links += 1;
            self.stats
                .broken
                .push((self.path.clone(), self.line(), dest.clone()));
        } else if roll < self.broken_per_mille {
            // A heading that does not exist in a note that does.
            dest += &format!("#removed-{}-section", rng.pick(WORDS));
            self.stats.fragment_links += 1;
            self.stats.broken_anchors += 1;
            self.stats
                .broken
                .push((self.path.clone(), self.line(), dest.clone()));
        } else if rng.chance(450) {
            let outline = &self.outlines[target];
            let heading = if rng.chance(150) {
                &outline.title
            } else {
                &outline.sections[rng.below(outline.sections.len())]
            };
            dest += "#";
            dest += &slug(heading);
            self.stats.fragment_links += 1;
        }
        dest
    }

    fn sentence(&mut self, rng: &mut Rng, with_link: bool) {
        let n_words = 7 + rng.below(8);
        let link_at = if with_link {
            rng.below(n_words)
        } else {
            usize::MAX
        };
        for i in 0..n_words {
            let word = match i % 3 {
                0 => rng.pick(FILLER),
                1 => rng.pick(WORDS),
                _ => rng.pick(VERBS),
            };
            let word = if i == 0 {
                capitalize(word)
            } else {
                word.to_string()
            };
            if i > 0 {
                self.text.push(' ');
            }
            if i == link_at {
                let dest = self.destination(rng);
                let _ = write!(self.text, "[{word} {}]({dest})", rng.pick(WORDS));
            } else if rng.chance(30) {
                let _ = write!(self.text, "`{word}`");
            } else if rng.chance(30) {
                let _ = write!(self.text, "**{word}**");
            } else {
                self.text += &word;
            }
        }
        self.text += ". ";
    }

    fn paragraph(&mut self, rng: &mut Rng, n_links: usize) {
        let n_sentences = 3 + rng.below(3);
        let mut links_left = n_links;
        for i in 0..n_sentences {
            let with_link = links_left > 0 && (n_sentences - i <= links_left || rng.chance(600));
            self.sentence(rng, with_link);
            links_left -= usize::from(with_link);
        }
        // Sentences end in ". "; lines do not.
        self.text.truncate(self.text.trim_end().len());
        self.text += "\n\n";
        // Any links the sentences had no room for go in a "See also" line.
        if links_left > 0 {
            self.text += "See also:";
            for _ in 0..links_left {
                let dest = self.destination(rng);
                let _ = write!(self.text, " [{}]({dest})", rng.pick(WORDS));
            }
            self.text += "\n\n";
        }
    }

    fn table(&mut self, rng: &mut Rng, n_links: usize) {
        self.text += "| Component | Role | Notes |\n|---|---|---|\n";
        let n_rows = 3 + rng.below(2);
        for row in 0..n_rows {
            let notes = if row < n_links {
                let dest = self.destination(rng);
                format!("[details]({dest})")
            } else {
                format!("{} {}", rng.pick(VERBS), rng.pick(WORDS))
            };
            let _ = writeln!(
                self.text,
                "| **{}** | {} {} | {notes} |",
                capitalize(rng.pick(WORDS)),
                rng.pick(WORDS),
                rng.pick(VERBS),
            );
        }
        self.text.push('\n');
    }

    fn code_block(&mut self, rng: &mut Rng) {
        let word = rng.pick(WORDS);
        let _ = writeln!(
            self.text,
            "```bash\n# Inspect the {word}; [not a link](missing-in-code.md)"
        );
        for _ in 0..2 + rng.below(3) {
            let _ = writeln!(
                self.text,
                "kbctl get {} --{}={} -o wide",
                rng.pick(WORDS),
                rng.pick(WORDS),
                rng.pick(WORDS)
            );
        }
        self.text += "```\n\n";
    }
}

fn date(rng: &mut Rng) -> String {
    // 2025-01-01 .. 2026-11-28: some notes are stale on 2026-11-28, none is in the future.
    let months = 2025 * 12 + rng.below(23);
    let (year, month) = (months / 12, months % 12 + 1);
    let day = 1 + rng.below(28);
    format!("{year}-{month:02}-{day:02}")
}

fn write_note(rng: &mut Rng, writer: &mut NoteWriter<'_>) {
    let outline = &writer.outlines[writer.note];
    let title = outline.title.clone();
    let sections = outline.sections.clone();
    let front_matter = rng.chance(300);
    let date = date(rng);
    if front_matter {
        let _ = write!(
            writer.text,
            "---\ntitle: {title}\ntags: [{}, {}]\nupdated: {date}\n---\n",
            rng.pick(WORDS),
            rng.pick(WORDS)
        );
    }
    let _ = writeln!(writer.text, "# {title}\n");
    // 14 links: 2 in the intro, 2 in the table, 1 reference-style, the rest in the sections.
    writer.paragraph(rng, 2);
    let mut links_left = LINKS_PER_NOTE - 5;
    let n_sections = sections.len();
    for (idx, heading) in sections.iter().enumerate() {
        let _ = writeln!(writer.text, "## {heading}\n");
        let n_links = if idx + 1 == n_sections {
            links_left
        } else {
            links_left.min(1 + rng.below(3))
        };
        links_left -= n_links;
        writer.paragraph(rng, n_links);
        match idx {
            1 => writer.table(rng, 2),
            2 => writer.code_block(rng),
            _ => {}
        }
        if idx == 3 {
            writer.code_block(rng);
        }
    }
    // A reference-style link, a decoy in a code span, and an external link.
    let dest = writer.destination(rng);
    let external = rng.below(1000);
    let _ = write!(
        writer.text,
        "Related: [{} notes][related], not `[this](missing-in-span.md)`, and \
         [upstream docs](https://docs.example.com/{}/{external}).\n\n[related]: {dest}\n\n",
        rng.pick(WORDS),
        rng.pick(WORDS)
    );
    writer.stats.external_links += 1;
    if !front_matter {
        let _ = writeln!(writer.text, "Last updated: {date}");
    }
}

/// Writes a corpus of `notes` notes into `dir` (created if needed) and says what it wrote, with
/// `broken_per_mille` of the local links broken (half of them to a missing note, half to a
/// missing heading); the rest of the corpus is the same for any rate.
pub fn generate(dir: &Path, notes: usize, seed: u64, broken_per_mille: u64) -> GenStats {
    let mut rng = Rng::new(seed);
    let outlines: Vec<Outline> = (0..notes).map(|note| outline(&mut rng, note)).collect();
    let mut stats = GenStats {
        notes,
        folders: notes.div_ceil(FOLDER_SIZE),
        ..GenStats::default()
    };
    for folder in 0..stats.folders {
        std::fs::create_dir_all(dir.join(format!("area-{folder:03}"))).expect("create folder");
    }
    for note in 0..notes {
        let path = note_path(note);
        let mut writer = NoteWriter {
            note,
            path: path.clone(),
            text: String::with_capacity(4096),
            outlines: &outlines,
            stats: &mut stats,
            n_notes: notes,
            broken_per_mille,
        };
        write_note(&mut rng, &mut writer);
        let text = writer.text;
        stats.bytes += text.len() as u64;
        std::fs::write(dir.join(&path), text).expect("write note");
    }
    stats
}
