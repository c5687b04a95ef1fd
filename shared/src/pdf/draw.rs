//! Drawing primitives, the pager that breaks the lines table across pages
//! with its header repeated, the footer, and writing the PDF objects.

use crate::pdf::text::{ellipsize, encode};
use crate::pdf::{
    ACCENT, Align, BOTTOM, CONTENT_W, FOOTER, FOOTER_BASELINE, FOOTER_RULE_Y, Font, InvoiceDoc,
    MARGIN, PAGE_H, PAGE_W, RIGHT, RULE, Rgb, Style, TOP,
};
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

/// Draws one line of WinAnsi text with its left end at `x` on baseline `y`.
pub(crate) fn draw_text(c: &mut Content, style: Style, x: f32, y: f32, text: &[u8]) {
    if text.is_empty() {
        return;
    }
    let clean: Vec<u8> = text
        .iter()
        .map(|&b| if b < b' ' { b' ' } else { b })
        .collect();
    let Rgb(r, g, b) = style.color;
    c.set_fill_rgb(r, g, b);
    c.begin_text();
    c.set_font(style.font.resource(), style.size);
    c.next_line(x, y);
    c.show(Str(&clean));
    c.end_text();
}

/// Draws text aligned inside the span `x..x + width`.
pub(crate) fn draw_aligned(
    c: &mut Content,
    style: Style,
    align: Align,
    x: f32,
    width: f32,
    y: f32,
    text: &[u8],
) {
    let left = match align {
        Align::Left => x,
        Align::Right => x + width - style.width(text),
    };
    draw_text(c, style, left, y, text);
}

/// Fills a rectangle given by its lower-left corner.
pub(crate) fn fill_rect(c: &mut Content, color: Rgb, x: f32, y: f32, w: f32, h: f32) {
    let Rgb(r, g, b) = color;
    c.set_fill_rgb(r, g, b);
    c.rect(x, y, w, h);
    c.fill_nonzero();
}

/// Strokes a rectangle given by its lower-left corner.
pub(crate) fn stroke_rect(c: &mut Content, color: Rgb, line_w: f32, rect: Rect) {
    let Rgb(r, g, b) = color;
    c.set_stroke_rgb(r, g, b);
    c.set_line_width(line_w);
    c.rect(rect.x1, rect.y1, rect.x2 - rect.x1, rect.y2 - rect.y1);
    c.stroke();
}

/// Draws a horizontal rule from `x1` to `x2` at height `y`.
pub(crate) fn hline(c: &mut Content, color: Rgb, line_w: f32, x1: f32, x2: f32, y: f32) {
    let Rgb(r, g, b) = color;
    c.set_stroke_rgb(r, g, b);
    c.set_line_width(line_w);
    c.move_to(x1, y);
    c.line_to(x2, y);
    c.stroke();
}

/// Collects page content streams and tracks the vertical cursor `y` (the
/// top of the next block); starts a new page when a block does not fit.
pub(crate) struct Pager<'a> {
    pub(crate) doc: &'a InvoiceDoc,
    done: Vec<Content>,
    page: Content,
    /// Top of the free space on the current page.
    pub(crate) y: f32,
    /// `y` right after the page's own header: nothing has been drawn below it yet.
    body_top: f32,
}

impl<'a> Pager<'a> {
    pub(crate) fn new(doc: &'a InvoiceDoc) -> Self {
        Self {
            doc,
            done: Vec::new(),
            page: Content::new(),
            y: TOP,
            body_top: TOP,
        }
    }

    /// The current page's content stream.
    pub(crate) fn canvas(&mut self) -> &mut Content {
        &mut self.page
    }

    /// Starts a new page headed by the invoice title and number.
    fn break_page(&mut self) {
        let full = std::mem::replace(&mut self.page, Content::new());
        self.done.push(full);
        self.y = TOP;
        draw_continuation_header(self);
        self.body_top = self.y;
    }

    /// Makes room for a block of `height`, breaking the page if it would
    /// run into the footer (unless the page is still empty). Returns whether
    /// a new page was started.
    pub(crate) fn ensure(&mut self, height: f32) -> bool {
        if self.y - height < BOTTOM && self.y < self.body_top {
            self.break_page();
            true
        } else {
            false
        }
    }

