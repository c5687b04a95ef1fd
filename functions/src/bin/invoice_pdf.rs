//! Lambda for the `invoice_pdf` route (see `hisaab_functions::routes`).

fn main() -> Result<(), lambda_http::Error> {
    hisaab_functions::lambda_main("invoice_pdf")
}
