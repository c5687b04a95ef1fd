//! The invoice's sections: header, parties, place of supply, the lines
//! table, totals and paragraphs.

use crate::pdf::draw::{
    Pager, draw_aligned, draw_text, fill_rect, hline, single_line, stroke_rect,
};
use crate::pdf::text::{ellipsize, encode, fit_line, text_width, wrap, wrap_limited};
use crate::pdf::{
    ACCENT, Align, BODY, BODY_BOLD, CELL, CONTENT_W, DocLine, GAP, HEAD_CELL, HIGHLIGHT, LABEL,
    MARGIN, META_LABEL, META_VALUE, NAME, Party, RIGHT, RULE, SHADE, Style, TITLE, TOTAL,
    TOTAL_LAST, baseline_offset,
};
use pdf_writer::Rect;

const META_W: f32 = 210.0;

const META_LABEL_W: f32 = 68.0;

const META_ROW_H: f32 = 13.0;

/// Title on the left; number, dates and status on the right; an accent rule.
pub(crate) fn draw_header(p: &mut Pager) {
    let doc = p.doc;
    let title = ellipsize(TITLE, CONTENT_W - META_W - 12.0, &single_line(&doc.title));
    let rows = [
        ("Invoice no.", &doc.number),
        ("Invoice date", &doc.invoice_date),
        ("Due date", &doc.due_date),
        ("Status", &doc.status),
    ];
    let top = p.y;
    let c = p.canvas();
    draw_text(c, TITLE, MARGIN, top - 17.0, &title);
    let meta_x = RIGHT - META_W;
    let value_w = META_W - META_LABEL_W;
    for (i, (label, value)) in rows.iter().enumerate() {
        let y = top - 8.0 - META_ROW_H * i as f32;
        draw_text(c, META_LABEL, meta_x, y, label.as_bytes());
        let (style, value) = fit_line(META_VALUE, value_w, &single_line(value));
        draw_aligned(
            c,
            style,
            Align::Right,
            meta_x + META_LABEL_W,
            value_w,
            y,
            &value,
        );
    }
    let rule_y = top - 8.0 - META_ROW_H * rows.len() as f32 - 2.0;
    hline(c, ACCENT, 1.2, MARGIN, RIGHT, rule_y);
    p.y = rule_y - GAP;
}

const BOX_GAP: f32 = 12.0;

const BOX_PAD: f32 = 9.0;

const BOX_W: f32 = (CONTENT_W - BOX_GAP) / 2.0;

/// The "From" and "Bill to" boxes side by side, equally tall.
pub(crate) fn draw_parties(p: &mut Pager) {
    let inner = BOX_W - 2.0 * BOX_PAD;
    let from = party_lines("From", &p.doc.seller, inner);
    let to = party_lines("Bill to", &p.doc.buyer, inner);
    let height = lines_height(&from).max(lines_height(&to)) + 2.0 * BOX_PAD;
    p.ensure(height);
    let top = p.y;
    let c = p.canvas();
    for (i, lines) in [from, to].iter().enumerate() {
        let x = MARGIN + i as f32 * (BOX_W + BOX_GAP);
        stroke_rect(c, RULE, 0.75, Rect::new(x, top - height, x + BOX_W, top));
        let mut y = top - BOX_PAD;
        for (style, text) in lines {
            let line_h = style.line_height();
            draw_text(
                c,
                *style,
                x + BOX_PAD,
                y - baseline_offset(style.size, line_h),
                text,
            );
            y -= line_h;
        }
    }
    p.y = top - height - GAP;
}

/// The styled lines of one party box: heading, name, address, GSTIN, phone, email.
fn party_lines(heading: &str, party: &Party, width: f32) -> Vec<(Style, Vec<u8>)> {
    let mut lines = vec![(LABEL, encode(heading))];
    let mut add = |style: Style, lines_in: Vec<Vec<u8>>| {
        lines.extend(lines_in.into_iter().map(|l| (style, l)));
    };
    add(NAME, wrap_limited(NAME, width, &encode(&party.name), 3));
    if let Some(address) = non_blank(&party.address) {
        add(BODY, wrap_limited(BODY, width, &encode(address), 6));
    }
    let labelled = [
        ("GSTIN", &party.gstin),
        ("Phone", &party.phone),
        ("Email", &party.email),
    ];
    for (label, value) in labelled {
        if let Some(value) = non_blank(value) {
            let text = single_line(&format!("{label}: {value}"));
            add(BODY, wrap_limited(BODY, width, &text, 2));
        }
    }
    lines
}

/// Total height of styled lines.
fn lines_height(lines: &[(Style, Vec<u8>)]) -> f32 {
    lines.iter().map(|(style, _)| style.line_height()).sum()
}

