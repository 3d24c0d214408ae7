//! `cargo bench --bench photos`: opening the photo view on two 12-megapixel JPEGs
//! (4000 × 3000), each measured in a fresh process of its own so that its peak memory
//! is its own: the time to the first frame (the view with its two places saying
//! "scaling…"), the time to the frame with both photos, the longest key press handled
//! meanwhile (update and a full frame while the worker decodes), and the peak resident
//! memory (`VmHWM`) before `p` and after. For comparison, the same two photos decoded
//! whole, as `image::open` does, then scaled. Budgets (BENCHMARKS.md): first frame
//! < 50 ms, both photos < 1.5 s, a key press meanwhile < 20 ms, peak < 40 MB.
//!
//! The half-block picture of a 100 × 30 pane is drawn into a TestBackend; the
//! terminal's own graphics would add the time to encode and send them.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rollcoach::dashboard::app::{Action, App, Msg};
use rollcoach::dashboard::photos::{PhotoWorker, cells_for};
use rollcoach::dashboard::ui;
use rollcoach::routine::config::{self, BUILT_IN};
use rollcoach::routine::journal::{self, PHOTO_DIR, PhotoRecord, Record};
use rollcoach::session::Moment;

const FIRST_FRAME: Duration = Duration::from_millis(50);
const BOTH_PHOTOS: Duration = Duration::from_millis(1500);
const KEY_PRESS: Duration = Duration::from_millis(20);
const PEAK_MB: f64 = 40.0;

const WIDTH: u32 = 4000;
const HEIGHT: u32 = 3000;
const FILES: [(&str, &str); 2] = [
    ("2026-10-26-1.jpg", "2026-10-26"),
    ("2026-11-23-1.jpg", "2026-11-23"),
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("--view") => view(Path::new(&args[2])),
        Some("--whole") => whole(Path::new(&args[2])),
        // cargo bench passes `--bench` (and filters): the parent run.
        _ => parent(),
    }
}

/// Peak resident memory of this process so far, in MB (10⁶ bytes).
fn peak_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(f64::NAN);
    kb * 1024.0 / 1e6
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The child: the dashboard's own path from `p` to the frame with both photos.
fn view(data_dir: &Path) -> ExitCode {
    let config = config::parse(BUILT_IN).expect("the built-in routine");
    let journal = journal::read(&journal::path(data_dir)).expect("the journal");
    let now = Moment::now();
    let (mut app, _) = App::new(config, journal, None, false, now);
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("a test terminal");
    app.update(Msg::Key(Action::History), now);
    terminal
        .draw(|f| ui::view(&app, now.instant, f))
        .expect("draw");
    let before = peak_mb();

    let (tx, inbox) = mpsc::channel();
    let tx = Mutex::new(tx);
    let worker = PhotoWorker::start(
        data_dir.join(PHOTO_DIR),
        None,
        || cells_for(100, 30),
        Arc::new(move |p| {
            let _ = tx.lock().expect("the channel").send(p);
        }),
    );
    let start = Instant::now();
    let effects = app.update(Msg::Key(Action::Photos), Moment::now());
    for effect in effects {
        if let rollcoach::dashboard::app::Effect::ShowPhotos(wanted) = effect {
            worker.send(wanted);
        }
    }
    terminal
        .draw(|f| ui::view(&app, Instant::now(), f))
        .expect("draw");
    let first = start.elapsed();
    // Key presses while the worker decodes: each handled and drawn as the loop would.
    let mut slowest = Duration::ZERO;
    let mut keys = 0;
    let mut got = 0;
    while got < FILES.len() {
        match inbox.recv_timeout(Duration::from_millis(10)) {
            Ok(picture) => {
                app.update(Msg::Photo(picture), Moment::now());
                got += 1;
            }
            Err(_) => {
                let at = Instant::now();
                // `[` then `]`: the span changes and comes back, the same two photos.
                app.update(Msg::Key(Action::ShorterSpan), Moment::now());
                app.update(Msg::Key(Action::LongerSpan), Moment::now());
                terminal
                    .draw(|f| ui::view(&app, Instant::now(), f))
                    .expect("draw");
                slowest = slowest.max(at.elapsed());
                keys += 1;
            }
        }
    }
    terminal
        .draw(|f| ui::view(&app, Instant::now(), f))
        .expect("draw");
    let both = start.elapsed();
    let screen = terminal.backend().to_string();
    assert!(
        !screen.contains("scaling"),
        "both photos are drawn:\n{screen}"
    );
    println!(
        "{:.1} {:.1} {:.2} {keys} {:.2} {:.2}",
        ms(first),
        ms(both),
        ms(slowest),
        before,
        peak_mb()
    );
    ExitCode::SUCCESS
}

