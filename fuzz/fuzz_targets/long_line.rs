//! Edits inside one long line (minified code) go through a window around the edit: after
//! any edit the findings equal a full scan of the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "long_line_case.rs"]
mod case;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = case::replay(data) {
        panic!("{e}");
    }
});