/// The value of an optional field unless it is missing or blank.
pub(crate) fn non_blank(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// "Place of supply: ..." on the left, "Amounts in INR" on the right.
pub(crate) fn draw_supply_line(p: &mut Pager) {
    let currency = single_line(&p.doc.currency);
    let right = if currency.is_empty() {
        Vec::new()
    } else {
        [b"Amounts in ".as_slice(), &currency].concat()
    };
    let right = ellipsize(META_LABEL, CONTENT_W / 2.0, &right);
    let left_w = CONTENT_W - META_LABEL.width(&right) - 16.0;
    let line_h = BODY.line_height();
    p.ensure(line_h);
    let y = p.y - baseline_offset(BODY.size, line_h);
    if let Some(place) = non_blank(&p.doc.place_of_supply) {
        let label = "Place of supply: ";
        let label_w = text_width(BODY_BOLD.font, BODY_BOLD.size, label);
        let value = ellipsize(BODY, left_w - label_w, &single_line(place));
        draw_text(p.canvas(), BODY_BOLD, MARGIN, y, label.as_bytes());
        draw_text(p.canvas(), BODY, MARGIN + label_w, y, &value);
    }
    draw_aligned(
        p.canvas(),
        META_LABEL,
        Align::Right,
        MARGIN,
        CONTENT_W,
        y,
        &right,
    );
    p.y -= line_h + 6.0;
}

/// One column of the lines table.
pub(crate) struct Column {
    title: &'static str,
    width: f32,
    align: Align,
    /// Whether the cell wraps onto several lines (the description) or is
    /// fitted onto one.
    wraps: bool,
}

pub(crate) const fn column(title: &'static str, width: f32, align: Align) -> Column {
    Column {
        title,
        width,
        align,
        wraps: false,
    }
}

const FIXED_COLUMNS_W: f32 = 20.0 + 44.0 + 32.0 + 28.0 + 52.0 + 36.0 + 58.0 + 30.0 + 48.0 + 60.0;

const COLUMNS: [Column; 11] = [
    column("#", 20.0, Align::Right),
    Column {
        title: "Description",
        width: CONTENT_W - FIXED_COLUMNS_W,
        align: Align::Left,
        wraps: true,
    },
    column("HSN/SAC", 44.0, Align::Left),
    column("Qty", 32.0, Align::Right),
    column("Unit", 28.0, Align::Left),
    column("Rate", 52.0, Align::Right),
    column("Disc.", 36.0, Align::Right),
    column("Taxable", 58.0, Align::Right),
    column("Tax %", 30.0, Align::Right),
    column("Tax", 48.0, Align::Right),
    column("Amount", 60.0, Align::Right),
];

const CELL_PAD: f32 = 3.0;

const CELL_LINE_H: f32 = 9.8;

const ROW_PAD: f32 = 4.2;

const HEAD_ROW_H: f32 = 17.0;

const MAX_DESCRIPTION_LINES: usize = 4;

/// The cells of one table row: per column, its lines with their styles.
type RowCells = Vec<Vec<(Style, Vec<u8>)>>;

/// The lines table, breaking pages between rows and repeating the header.
pub(crate) fn draw_table(p: &mut Pager) {
    let lines = &p.doc.lines;
    let first_h = lines
        .first()
        .map_or(0.0, |line| row_height(&row_cells(1, line)));
    p.ensure(HEAD_ROW_H + first_h);
    draw_table_header(p);
    for (i, line) in lines.iter().enumerate() {
        let cells = row_cells(i + 1, line);
        let height = row_height(&cells);
        if p.ensure(height) {
            draw_table_header(p);
        }
        draw_row(p, i, &cells, height);
    }
}

/// The accent-filled header row with the column titles.
fn draw_table_header(p: &mut Pager) {
    let top = p.y;
    let c = p.canvas();
    fill_rect(c, ACCENT, MARGIN, top - HEAD_ROW_H, CONTENT_W, HEAD_ROW_H);
    let y = top - baseline_offset(HEAD_CELL.size, HEAD_ROW_H);
    let mut x = MARGIN;
    for col in &COLUMNS {
        let inner = col.width - 2.0 * CELL_PAD;
        let (style, title) = fit_line(HEAD_CELL, inner, col.title.as_bytes());
        draw_aligned(c, style, col.align, x + CELL_PAD, inner, y, &title);
        x += col.width;
    }
    p.y -= HEAD_ROW_H;
}

/// Lays out the cells of the row for line number `number` (1-based).
fn row_cells(number: usize, line: &DocLine) -> RowCells {
    let number = number.to_string();
    let texts: [&str; 11] = [
        &number,
        &line.description,
        &line.hsn_sac,
        &line.quantity,
        &line.unit,
        &line.rate,
        &line.discount,
        &line.taxable,
        &line.tax_rate,
        &line.tax,
        &line.total,
    ];
    COLUMNS
        .iter()
        .zip(texts)
        .map(|(col, text)| {
            let inner = col.width - 2.0 * CELL_PAD;
            if col.wraps {
                let lines = wrap_limited(CELL, inner, &encode(text), MAX_DESCRIPTION_LINES);
                lines.into_iter().map(|l| (CELL, l)).collect()
            } else {
                vec![fit_line(CELL, inner, &encode(text))]
            }
        })
        .collect()
}

/// Height of a row: its tallest cell plus padding.
fn row_height(cells: &RowCells) -> f32 {
    let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
    lines as f32 * CELL_LINE_H + 2.0 * ROW_PAD
}

/// Draws one row (zebra-shaded) and its bottom rule.
fn draw_row(p: &mut Pager, index: usize, cells: &RowCells, height: f32) {
    let top = p.y;
    let c = p.canvas();
    if index % 2 == 1 {
        fill_rect(c, SHADE, MARGIN, top - height, CONTENT_W, height);
    }
    let mut x = MARGIN;
    for (col, lines) in COLUMNS.iter().zip(cells) {
        let inner = col.width - 2.0 * CELL_PAD;
        for (j, (style, text)) in lines.iter().enumerate() {
            let line_top = top - ROW_PAD - j as f32 * CELL_LINE_H;
            let y = line_top - baseline_offset(style.size, CELL_LINE_H);
            draw_aligned(c, *style, col.align, x + CELL_PAD, inner, y, text);
        }
        x += col.width;
    }
    hline(c, RULE, 0.5, MARGIN, RIGHT, top - height);
    p.y -= height;
}

const TOTALS_W: f32 = 240.0;

const TOTALS_PAD: f32 = 8.0;

const TOTAL_ROW_H: f32 = 15.5;

const TOTAL_LAST_ROW_H: f32 = 20.0;

/// The right-aligned totals box; the last row is bold on a tinted band.
pub(crate) fn draw_totals(p: &mut Pager) {
    let rows = &p.doc.totals;
    if rows.is_empty() {
        return;
    }
    p.y -= 6.0;
    let block_h = (rows.len() - 1) as f32 * TOTAL_ROW_H + TOTAL_LAST_ROW_H;
    p.ensure(block_h.min(p.page_capacity()));
    for (i, (label, value)) in rows.iter().enumerate() {
        let last = i + 1 == rows.len();
        let (style, height) = if last {
            (TOTAL_LAST, TOTAL_LAST_ROW_H)
        } else {
            (TOTAL, TOTAL_ROW_H)
        };
        p.ensure(height);
        draw_total_row(p, style, height, last, (label, value));
    }
    p.y -= GAP;
}

/// One label/value row of the totals box.
fn draw_total_row(
    p: &mut Pager,
    style: Style,
    height: f32,
    last: bool,
    (label, value): (&str, &str),
) {
    let x = RIGHT - TOTALS_W;
    let inner = TOTALS_W - 2.0 * TOTALS_PAD;
    let (value_style, value) = fit_line(style, inner * 0.6, &single_line(value));
    let label_w = inner - value_style.width(&value) - 10.0;
    let label = ellipsize(style, label_w, &single_line(label));
    let top = p.y;
    let c = p.canvas();
    if last {
        fill_rect(c, HIGHLIGHT, x, top - height, TOTALS_W, height);
        hline(c, ACCENT, 1.0, x, RIGHT, top);
    }
    let y = top - baseline_offset(style.size, height);
    draw_text(c, style, x + TOTALS_PAD, y, &label);
    let vy = top - baseline_offset(value_style.size, height);
    draw_aligned(
        c,
        value_style,
        Align::Right,
        x + TOTALS_PAD,
        inner,
        vy,
        &value,
    );
    if !last {
        hline(c, RULE, 0.5, x, RIGHT, top - height);
    }
    p.y -= height;
}

/// A small heading and wrapped text (amount in words, notes); breaks pages
/// between lines, keeping the heading with the first line.
pub(crate) fn draw_paragraph(p: &mut Pager, heading: &str, text: Option<&str>) {
    let Some(text) = text else { return };
    let lines = wrap(BODY.font, BODY.size, CONTENT_W, &encode(text), usize::MAX);
    if lines.is_empty() {
        return;
    }
    let label_h = LABEL.line_height();
    let line_h = BODY.line_height();
    p.ensure(label_h + line_h);
    let y = p.y - baseline_offset(LABEL.size, label_h);
    draw_text(p.canvas(), LABEL, MARGIN, y, heading.as_bytes());
    p.y -= label_h;
    for line in &lines {
        p.ensure(line_h);
        let y = p.y - baseline_offset(BODY.size, line_h);
        draw_text(p.canvas(), BODY, MARGIN, y, line);
        p.y -= line_h;
    }
    p.y -= GAP;
}
