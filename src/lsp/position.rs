//! Position encodings: negotiated once, used for every conversion between byte offsets
//! in a document and LSP positions. Out-of-range positions are clamped, never a panic.

use ropey::Rope;
use tower_lsp_server::ls_types::{Position, PositionEncodingKind, Range};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
    Utf32,
}

impl Encoding {
    /// UTF-8 when the client offers it, else UTF-16 (the default, also when nothing is
    /// offered), else UTF-32 when it is the only one offered.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        let offered = offered.unwrap_or_default();
        if offered.contains(&PositionEncodingKind::UTF8) {
            Encoding::Utf8
        } else if offered.contains(&PositionEncodingKind::UTF16) || offered.is_empty() {
            Encoding::Utf16
        } else if offered.contains(&PositionEncodingKind::UTF32) {
            Encoding::Utf32
        } else {
            Encoding::Utf16
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }
}

/// The byte range of `line`'s content, without its line break.
fn line_content(rope: &Rope, line: usize) -> (usize, usize) {
    let start = rope.line_to_byte(line);
    let end = if line + 1 < rope.len_lines() {
        rope.line_to_byte(line + 1)
    } else {
        rope.len_bytes()
    };
    let slice = rope.byte_slice(start..end);
    let mut content_end = end;
    let mut chars = slice.chars_at(slice.len_chars());
    while let Some(c) = chars.prev() {
        if c == '\n' || c == '\r' {
            content_end -= 1;
        } else {
            break;
        }
    }
    (start, content_end.max(start))
}

/// The byte offset of an LSP position, clamped to the line's content and the document.
/// Costs O(log n) on a line of any length (the rope indexes chars and UTF-16 units).
pub fn to_byte(rope: &Rope, pos: Position, enc: Encoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let (start, end) = line_content(rope, line);
    let want = pos.character as usize;
    let char_idx = match enc {
        // Snap to a character boundary at or before the requested byte.
        Encoding::Utf8 => rope.byte_to_char((start + want).min(end)),
        Encoding::Utf16 => {
            let first = rope.char_to_utf16_cu(rope.byte_to_char(start));
            let last = rope.char_to_utf16_cu(rope.byte_to_char(end));
            // Inside a surrogate pair: the character it belongs to.
            rope.utf16_cu_to_char((first + want).min(last))
        }
        Encoding::Utf32 => (rope.byte_to_char(start) + want).min(rope.byte_to_char(end)),
    };
    rope.char_to_byte(char_idx)
}

/// The LSP position of a byte offset (clamped to the document), in O(log n).
pub fn to_position(rope: &Rope, byte: usize, enc: Encoding) -> Position {
    let byte = byte.min(rope.len_bytes());
    let char_idx = rope.byte_to_char(byte);
    let byte = rope.char_to_byte(char_idx);
    let line = rope.byte_to_line(byte);
    let start = rope.line_to_byte(line);
    let character = match enc {
        Encoding::Utf8 => byte - start,
        Encoding::Utf16 => rope.char_to_utf16_cu(char_idx) - rope.char_to_utf16_cu(rope.line_to_char(line)),
        Encoding::Utf32 => char_idx - rope.line_to_char(line),
    };
    Position::new(line as u32, character as u32)
}

pub fn to_range(rope: &Rope, r: &std::ops::Range<usize>, enc: Encoding) -> Range {
    let start = to_position(rope, r.start, enc);
    // Fast path for a range inside one chunk and one line (every token): no second lookup.
    let end_byte = r.end.min(rope.len_bytes());
    if r.start <= end_byte && end_byte <= rope.len_bytes() {
        let (chunk, chunk_start, _, _) = rope.chunk_at_byte(r.start.min(rope.len_bytes()));
        if r.start >= chunk_start && end_byte - chunk_start <= chunk.len() {
            if let Some(text) = chunk.get(r.start - chunk_start..end_byte - chunk_start) {
                if !text.contains(['\n', '\r']) {
                    let width = match enc {
                        Encoding::Utf8 => text.len(),
                        Encoding::Utf16 => text.encode_utf16().count(),
                        Encoding::Utf32 => text.chars().count(),
                    };
                    return Range::new(start, Position::new(start.line, start.character + width as u32));
                }
            }
        }
    }
    Range::new(start, to_position(rope, r.end, enc))
}

pub fn to_bytes(rope: &Rope, r: Range, enc: Encoding) -> std::ops::Range<usize> {
    let a = to_byte(rope, r.start, enc);
    let b = to_byte(rope, r.end, enc);
    a.min(b)..a.max(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoji_cjk_combining_and_crlf() {
        let text = "a😀中e\u{301}X\r\nsecond\rthird\n";
        let rope = Rope::from_str(text);
        let x = text.find('X').unwrap();
        assert_eq!(to_position(&rope, x, Encoding::Utf8), Position::new(0, x as u32));
        assert_eq!(to_position(&rope, x, Encoding::Utf16), Position::new(0, 6));
        assert_eq!(to_position(&rope, x, Encoding::Utf32), Position::new(0, 5));
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            assert_eq!(to_byte(&rope, to_position(&rope, x, enc), enc), x);
        }
        let third = text.find("third").unwrap();
        assert_eq!(to_position(&rope, third, Encoding::Utf16), Position::new(2, 0));
        assert_eq!(rope.len_lines(), 4);
    }

    #[test]
    fn out_of_range_positions_are_clamped() {
        let rope = Rope::from_str("ab\r\ncd");
        assert_eq!(to_byte(&rope, Position::new(0, 99), Encoding::Utf16), 2);
        assert_eq!(to_byte(&rope, Position::new(9, 0), Encoding::Utf16), 6);
        assert_eq!(to_byte(&rope, Position::new(1, 99), Encoding::Utf8), 6);
        // Inside a surrogate pair: snaps to the start of the character.
        let rope = Rope::from_str("😀x");
        assert_eq!(to_byte(&rope, Position::new(0, 1), Encoding::Utf16), 0);
        assert_eq!(to_byte(&rope, Position::new(0, 2), Encoding::Utf8), 0);
        assert_eq!(to_position(&rope, 99, Encoding::Utf16), Position::new(0, 3));
    }

    #[test]
    fn negotiation_prefers_utf8() {
        use PositionEncodingKind as K;
        assert_eq!(Encoding::negotiate(Some(&[K::UTF16, K::UTF8])), Encoding::Utf8);
        assert_eq!(Encoding::negotiate(Some(&[K::UTF32])), Encoding::Utf32);
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
    }
}
