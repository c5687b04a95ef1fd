//! Lambda for the `mark_deliveries_bulk` route (see `hisaab_functions::routes`).

fn main() -> Result<(), lambda_http::Error> {
    hisaab_functions::lambda_main("mark_deliveries_bulk")
}
