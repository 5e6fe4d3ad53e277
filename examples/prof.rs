use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read(&path).unwrap();
    let now = chrono::Utc::now();
    let s = sasguard::config::Settings::default();
    for _ in 0..3 {
        let t = Instant::now();
        let toks = sasguard::scan::scan(&text);
        let a = t.elapsed();
        let t = Instant::now();
        let f = sasguard::policy::analyze(&text, &s, now);
        let b = t.elapsed();
        eprintln!("scan {:?} ({} tokens) analyze {:?} ({} findings) {:.0} MB/s", a, toks.len(), b, f.len(), text.len() as f64 / a.as_secs_f64() / 1e6);
    }
}
