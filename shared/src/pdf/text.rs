//! Text in the standard Helvetica fonts: WinAnsi encoding, widths from
//! the Adobe font metrics, wrapping and truncation.

use crate::pdf::{Font, MIN_FONT_SIZE, Style};

/// Encodes text to WinAnsi (Windows-1252) bytes for the standard fonts.
///
/// Keeps `\n` (for wrapping), maps tabs and Unicode spaces to a space, `₹`
/// to `Rs.`, typographic punctuation to its WinAnsi code, drops invisible
/// characters (zero-width, soft hyphen, combining accents) and replaces
/// everything else with `?`.
pub(crate) fn encode(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        push_winansi(c, &mut out);
    }
    out
}

/// Appends the WinAnsi form of one character.
fn push_winansi(c: char, out: &mut Vec<u8>) {
    match c {
        '\n' => out.push(b'\n'),
        '\t' | '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' => {
            out.push(b' ')
        }
        '\r' | '\u{ad}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' => {}
        '\u{300}'..='\u{36f}' | '\u{fe00}'..='\u{fe0f}' => {}
        '\u{20b9}' => out.extend_from_slice(b"Rs."),
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2043}' | '\u{2212}' => out.push(b'-'),
        '\u{2044}' | '\u{2215}' => out.push(b'/'),
        ' '..='~' | '\u{a1}'..='\u{ff}' => out.push(u8::try_from(c).unwrap_or(b'?')),
        _ => out.push(winansi_extra(c).unwrap_or(b'?')),
    }
}

/// The WinAnsi code (0x80..=0x9F) of a character outside Latin-1, if any.
fn winansi_extra(c: char) -> Option<u8> {
    let byte = match c {
        '\u{20ac}' => 0x80,
        '\u{201a}' => 0x82,
        '\u{0192}' => 0x83,
        '\u{201e}' => 0x84,
        '\u{2026}' => 0x85,
        '\u{2020}' => 0x86,
        '\u{2021}' => 0x87,
        '\u{02c6}' => 0x88,
        '\u{2030}' => 0x89,
        '\u{0160}' => 0x8a,
        '\u{2039}' => 0x8b,
        '\u{0152}' => 0x8c,
        '\u{017d}' => 0x8e,
        '\u{2018}' | '\u{201b}' => 0x91,
        '\u{2019}' | '\u{2032}' => 0x92,
        '\u{201c}' | '\u{201f}' => 0x93,
        '\u{201d}' | '\u{2033}' => 0x94,
        '\u{2022}' | '\u{2023}' | '\u{2043}' => 0x95,
        '\u{2013}' => 0x96,
        '\u{2014}' | '\u{2015}' => 0x97,
        '\u{02dc}' => 0x98,
        '\u{2122}' => 0x99,
        '\u{0161}' => 0x9a,
        '\u{203a}' => 0x9b,
        '\u{0153}' => 0x9c,
        '\u{017e}' => 0x9e,
        '\u{0178}' => 0x9f,
        _ => return None,
    };
    Some(byte)
}

/// Advance width of one WinAnsi byte in 1/1000 em. Control bytes measure
/// as a space (they are drawn as one); unknown codes default to 556.
pub(crate) fn glyph_width(font: Font, byte: u8) -> u16 {
    let index = usize::from(byte.max(b' ')) - usize::from(b' ');
    font.widths().get(index).copied().unwrap_or(556)
}

/// Width in points of WinAnsi bytes set in `font` at `size`.
pub(crate) fn bytes_width(font: Font, size: f32, text: &[u8]) -> f32 {
    let units: u32 = text.iter().map(|&b| u32::from(glyph_width(font, b))).sum();
    units as f32 * size / 1000.0
}

/// Width in points of `text` set in `font` at `size`, after WinAnsi encoding.
pub(crate) fn text_width(font: Font, size: f32, text: &str) -> f32 {
    bytes_width(font, size, &encode(text))
}

/// How many leading bytes of `text` fit in `max_w`.
fn fit_prefix(font: Font, size: f32, max_w: f32, text: &[u8]) -> usize {
    let mut width = 0.0;
    for (i, &b) in text.iter().enumerate() {
        width += f32::from(glyph_width(font, b)) * size / 1000.0;
        if width > max_w {
            return i;
        }
    }
    text.len()
}

