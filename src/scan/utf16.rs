//! UTF-16 text (Windows PowerShell's `Out-File`, `.reg` exports, some `.ini` and `.json`
//! files): told apart from binary by its byte order mark or, without one, by the NUL
//! pattern ASCII text leaves in it; decoded to the text that is scanned, and encoded back
//! exactly as it was (same byte order, same mark) once redacted.

/// Byte order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Little,
    Big,
}

/// How a UTF-16 file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Utf16 {
    pub order: Order,
    /// Starts with a byte order mark (`FF FE` or `FE FF`).
    pub bom: bool,
}

/// How much of a file is looked at without a byte order mark.
const PROBE: usize = 8 * 1024;

/// The UTF-16 form of `bytes`, if they are UTF-16 text: a byte order mark and a NUL
/// somewhere (ASCII in UTF-16 has one in every unit; a Latin-1 file may start `FF FE` but
/// holds none), or, without a mark, an even length, no NUL character and three in four
/// code units of the probe being ASCII with their NUL on the same side.
pub fn detect(bytes: &[u8]) -> Option<Utf16> {
    if !bytes.contains(&0) {
        return None;
    }
    match bytes {
        // `FF FE 00 00` is UTF-32; not UTF-16.
        [0xFF, 0xFE, 0, 0, ..] => None,
        [0xFF, 0xFE, ..] => Some(Utf16 {
            order: Order::Little,
            bom: true,
        }),
        [0xFE, 0xFF, ..] => Some(Utf16 {
            order: Order::Big,
            bom: true,
        }),
        _ if bytes.len() % 2 != 0 || bytes.len() < 4 => None,
        _ => {
            let probe = &bytes[..bytes.len().min(PROBE)];
            let units = probe.len() / 2;
            let (mut le, mut be) = (0, 0);
            for u in probe.chunks_exact(2) {
                match (u[0], u[1]) {
                    // Text holds no NUL character.
                    (0, 0) => return None,
                    (a, 0) if a < 0x80 => le += 1,
                    (0, b) if b < 0x80 => be += 1,
                    _ => {}
                }
            }
            let order = if le * 4 >= units * 3 {
                Order::Little
            } else if be * 4 >= units * 3 {
                Order::Big
            } else {
                return None;
            };
            Some(Utf16 { order, bom: false })
        }
    }
}

/// The text of `bytes` written as `form` (the byte order mark left out); `None` when it is
/// not valid UTF-16 (an odd length, an unpaired surrogate): then it is binary.
pub fn decode(bytes: &[u8], form: Utf16) -> Option<String> {
    let body = if form.bom { &bytes[2..] } else { bytes };
    if body.len() % 2 != 0 {
        return None;
    }
    let units = body.chunks_exact(2).map(|u| match form.order {
        Order::Little => u16::from_le_bytes([u[0], u[1]]),
        Order::Big => u16::from_be_bytes([u[0], u[1]]),
    });
    char::decode_utf16(units).collect::<Result<String, _>>().ok()
}

/// `text` written as `form`, byte order mark included when it had one.
pub fn encode(text: &str, form: Utf16) -> Vec<u8> {
    let mut out = Vec::with_capacity(2 + text.len() * 2);
    let mut put = |u: u16| match form.order {
        Order::Little => out.extend_from_slice(&u.to_le_bytes()),
        Order::Big => out.extend_from_slice(&u.to_be_bytes()),
    };
    if form.bom {
        put(0xFEFF);
    }
    for u in text.encode_utf16() {
        put(u);
    }
    out
}

/// Offsets in the decoded text to offsets in the file, for offsets that mostly grow: one
/// pass over the text for many of them (a smaller one starts the count over).
pub struct FileOffsets<'a> {
    text: &'a str,
    form: Utf16,
    /// A character boundary of `text` and the file offset it maps to.
    at: (usize, usize),
}

impl<'a> FileOffsets<'a> {
    pub fn new(text: &'a str, form: Utf16) -> Self {
        let start = if form.bom { 2 } else { 0 };
        FileOffsets {
            text,
            form,
            at: (0, start),
        }
    }

    /// The file offset of `offset` in the decoded text (a character boundary).
    pub fn of(&mut self, offset: usize) -> usize {
        if offset < self.at.0 {
            *self = FileOffsets::new(self.text, self.form);
        }
        let (from, mut file) = self.at;
        let to = offset.min(self.text.len());
        for c in self.text.get(from..to).unwrap_or_default().chars() {
            file += 2 * c.len_utf16();
        }
        self.at = (to, file);
        file
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_form() {
        let text = "a = \"x\"\r\nb: é 😀\n";
        assert_eq!(detect("\u{feff}abc".as_bytes()), None);
        assert_eq!(detect(b"\xff\xfe\xfd = x"), None);
        for order in [Order::Little, Order::Big] {
            for bom in [true, false] {
                let form = Utf16 { order, bom };
                let bytes = encode(text, form);
                assert_eq!(detect(&bytes), Some(form), "{form:?}");
                assert_eq!(decode(&bytes, form).as_deref(), Some(text));
            }
        }
    }

    #[test]
    fn offsets_map_to_the_file() {
        let text = "é😀ab";
        let form = Utf16 {
            order: Order::Little,
            bom: true,
        };
        let mut m = FileOffsets::new(text, form);
        // BOM (2), é (2), 😀 (4): `a` is at byte 8 of the file, 6 of the text.
        assert_eq!(m.of(6), 8);
        assert_eq!(m.of(7), 10);
        assert_eq!(m.of(2), 4);
        assert_eq!(m.of(0), 2);
    }

    #[test]
    fn binary_with_nuls_is_not_utf16() {
        assert_eq!(detect(b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00"), None);
        assert_eq!(detect(b"ab\0"), None);
        assert_eq!(detect(b"\xff\xfe\0\0a\0\0\0"), None);
        // An unpaired surrogate after a byte order mark.
        assert_eq!(decode(b"\xff\xfe\x00\xd8a\0", detect(b"\xff\xfe\0a").unwrap()), None);
    }
}
