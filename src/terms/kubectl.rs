//! kubectl command lines in shell text: which command each names, with its flags and arguments,
//! every part with its byte range.
//!
//! A small shell lexer, not a shell: it knows words and quotes (`'…'`, `"…"`), `\` escapes and
//! line continuations, comments, the operators that end a command (`|`, `||`, `&&`, `;`, `&`,
//! parentheses, newlines), redirections and here-documents, command substitution (`$(…)`,
//! backticks; their commands are read too), prompts (`$ `, and in `console` blocks `# ` and
//! `user@host:~$ `, where lines without a prompt are output), wrappers (`sudo`, `watch`,
//! `xargs`, `time`, `env`, ...) and `NAME=value` assignments. `<placeholder>` words, common in
//! notes, are words rather than redirections.
//!
//! Flags are read the way kubectl (pflag) reads them: `--flag=value`, `--flag value` when the
//! pack says the flag takes a value, `-o wide`, `-ojson`, `-o=json`, and combined shorthands
//! (`-it` is `-i` and `-t`). A value never starts with `-` (but for `-`, standard input, and
//! negative numbers): in `--validate -f pod.yaml` the `-f` is a flag, whatever `--validate`
//! takes. Everything after `--` is the container's command, not kubectl's.
//!
//! The words after `kubectl` name subcommands until one does not. Where that leaves a command
//! group open (see [`Invocation::open`]: `kubectl create service -o yaml`, `kubectl [command]
//! -o json`), the flags may be those of any command under it.
//!
//! Knows nothing about LSP or the file system; the pack says which words are subcommands.

use super::packs::{FlagScope, Packs};
use crate::syntax::NoteSyntax;
use crate::text::TextRange;

/// One shell word: its text with quotes and escapes removed, and its range in the note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub range: TextRange,
}

/// One flag as written: `--sort-by`, `-o`, or one letter of `-it`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlagUse {
    /// `--sort-by` or `-o` (for a letter of a combined group too).
    pub name: String,
    /// The range of the name alone: `--sort-by` without `=value`; `-i` for the first letter of
    /// `-it` and `t` for the next.
    pub range: TextRange,
    /// The value, from after `=`, the rest of a shorthand group (`-ojson`) or the next word.
    pub value: Option<Word>,
    /// Whether the pack knows this flag in the scope at hand when it was read (the command, or
    /// every command under a group whose subcommand may still follow).
    pub known: bool,
}

impl FlagUse {
    pub fn is_long(&self) -> bool {
        self.name.starts_with("--")
    }
}

/// One kubectl command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invocation {
    /// The `kubectl` word itself.
    pub kubectl: TextRange,
    /// The command path the words resolve to, `kubectl auth can-i`.
    pub command: String,
    /// The words after `kubectl` that name subcommands, in order.
    pub path: Vec<Word>,
    /// The command is a group the line leaves open, so its flags may be those of any command
    /// under it: a placeholder follows it (`kubectl [command]`, `kubectl create secret TYPE`),
    /// or, below the top level, a word that is no subcommand (`kubectl create something`), or
    /// the line stops at a group one runs only through its subcommands (`kubectl create service
    /// -o yaml`, `kubectl --raw`). A word after `kubectl` that is no command names a plugin
    /// instead, and `kubectl apply -f x` runs `kubectl apply` itself.
    pub open: bool,
    /// Positional arguments (before `--`).
    pub args: Vec<Word>,
    pub flags: Vec<FlagUse>,
    /// Words after `--`: the command run in the container, not kubectl's business.
    pub after_dash_dash: Vec<Word>,
    /// From `kubectl` to where the command ends (an operator, a comment, the line's end), trailing
    /// blanks included, so a cursor after `kubectl get ` is inside.
    pub extent: TextRange,
}

impl Invocation {
    /// Where this line's flags are looked up.
    pub fn flag_scope(&self) -> FlagScope<'_> {
        FlagScope {
            command: &self.command,
            subcommands: self.open,
        }
    }
}

/// How to read a block's lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// `bash`, `sh`, `shell`, `zsh` and untagged blocks: every line is a command, `# ` starts a
    /// comment; if some lines start with a `$ ` prompt, only those are commands.
    Script,
    /// `console` and shell sessions: only lines with a prompt (`$ `, `# `, `% `,
    /// `user@host:~$ `) are commands; the others are output.
    Console,
}

/// The dialect of a code block's language tag, or `None` when the block is not shell.
pub fn dialect_of(lang: Option<&str>) -> Option<Dialect> {
    let Some(lang) = lang else {
        return Some(Dialect::Script);
    };
    match lang.to_ascii_lowercase().as_str() {
        "bash" | "sh" | "shell" | "zsh" | "ksh" | "fish" => Some(Dialect::Script),
        "console" | "shell-session" | "shellsession" | "sh-session" | "terminal" => {
            Some(Dialect::Console)
        }
        _ => None,
    }
}

