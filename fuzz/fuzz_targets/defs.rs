//! Hostile text before a use of a name: the value read for it lies before the use and
//! inside the text, `resolve` stays inside the text, and the back reach is at most a
//! call's reach before its anchor.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sasguard::scan::mint::defs::{back_reach, bare_name, definition, resolve};
use sasguard::scan::mint::MINT_BYTE_REACH;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the name's length; the use is the text's last such bytes.
    let Some((&n, text)) = data.split_first() else {
        return;
    };
    let n = 1 + n as usize % 8;
    if text.len() < n {
        return;
    }
    let before = text.len() - n;
    let name = &text[before..];
    if let Some(v) = definition(text, name, before) {
        assert!(v.start <= v.end && v.end <= before, "a value after its use");
    }
    let r = resolve(text, &(before..text.len()));
    assert!(r.start <= r.end && r.end <= text.len());
    if let Some(b) = bare_name(text, &(0..text.len())) {
        assert!(b.end <= text.len());
    }
    let floor = back_reach(text, before);
    assert!(floor <= before && before - floor <= MINT_BYTE_REACH);
});
