//! One note in isolation: `&str` in, [`NoteSyntax`] out. Never fails and never looks at other
//! notes, the file system or the clock.
//!
//! Front matter is read only at the start of the note; one pulldown-cmark pass (with source
//! offsets) over the rest collects everything else the rest of kbls needs: headings with anchors,
//! links with the ranges of their parts, reference definitions, the date, suppression comments,
//! and the block structure term extraction reads (tables, list items, paragraphs, code).

mod date;
mod front_matter;
mod headings;
mod hugo;
mod links;
mod mdbook;
mod obsidian;
mod suppress;

pub use date::{parse_date, DateError, DateSource, NoteDate};
pub use front_matter::{check_yaml_size, FrontMatter, FrontMatterKind, FrontMatterScalar};
pub(crate) use headings::words_joined;
pub use headings::{heading_id, slug, Heading};
pub use links::{
    has_scheme, normalize_label, percent_decode, Fragment, Link, LinkDef, LinkKind, LinkTarget,
};
pub use obsidian::Anchor;
pub use suppress::Suppressions;

use crate::dialect::{Dialect, Site};
use crate::text::{RangeList, TextRange};
use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};

/// What parsing needs to know from the configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseOptions {
    /// The label of the date line (`Last updated`).
    pub date_label: String,
    /// Front matter keys that hold the date, in order of preference.
    pub date_keys: Vec<String>,
    /// Whether `[[wiki-links]]` are recognized.
    pub wikilinks: bool,
    /// The dialect the note is written in and its site's heading ids.
    pub site: Site,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            date_label: "Last updated".to_string(),
            date_keys: ["last_updated", "lastmod", "updated"]
                .map(String::from)
                .to_vec(),
            wikilinks: true,
            site: Site::default(),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NoteSyntax {
    /// The first level-1 heading's text, else the front matter `title`.
    pub title: Option<String>,
    pub headings: Vec<Heading>,
    pub links: Vec<Link>,
    pub link_defs: Vec<LinkDef>,
    pub front_matter: Option<FrontMatter>,
    pub date: Option<NoteDate>,
    pub suppressions: Suppressions,
    pub code_blocks: Vec<CodeBlock>,
    /// Inline code spans, backticks included.
    pub code_spans: Vec<TextRange>,
    /// Runs of prose text (not code, not front matter), in document order.
    pub text_runs: RangeList,
    pub tables: Vec<Table>,
    /// Every list item, nested content included.
    pub list_items: Vec<TextRange>,
    pub paragraphs: Vec<TextRange>,
    /// Ids a fragment can name besides the headings': Obsidian `^block-id` markers, Hugo
    /// definition terms.
    pub anchors: Vec<Anchor>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeBlock {
    /// The info string's first word (`bash`, `mermaid`), `None` for untagged or indented blocks.
    pub lang: Option<String>,
    /// The whole block, fences included.
    pub range: TextRange,
    /// The code between the fences.
    pub content: TextRange,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub range: TextRange,
    pub header: Vec<TextRange>,
    pub rows: Vec<Vec<TextRange>>,
}

impl NoteSyntax {
    /// The heading whose anchor is `anchor`.
    pub fn heading_by_anchor(&self, anchor: &str) -> Option<&Heading> {
        self.headings.iter().find(|h| h.anchor == anchor)
    }

    /// Gives back the spare capacity of every list: a corpus keeps the syntax of every note, and
    /// vectors grown by doubling are a quarter empty on average.
    fn shrink_to_fit(&mut self) {
        self.headings.shrink_to_fit();
        self.links.shrink_to_fit();
        self.link_defs.shrink_to_fit();
        self.code_blocks.shrink_to_fit();
        self.code_spans.shrink_to_fit();
        self.text_runs.shrink_to_fit();
        for table in &mut self.tables {
            table.header.shrink_to_fit();
            table.rows.shrink_to_fit();
            for row in &mut table.rows {
                row.shrink_to_fit();
            }
        }
        self.tables.shrink_to_fit();
        self.list_items.shrink_to_fit();
        self.paragraphs.shrink_to_fit();
        self.anchors.shrink_to_fit();
    }

    /// Whether `offset` is inside a code block or code span or the front matter.
    pub fn is_code(&self, offset: usize) -> bool {
        in_sorted_ranges(
            &self.code_blocks.iter().map(|b| b.range).collect::<Vec<_>>(),
            offset,
        ) || in_sorted_ranges(&self.code_spans, offset)
            || self
                .front_matter
                .as_ref()
                .is_some_and(|fm| fm.range.touches(offset))
    }
}

fn in_sorted_ranges(ranges: &[TextRange], offset: usize) -> bool {
    let idx = ranges.partition_point(|r| (r.end as usize) <= offset);
    ranges.get(idx).is_some_and(|r| r.start as usize <= offset)
}

/// The pulldown-cmark extensions kbls parses notes with. Metadata blocks are not among them:
/// pulldown-cmark would open one at any `---` line followed by a non-blank line, so [`parse`]
/// finds the front matter itself, at the start of the note only.
pub fn pulldown_options(options: &ParseOptions) -> Options {
    let mut pulldown_options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM;
    if options.wikilinks {
        pulldown_options |= Options::ENABLE_WIKILINKS;
    }
    if options.site.definition_term_ids {
        pulldown_options |= Options::ENABLE_DEFINITION_LIST;
    }
    pulldown_options
}

pub fn parse(text: &str, options: &ParseOptions) -> NoteSyntax {
    let bom = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let block = front_matter::find(text, bom);
    // The body after the front matter is parsed on its own; its offsets are moved back to the
    // note's.
    let body_start = block.map_or(bom, |block| block.end);
    // What the dialect says is not Markdown: Obsidian comments, Hugo shortcodes.
    let dialect = options.site.dialect;
    let comments = match dialect {
        Dialect::Obsidian => obsidian::comments(text, body_start),
        _ => Vec::new(),
    };
    let shortcodes = match dialect {
        Dialect::Hugo => hugo::scan(text, body_start),
        _ => hugo::Shortcodes::default(),
    };
    // A lone `\r` ends a line (CommonMark, LSP), but kbls's own line scans look for `\n`: they
    // read a copy with each lone `\r` as `\n`, the same length, so every offset holds for `text`.
    // Hidden parts are blanked in the same copy, line breaks kept.
    let normalized;
    let original = text;
    let text = if has_lone_cr(text)
        || !comments.is_empty()
        || !shortcodes.hidden.is_empty()
        || !shortcodes.in_words.is_empty()
    {
        normalized = blanked(
            text,
            comments.iter().chain(&shortcodes.hidden),
            &shortcodes.in_words,
        );
        normalized.as_str()
    } else {
        text
    };
    let pulldown_options = pulldown_options(options);
    // Undefined references still come out as links (with an empty destination), so they can be
    // reported and completed; `LinkType::*Unknown` tells them apart. Except `[a][b](url)`: with
    // `[b]` undefined, CommonMark reads `[a]` as text and `[b](url)` as an inline link (Go's
    // `[][Image](url)`), which a link made of `[a][b]` would swallow.
    let body = &text[body_start..];
    let callback = |broken: pulldown_cmark::BrokenLink<'_>| {
        let inline_follows = broken.link_type == pulldown_cmark::LinkType::Reference
            && body[broken.span.end..].starts_with('(');
        (!inline_follows).then(|| ("".into(), "".into()))
    };
    let shift = |range: std::ops::Range<usize>| range.start + body_start..range.end + body_start;
    let parser = Parser::new_with_broken_link_callback(body, pulldown_options, Some(callback));
    let mut builder = Builder::new(text);
    builder.html_ids = matches!(dialect, Dialect::Hugo | Dialect::Mdbook);
    builder.task_statuses = dialect == Dialect::Obsidian;
    builder.res.front_matter = block.map(|block| front_matter::parse(original, block));
    let mut iter = parser.into_offset_iter();
    for (event, range) in iter.by_ref() {
        builder.event(event, shift(range));
    }
    let ref_defs: Vec<(String, std::ops::Range<usize>)> = iter
        .reference_definitions()
        .iter()
        .map(|(label, def)| (label.to_string(), shift(def.span.clone())))
        .collect();
    let mut res = builder.finish(ref_defs, options);
    match dialect {
        Dialect::Github => {}
        Dialect::Obsidian => {
            if let Some(block) = block {
                res.links
                    .extend(obsidian::front_matter_links(original, block.content));
            }
            let blocks = obsidian::block_ids(text, |offset| res.is_code(offset));
            res.anchors.extend(blocks);
            res.anchors.shrink_to_fit();
        }
        Dialect::Hugo => {
            for (range, target) in res
                .links
                .iter_mut()
                .map(|link| (link.range, &mut link.target))
                .chain(
                    res.link_defs
                        .iter_mut()
                        .map(|def| (def.range, &mut def.target)),
                )
            {
                hugo::fill_in_by_site(range, target, &shortcodes.in_words, text, original);
            }
            // A heading made of a shortcode (`## {{% heading "options" %}}`) is named after the
            // shortcode's argument: its output is not known here.
            let mut renamed = false;
            for heading in &mut res.headings {
                if !heading.text.is_empty() || heading.custom_id {
                    continue;
                }
                if let Some((_, arg)) = shortcodes
                    .inline
                    .iter()
                    .find(|(range, _)| heading.range.contains_range(*range))
                {
                    heading.text = arg.clone();
                    heading.from_shortcode = true;
                    renamed = true;
                }
            }
            if renamed {
                let custom: Vec<Option<String>> = res
                    .headings
                    .iter()
                    .map(|h| h.custom_id.then(|| h.anchor.clone()))
                    .collect();
                headings::assign_anchors(&mut res.headings, &custom, options.site.heading_ids);
            }
            for shortcode in shortcodes.refs {
                // `[text]({{< ref "p" >}})` reads as a link with an empty destination once the
                // shortcode is blanked: the shortcode's target is that link's.
                let around = res.links.iter_mut().find(|link| {
                    link.kind == LinkKind::Inline
                        && link.range.contains_range(shortcode.range)
                        && matches!(&link.target, LinkTarget::Path { path, fragment: None, .. } if path.is_empty())
                });
                match around {
                    Some(link) => link.target = shortcode.target,
                    None => res.links.push(shortcode),
                }
            }
        }
        Dialect::Mdbook => res.links.extend(mdbook::includes(original, body_start)),
    }
    if dialect != Dialect::Github {
        res.links.sort_by_key(|l| l.range.start);
        res.links.shrink_to_fit();
    }
    res
}

