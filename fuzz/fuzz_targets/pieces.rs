//! Arbitrary bytes through the reading of tokens in pieces: no panic; a token's pieces are
//! in order, disjoint, inside the token and hold its secret; the same chain is found from
//! every one of its pieces; a line break put before the text changes nothing but offsets.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sasguard::scan::params::expand;
use sasguard::scan::pieces::chain_at;
use sasguard::scan::scan;

fuzz_target!(|data: &[u8]| {
    let tokens = scan(data);
    for t in &tokens {
        let Some(p) = &t.pieces else { continue };
        let r = &p.ranges;
        assert!(r.len() >= 2);
        assert!(r.windows(2).all(|w| w[0].end <= w[1].start), "pieces in order");
        assert!(r.iter().all(|q| q.start < q.end && q.end <= data.len()));
        assert_eq!(r[0].start, t.range.start);
        assert_eq!(r[r.len() - 1].end, t.range.end);
        assert!(!t.secret_pieces().is_empty());
        for q in r {
            let chain = chain_at(data, expand(data, q.start)).expect("every piece is in a chain");
            for q2 in r {
                assert!(
                    chain.pieces.iter().any(|c| c.start <= q2.start && q2.end <= c.end),
                    "the same chain from every piece"
                );
            }
        }
    }
    let mut shifted = b"\n".to_vec();
    shifted.extend_from_slice(data);
    let mut again = scan(&shifted);
    for t in &mut again {
        t.shift(-1);
    }
    assert_eq!(tokens, again, "a line break before the text changes only offsets");
});
