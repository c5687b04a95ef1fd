//! Lambda for the `list_invoice_payments` route (see `hisaab_functions::routes`).

fn main() -> Result<(), lambda_http::Error> {
    hisaab_functions::lambda_main("list_invoice_payments")
}
