//! A text kept for the life of a process, shared by whoever holds it: as it was read, or
//! compressed (LZ4) where a corpus is kept for hours and read back a note at a time (the language
//! server: note texts were its largest structure, 150 MiB of 500 at 50,000 generated notes).

use std::borrow::Cow;
use std::sync::Arc;

/// How a corpus keeps its texts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TextStorage {
    /// As read: a run that reads each text a few times and exits (`kbls check`).
    #[default]
    Plain,
    /// Compressed, read back on each use (the language server).
    Packed,
}

/// A shared text, plain or compressed; [`StoredText::read`] gives it back.
#[derive(Clone, Debug)]
pub enum StoredText {
    Plain(Arc<str>),
    /// The LZ4 block of the text's bytes, after their length.
    Packed(Arc<[u8]>),
}

impl StoredText {
    /// Keeps `text` as `storage` says. A text too short to shrink stays plain.
    pub fn new(text: Arc<str>, storage: TextStorage) -> StoredText {
        if storage == TextStorage::Plain || text.len() < MIN_PACKED_LEN {
            return StoredText::Plain(text);
        }
        let packed = lz4_flex::compress_prepend_size(text.as_bytes());
        if packed.len() >= text.len() {
            return StoredText::Plain(text);
        }
        StoredText::Packed(Arc::from(packed))
    }

    /// The text: borrowed when plain, decompressed (about 2 µs for 3 KB) when packed.
    pub fn read(&self) -> Cow<'_, str> {
        match self {
            StoredText::Plain(text) => Cow::Borrowed(text),
            StoredText::Packed(bytes) => {
                // Both hold by construction: the bytes are what `new` compressed from a `str`.
                let bytes =
                    lz4_flex::decompress_size_prepended(bytes).expect("a packed text decompresses");
                Cow::Owned(String::from_utf8(bytes).expect("a packed text is UTF-8"))
            }
        }
    }

    /// The text's length in bytes, without reading it back.
    pub fn len(&self) -> usize {
        match self {
            StoredText::Plain(text) => text.len(),
            StoredText::Packed(bytes) => bytes.get(..4).map_or(0, |len| {
                u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize
            }),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl From<&str> for StoredText {
    fn from(text: &str) -> StoredText {
        StoredText::Plain(Arc::from(text))
    }
}

impl From<Arc<str>> for StoredText {
    fn from(text: Arc<str>) -> StoredText {
        StoredText::Plain(text)
    }
}

/// Below this a text is kept plain: LZ4 saves little on it, and the `Arc` costs the same.
const MIN_PACKED_LEN: usize = 128;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_packed_text_reads_back_as_it_was_and_is_smaller() {
        let text: String = (0..200)
            .map(|i| {
                format!("## Section {i}\n\nSee [the note](notes/n{i}.md) — “quoted”, 日本語.\n\n")
            })
            .collect();
        let stored = StoredText::new(Arc::from(text.as_str()), TextStorage::Packed);
        let StoredText::Packed(bytes) = &stored else {
            panic!("a long repetitive text is packed");
        };
        assert!(
            bytes.len() < text.len() / 2,
            "{} of {}",
            bytes.len(),
            text.len()
        );
        assert_eq!(stored.read(), text);
        assert_eq!(stored.len(), text.len());
    }

    #[test]
    fn short_incompressible_and_plain_texts_stay_as_read() {
        let short = StoredText::new(Arc::from("# Title\n"), TextStorage::Packed);
        assert!(matches!(short, StoredText::Plain(_)));
        // Every byte different: LZ4 finds nothing to repeat, and the result would be longer.
        let noise: String = (0..400u32)
            .map(|i| char::from_u32(0x4e00 + (i * 7919) % 20000).unwrap())
            .collect();
        let stored = StoredText::new(Arc::from(noise.as_str()), TextStorage::Packed);
        assert!(matches!(stored, StoredText::Plain(_)));
        assert_eq!(stored.read(), noise);
        let plain = StoredText::new(Arc::from(noise.as_str()), TextStorage::Plain);
        assert!(matches!(plain, StoredText::Plain(_)));
        assert_eq!(plain.len(), noise.len());
    }
}
