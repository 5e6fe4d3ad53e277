//! Arbitrary bytes as `git log -z --raw` output and as `git cat-file --batch` output:
//! never a panic, and what is read is consistent (every parent before its child, every
//! change and blob pointing at a commit, path and blob that exist; blobs within the size
//! limit and exactly as long as their header says).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sasguard::source::blobs::{read_each, BlobRead};
use sasguard::source::history::{parse, History};

fuzz_target!(|data: &[u8]| {
    let mut h = History::default();
    if parse(data, &mut h, &mut |_| {}).is_ok() {
        for (i, c) in h.commits.iter().enumerate() {
            assert!(c.parent.is_none_or(|p| (p as usize) < i));
        }
        for ch in &h.changes {
            assert!((ch.commit as usize) < h.commits.len() && (ch.path as usize) < h.paths.len());
            assert!(ch.blob.is_none_or(|b| (b as usize) < h.blobs.len()));
        }
        for b in &h.blobs {
            assert!((b.first_commit as usize) < h.commits.len() && (b.first_path as usize) < h.paths.len());
        }
    }
    let max = 64;
    let _ = read_each(data, 8, max, &mut |_, r| {
        if let BlobRead::Bytes(b) = r {
            assert!(b.len() as u64 <= max);
        }
    });
});