/// Greedy word wrap of WinAnsi bytes to `max_w` points.
///
/// Line breaks in the text are kept (a blank line stays blank), runs of
/// spaces collapse, and a word wider than a line is broken where it must.
/// Empty (or all-blank) text gives no lines. Stops once it has more than
/// `limit` lines, so huge text costs no more than the lines kept.
pub(crate) fn wrap(font: Font, size: f32, max_w: f32, text: &[u8], limit: usize) -> Vec<Vec<u8>> {
    let text = text.trim_ascii();
    let space_w = bytes_width(font, size, b" ");
    let mut lines = Vec::new();
    if text.is_empty() {
        return lines;
    }
    'paragraphs: for paragraph in text.split(|&b| b == b'\n') {
        let mut line: Vec<u8> = Vec::new();
        let mut line_w = 0.0;
        for word in paragraph.split(|&b| b == b' ').filter(|w| !w.is_empty()) {
            let mut rest = word;
            let mut rest_w = bytes_width(font, size, rest);
            while !rest.is_empty() {
                if lines.len() > limit {
                    break 'paragraphs;
                }
                let needed = if line.is_empty() {
                    rest_w
                } else {
                    line_w + space_w + rest_w
                };
                if needed <= max_w {
                    if !line.is_empty() {
                        line.push(b' ');
                    }
                    line.extend_from_slice(rest);
                    line_w = needed;
                    break;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    line_w = 0.0;
                    continue;
                }
                let cut = fit_prefix(font, size, max_w, rest).clamp(1, rest.len());
                let (head, tail) = rest.split_at(cut);
                rest_w -= bytes_width(font, size, head);
                lines.push(head.to_vec());
                rest = tail;
            }
        }
        lines.push(line);
    }
    lines
}

/// [`wrap`], keeping at most `max_lines` lines; when text is cut, the last
/// kept line ends with "...".
pub(crate) fn wrap_limited(
    style: Style,
    max_w: f32,
    text: &[u8],
    max_lines: usize,
) -> Vec<Vec<u8>> {
    let mut lines = wrap(style.font, style.size, max_w, text, max_lines);
    if lines.len() > max_lines {
        lines.truncate(max_lines.max(1));
        if let Some(last) = lines.last_mut() {
            *last = with_ellipsis(style, max_w, last);
        }
    }
    lines
}

/// `text` if it fits `max_w`, else its longest prefix that fits with "...".
pub(crate) fn ellipsize(style: Style, max_w: f32, text: &[u8]) -> Vec<u8> {
    if style.width(text) <= max_w {
        text.to_vec()
    } else {
        with_ellipsis(style, max_w, text)
    }
}

/// The longest prefix of `text` that fits `max_w` together with "...", then "...".
fn with_ellipsis(style: Style, max_w: f32, text: &[u8]) -> Vec<u8> {
    let room = (max_w - style.width(b"...")).max(0.0);
    let keep = fit_prefix(style.font, style.size, room, text);
    let mut out = text
        .get(..keep)
        .unwrap_or_default()
        .trim_ascii_end()
        .to_vec();
    out.extend_from_slice(b"...");
    out
}

/// Fits one line into `max_w`: as is, else shrunk (not below
/// [`MIN_FONT_SIZE`]), else shrunk and truncated with "...". Numbers stay
/// whole whenever possible. Line breaks become spaces.
pub(crate) fn fit_line(style: Style, max_w: f32, text: &[u8]) -> (Style, Vec<u8>) {
    let text: Vec<u8> = text
        .iter()
        .map(|&b| if b == b'\n' { b' ' } else { b })
        .collect();
    let text = text.trim_ascii();
    let width = style.width(text);
    if width <= max_w {
        return (style, text.to_vec());
    }
    let shrunk = style.size * max_w / width;
    if shrunk >= MIN_FONT_SIZE {
        return (style.sized(shrunk), text.to_vec());
    }
    let small = style.sized(MIN_FONT_SIZE.min(style.size));
    (small, ellipsize(small, max_w, text))
}

/// Advance widths of Helvetica for WinAnsi codes 32..=255, in 1/1000 em.
pub(crate) const HELVETICA_WIDTHS: [u16; 224] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
    556, 556, 556, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 556, 611, 556, 556,
    222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 556, 500, 667, 278, 333, 556,
    556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333, 400, 584, 333, 333, 333, 556,
    537, 278, 333, 333, 365, 556, 834, 834, 834, 611, 667, 667, 667, 667, 667, 667, 1000, 722, 667,
    667, 667, 667, 278, 278, 278, 278, 722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722,
    722, 667, 667, 611, 556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278,
    278, 556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
];

/// Advance widths of Helvetica-Bold for WinAnsi codes 32..=255, in 1/1000 em.
pub(crate) const HELVETICA_BOLD_WIDTHS: [u16; 224] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667,
    611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556,
    278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
    556, 556, 556, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 556, 611, 556, 556,
    278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 556, 500, 667, 278, 333, 556,
    556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333, 400, 584, 333, 333, 333, 611,
    556, 278, 333, 333, 365, 556, 834, 834, 834, 611, 722, 722, 722, 722, 722, 722, 1000, 722, 667,
    667, 667, 667, 278, 278, 278, 278, 722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722,
    722, 667, 667, 611, 556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278,
    278, 611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556,
];