/// A copy of `text` of the same length, each lone `\r` a `\n` and the `hidden` ranges blanked:
/// spaces, line breaks kept so lines stay where they are; the `in_words` ranges `x`s, so the word
/// or URL around them stays one.
fn blanked<'r>(
    text: &str,
    hidden: impl Iterator<Item = &'r TextRange>,
    in_words: &[TextRange],
) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for at in 0..bytes.len() {
        if bytes[at] == b'\r' && bytes.get(at + 1) != Some(&b'\n') {
            bytes[at] = b'\n';
        }
    }
    for range in hidden {
        for byte in &mut bytes[range.as_usize()] {
            if !matches!(*byte, b'\n' | b'\r') {
                *byte = b' ';
            }
        }
    }
    for range in in_words {
        bytes[range.as_usize()].fill(b'x');
    }
    // Hidden ranges start and end at ASCII delimiters, so the copy stays UTF-8; were one not
    // to, the copy without blanks (of the same length) would do.
    String::from_utf8(bytes).unwrap_or_else(|_| text.replace('\r', "\n"))
}

fn has_lone_cr(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'\r', bytes).any(|at| bytes.get(at + 1) != Some(&b'\n'))
}

/// An open link or image whose end event has not come yet.
struct OpenLink {
    link_type: LinkType,
    is_image: bool,
    /// The destination, kept only for autolinks (the other kinds read theirs from the source).
    dest: Option<String>,
    start: usize,
    /// End of the last event inside the link text.
    inner_end: usize,
}