/// The child for comparison: both photos decoded whole, then scaled to the same size.
fn whole(data_dir: &Path) -> ExitCode {
    let before = peak_mb();
    let start = Instant::now();
    for (file, _) in FILES {
        let image = image::open(data_dir.join(PHOTO_DIR).join(file)).expect("decodes");
        let small = image.resize(480, 560, image::imageops::FilterType::Triangle);
        std::hint::black_box(small);
    }
    println!("{:.1} {:.2} {:.2}", ms(start.elapsed()), before, peak_mb());
    ExitCode::SUCCESS
}

/// Writes the photos and the journal, runs each child, judges the budgets.
fn parent() -> ExitCode {
    let dir = tempfile::tempdir().expect("a temp dir");
    let data = dir.path().to_path_buf();
    let photos = data.join(PHOTO_DIR);
    std::fs::create_dir_all(&photos).expect("the photo folder");
    for (i, (file, taken)) in FILES.iter().enumerate() {
        write_jpeg(&photos.join(file), i as u32);
        let record = Record::Photo(PhotoRecord {
            file: (*file).into(),
            taken: taken.parse().expect("a day"),
            added: format!("{taken}T08:00:00+00:00").parse().expect("a time"),
            note: None,
        });
        journal::append(&journal::path(&data), &record).expect("the journal");
    }
    let size = std::fs::metadata(photos.join(FILES[0].0)).map_or(0, |m| m.len());
    println!(
        "two {WIDTH} × {HEIGHT} JPEGs ({:.1} MB each), the photo view at 100 × 30 in half blocks",
        size as f64 / 1e6
    );
    let run = |mode: &str| -> Vec<f64> {
        let out = Command::new(std::env::current_exe().expect("this program"))
            .arg(mode)
            .arg(&data)
            .output()
            .expect("run the child");
        assert!(
            out.status.success(),
            "{mode}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .map(|w| w.parse().expect("a figure"))
            .collect()
    };
    let mut ok = true;
    let mut judge = |what: &str, got: f64, budget: f64, unit: &str| {
        let verdict = if got <= budget { "ok" } else { "MISSED" };
        ok &= got <= budget;
        println!("  {what:<38} {got:>8.2} {unit:<3} (budget < {budget} {unit}) {verdict}");
    };
    let v = run("--view");
    judge("first frame after p", v[0], ms(FIRST_FRAME), "ms");
    judge("frame with both photos", v[1], ms(BOTH_PHOTOS), "ms");
    judge("slowest key press meanwhile", v[2], ms(KEY_PRESS), "ms");
    println!("  {:<38} {:>8.0}", "key presses handled meanwhile", v[3]);
    println!("  {:<38} {:>8.2} MB", "peak memory before p", v[4]);
    judge("peak memory with both photos", v[5], PEAK_MB, "MB");
    let w = run("--whole");
    println!("decoded whole, for comparison (image::open, then scaled):");
    println!("  {:<38} {:>8.1} ms", "both photos", w[0]);
    println!("  {:<38} {:>8.2} MB", "peak memory", w[2]);
    let _ = std::io::stdout().flush();
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// A photo-like 12-megapixel JPEG: smooth shading with fine noise (which JPEG cannot
/// compress away), so it is the size a phone's is.
fn write_jpeg(path: &PathBuf, seed: u32) {
    let mut state = 0x9e37_79b9u32.wrapping_add(seed);
    let image = image::RgbImage::from_fn(WIDTH, HEIGHT, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let noise = (state % 24) as u8;
        image::Rgb([
            (x * 200 / WIDTH) as u8 + noise,
            (y * 180 / HEIGHT) as u8 + noise,
            (120 + seed * 60) as u8 + noise / 2,
        ])
    });
    let file = std::fs::File::create(path).expect("create the JPEG");
    let mut out = std::io::BufWriter::new(file);
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&image)
        .expect("encode the JPEG");
}
