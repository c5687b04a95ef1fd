//! Lambda for the `wrong_report_metrics` route (see `hisaab_functions::routes`).

fn main() -> Result<(), lambda_http::Error> {
    hisaab_functions::lambda_main("wrong_report_metrics")
}
