//! Pathological inputs must scale linearly: prints the median time per MB of `analyze` on
//! 1, 10 and 100 MB of each input. Run: `cargo run --release --example scaling`.

use std::time::Instant;

use chrono::Utc;
use sasguard::config::Settings;
use sasguard::policy::analyze;

fn repeat(unit: &str, size: usize) -> Vec<u8> {
    unit.as_bytes().iter().copied().cycle().take(size).collect()
}

const INPUTS: [(&str, &str); 6] = [
    ("sig= repeated", "sig="),
    ("sv=&sig=%3D& repeated", "sv=&sig=%3D&"),
    (
        "one line of base64 (+ASt inside)",
        "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODkrLw+ASt",
    ),
    ("nested JSON escapes", "\\\\u0026sig\\u003d\\\\\\/"),
    ("short lines of sig=x&sv=1", "a sig=x&sv=1\n"),
    ("AccountKey= repeated", "AccountKey="),
];

fn main() {
    let settings = Settings::default();
    let now = Utc::now();
    println!("{:<36} {:>10} {:>10} {:>10}", "input", "1 MB", "10 MB", "100 MB");
    let sizes = [1usize << 20, 10 << 20, 100 << 20];
    for (name, unit) in INPUTS {
        let mut row = format!("{name:<36}");
        for size in sizes {
            let text = repeat(unit, size);
            let mut times: Vec<f64> = (0..3)
                .map(|_| {
                    let t = Instant::now();
                    std::hint::black_box(analyze(&text, &settings, now));
                    t.elapsed().as_secs_f64()
                })
                .collect();
            times.sort_by(f64::total_cmp);
            let ms_per_mb = times[1] * 1000.0 / (size as f64 / (1 << 20) as f64);
            row += &format!(" {:>7.2} ms", ms_per_mb);
        }
        println!("{row}   (median of 3, per MB)");
    }
}
