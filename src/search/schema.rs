//! The tantivy schema of the search index and the two analyzers every text field comes in.
//!
//! Each searchable text is indexed twice: once English-aware (`title`, `body`, ...: split on
//! anything not alphanumeric, lowercased, ASCII-folded, stop words dropped, Porter-stemmed) and once
//! identifier-preserving (`title_ident`, `body_ident`, ...: split on whitespace and punctuation other
//! than `_ - .`, lowercased, nothing else), so `kube-proxy`, `--sort-by` and
//! `DCGM_FI_DEV_GPU_UTIL` are single terms there while "pods" still finds "pod".

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, STORED, STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer, Token, TokenStream, Tokenizer,
};
use tantivy::Index;

/// Bumped whenever the schema, an analyzer or what goes into a field changes: an on-disk index of
/// another version is rebuilt, never read.
pub(crate) const SCHEMA_VERSION: u32 = 3;

pub(crate) const EN_TOKENIZER: &str = "kbls_en";
pub(crate) const IDENT_TOKENIZER: &str = "kbls_ident";

/// A searchable text: its English field, its identifier field, and how much a match in it counts.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TextField {
    /// `None` for fields that are only ever matched whole (tags, path words).
    pub(crate) en: Option<Field>,
    pub(crate) ident: Field,
    pub(crate) boost: f32,
    /// Whether a misspelled word may match here.
    pub(crate) fuzzy: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct Fields {
    /// The note's path, untokenized: what `replace_note` deletes by.
    pub(crate) path: Field,
    pub(crate) kind: Field,
    pub(crate) note_title: Field,
    pub(crate) heading_path: Field,
    pub(crate) date: Field,
    pub(crate) line: Field,
    pub(crate) range_start: Field,
    pub(crate) range_end: Field,
    /// Start, end and line of each term, three values per term, in the order of `terms`.
    pub(crate) term_spans: Field,
    pub(crate) title: TextField,
    pub(crate) heading: TextField,
    /// The headings a section sits under (its heading path without itself): a section under
    /// "Consensus: The Raft Algorithm" is about Raft even when its text never says so. For a
    /// title document, the note's tags and file name.
    pub(crate) context: TextField,
    pub(crate) terms: TextField,
    pub(crate) body: TextField,
    pub(crate) code: TextField,
    pub(crate) tags: TextField,
    pub(crate) path_words: TextField,
}

/// Relative weights of a match, by field: the title says most about a note, code least.
const TITLE_BOOST: f32 = 3.0;
const HEADING_BOOST: f32 = 2.0;
const CONTEXT_BOOST: f32 = 0.75;
const TERMS_BOOST: f32 = 1.5;
const TAGS_BOOST: f32 = 1.0;
const BODY_BOOST: f32 = 1.0;
const CODE_BOOST: f32 = 0.6;
const PATH_BOOST: f32 = 1.0;

impl Fields {
    /// The texts searched by words without a field filter. Tags and path words are on every
    /// document of a note, for `tag:` and `path:`; free words find them only in the note's title
    /// document (through `context`), so a tag does not lift every section of its notes.
    pub(crate) fn all_text(&self) -> [TextField; 6] {
        [
            self.title,
            self.heading,
            self.context,
            self.terms,
            self.body,
            self.code,
        ]
    }
}