/// Every kubectl invocation of a note: in shell and untagged code blocks and in code spans that
/// start with `kubectl`, in document order.
pub fn note_invocations(text: &str, syntax: &NoteSyntax, packs: &Packs) -> Vec<Invocation> {
    let mut res = Vec::new();
    for block in &syntax.code_blocks {
        let Some(dialect) = dialect_of(block.lang.as_deref()) else {
            continue;
        };
        let content = &text[block.content.as_usize()];
        // Most blocks never mention kubectl; skip them before lexing.
        if memchr::memmem::find(content.as_bytes(), b"kubectl").is_none() {
            continue;
        }
        res.extend(invocations(text, block.content, dialect, packs));
    }
    for span in &syntax.code_spans {
        if let Some(inner) = code_span_kubectl(text, *span) {
            res.extend(invocations(text, inner, Dialect::Script, packs));
        }
    }
    res.sort_by_key(|inv| inv.kubectl.start);
    res
}

/// The inside of a code span (backticks and one padding space off) if it starts with `kubectl`.
pub fn code_span_kubectl(text: &str, span: TextRange) -> Option<TextRange> {
    let raw = text.get(span.as_usize())?;
    let ticks = raw.len() - raw.trim_start_matches('`').len();
    let inner_start = span.start as usize + ticks;
    let inner_end = (span.end as usize).checked_sub(ticks)?;
    let inner = text.get(inner_start..inner_end)?;
    let trimmed = inner.trim_start();
    let start = inner_start + (inner.len() - trimmed.len());
    let is_kubectl = trimmed
        .strip_prefix("kubectl")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(char::is_whitespace));
    is_kubectl.then(|| TextRange::new(start, inner_end.max(start)))
}

/// The kubectl invocations in the shell text at `range` of `text`.
pub fn invocations(
    text: &str,
    range: TextRange,
    dialect: Dialect,
    packs: &Packs,
) -> Vec<Invocation> {
    let Some(src) = text.get(range.as_usize()) else {
        return Vec::new();
    };
    let mut res = Vec::new();
    // Substitutions are lexed after their enclosing command, at most this deep.
    let mut pending = vec![(range.start as usize, src, prompts_only(src, dialect), 0u32)];
    while let Some((base, src, prompts, depth)) = pending.pop() {
        let mut lexer = Lexer::new(src, base, prompts);
        lexer.run();
        for command in &lexer.commands {
            if let Some(inv) = invocation(command, packs) {
                res.push(inv);
            }
        }
        if depth < 8 {
            for (start, end) in lexer.nested {
                if let Some(inner) = text.get(start..end) {
                    pending.push((start, inner, false, depth + 1));
                }
            }
        }
    }
    res.sort_by_key(|inv| inv.kubectl.start);
    res
}

/// Whether only prompted lines are commands: always in a console session that has a prompt, and
/// in a script when some line starts with `$ `.
fn prompts_only(src: &str, dialect: Dialect) -> bool {
    src.lines().any(|line| match dialect {
        Dialect::Script => {
            let line = line.trim_start();
            line.starts_with("$ ") || line == "$"
        }
        Dialect::Console => prompt_len(line).is_some(),
    })
}

/// The length of a console prompt at the start of `line`, spaces after it included.
fn prompt_len(line: &str) -> Option<usize> {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    // A bare prompt: `$ `, `# `, `% `.
    for prompt in ["$ ", "# ", "% "] {
        if trimmed.starts_with(prompt) {
            return Some(indent + prompt.len());
        }
    }
    if trimmed == "$" || trimmed == "#" {
        return Some(line.len());
    }
    // `user@host:~/dir$ ` or `[root@node ~]# `: a prefix without blanks (or in brackets) that
    // holds an `@`, then the prompt character.
    let (prefix_len, rest) = if trimmed.starts_with('[') {
        let close = trimmed.find(']')?;
        (close + 1, &trimmed[close + 1..])
    } else {
        let end = trimmed.find(|c: char| c == '$' || c == '#' || c.is_whitespace())?;
        (end, &trimmed[end..])
    };
    if !trimmed[..prefix_len].contains('@') {
        return None;
    }
    let rest_trimmed = rest.trim_start();
    let marker = rest_trimmed.chars().next()?;
    if !matches!(marker, '$' | '#' | '%') || !rest_trimmed[1..].starts_with(' ') {
        return None;
    }
    let before_marker = rest.len() - rest_trimmed.len();
    Some(indent + prefix_len + before_marker + 2)
}

/// The words of one simple command and where it ends.
#[derive(Debug)]
struct SimpleCommand {
    words: Vec<RawWord>,
    end: usize,
}

/// A word and how many of its leading bytes are written exactly as its text (before the first
/// quote or escape), so that offsets into that prefix are offsets into the note.
#[derive(Clone, Debug)]
struct RawWord {
    word: Word,
    plain: usize,
}

struct Lexer<'a> {
    src: &'a str,
    base: usize,
    prompts_only: bool,
    pos: usize,
    commands: Vec<SimpleCommand>,
    words: Vec<RawWord>,
    /// Absolute ranges of `$(…)` and backtick bodies.
    nested: Vec<(usize, usize)>,
    /// Here-document delimiters whose bodies start at the next line.
    heredocs: Vec<String>,
}