struct OpenHeading {
    level: u8,
    start: usize,
    text: String,
    text_range: Option<TextRange>,
    custom_id: Option<String>,
}

struct Builder<'a> {
    text: &'a str,
    res: NoteSyntax,
    links: Vec<OpenLink>,
    heading: Option<OpenHeading>,
    heading_ids: Vec<Option<String>>,
    code_block: Option<(Option<String>, usize, Option<TextRange>)>,
    table: Option<Table>,
    in_table_head: bool,
    /// The definition term being read (Hugo gives terms ids): its start and text; and the
    /// terms read, whose ids are made from their text at the end.
    term: Option<(usize, String)>,
    terms: Vec<Anchor>,
    /// Whether the ids of raw HTML elements are anchors (the site generators keep them).
    html_ids: bool,
    /// Whether `- [/] task` is a task with a custom status rather than a shortcut reference
    /// (Obsidian themes render any one character there as a status).
    task_statuses: bool,
}

impl<'a> Builder<'a> {
    fn new(text: &'a str) -> Self {
        Builder {
            text,
            res: NoteSyntax::default(),
            links: Vec::new(),
            heading: None,
            heading_ids: Vec::new(),
            code_block: None,
            table: None,
            in_table_head: false,
            term: None,
            terms: Vec::new(),
            html_ids: false,
            task_statuses: false,
        }
    }