    /// Height available on a fresh continuation page.
    pub(crate) fn page_capacity(&self) -> f32 {
        TOP - CONTINUATION_HEADER_H - BOTTOM
    }

    /// All pages, each with its footer.
    pub(crate) fn finish(self) -> Vec<Content> {
        let mut pages = self.done;
        pages.push(self.page);
        let count = pages.len();
        for (i, page) in pages.iter_mut().enumerate() {
            draw_footer(page, &self.doc.footer, i + 1, count);
        }
        pages
    }
}

const CONTINUATION_HEADER_H: f32 = 28.0;

/// The slim header on pages after the first.
fn draw_continuation_header(p: &mut Pager) {
    let style = Style::new(Font::Bold, 10.0, ACCENT);
    let text = encode(&format!("{}  {}", p.doc.title.trim(), p.doc.number.trim()));
    let note = b"(continued)";
    let note_w = FOOTER.width(note);
    let heading = ellipsize(style, CONTENT_W - note_w - 12.0, &text);
    let y = p.y;
    let c = p.canvas();
    draw_text(c, style, MARGIN, y - 10.0, &heading);
    draw_aligned(c, FOOTER, Align::Right, MARGIN, CONTENT_W, y - 10.0, note);
    hline(c, RULE, 0.75, MARGIN, RIGHT, y - 17.0);
    p.y -= CONTINUATION_HEADER_H;
}

/// Footer on every page: the footer text and "Page i of n".
fn draw_footer(c: &mut Content, footer: &str, page: usize, count: usize) {
    let page_text = encode(&format!("Page {page} of {count}"));
    let page_w = FOOTER.width(&page_text);
    hline(c, RULE, 0.5, MARGIN, RIGHT, FOOTER_RULE_Y);
    let text = ellipsize(FOOTER, CONTENT_W - page_w - 16.0, &single_line(footer));
    draw_text(c, FOOTER, MARGIN, FOOTER_BASELINE, &text);
    draw_aligned(
        c,
        FOOTER,
        Align::Right,
        MARGIN,
        CONTENT_W,
        FOOTER_BASELINE,
        &page_text,
    );
}

/// Encodes text meant for one line: line breaks become spaces.
pub(crate) fn single_line(text: &str) -> Vec<u8> {
    encode(text)
        .iter()
        .map(|&b| if b == b'\n' { b' ' } else { b })
        .collect::<Vec<u8>>()
        .trim_ascii()
        .to_vec()
}

/// Assembles the document: catalog, page tree, the two fonts, an info
/// dictionary with the title (no dates), and one page per content stream.
pub(crate) fn write_pdf(doc: &InvoiceDoc, pages: Vec<Content>) -> Vec<u8> {
    let catalog_id = Ref::new(1);
    let tree_id = Ref::new(2);
    let info_id = Ref::new(3);
    let font_ids = [(Font::Regular, Ref::new(4)), (Font::Bold, Ref::new(5))];
    let mut next = Ref::new(6);
    let ids: Vec<(Ref, Ref)> = pages
        .iter()
        .map(|_| {
            let page = next.bump();
            (page, next.bump())
        })
        .collect();

    let mut pdf = Pdf::new();
    pdf.catalog(catalog_id).pages(tree_id);
    pdf.pages(tree_id)
        .kids(ids.iter().map(|&(page, _)| page))
        .count(i32::try_from(ids.len()).unwrap_or(i32::MAX));
    let title = format!("{} {}", doc.title.trim(), doc.number.trim());
    pdf.document_info(info_id).title(TextStr(title.trim()));
    for (font, id) in font_ids {
        pdf.type1_font(id)
            .base_font(font.base_font())
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    for (content, &(page_id, content_id)) in pages.into_iter().zip(&ids) {
        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H))
            .parent(tree_id)
            .contents(content_id);
        let mut resources = page.resources();
        let mut fonts = resources.fonts();
        for (font, id) in font_ids {
            fonts.pair(font.resource(), id);
        }
        fonts.finish();
        resources.finish();
        page.finish();
        pdf.stream(content_id, &content.finish());
    }
    pdf.finish()
}