impl<'a> Lexer<'a> {
    fn new(src: &'a str, base: usize, prompts_only: bool) -> Lexer<'a> {
        Lexer {
            src,
            base,
            prompts_only,
            pos: 0,
            commands: Vec::new(),
            words: Vec::new(),
            nested: Vec::new(),
            heredocs: Vec::new(),
        }
    }

    fn peek(&self, ahead: usize) -> Option<u8> {
        self.src.as_bytes().get(self.pos + ahead).copied()
    }

    fn finish_command(&mut self) {
        if !self.words.is_empty() {
            let words = std::mem::take(&mut self.words);
            self.commands.push(SimpleCommand {
                words,
                end: self.base + self.pos,
            });
        }
    }

    fn run(&mut self) {
        self.line_start();
        while let Some(byte) = self.peek(0) {
            match byte {
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'\n' => {
                    self.finish_command();
                    self.pos += 1;
                    self.skip_heredoc_bodies();
                    self.line_start();
                }
                b'\\' if matches!(self.peek(1), Some(b'\n')) => {
                    self.pos += 2;
                    self.continuation_prompt();
                }
                b'\\' if self.peek(1) == Some(b'\r') && self.peek(2) == Some(b'\n') => {
                    self.pos += 3;
                    self.continuation_prompt();
                }
                b'#' => {
                    self.finish_command();
                    self.skip_to_line_end();
                }
                b';' | b'|' | b'(' | b')' => {
                    self.finish_command();
                    self.pos += 1;
                }
                b'&' => {
                    if self.peek(1) == Some(b'>') {
                        self.pos += 2;
                        self.redirect_target();
                    } else {
                        self.finish_command();
                        self.pos += 1;
                    }
                }
                b'<' | b'>' if !self.at_placeholder() => self.redirect(),
                _ => self.word(),
            }
        }
        self.finish_command();
    }

    /// At the start of a line: drops its prompt, or the whole line when it is output.
    fn line_start(&mut self) {
        if self.pos >= self.src.len() {
            return;
        }
        let line_end = self.src[self.pos..]
            .find('\n')
            .map_or(self.src.len(), |n| self.pos + n);
        let line = &self.src[self.pos..line_end];
        if self.prompts_only {
            match prompt_len(line) {
                Some(len) => self.pos += len,
                None => self.pos = line_end,
            }
        } else if let Some(rest) = line.trim_start().strip_prefix("$ ") {
            self.pos = line_end - rest.len();
        }
    }

    /// After a `\` line continuation, a console's `> ` secondary prompt.
    fn continuation_prompt(&mut self) {
        let rest = &self.src[self.pos..];
        let trimmed = rest.trim_start_matches([' ', '\t']);
        if self.prompts_only && trimmed.starts_with("> ") {
            self.pos += rest.len() - trimmed.len() + 2;
        }
    }

    fn skip_to_line_end(&mut self) {
        self.pos = self.src[self.pos..]
            .find('\n')
            .map_or(self.src.len(), |n| self.pos + n);
    }

    fn skip_heredoc_bodies(&mut self) {
        let delimiters = std::mem::take(&mut self.heredocs);
        for delimiter in delimiters {
            while self.pos < self.src.len() {
                let line_end = self.src[self.pos..]
                    .find('\n')
                    .map_or(self.src.len(), |n| self.pos + n);
                let line = self.src[self.pos..line_end].trim();
                self.pos = (line_end + 1).min(self.src.len());
                if line == delimiter {
                    break;
                }
            }
        }
    }

    /// Whether a `<` here opens a `<placeholder>` word rather than a redirection.
    fn at_placeholder(&self) -> bool {
        placeholder_len(&self.src[self.pos..]).is_some()
    }

    /// Reads `>`, `>>`, `<`, `<<`, `<<<`, `>&`, `<&`, `>|` and the target word after it.
    fn redirect(&mut self) {
        let rest = &self.src.as_bytes()[self.pos..];
        if rest.starts_with(b"<<<") {
            self.pos += 3;
            self.redirect_target();
        } else if rest.starts_with(b"<<") {
            self.pos += 2;
            if self.peek(0) == Some(b'-') {
                self.pos += 1;
            }
            if let Some(word) = self.redirect_target() {
                if !word.is_empty() {
                    self.heredocs.push(word);
                }
            }
        } else {
            self.pos += 1;
            if matches!(self.peek(0), Some(b'>' | b'|' | b'&')) {
                self.pos += 1;
            }
            self.redirect_target();
        }
    }

    /// Skips blanks and reads the redirection's target word, which is not an argument.
    fn redirect_target(&mut self) -> Option<String> {
        while matches!(self.peek(0), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
        match self.peek(0) {
            None | Some(b'\n' | b';' | b'|' | b'&' | b'(' | b')' | b'<' | b'>') => None,
            Some(_) => {
                let before = self.words.len();
                self.word();
                if self.words.len() > before {
                    self.words.pop().map(|w| w.word.text)
                } else {
                    None
                }
            }
        }
    }

    /// Reads one word starting at `pos`.
    fn word(&mut self) {
        let start = self.pos;
        let mut text = String::new();
        let mut plain: Option<usize> = None;
        let bytes = self.src.as_bytes();
        while let Some(&byte) = bytes.get(self.pos) {
            if plain.is_none() && matches!(byte, b'\'' | b'"' | b'\\') {
                plain = Some(text.len());
            }
            match byte {
                b' ' | b'\t' | b'\r' | b'\n' | b';' | b'|' | b'&' | b'(' | b')' => break,
                b'<' | b'>' => match placeholder_len(&self.src[self.pos..]) {
                    Some(len) => {
                        text.push_str(&self.src[self.pos..self.pos + len]);
                        self.pos += len;
                    }
                    None => {
                        // `2>file`: the digits were a file descriptor, not a word.
                        if !text.is_empty()
                            && text.bytes().all(|b| b.is_ascii_digit())
                            && self.pos - start == text.len()
                        {
                            self.redirect();
                            return;
                        }
                        break;
                    }
                },
                b'\'' => {
                    let body_start = self.pos + 1;
                    let body_end = self.src[body_start..]
                        .find('\'')
                        .map_or(self.src.len(), |n| body_start + n);
                    text.push_str(&self.src[body_start..body_end]);
                    self.pos = (body_end + 1).min(self.src.len());
                }
                b'"' => self.double_quoted(&mut text),
                b'\\' => match self.src[self.pos + 1..].chars().next() {
                    Some('\n') => self.pos += 2,
                    Some(ch) => {
                        text.push(ch);
                        self.pos += 1 + ch.len_utf8();
                    }
                    None => {
                        text.push('\\');
                        self.pos += 1;
                    }
                },
                b'$' if matches!(bytes.get(self.pos + 1), Some(b'(')) => {
                    self.substitution(&mut text)
                }
                b'$' if matches!(bytes.get(self.pos + 1), Some(b'{')) => {
                    let end = self.src[self.pos..]
                        .find('}')
                        .map_or(self.src.len(), |n| self.pos + n + 1);
                    text.push_str(&self.src[self.pos..end]);
                    self.pos = end;
                }
                b'`' => self.backticks(&mut text),
                _ => {
                    let ch = self.src[self.pos..].chars().next().unwrap_or(' ');
                    text.push(ch);
                    self.pos += ch.len_utf8();
                }
            }
        }
        if self.pos > start {
            let plain = plain.unwrap_or(text.len());
            self.words.push(RawWord {
                word: Word {
                    text,
                    range: TextRange::new(self.base + start, self.base + self.pos),
                },
                plain,
            });
        } else {
            // Nothing could be read (cannot happen for the bytes `run` sends here); move on.
            self.pos += 1;
        }
    }

    fn double_quoted(&mut self, text: &mut String) {
        self.pos += 1;
        let bytes = self.src.as_bytes();
        while let Some(&byte) = bytes.get(self.pos) {
            match byte {
                b'"' => {
                    self.pos += 1;
                    return;
                }
                b'\\' => match self.src[self.pos + 1..].chars().next() {
                    Some(ch @ ('"' | '\\' | '$' | '`')) => {
                        text.push(ch);
                        self.pos += 2;
                    }
                    Some('\n') => self.pos += 2,
                    _ => {
                        text.push('\\');
                        self.pos += 1;
                    }
                },
                b'$' if matches!(bytes.get(self.pos + 1), Some(b'(')) => self.substitution(text),
                b'`' => self.backticks(text),
                _ => {
                    let ch = self.src[self.pos..].chars().next().unwrap_or(' ');
                    text.push(ch);
                    self.pos += ch.len_utf8();
                }
            }
        }
    }

    /// `$(…)` (or `$((…))`, arithmetic, not read further): the text stays in the word and the
    /// body is remembered for its own commands.
    fn substitution(&mut self, text: &mut String) {
        let open = self.pos;
        let body_start = open + 2;
        let body_end = matching_paren(self.src, body_start);
        let end = (body_end + 1).min(self.src.len());
        text.push_str(&self.src[open..end]);
        if !self.src[body_start..].starts_with('(') {
            self.nested
                .push((self.base + body_start, self.base + body_end));
        }
        self.pos = end;
    }

    fn backticks(&mut self, text: &mut String) {
        let body_start = self.pos + 1;
        let body_end = self.src[body_start..]
            .find('`')
            .map_or(self.src.len(), |n| body_start + n);
        let end = (body_end + 1).min(self.src.len());
        text.push_str(&self.src[self.pos..end]);
        self.nested
            .push((self.base + body_start, self.base + body_end));
        self.pos = end;
    }
}

/// The offset of the `)` closing a `$(` whose body starts at `start`, skipping quotes and nested
/// parentheses; the end of `src` when it is never closed.
fn matching_paren(src: &str, start: usize) -> usize {
    let bytes = src.as_bytes();
    let mut depth = 0usize;
    let mut pos = start;
    while let Some(&byte) = bytes.get(pos) {
        match byte {
            b'(' => depth += 1,
            b')' if depth == 0 => return pos,
            b')' => depth -= 1,
            b'\'' => pos = src[pos + 1..].find('\'').map_or(src.len(), |n| pos + 1 + n),
            b'"' => {
                pos += 1;
                while let Some(&b) = bytes.get(pos) {
                    match b {
                        b'\\' => pos += 1,
                        b'"' => break,
                        _ => {}
                    }
                    pos += 1;
                }
            }
            b'\\' => pos += 1,
            _ => {}
        }
        pos += 1;
    }
    src.len()
}

/// The length of a `<placeholder>` at the start of `rest`: `<` then a letter, then up to the
/// matching `>` before any blank.
fn placeholder_len(rest: &str) -> Option<usize> {
    let bytes = rest.as_bytes();
    if bytes.first() != Some(&b'<')
        || !bytes
            .get(1)
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
    {
        return None;
    }
    for (after_name, &byte) in bytes[2..].iter().enumerate() {
        match byte {
            b'>' => return Some(after_name + 3),
            b' ' | b'\t' | b'\n' | b'\r' | b'<' | b'|' | b';' | b'&' => return None,
            _ => {}
        }
    }
    None
}

/// Commands and keywords that run the command after them, with their options that take a value.
const WRAPPERS: &[(&str, &[&str])] = &[
    (
        "sudo",
        &["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T"],
    ),
    ("doas", &["-u", "-C"]),
    ("watch", &["-n", "--interval", "-d"]),
    ("xargs", &["-n", "-I", "-L", "-P", "-d", "-s", "-a", "-E"]),
    ("time", &[]),
    ("nohup", &[]),
    ("exec", &[]),
    ("command", &[]),
    ("builtin", &[]),
    ("env", &["-u", "-C", "-S"]),
    ("nice", &["-n"]),
    ("timeout", &["-s", "-k"]),
    ("stdbuf", &["-i", "-o", "-e"]),
    // Shell keywords that start a command list.
    ("do", &[]),
    ("then", &[]),
    ("else", &[]),
    ("elif", &[]),
    ("if", &[]),
    ("while", &[]),
    ("until", &[]),
    ("!", &[]),
    ("{", &[]),
];

/// The kubectl invocation a simple command is, if it is one.
fn invocation(command: &SimpleCommand, packs: &Packs) -> Option<Invocation> {
    let words = &command.words;
    let mut idx = 0;
    loop {
        let word = &words.get(idx)?.word;
        if is_assignment(&word.text) {
            idx += 1;
            continue;
        }
        let Some((wrapper, value_options)) = WRAPPERS.iter().find(|(name, _)| *name == word.text)
        else {
            break;
        };
        idx += 1;
        // The wrapper's own options; `timeout` also takes a duration.
        let mut needs_duration = *wrapper == "timeout";
        while let Some(option) = words.get(idx).map(|w| &w.word) {
            if option.text.starts_with('-') && option.text.len() > 1 {
                idx += if value_options.contains(&option.text.as_str()) {
                    2
                } else {
                    1
                };
            } else if is_assignment(&option.text) && *wrapper == "env" {
                idx += 1;
            } else if needs_duration {
                needs_duration = false;
                idx += 1;
            } else {
                break;
            }
        }
    }
    let first = &words.get(idx)?.word;
    if first.text != "kubectl" && !first.text.ends_with("/kubectl") {
        return None;
    }
    Some(read_invocation(
        first.range,
        &words[idx + 1..],
        command.end,
        packs,
    ))
}

fn is_assignment(word: &str) -> bool {
    let Some((name, _)) = word.split_once('=') else {
        return false;
    };
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

fn read_invocation(kubectl: TextRange, words: &[RawWord], end: usize, packs: &Packs) -> Invocation {
    let mut inv = Invocation {
        kubectl,
        command: "kubectl".to_string(),
        path: Vec::new(),
        open: false,
        args: Vec::new(),
        flags: Vec::new(),
        after_dash_dash: Vec::new(),
        extent: TextRange::new(kubectl.start as usize, end.max(kubectl.end as usize)),
    };
    let mut path_open = true;
    let mut idx = 0;
    while let Some(raw) = words.get(idx) {
        let word = &raw.word;
        idx += 1;
        if word.text == "--" {
            inv.after_dash_dash = words[idx..].iter().map(|w| w.word.clone()).collect();
            break;
        }
        if word.text.len() > 1 && word.text.starts_with('-') {
            let next = words.get(idx).map(|w| &w.word);
            // Before the path is complete, a flag may belong to a subcommand still to come.
            let scope = FlagScope {
                command: &inv.command,
                subcommands: inv.open || (path_open && packs.has_subcommands(&inv.command)),
            };
            if read_flags(raw, next, scope, packs, &mut inv.flags) {
                idx += 1;
            }
            continue;
        }
        if path_open {
            if let Some(child) = packs.subcommand(&inv.command, &word.text) {
                inv.command = child.path.clone();
                inv.path.push(word.clone());
                continue;
            }
            path_open = false;
            inv.open = packs.has_subcommands(&inv.command)
                && (is_placeholder(&word.text) || inv.command != "kubectl");
        }
        inv.args.push(word.clone());
    }
    if path_open {
        inv.open = packs.is_pure_group(&inv.command);
    }
    inv
}

/// Words that stand for a command rather than name one (`<command>`, `[command]`, `$CMD`,
/// `${KIND}`, `{{.Verb}}`, `COMMAND`, `...`) or list several in prose shorthand
/// (`restart/status`, `get|describe`).
pub fn is_placeholder(word: &str) -> bool {
    word.starts_with(['<', '$', '{', '[', '(', '"', '\'', '`'])
        || word.contains(['/', '|', ',', '*'])
        || word.contains("...")
        || word.contains('…')
        || (word.chars().any(|c| c.is_ascii_uppercase())
            && !word.chars().any(|c| c.is_ascii_lowercase()))
}

/// Whether a word after a flag can be its value: a flag value never starts with `-`, but for
/// `-` alone (standard input, `-f -`) and a negative number (`--tail -1`).
fn can_be_value(word: &Word) -> bool {
    word.text
        .strip_prefix('-')
        .is_none_or(|rest| rest.bytes().all(|b| b.is_ascii_digit()))
}

/// Reads the flag word `word` into `out`; returns whether it used `next` as its value.
fn read_flags(
    raw: &RawWord,
    next: Option<&Word>,
    scope: FlagScope<'_>,
    packs: &Packs,
    out: &mut Vec<FlagUse>,
) -> bool {
    let next = next.filter(|word| can_be_value(word));
    let word = &raw.word;
    // Offsets inside the word are offsets into the note only up to its first quote or escape.
    let start = word.range.start as usize;
    let sub_range = |from: usize, to: usize| {
        if to <= raw.plain {
            TextRange::new(start + from, start + to)
        } else {
            word.range
        }
    };
    let value_word = |from: usize| {
        let text = word.text[from..].to_string();
        let range = if from <= raw.plain {
            TextRange::new(start + from, word.range.end as usize)
        } else {
            word.range
        };
        Some(Word { text, range })
    };
    if word.text.starts_with("--") {
        let (name, value) = match word.text.find('=') {
            Some(eq) => (&word.text[..eq], value_word(eq + 1)),
            None => (word.text.as_str(), None),
        };
        let flag = packs.scope_flag(scope, name).map(|(_, flag)| flag);
        let mut use_next = false;
        let value = match value {
            Some(value) => Some(value),
            None if flag.is_some_and(|f| f.value_type.takes_value()) => {
                use_next = next.is_some();
                next.cloned()
            }
            None => None,
        };
        out.push(FlagUse {
            name: name.to_string(),
            range: sub_range(0, name.len()),
            value,
            known: flag.is_some(),
        });
        return use_next;
    }
    // A shorthand group: `-it`, `-ojson`, `-o=json`, `-n`.
    let mut offset = 1;
    for (ch_idx, ch) in word.text[1..].char_indices() {
        let ch_start = 1 + ch_idx;
        if ch_start < offset {
            continue;
        }
        let ch_end = ch_start + ch.len_utf8();
        let name = format!("-{ch}");
        let range = if ch_start == 1 {
            sub_range(0, ch_end)
        } else {
            sub_range(ch_start, ch_end)
        };
        let flag = packs.scope_flag(scope, &name).map(|(_, flag)| flag);
        let takes_value = flag.is_some_and(|f| f.value_type.takes_value());
        let rest = &word.text[ch_end..];
        if flag.is_none() || takes_value || rest.starts_with('=') {
            // An unknown letter ends the group: what follows may be its value, so it is not read.
            let mut use_next = false;
            let value = if let Some(eq_rest) = rest.strip_prefix('=') {
                value_word(word.text.len() - eq_rest.len())
            } else if !rest.is_empty() && flag.is_some() {
                value_word(ch_end)
            } else if rest.is_empty() && takes_value {
                use_next = next.is_some();
                next.cloned()
            } else {
                None
            };
            out.push(FlagUse {
                name,
                range,
                value,
                known: flag.is_some(),
            });
            return use_next;
        }
        out.push(FlagUse {
            name,
            range,
            value: None,
            known: true,
        });
        offset = ch_end;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{expect, Expect};
    use std::fmt::Write;

    /// Renders each invocation on one line: command (`+` when left open), then path words,
    /// args and flags with the text their ranges cover.
    fn render(text: &str, invs: &[Invocation]) -> String {
        let at = |r: TextRange| &text[r.as_usize()];
        let mut res = String::new();
        for inv in invs {
            let open = if inv.open { "+" } else { "" };
            let _ = write!(res, "{}{open} [{}]", inv.command, at(inv.kubectl));
            for word in &inv.path {
                let _ = write!(res, " path({})", at(word.range));
            }
            for flag in &inv.flags {
                let known = if flag.known { "" } else { "?" };
                let _ = write!(res, " {}{known}@{}", flag.name, at(flag.range));
                if let Some(value) = &flag.value {
                    let _ = write!(res, "={}@{}", value.text, at(value.range));
                }
            }
            for word in &inv.args {
                let _ = write!(res, " arg({})", word.text);
            }
            if !inv.after_dash_dash.is_empty() {
                let rest: Vec<&str> = inv
                    .after_dash_dash
                    .iter()
                    .map(|w| w.text.as_str())
                    .collect();
                let _ = write!(res, " -- {}", rest.join(" "));
            }
            let _ = writeln!(res, " | {:?}", at(inv.extent));
        }
        res
    }

    fn check(lang: Option<&str>, src: &str, expect: Expect) {
        let dialect = dialect_of(lang).unwrap_or(Dialect::Script);
        let invs = invocations(src, TextRange::new(0, src.len()), dialect, Packs::builtin());
        expect.assert_eq(&render(src, &invs));
    }

    #[test]
    fn command_paths_and_args() {
        check(
            None,
            "kubectl auth can-i create deployments\nkubectl create deploy web --image=nginx\nkubectl gett pods\nkubectl\n",
            expect![[r#"
                kubectl auth can-i [kubectl] path(auth) path(can-i) arg(create) arg(deployments) | "kubectl auth can-i create deployments"
                kubectl create deployment [kubectl] path(create) path(deploy) --image@--image=nginx@nginx arg(web) | "kubectl create deploy web --image=nginx"
                kubectl [kubectl] arg(gett) arg(pods) | "kubectl gett pods"
                kubectl+ [kubectl] | "kubectl"
            "#]],
        );
    }

    #[test]
    fn flag_forms() {
        check(
            Some("bash"),
            "kubectl get pods -o wide --sort-by='.status.phase' -A\nkubectl get pods -ojson --watch=false -l app=web\nkubectl exec -it web -- ls -l\nkubectl -n kube-system get pods -o=yaml\nkubectl logs web --tail 10 -f\n",
            expect![[r#"
                kubectl get [kubectl] path(get) -o@-o=wide@wide --sort-by@--sort-by=.status.phase@'.status.phase' -A@-A arg(pods) | "kubectl get pods -o wide --sort-by='.status.phase' -A"
                kubectl get [kubectl] path(get) -o@-o=json@json --watch@--watch=false@false -l@-l=app=web@app=web arg(pods) | "kubectl get pods -ojson --watch=false -l app=web"
                kubectl exec [kubectl] path(exec) -i@-i -t@t arg(web) -- ls -l | "kubectl exec -it web -- ls -l"
                kubectl get [kubectl] path(get) -n@-n=kube-system@kube-system -o@-o=yaml@yaml arg(pods) | "kubectl -n kube-system get pods -o=yaml"
                kubectl logs [kubectl] path(logs) --tail@--tail=10@10 -f@-f arg(web) | "kubectl logs web --tail 10 -f"
            "#]],
        );
    }

    #[test]
    fn unknown_flags_are_marked() {
        check(
            None,
            "kubectl get pods --tail 10 -x\nkubectl debug -itz web\n",
            expect![[r#"
                kubectl get [kubectl] path(get) --tail?@--tail -x?@-x arg(pods) arg(10) | "kubectl get pods --tail 10 -x"
                kubectl debug [kubectl] path(debug) -i@-i -t@t -z?@z arg(web) | "kubectl debug -itz web"
            "#]],
        );
    }

    #[test]
    fn flag_values() {
        // A value never starts with `-`: `--validate` takes one, `-f` is a flag; but `-` and
        // negative numbers are values. Bool flags take a value only after `=`.
        check(
            None,
            "kubectl apply --validate -f mypod.yaml\nkubectl apply -f -\nkubectl logs web --tail -1 --follow false\n",
            expect![[r#"
                kubectl apply [kubectl] path(apply) --validate@--validate -f@-f=mypod.yaml@mypod.yaml | "kubectl apply --validate -f mypod.yaml"
                kubectl apply [kubectl] path(apply) -f@-f=-@- | "kubectl apply -f -"
                kubectl logs [kubectl] path(logs) --tail@--tail=-1@-1 --follow@--follow arg(web) arg(false) | "kubectl logs web --tail -1 --follow false"
            "#]],
        );
    }

    #[test]
    fn open_groups() {
        // A group the line stops at, or a placeholder after a group: the flags are read as those
        // of any command under it, so `-o` takes `yaml` and `<output_format>`.
        check(
            None,
            "kubectl create service -o yaml --dry-run=client\nkubectl [command] [TYPE] [NAME] -o <output_format>\nkubectl --raw /api\nkubectl -A\nkubectl create something\nkubectl rollout --revision 2 history deploy/web\nkubectl apply -f x.yaml\nkubectl hello -o wide\n",
            expect![[r#"
                kubectl create service+ [kubectl] path(create) path(service) -o@-o=yaml@yaml --dry-run@--dry-run=client@client | "kubectl create service -o yaml --dry-run=client"
                kubectl+ [kubectl] -o@-o=<output_format>@<output_format> arg([command]) arg([TYPE]) arg([NAME]) | "kubectl [command] [TYPE] [NAME] -o <output_format>"
                kubectl+ [kubectl] --raw@--raw=/api@/api | "kubectl --raw /api"
                kubectl+ [kubectl] -A@-A | "kubectl -A"
                kubectl create+ [kubectl] path(create) arg(something) | "kubectl create something"
                kubectl rollout history [kubectl] path(rollout) path(history) --revision@--revision=2@2 arg(deploy/web) | "kubectl rollout --revision 2 history deploy/web"
                kubectl apply [kubectl] path(apply) -f@-f=x.yaml@x.yaml | "kubectl apply -f x.yaml"
                kubectl [kubectl] -o?@-o arg(hello) arg(wide) | "kubectl hello -o wide"
            "#]],
        );
    }

    #[test]
    fn shell_structure() {
        check(
            Some("sh"),
            "$ kubectl get pods | grep web && kubectl delete pod web; echo done\nsudo -E KUBECONFIG=/etc/k.conf kubectl get nodes\nKUBECONFIG=x kubectl version\nwatch -n 1 kubectl top pod\n",
            expect![[r#"
                kubectl get [kubectl] path(get) arg(pods) | "kubectl get pods "
                kubectl delete [kubectl] path(delete) arg(pod) arg(web) | "kubectl delete pod web"
            "#]],
        );
        check(
            Some("bash"),
            "# kubectl get commented\nsudo -E KUBECONFIG=/etc/k.conf kubectl get nodes # trailing\nwatch -n 1 kubectl top pod\nkubectl api-resources --verbs=list --namespaced -o name \\\n  | xargs -n 1 kubectl get --show-kind -l <label>=<value> -n <namespace>\nkubectl delete pod $(kubectl get pods -o name | head -1) > out.txt 2>&1\n",
            expect![[r#"
                kubectl get [kubectl] path(get) arg(nodes) | "kubectl get nodes "
                kubectl top pod [kubectl] path(top) path(pod) | "kubectl top pod"
                kubectl api-resources [kubectl] path(api-resources) --verbs@--verbs=list@list --namespaced@--namespaced -o@-o=name@name | "kubectl api-resources --verbs=list --namespaced -o name \\\n  "
                kubectl get [kubectl] path(get) --show-kind@--show-kind -l@-l=<label>=<value>@<label>=<value> -n@-n=<namespace>@<namespace> | "kubectl get --show-kind -l <label>=<value> -n <namespace>"
                kubectl delete [kubectl] path(delete) arg(pod) arg($(kubectl get pods -o name | head -1)) | "kubectl delete pod $(kubectl get pods -o name | head -1) > out.txt 2>&1"
                kubectl get [kubectl] path(get) -o@-o=name@name arg(pods) | "kubectl get pods -o name "
            "#]],
        );
    }

    #[test]
    fn console_sessions_skip_output() {
        check(
            Some("console"),
            "$ kubectl get pods\nNAME   READY   STATUS\nkubectl-thing 1/1 Running\nuser@host:~$ kubectl logs web \\\n> --follow\n[root@node ~]# kubectl cordon node1\n",
            expect![[r#"
                kubectl get [kubectl] path(get) arg(pods) | "kubectl get pods"
                kubectl logs [kubectl] path(logs) --follow@--follow arg(web) | "kubectl logs web \\\n> --follow"
                kubectl cordon [kubectl] path(cordon) arg(node1) | "kubectl cordon node1"
            "#]],
        );
    }

    #[test]
    fn heredocs_are_not_commands() {
        check(
            Some("bash"),
            "kubectl apply -f - <<EOF\nkubectl get this-is-yaml\nEOF\nkubectl get ns\nfor ns in a b; do kubectl get pods -n \"$ns\"; done\nif kubectl auth can-i get pods; then echo yes; fi\nsource <(kubectl completion bash)\n",
            expect![[r#"
                kubectl apply [kubectl] path(apply) -f@-f=-@- | "kubectl apply -f - <<EOF"
                kubectl get [kubectl] path(get) arg(ns) | "kubectl get ns"
                kubectl get [kubectl] path(get) -n@-n=$ns@"$ns" arg(pods) | "kubectl get pods -n \"$ns\""
                kubectl auth can-i [kubectl] path(auth) path(can-i) arg(get) arg(pods) | "kubectl auth can-i get pods"
                kubectl completion [kubectl] path(completion) arg(bash) | "kubectl completion bash"
            "#]],
        );
    }

    #[test]
    fn code_spans() {
        let text = "Run `kubectl get pod -o wide` or ``kubectl auth can-i --list``; not `ip addr`.";
        let syntax = crate::syntax::parse(text, &crate::syntax::ParseOptions::default());
        let invs = note_invocations(text, &syntax, Packs::builtin());
        expect![[r#"
            kubectl get [kubectl] path(get) -o@-o=wide@wide arg(pod) | "kubectl get pod -o wide"
            kubectl auth can-i [kubectl] path(auth) path(can-i) --list@--list | "kubectl auth can-i --list"
        "#]]
        .assert_eq(&render(text, &invs));
    }

    #[test]
    fn pathological_input_does_not_panic() {
        let long = format!("kubectl get {}", "a".repeat(100_000));
        let nested = format!("kubectl get {}", "$(".repeat(50));
        let inputs = [
            "kubectl get 'unterminated",
            "kubectl get \"unterminated \\",
            "\\",
            "kubectl \\",
            "kubectl get $(",
            "kubectl get `kubectl",
            "kubectl <<",
            "kubectl get <",
            "kubectl -",
            "kubectl --=",
            "kubectl -o",
            "kubectl get -é",
            "$",
            "kubectl get pods 2>",
            "kubectl é\u{301} ünïcode -ñ",
            long.as_str(),
            nested.as_str(),
        ];
        for input in inputs {
            for dialect in [Dialect::Script, Dialect::Console] {
                let _ = invocations(
                    input,
                    TextRange::new(0, input.len()),
                    dialect,
                    Packs::builtin(),
                );
            }
        }
    }
}