    fn event(&mut self, event: Event<'_>, range: std::ops::Range<usize>) {
        // Everything inside a link's brackets moves the end of its text forward.
        if let Some(open) = self.links.last_mut() {
            if !matches!(event, Event::End(TagEnd::Link | TagEnd::Image)) {
                open.inner_end = open.inner_end.max(range.end);
            }
        }
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag, range),
            Event::Text(text) => {
                if let Some((_, _, content)) = &mut self.code_block {
                    extend(content, &range);
                } else {
                    self.res
                        .text_runs
                        .push(TextRange::new(range.start, range.end));
                }
                self.heading_text(&text, &range);
                if let Some((_, term)) = &mut self.term {
                    term.push_str(&text);
                }
            }
            Event::Html(html) | Event::InlineHtml(html) if self.html_ids => {
                html_ids(&html, range.start, &mut self.res.anchors);
            }
            Event::Code(code) => {
                self.res
                    .code_spans
                    .push(TextRange::new(range.start, range.end));
                self.heading_text(&code, &range);
            }
            _ => {}
        }
    }

    fn heading_text(&mut self, text: &str, range: &std::ops::Range<usize>) {
        if let Some(heading) = &mut self.heading {
            heading.text.push_str(text);
            match &mut heading.text_range {
                Some(r) => r.end = range.end as u32,
                None => heading.text_range = Some(TextRange::new(range.start, range.end)),
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: std::ops::Range<usize>) {
        match tag {
            Tag::Heading { level, id, .. } => {
                self.heading = Some(OpenHeading {
                    level: level as u8,
                    start: range.start,
                    text: String::new(),
                    text_range: None,
                    custom_id: id.map(|id| id.to_string()),
                });
            }
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => self.links.push(OpenLink {
                link_type,
                is_image: false,
                dest: autolink_dest(link_type, &dest_url),
                start: range.start,
                inner_end: range.start
                    + if matches!(link_type, LinkType::WikiLink { .. }) {
                        2
                    } else {
                        1
                    },
            }),
            Tag::Image {
                link_type,
                dest_url,
                ..
            } => self.links.push(OpenLink {
                link_type,
                is_image: true,
                dest: autolink_dest(link_type, &dest_url),
                start: range.start,
                inner_end: range.start + 2,
            }),
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split_whitespace()
                        .next()
                        .map(|w| w.trim_matches(['{', '}', '.']).to_string())
                        .filter(|w| !w.is_empty()),
                    CodeBlockKind::Indented => None,
                };
                self.code_block = Some((lang, range.start, None));
            }
            Tag::Table(_) => {
                self.table = Some(Table {
                    range: TextRange::new(range.start, range.end),
                    header: Vec::new(),
                    rows: Vec::new(),
                })
            }
            Tag::TableHead => self.in_table_head = true,
            Tag::DefinitionListTitle => self.term = Some((range.start, String::new())),
            Tag::TableRow => {
                if let Some(table) = &mut self.table {
                    table.rows.push(Vec::new());
                }
            }
            Tag::TableCell => {
                if let Some(table) = &mut self.table {
                    let cell = trimmed_range(self.text, range);
                    if self.in_table_head {
                        table.header.push(cell);
                    } else if let Some(row) = table.rows.last_mut() {
                        row.push(cell);
                    }
                }
            }
            Tag::Item => self
                .res
                .list_items
                .push(TextRange::new(range.start, range.end)),
            Tag::Paragraph => self
                .res
                .paragraphs
                .push(TextRange::new(range.start, range.end)),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd, range: std::ops::Range<usize>) {
        match tag {
            TagEnd::Heading(_) => {
                if let Some(open) = self.heading.take() {
                    let text_range = open.text_range.unwrap_or(TextRange::empty(range.end));
                    self.res.headings.push(Heading {
                        level: open.level,
                        text: open.text.trim().to_string(),
                        anchor: String::new(),
                        custom_id: false,
                        from_shortcode: false,
                        range: TextRange::new(open.start, trim_end(self.text, range.end)),
                        text_range,
                        section: TextRange::new(open.start, range.end),
                    });
                    self.heading_ids.push(open.custom_id);
                }
            }
            TagEnd::Link | TagEnd::Image => {
                if let Some(open) = self.links.pop() {
                    if let Some(link) = self.finish_link(open, range) {
                        self.res.links.push(link);
                    }
                }
            }
            TagEnd::CodeBlock => {
                if let Some((lang, start, content)) = self.code_block.take() {
                    let end = trim_end(self.text, range.end);
                    let content = content.unwrap_or(TextRange::empty(end));
                    self.res.code_blocks.push(CodeBlock {
                        lang,
                        range: TextRange::new(start, end),
                        content,
                    });
                }
            }
            TagEnd::Table => {
                if let Some(table) = self.table.take() {
                    self.res.tables.push(table);
                }
            }
            TagEnd::TableHead => self.in_table_head = false,
            TagEnd::DefinitionListTitle => {
                if let Some((start, term)) = self.term.take() {
                    self.terms.push(Anchor {
                        id: term,
                        range: TextRange::new(start, trim_end(self.text, range.end)),
                    });
                }
            }
            _ => {}
        }
    }

    fn finish_link(&self, open: OpenLink, range: std::ops::Range<usize>) -> Option<Link> {
        let span = &self.text[open.start..range.end];
        let base = open.start;
        let text_start = base + if open.is_image { 2 } else { 1 };
        let text_range = |end: usize| Some(TextRange::new(text_start, end.max(text_start)));
        let (kind, text, target) = match open.link_type {
            LinkType::Inline => {
                let text_end = open.inner_end.max(text_start) - base;
                let (dest_start, dest_end) = links::inline_destination(span, text_end)?;
                let dest_range = TextRange::new(base + dest_start, base + dest_end);
                let raw = &span[dest_start..dest_end];
                (
                    LinkKind::Inline,
                    text_range(base + text_end),
                    links::parse_destination(raw, dest_range),
                )
            }
            LinkType::Reference | LinkType::ReferenceUnknown => {
                let label_open = span.rfind('[')? + 1;
                let label_close = label_open + span[label_open..].find(']')?;
                let label_range = TextRange::new(base + label_open, base + label_close);
                let text_end = base + span[..label_open - 1].rfind(']').unwrap_or(label_open - 1);
                (
                    LinkKind::ReferenceFull,
                    text_range(text_end),
                    self.reference(label_range),
                )
            }
            LinkType::Collapsed | LinkType::CollapsedUnknown => {
                // pulldown-cmark's span of `[label][]` may stop before the `[]`.
                let label_end = span
                    .strip_suffix("[]")
                    .unwrap_or(span)
                    .len()
                    .checked_sub(1)?;
                let label_range = TextRange::new(text_start, base + label_end);
                (
                    LinkKind::ReferenceCollapsed,
                    Some(label_range),
                    self.reference(label_range),
                )
            }
            LinkType::ShortcutUnknown
                if self.task_statuses && is_task_status(self.text, open.start, span) =>
            {
                return None;
            }
            LinkType::Shortcut | LinkType::ShortcutUnknown => {
                let label_range = TextRange::new(text_start, base + span.len().checked_sub(1)?);
                (
                    LinkKind::ReferenceShortcut,
                    Some(label_range),
                    self.reference(label_range),
                )
            }
            LinkType::Autolink | LinkType::Email => (
                LinkKind::Autolink,
                None,
                LinkTarget::External {
                    url: open.dest.unwrap_or_default().into(),
                },
            ),
            LinkType::WikiLink { .. } => {
                // `![[embed]]` starts one byte earlier than `[[link]]`.
                let inner_start = if open.is_image { 3 } else { 2 };
                let inner_end = span.len().checked_sub(2)?;
                let inner = span.get(inner_start..inner_end)?;
                let (text, target) = links::wiki_parts(inner, base + inner_start);
                (LinkKind::Wiki, Some(text), target)
            }
        };
        let mut end = range.end;
        if kind == LinkKind::ReferenceCollapsed && self.text[end..].starts_with("[]") {
            end += 2;
        }
        Some(Link {
            kind,
            is_image: open.is_image,
            range: TextRange::new(open.start, end),
            text,
            target,
        })
    }

    fn reference(&self, label_range: TextRange) -> LinkTarget {
        LinkTarget::Reference {
            label: self.text[label_range.as_usize()].into(),
            label_range,
            def: None,
        }
    }

    fn finish(
        mut self,
        ref_defs: Vec<(String, std::ops::Range<usize>)>,
        options: &ParseOptions,
    ) -> NoteSyntax {
        let text = self.text;
        let mut res = std::mem::take(&mut self.res);
        headings::assign_anchors(
            &mut res.headings,
            &self.heading_ids,
            options.site.heading_ids,
        );
        for mut term in std::mem::take(&mut self.terms) {
            term.id = heading_id(term.id.trim(), options.site.heading_ids);
            res.anchors.push(term);
        }
        compute_sections(&mut res.headings, text.len());
        res.title = res
            .headings
            .iter()
            .find(|h| h.level == 1)
            .map(|h| h.text.clone())
            .or_else(|| res.front_matter.as_ref().and_then(|fm| fm.title.clone()));

        let mut defs: Vec<LinkDef> = ref_defs
            .into_iter()
            .filter_map(|(label, span)| {
                let source = &text[span.clone()];
                let ((label_start, label_end), (dest_start, dest_end)) =
                    links::definition_parts(source)?;
                let dest_range = TextRange::new(span.start + dest_start, span.start + dest_end);
                Some(LinkDef {
                    label,
                    label_range: TextRange::new(span.start + label_start, span.start + label_end),
                    range: TextRange::new(span.start, trim_end(text, span.end)),
                    target: links::parse_destination(&source[dest_start..dest_end], dest_range),
                })
            })
            .collect();
        defs.sort_by_key(|d| d.range.start);
        for link in &mut res.links {
            if let LinkTarget::Reference { label, def, .. } = &mut link.target {
                let wanted = normalize_label(label);
                *def = defs
                    .iter()
                    .position(|d| normalize_label(&d.label) == wanted);
            }
        }
        res.link_defs = defs;
        res.links.sort_by_key(|l| l.range.start);
        res.code_spans.sort_by_key(|r| r.start);

        let is_code = |offset: usize| res.is_code(offset);
        let suppressions = suppress::collect(text, is_code);
        let date = date::find_date_line(text, &options.date_label, is_code).or_else(|| {
            res.front_matter
                .as_ref()
                .and_then(|fm| date::front_matter_date(fm, &options.date_keys))
        });
        res.suppressions = suppressions;
        res.date = date;
        res.shrink_to_fit();
        res
    }
}

