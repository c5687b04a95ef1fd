//! The UPI payment QR code (`upi://pay?...`) and its caption.

use crate::pdf::draw::{Pager, draw_text, fill_rect, single_line, stroke_rect};
use crate::pdf::sections::non_blank;
use crate::pdf::text::ellipsize;
use crate::pdf::{
    BLACK, BODY, BODY_BOLD, CONTENT_W, GAP, MARGIN, RULE, Rgb, WHITE, baseline_offset,
};
use pdf_writer::{Content, Rect};
use qrcode::{Color, EcLevel, QrCode};

/// Side of the QR code including its quiet zone: 30 mm.
const QR_SIZE: f32 = 30.0 * 72.0 / 25.4;

/// Quiet zone around the QR code, in modules.
const QR_QUIET: usize = 4;

const QR_CAPTION: &[u8] = b"Scan to pay with any UPI app";

/// The UPI QR code with its caption and the VPA line below it.
pub(crate) fn draw_upi(p: &mut Pager) {
    let Some(link) = non_blank(&p.doc.upi_link) else {
        return;
    };
    let vpa_line = match non_blank(&p.doc.upi_caption) {
        Some(caption) => single_line(caption),
        None => upi_vpa(link)
            .map(|vpa| single_line(&format!("UPI ID: {vpa}")))
            .unwrap_or_default(),
    };
    let vpa_line = ellipsize(BODY, CONTENT_W, &vpa_line);
    let code = QrCode::with_error_correction_level(link.as_bytes(), EcLevel::M).ok();
    let qr_h = if code.is_some() { QR_SIZE + 4.0 } else { 0.0 };
    let line_h = BODY.line_height();
    p.ensure(qr_h + 2.0 * line_h);
    let top = p.y;
    if let Some(code) = &code {
        draw_qr(p.canvas(), code, MARGIN, top - QR_SIZE, QR_SIZE);
    }
    let mut y = top - qr_h;
    if code.is_some() {
        draw_text(
            p.canvas(),
            BODY_BOLD,
            MARGIN,
            y - baseline_offset(BODY.size, line_h),
            QR_CAPTION,
        );
        y -= line_h;
    }
    draw_text(
        p.canvas(),
        BODY,
        MARGIN,
        y - baseline_offset(BODY.size, line_h),
        &vpa_line,
    );
    p.y = y - line_h - GAP;
}

/// Draws a QR code as black module runs on a white, thinly framed square
/// of side `size` whose lower-left corner is (`x`, `y`), with a 4-module
/// quiet zone. The modules are drawn in module units under a scaling
/// transform, as one path, so adjacent runs leave no seams.
fn draw_qr(c: &mut Content, code: &QrCode, x: f32, y: f32, size: f32) {
    let width = code.width().max(1);
    let span = width + 2 * QR_QUIET;
    let module = size / span as f32;
    fill_rect(c, WHITE, x, y, size, size);
    stroke_rect(c, RULE, 0.5, Rect::new(x, y, x + size, y + size));
    c.save_state();
    c.transform([module, 0.0, 0.0, module, x, y]);
    let Rgb(r, g, b) = BLACK;
    c.set_fill_rgb(r, g, b);
    for (row, modules) in code.to_colors().chunks(width).enumerate() {
        // Rows run top to bottom; PDF y runs bottom to top.
        let row_y = span.saturating_sub(QR_QUIET + 1 + row) as f32;
        for (start, len) in dark_runs(modules) {
            c.rect((start + QR_QUIET) as f32, row_y, len as f32, 1.0);
        }
    }
    c.fill_nonzero();
    c.restore_state();
}

/// The (start, length) of each run of dark modules in a row.
pub(crate) fn dark_runs(modules: &[Color]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start = None;
    for (i, &color) in modules.iter().chain([Color::Light].iter()).enumerate() {
        match (color, start) {
            (Color::Dark, None) => start = Some(i),
            (Color::Light, Some(s)) => {
                runs.push((s, i - s));
                start = None;
            }
            _ => {}
        }
    }
    runs
}

/// The payee VPA (`pa` parameter, percent-decoded) of a UPI deep link.
pub(crate) fn upi_vpa(link: &str) -> Option<String> {
    let query = link.split_once('?')?.1;
    let value = query.split('&').find_map(|pair| pair.strip_prefix("pa="))?;
    let decoded = percent_decode(value);
    (!decoded.trim().is_empty()).then_some(decoded)
}

/// Decodes `%XX` escapes (and `+` as space); malformed escapes stay as they are.
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
