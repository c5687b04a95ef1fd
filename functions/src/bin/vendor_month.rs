//! Lambda for the `vendor_month` route (see `hisaab_functions::routes`).

fn main() -> Result<(), lambda_http::Error> {
    hisaab_functions::lambda_main("vendor_month")
}