/// The `id="..."` and `name="..."` attributes of raw HTML written at `start`, as anchors.
/// Whether `span`, a one-character `[c]` starting at `start`, is the first thing after a list
/// marker on its line: an Obsidian task status such as `- [/] half done`.
fn is_task_status(text: &str, start: usize, span: &str) -> bool {
    let Some(label) = span.strip_prefix('[').and_then(|s| s.strip_suffix(']')) else {
        return false;
    };
    if label.chars().count() != 1 {
        return false;
    }
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let mut before = text[line_start..start].trim_end_matches([' ', '\t']);
    if before.len() == text[line_start..start].len() {
        return false; // no space between the marker and the status
    }
    before = before.trim_start_matches([' ', '\t', '>']).trim_start();
    match before {
        "-" | "*" | "+" => true,
        _ => {
            let digits = before.trim_end_matches(['.', ')']);
            digits.len() + 1 == before.len()
                && !digits.is_empty()
                && digits.bytes().all(|b| b.is_ascii_digit())
        }
    }
}

fn html_ids(html: &str, start: usize, anchors: &mut Vec<Anchor>) {
    for attribute in ["id=", "name="] {
        for at in memchr::memmem::find_iter(html.as_bytes(), attribute.as_bytes()) {
            let before = html[..at].chars().next_back();
            if !before.is_some_and(char::is_whitespace) {
                continue;
            }
            let value_at = at + attribute.len();
            let Some(quote) = html[value_at..]
                .chars()
                .next()
                .filter(|c| matches!(c, '"' | '\''))
            else {
                continue;
            };
            let Some(len) = html[value_at + 1..].find(quote) else {
                continue;
            };
            let value_start = start + value_at + 1;
            anchors.push(Anchor {
                id: html[value_at + 1..value_at + 1 + len].to_string(),
                range: TextRange::new(value_start, value_start + len),
            });
        }
    }
}

