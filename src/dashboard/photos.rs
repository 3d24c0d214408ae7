//! Progress photos for the photo view: decoded and scaled to the size they are shown at,
//! on a worker of their own, so that a 12-megapixel JPEG never holds up a key press and
//! never sits in memory at full size. The worker's pictures come back as `Msg::Photo`.

use std::fmt;
use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;

use image::metadata::Orientation;
use image::{DynamicImage, GrayImage, ImageBuffer, Limits, Luma, RgbImage};
use ratatui::layout::{Constraint, Layout, Rect, Size};
use ratatui::widgets::Block;
use ratatui_image::picker::Picker;
use ratatui_image::protocol::Protocol;
use ratatui_image::{FilterType, Resize};

mod decode;
pub mod query;
mod worker;

#[cfg(test)]
use self::decode::orientation;
pub use self::decode::{decode_upright, decode_within, kind};
pub use self::worker::{Deliver, PhotoWorker, Question, Wanted};

/// The image formats a photo may be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Jpeg,
    Png,
}

impl Kind {
    /// The file name extension of a copy.
    pub fn extension(self) -> &'static str {
        match self {
            Kind::Jpeg => "jpg",
            Kind::Png => "png",
        }
    }
}

/// A photo made ready to draw in `cells`, or why it could not be.
#[derive(Clone)]
pub struct Picture {
    /// The photo's file name in the photo folder.
    pub file: String,
    /// The cells it was made for.
    pub cells: Size,
    /// The image in the terminal's protocol, or the one-line reason it is not shown.
    pub shown: Result<Arc<Protocol>, String>,
}

impl fmt::Debug for Picture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Picture")
            .field("file", &self.file)
            .field("cells", &self.cells)
            .field("shown", &self.shown.as_ref().map(|_| "image"))
            .finish()
    }
}

impl PartialEq for Picture {
    fn eq(&self, other: &Self) -> bool {
        self.file == other.file
            && self.cells == other.cells
            && match (&self.shown, &other.shown) {
                (Ok(a), Ok(b)) => Arc::ptr_eq(a, b),
                (Err(a), Err(b)) => a == b,
                _ => false,
            }
    }
}

/// The largest photo file read: a phone's is a few MB, a camera's largest JPEG under 50.
pub const MAX_PHOTO_BYTES: u64 = 64 << 20;

/// Why a photo file was not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoFileError {
    /// A directory, a FIFO, a device (a link to one).
    #[error("not a file")]
    NotAFile,
    /// Larger than `MAX_PHOTO_BYTES`; its size in bytes.
    #[error("over {} MB", MAX_PHOTO_BYTES >> 20)]
    TooBig(u64),
    /// What the system said.
    #[error("{0}")]
    Io(String),
}

