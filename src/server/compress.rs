//! The two encodings we send, in one place: the page cache compresses each render once,
//! the asset precompressor each front-end file once at start.

/// Brotli at `quality` (0–11) with a `2^lgwin`-byte window.
pub fn brotli(data: &[u8], quality: i32, lgwin: i32) -> std::io::Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams { quality, lgwin, ..Default::default() };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &data[..], &mut out, &params)?;
    Ok(out)
}

/// gzip at `level` (0–9).
pub fn gzip(data: &[u8], level: u32) -> std::io::Result<Vec<u8>> {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level));
    gz.write_all(data)?;
    gz.finish()
}
