//! Two searches over one text, interleaved: each one's next match at or after a position
//! is remembered until the scan passes it, so no byte is searched twice by either.

use std::ops::Range;

/// The next match of one search, once looked for.
#[derive(Debug, Default)]
pub struct Ahead {
    /// `None` until searched; then the match found from `from` on (or none).
    found: Option<Option<Range<usize>>>,
}

impl Ahead {
    /// The first match at or after `pos`; `find(pos)` searches from `pos`.
    pub fn next(&mut self, pos: usize, find: impl FnOnce(usize) -> Option<Range<usize>>) -> Option<Range<usize>> {
        match &self.found {
            // Still ahead, or nothing ahead at all.
            Some(Some(m)) if m.start >= pos => {}
            Some(None) => {}
            _ => self.found = Some(find(pos)),
        }
        self.found.clone().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches_again_only_once_passed() {
        let mut a = Ahead::default();
        let mut calls = 0;
        let mut find = |p: usize| {
            calls += 1;
            [3usize, 9].iter().find(|&&s| s >= p).map(|&s| s..s + 1)
        };
        assert_eq!(a.next(0, &mut find), Some(3..4));
        assert_eq!(a.next(2, &mut find), Some(3..4));
        assert_eq!(a.next(4, &mut find), Some(9..10));
        assert_eq!(a.next(10, &mut find), None);
        assert_eq!(a.next(20, &mut find), None);
        assert_eq!(calls, 3);
    }
}