fn autolink_dest(link_type: LinkType, dest_url: &str) -> Option<String> {
    matches!(link_type, LinkType::Autolink | LinkType::Email).then(|| dest_url.to_string())
}

fn extend(content: &mut Option<TextRange>, range: &std::ops::Range<usize>) {
    match content {
        Some(r) => r.end = range.end as u32,
        None => *content = Some(TextRange::new(range.start, range.end)),
    }
}

/// Moves `end` back over trailing line breaks, so ranges end on their last line.
fn trim_end(text: &str, mut end: usize) -> usize {
    while end > 0 && matches!(text.as_bytes()[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    end
}

fn trimmed_range(text: &str, range: std::ops::Range<usize>) -> TextRange {
    let slice = &text[range.clone()];
    let start = range.start + (slice.len() - slice.trim_start().len());
    let end = range.start + slice.trim_end().len();
    TextRange::new(start, end.max(start))
}

/// A heading's section runs to the next heading of the same or a higher level.
fn compute_sections(headings: &mut [Heading], text_len: usize) {
    for i in 0..headings.len() {
        let level = headings[i].level;
        let end = headings[i + 1..]
            .iter()
            .find(|h| h.level <= level)
            .map_or(text_len, |h| h.range.start as usize);
        headings[i].section = TextRange::new(headings[i].range.start as usize, end);
    }
}

#[cfg(test)]
mod tests;
