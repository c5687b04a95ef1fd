//! Lambda for the `mark_report_paid` route (see `hisaab_functions::routes`).

fn main() -> Result<(), lambda_http::Error> {
    hisaab_functions::lambda_main("mark_report_paid")
}