pub(crate) fn build_schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = |tokenizer: &str, stored: bool| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let options = TextOptions::default().set_indexing_options(indexing);
        if stored {
            options.set_stored()
        } else {
            options
        }
    };
    let pair = |builder: &mut tantivy::schema::SchemaBuilder,
                name: &str,
                boost: f32,
                fuzzy: bool| TextField {
        en: Some(builder.add_text_field(name, text(EN_TOKENIZER, true))),
        ident: builder.add_text_field(&format!("{name}_ident"), text(IDENT_TOKENIZER, false)),
        boost,
        fuzzy,
    };
    let title = pair(&mut builder, "title", TITLE_BOOST, true);
    let heading = pair(&mut builder, "heading", HEADING_BOOST, true);
    let context = pair(&mut builder, "context", CONTEXT_BOOST, false);
    let terms = pair(&mut builder, "terms", TERMS_BOOST, true);
    let body = pair(&mut builder, "body", BODY_BOOST, true);
    let code = pair(&mut builder, "code", CODE_BOOST, false);
    let tags = TextField {
        en: None,
        ident: builder.add_text_field("tags", text(IDENT_TOKENIZER, true)),
        boost: TAGS_BOOST,
        fuzzy: false,
    };
    let path_words = TextField {
        en: None,
        ident: builder.add_text_field("path_words", text(IDENT_TOKENIZER, false)),
        boost: PATH_BOOST,
        fuzzy: false,
    };
    let fields = Fields {
        path: builder.add_text_field("path", STRING | STORED),
        kind: builder.add_text_field("kind", STRING | STORED),
        note_title: builder.add_text_field("note_title", STORED),
        heading_path: builder.add_text_field("heading_path", STORED),
        date: builder.add_text_field("date", STRING | STORED),
        line: builder.add_u64_field("line", STORED),
        range_start: builder.add_u64_field("range_start", STORED),
        range_end: builder.add_u64_field("range_end", STORED),
        term_spans: builder.add_u64_field("term_spans", STORED),
        title,
        heading,
        context,
        terms,
        body,
        code,
        tags,
        path_words,
    };
    (builder.build(), fields)
}

/// The two analyzers, as registered on every index and as used to analyze query words.
#[derive(Clone)]
pub(crate) struct Analyzers {
    pub(crate) en: TextAnalyzer,
    pub(crate) ident: TextAnalyzer,
}

impl Analyzers {
    pub(crate) fn new() -> Analyzers {
        let stop_words = StopWordFilter::new(Language::English)
            .unwrap_or_else(|| StopWordFilter::remove(Vec::new()));
        let en = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(stop_words)
            .filter(Stemmer::new(Language::English))
            .build();
        let ident = TextAnalyzer::builder(IdentTokenizer::default())
            .filter(RemoveLongFilter::limit(64))
            .filter(LowerCaser)
            .build();
        Analyzers { en, ident }
    }

    pub(crate) fn register(&self, index: &Index) {
        index.tokenizers().register(EN_TOKENIZER, self.en.clone());
        index
            .tokenizers()
            .register(IDENT_TOKENIZER, self.ident.clone());
    }
}

/// A token as the query side sees it: its text and position (gaps left by stop words count).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Analyzed {
    pub(crate) position: usize,
    pub(crate) text: String,
    pub(crate) from: usize,
    pub(crate) to: usize,
}

pub(crate) fn analyze(analyzer: &TextAnalyzer, text: &str) -> Vec<Analyzed> {
    let mut analyzer = analyzer.clone();
    let mut stream = analyzer.token_stream(text);
    let mut res = Vec::new();
    while stream.advance() {
        let token = stream.token();
        res.push(Analyzed {
            position: token.position,
            text: token.text.clone(),
            from: token.offset_from,
            to: token.offset_to,
        });
    }
    res
}

/// Characters that stay inside an identifier token besides letters and digits.
fn is_ident_char(ch: char) -> bool {
    ch.is_alphanumeric() || matches!(ch, '_' | '-' | '.')
}

/// Splits on whitespace and on punctuation other than `_`, `-` and `.`, then drops trailing dots
/// (a sentence's full stop) and tokens without a letter or digit (`-`, `...`).
#[derive(Clone, Default)]
pub(crate) struct IdentTokenizer {
    token: Token,
}

pub(crate) struct IdentTokenStream<'a> {
    text: &'a str,
    offset: usize,
    token: &'a mut Token,
}

impl Tokenizer for IdentTokenizer {
    type TokenStream<'a> = IdentTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> IdentTokenStream<'a> {
        self.token.reset();
        IdentTokenStream {
            text,
            offset: 0,
            token: &mut self.token,
        }
    }
}

impl TokenStream for IdentTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        while self.offset < self.text.len() {
            let rest = &self.text[self.offset..];
            let Some(start) = rest.find(is_ident_char) else {
                self.offset = self.text.len();
                return false;
            };
            let start = self.offset + start;
            let len = self.text[start..]
                .find(|ch| !is_ident_char(ch))
                .unwrap_or(self.text.len() - start);
            let end = start + len;
            self.offset = end;
            let word = self.text[start..end].trim_end_matches('.');
            if !word.chars().any(char::is_alphanumeric) {
                continue;
            }
            self.token.position = self.token.position.wrapping_add(1);
            self.token.offset_from = start;
            self.token.offset_to = start + word.len();
            self.token.text.push_str(word);
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}