/// A photo file's bytes: a regular file (a link to a device or a FIFO in its place is
/// refused, and opening never blocks), at most `MAX_PHOTO_BYTES`. `photo add` reads
/// what it copies with it, and the photo view what it shows.
pub fn read_photo(path: &Path) -> Result<Vec<u8>, PhotoFileError> {
    use std::io::Read as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let io = |e: std::io::Error| PhotoFileError::Io(e.to_string());
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(PhotoFileError::NotAFile);
    }
    if meta.len() > MAX_PHOTO_BYTES {
        return Err(PhotoFileError::TooBig(meta.len()));
    }
    let mut bytes = Vec::new();
    file.take(MAX_PHOTO_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_PHOTO_BYTES {
        return Err(PhotoFileError::TooBig(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Reads `file` from `dir`, decodes it to the pixels `cells` hold at the picker's font
/// size, and encodes it for the terminal (its graphics protocol, or half blocks).
pub fn prepare(dir: &Path, file: &str, cells: Size, picker: &Picker) -> Picture {
    let shown = (|| {
        // The journal names the file: a name with a path in it is not one of ours.
        if file.contains(['/', '\\']) || file.starts_with('.') {
            return Err(format!("{file}: not a photo folder file name"));
        }
        if cells.width == 0 || cells.height == 0 {
            return Err(format!("{file}: no room to show it"));
        }
        let bytes = read_photo(&dir.join(file)).map_err(|e| format!("{file}: {e}"))?;
        let font = picker.font_size();
        let (fw, fh) = (u32::from(font.width.max(1)), u32::from(font.height.max(1)));
        let (room_w, room_h) = (u32::from(cells.width) * fw, u32::from(cells.height) * fh);
        let image = decode_upright(&bytes, room_w, room_h).map_err(|e| format!("{file}: {e}"))?;
        drop(bytes);
        // A photo smaller than its place is scaled up to fill it, as a larger one was
        // scaled down: the two are compared at one size.
        let image = if image.width() < room_w && image.height() < room_h {
            image.resize(room_w, room_h, FilterType::Triangle)
        } else {
            image
        };
        // Whole cells, the photo's proportions kept to within a cell: the protocol is
        // then made at exactly this size, never larger than the place it is drawn in.
        let fit = |pixels: u32, font: u32, room: u16| {
            u16::try_from(pixels / font).unwrap_or(room).clamp(1, room)
        };
        let size = Size::new(
            fit(image.width(), fw, cells.width),
            fit(image.height(), fh, cells.height),
        );
        let image = image.resize_exact(
            u32::from(size.width) * fw,
            u32::from(size.height) * fh,
            FilterType::Triangle,
        );
        let made = std::panic::catch_unwind(|| picker.new_protocol(image, size, Resize::Fit(None)));
        match made {
            Ok(Ok(protocol)) => Ok(Arc::new(protocol)),
            Ok(Err(e)) => Err(format!("{file}: {e}")),
            Err(_) => Err(format!("{file}: the picture could not be made")),
        }
    })();
    Picture {
        file: file.to_string(),
        cells,
        shown,
    }
}

/// The cells each of the two photos is shown in on a screen of `width` × `height`:
/// the photo view's layout, shared with the worker so that it decodes to that size.
pub fn cells_for(width: u16, height: u16) -> Size {
    let image = areas(Rect::new(0, 0, width, height)).earlier.0;
    Size::new(image.width, image.height)
}

/// Where the photo view puts things on a screen of `area`.
#[derive(Debug)]
pub struct Areas {
    /// Two lines: the dates, the span and what was done between.
    pub info: Rect,
    /// The earlier photo's image and its caption.
    pub earlier: (Rect, Rect),
    /// The later photo's image and its caption.
    pub later: (Rect, Rect),
    /// The keys.
    pub keys: Rect,
}

/// The layout of the view over `area` (the whole screen): the view draws into it, the
/// worker decodes each photo to the size of its image area.
pub fn areas(area: Rect) -> Areas {
    let inner = Block::bordered().inner(area);
    let [info, pictures, keys] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(inner);
    // Side by side, or one above the other in a pane taller than wide (a cell is about
    // twice as tall as wide).
    let halves = [
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Fill(1),
    ];
    let [left, _, right] = if pictures.height * 2 > pictures.width {
        Layout::vertical(halves).areas(pictures)
    } else {
        Layout::horizontal(halves).areas(pictures)
    };
    let split = |side: Rect| {
        let [image, caption] =
            Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(side);
        (image, caption)
    };
    // Both images the same size, so that the two photos are compared at one scale.
    let (mut earlier, mut later) = (split(left), split(right));
    let width = earlier.0.width.min(later.0.width);
    let height = earlier.0.height.min(later.0.height);
    (earlier.0.width, later.0.width) = (width, width);
    (earlier.0.height, later.0.height) = (height, height);
    Areas {
        info,
        earlier,
        later,
        keys,
    }
}

/// The dashboard runs in a tmux pane.
fn in_tmux() -> bool {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    !var("TMUX").is_empty() || var("TERM_PROGRAM") == "tmux" || var("TERM").starts_with("tmux")
}

/// Starts the photo worker for the dashboard, with the question of which graphics the
/// terminal draws (kitty, sixel; else half blocks) for the input thread to ask once the
/// loop runs, when the photo folder holds a photo. Inside tmux it is not asked: the
/// question has to pass through to the terminal outside, which a detached session does
/// not have; half blocks work there.
pub fn start(data_dir: &Path, deliver: Deliver) -> (PhotoWorker, Option<Question>) {
    let folder = data_dir.join(crate::routine::journal::PHOTO_DIR);
    let any = std::fs::read_dir(&folder).is_ok_and(|mut entries| entries.next().is_some());
    let cells = || {
        let (width, height) = ratatui::crossterm::terminal::size().unwrap_or((80, 24));
        cells_for(width, height)
    };
    if !any || in_tmux() {
        return (PhotoWorker::start(folder, None, cells, deliver), None);
    }
    let (worker, question) = PhotoWorker::awaiting(folder, cells, deliver);
    (worker, Some(question))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_photo_file_that_is_not_one_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let zero = dir.path().join("zero.jpg");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        assert_eq!(read_photo(&zero), Err(PhotoFileError::NotAFile));
        let fifo = dir.path().join("fifo.jpg");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        assert_eq!(read_photo(&fifo), Err(PhotoFileError::NotAFile));
        let big = dir.path().join("big.jpg");
        std::fs::File::create(&big)
            .unwrap()
            .set_len(MAX_PHOTO_BYTES + 1)
            .unwrap();
        assert_eq!(
            read_photo(&big),
            Err(PhotoFileError::TooBig(MAX_PHOTO_BYTES + 1))
        );
        assert!(read_photo(&dir.path().join("gone.jpg")).is_err());
    }
    use std::sync::Mutex;
    use std::sync::mpsc;

    use self::worker::Job;
    use std::time::Duration;

    fn png(dir: &Path, name: &str) {
        image::RgbImage::from_pixel(40, 30, image::Rgb([10, 200, 30]))
            .save(dir.join(name))
            .unwrap();
    }

    #[test]
    fn the_worker_makes_what_is_missing_and_again_only_when_the_size_changes() {
        let dir = tempfile::tempdir().unwrap();
        png(dir.path(), "a.png");
        png(dir.path(), "b.png");
        let size = Arc::new(Mutex::new(Size::new(20, 10)));
        let (out, pictures) = mpsc::channel();
        let out = Mutex::new(out);
        let worker = PhotoWorker::start(
            dir.path().to_path_buf(),
            Some(Picker::halfblocks()),
            {
                let size = size.clone();
                move || *size.lock().unwrap()
            },
            Arc::new(move |p| {
                let _ = out.lock().unwrap().send(p);
            }),
        );
        let wait = |n: usize| -> Vec<Picture> {
            (0..n)
                .map(|_| pictures.recv_timeout(Duration::from_secs(10)).unwrap())
                .collect()
        };
        let both = || vec!["a.png".to_string(), "b.png".to_string()];
        worker.send(Wanted {
            files: both(),
            missing: both(),
        });
        let made = wait(2);
        assert_eq!(made[0].file, "a.png");
        assert_eq!(made[1].file, "b.png");
        assert!(
            made.iter()
                .all(|p| p.cells == Size::new(20, 10) && p.shown.is_ok())
        );
        // A resize to the same size: nothing to make. Then one the view lost (the view
        // was closed and opened): only that one.
        worker.send(Wanted {
            files: both(),
            missing: Vec::new(),
        });
        worker.send(Wanted {
            files: both(),
            missing: vec!["b.png".into()],
        });
        assert_eq!(wait(1)[0].file, "b.png");
        // A smaller screen: both again, at its size.
        *size.lock().unwrap() = Size::new(12, 6);
        worker.send(Wanted {
            files: both(),
            missing: Vec::new(),
        });
        let again = wait(2);
        assert!(again.iter().all(|p| p.cells == Size::new(12, 6)));
        assert!(
            pictures.recv_timeout(Duration::from_millis(200)).is_err(),
            "nothing more"
        );
    }

    #[test]
    fn a_worker_awaiting_the_terminals_answer_draws_in_its_graphics() {
        let dir = tempfile::tempdir().unwrap();
        png(dir.path(), "a.png");
        let (out, pictures) = mpsc::channel();
        let out = Mutex::new(out);
        let (worker, question) = PhotoWorker::awaiting(
            dir.path().to_path_buf(),
            || Size::new(20, 10),
            Arc::new(move |p| {
                let _ = out.lock().unwrap().send(p);
            }),
        );
        let wanted = || Wanted {
            files: vec!["a.png".into()],
            missing: vec!["a.png".into()],
        };
        worker.send(wanted());
        // Nothing is made before the answer (half blocks would be wasted work).
        assert!(pictures.recv_timeout(Duration::from_millis(300)).is_err());
        let answer = query::picker(
            &[ratatui_image::picker::cap_parser::Response::Sixel],
            Some(ratatui_image::FontSize::new(8, 16)),
        );
        let _ = question.to.send(Job::Picker(answer));
        let made = pictures.recv_timeout(Duration::from_secs(10)).unwrap();
        assert_eq!(made.file, "a.png");
        let shown = made.shown.expect("made");
        assert!(
            matches!(*shown, Protocol::Sixel(_)),
            "drawn in the terminal's sixel"
        );
    }

    /// A 40 × 20 JPEG whose EXIF says to turn it a quarter clockwise (orientation 6),
    /// as a phone held upright writes it: an APP1 segment written by hand.
    fn sideways_jpeg() -> Vec<u8> {
        let image = image::RgbImage::from_pixel(40, 20, image::Rgb([90, 90, 90]));
        let mut jpeg = Vec::new();
        image::DynamicImage::ImageRgb8(image)
            .write_to(&mut Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
            .unwrap();
        // TIFF, big-endian, IFD0 at 8 with one entry: Orientation (0x0112), SHORT, 6.
        let mut app1 = b"Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08".to_vec();
        app1.extend([0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0]);
        let mut out = jpeg[..2].to_vec();
        out.extend([0xff, 0xe1]);
        out.extend(((app1.len() + 2) as u16).to_be_bytes());
        out.extend(app1);
        out.extend(&jpeg[2..]);
        out
    }

    #[test]
    fn a_photo_taken_upright_is_shown_upright() {
        let jpeg = sideways_jpeg();
        assert_eq!(orientation(&jpeg), Some(Orientation::Rotate90));
        let upright = decode_upright(&jpeg, 100, 100).unwrap();
        assert_eq!((upright.width(), upright.height()), (20, 40));
        // Without the turn it is as stored.
        let stored = decode_within(&jpeg, 100, 100).unwrap();
        assert_eq!((stored.width(), stored.height()), (40, 20));
    }

    #[test]
    fn a_large_jpeg_is_decoded_small_and_a_broken_file_says_why() {
        let image = image::RgbImage::from_fn(1600, 1200, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        let mut jpeg = Vec::new();
        image::DynamicImage::ImageRgb8(image)
            .write_to(&mut Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
            .unwrap();
        let small = decode_within(&jpeg, 150, 150).unwrap();
        assert!(small.width() <= 150 && small.height() <= 150, "{small:?}");
        let (w, h) = (i64::from(small.width()), i64::from(small.height()));
        assert!((w * 3 - h * 4).abs() <= 4, "the proportions kept: {w}×{h}");
        assert!(decode_within(&jpeg[..300], 150, 150).is_err());
        assert!(decode_within(b"not an image", 150, 150).is_err());
        let dir = tempfile::tempdir().unwrap();
        let missing = prepare(
            dir.path(),
            "gone.jpg",
            Size::new(10, 5),
            &Picker::halfblocks(),
        );
        assert!(matches!(&missing.shown, Err(why) if why.starts_with("gone.jpg: ")));
        let escape = prepare(
            dir.path(),
            "../x.png",
            Size::new(10, 5),
            &Picker::halfblocks(),
        );
        assert!(escape.shown.is_err());
    }

    /// A progressive grayscale JPEG claiming `width` × `height`: headers and a short
    /// DC scan, enough for the decoder to ask for every coefficient of that size.
    fn progressive_claiming(width: u16, height: u16) -> Vec<u8> {
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xDB, 0, 67, 0];
        jpeg.extend([1u8; 64]);
        jpeg.extend([0xFF, 0xC2, 0, 11, 8]);
        jpeg.extend(height.to_be_bytes());
        jpeg.extend(width.to_be_bytes());
        jpeg.extend([1, 1, 0x11, 0, 0xFF, 0xC4, 0, 20, 0x00, 1]);
        jpeg.extend([0u8; 16]);
        jpeg.extend([0xFF, 0xDA, 0, 8, 1, 1, 0x00, 0, 0, 0]);
        jpeg.extend([0u8; 4096]);
        jpeg.extend([0xFF, 0xD9]);
        jpeg
    }

    #[test]
    fn a_photo_claiming_too_many_pixels_is_a_message_in_the_view_before_any_allocation() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("bomb.jpg"),
            progressive_claiming(65_535, 65_535),
        )
        .unwrap();
        let shown = prepare(
            dir.path(),
            "bomb.jpg",
            Size::new(40, 20),
            &Picker::halfblocks(),
        );
        let Err(why) = &shown.shown else {
            panic!("a bomb is refused");
        };
        assert!(
            why.starts_with("bomb.jpg: ") && why.contains("megapixels"),
            "{why}"
        );
    }
}
