//! Decoding a photo small: JPEGs at a reduced scale (the whole 12 megapixels never in
//! memory), PNGs bounded, turned upright by their EXIF orientation.

use super::*;

/// The format the bytes start with, if it is one a photo may be in.
pub fn kind(bytes: &[u8]) -> Option<Kind> {
    match image::guess_format(bytes).ok()? {
        image::ImageFormat::Jpeg => Some(Kind::Jpeg),
        image::ImageFormat::Png => Some(Kind::Png),
        _ => None,
    }
}

/// The most pixels a photo may have: more than any phone's camera takes (about 12 to
/// 50 megapixels binned to 12), far fewer than a file that lies about its size claims.
pub const MAX_PIXELS: u64 = 40_000_000;
/// The most memory one decode may ask for. A progressive JPEG keeps every coefficient
/// of the full-size image (2 bytes a sample) however small it is decoded, so its cost
/// is worked out from the header and checked before the decoder allocates anything.
pub const MAX_DECODE_BYTES: u64 = 256 << 20;

/// A PNG is decoded whole (the format has no scaled decode); bounded so that a PNG
/// claiming to be 100,000 pixels square is refused instead of taking the memory.
pub(super) const PNG_MAX_SIDE: u32 = 12_000;
pub(super) const PNG_MAX_ALLOC: u64 = MAX_DECODE_BYTES;

/// Refuses an image of `width` × `height` with `samples` bytes a pixel whose decode
/// would take more than the limits, before anything is allocated for it.
fn within_limits(width: u32, height: u32, samples: u64) -> Result<(), String> {
    let pixels = u64::from(width) * u64::from(height);
    if pixels > MAX_PIXELS {
        return Err(format!(
            "{width} × {height} is {} megapixels, more than a photo ({} at most)",
            pixels / 1_000_000,
            MAX_PIXELS / 1_000_000
        ));
    }
    let bytes = pixels * samples;
    if bytes > MAX_DECODE_BYTES {
        return Err(format!(
            "decoding it would take {} MB, more than a photo may ({} MB at most)",
            bytes >> 20,
            MAX_DECODE_BYTES >> 20
        ));
    }
    Ok(())
}

/// Decodes a JPEG or PNG no larger than needed for `width` × `height` pixels, keeping
/// its proportions: a JPEG is decoded at 1/2, 1/4 or 1/8 of its size by the decoder
/// itself (the full-size pixels are never made), then scaled the rest of the way.
pub fn decode_within(bytes: &[u8], width: u32, height: u32) -> Result<DynamicImage, String> {
    let image = match kind(bytes) {
        Some(Kind::Jpeg) => decode_jpeg(bytes, width, height)?,
        Some(Kind::Png) => {
            let mut reader =
                image::ImageReader::with_format(Cursor::new(bytes), image::ImageFormat::Png);
            let mut limits = Limits::default();
            limits.max_image_width = Some(PNG_MAX_SIDE);
            limits.max_image_height = Some(PNG_MAX_SIDE);
            limits.max_alloc = Some(PNG_MAX_ALLOC);
            reader.limits(limits);
            let (w, h) =
                image::ImageReader::with_format(Cursor::new(bytes), image::ImageFormat::Png)
                    .into_dimensions()
                    .map_err(|e| e.to_string())?;
            // The pixels' memory is bounded by `max_alloc` as they are made.
            within_limits(w, h, 1)?;
            reader.decode().map_err(|e| e.to_string())?
        }
        None => return Err("not a JPEG or PNG image".into()),
    };
    let (width, height) = (width.max(1), height.max(1));
    Ok(if image.width() > width || image.height() > height {
        image.resize(width, height, FilterType::Triangle)
    } else {
        image
    })
}

/// As `decode_within`, turned the way the camera was held: a phone stores a portrait
/// photo as a landscape image with an EXIF orientation saying how to turn it.
pub fn decode_upright(bytes: &[u8], width: u32, height: u32) -> Result<DynamicImage, String> {
    let turn = orientation(bytes);
    // A quarter turn swaps the sides: decode to fit the turned place.
    let sideways = matches!(
        turn,
        Some(Orientation::Rotate90 | Orientation::Rotate270)
            | Some(Orientation::Rotate90FlipH | Orientation::Rotate270FlipH)
    );
    let mut image = if sideways {
        decode_within(bytes, height, width)?
    } else {
        decode_within(bytes, width, height)?
    };
    if let Some(turn) = turn {
        image.apply_orientation(turn);
    }
    Ok(image)
}

/// The EXIF orientation of a photo, when it has one.
pub(super) fn orientation(bytes: &[u8]) -> Option<Orientation> {
    let data = exif::Reader::new()
        .read_from_container(&mut Cursor::new(bytes))
        .ok()?;
    let field = data.get_field(exif::Tag::Orientation, exif::In::PRIMARY)?;
    let value = u8::try_from(field.value.get_uint(0)?).ok()?;
    Orientation::from_exif(value)
}

pub(super) fn decode_jpeg(bytes: &[u8], width: u32, height: u32) -> Result<DynamicImage, String> {
    let clamp = |n: u32| u16::try_from(n.max(1)).unwrap_or(u16::MAX);
    // The decoder is written not to panic, but a photo is input from anywhere: a panic
    // in it is a photo that does not decode, not a worker gone.
    let decoded = std::panic::catch_unwind(|| {
        let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(bytes));
        decoder.read_info().map_err(|e| e.to_string())?;
        let full = decoder.info().ok_or("no image in the file")?;
        let samples: u64 = match full.pixel_format {
            jpeg_decoder::PixelFormat::L8 | jpeg_decoder::PixelFormat::L16 => 1,
            jpeg_decoder::PixelFormat::RGB24 => 3,
            jpeg_decoder::PixelFormat::CMYK32 => 4,
        };
        // Coefficients at 2 bytes a sample, kept whole for a progressive (or multi-scan)
        // JPEG; the pixels made from them are at most an eighth of that when scaled.
        within_limits(u32::from(full.width), u32::from(full.height), samples * 2)?;
        decoder.set_max_decoding_buffer_size(MAX_DECODE_BYTES as usize);
        decoder
            .scale(clamp(width), clamp(height))
            .map_err(|e| e.to_string())?;
        let pixels = decoder.decode().map_err(|e| e.to_string())?;
        let info = decoder.info().ok_or("no image in the file")?;
        Ok::<_, String>((pixels, info))
    })
    .map_err(|_| "the JPEG decoder failed on this file".to_string())??;
    let (pixels, info) = decoded;
    let (w, h) = (u32::from(info.width), u32::from(info.height));
    let bad = || "the decoded image has the wrong size".to_string();
    use jpeg_decoder::PixelFormat as F;
    Ok(match info.pixel_format {
        F::L8 => DynamicImage::ImageLuma8(GrayImage::from_raw(w, h, pixels).ok_or_else(bad)?),
        F::L16 => {
            let wide: Vec<u16> = pixels
                .chunks_exact(2)
                .map(|b| u16::from_be_bytes([b[0], b[1]]))
                .collect();
            DynamicImage::ImageLuma16(
                ImageBuffer::<Luma<u16>, _>::from_raw(w, h, wide).ok_or_else(bad)?,
            )
        }
        F::RGB24 => DynamicImage::ImageRgb8(RgbImage::from_raw(w, h, pixels).ok_or_else(bad)?),
        F::CMYK32 => {
            let rgb: Vec<u8> = pixels
                .chunks_exact(4)
                .flat_map(|p| {
                    let k = u16::from(p[3]);
                    [0, 1, 2].map(|i| (u16::from(p[i]) * k / 255) as u8)
                })
                .collect();
            DynamicImage::ImageRgb8(RgbImage::from_raw(w, h, rgb).ok_or_else(bad)?)
        }
    })
}
