//! Lambda for the `get_report` route (see `hisaab_functions::routes`).

fn main() -> Result<(), lambda_http::Error> {
    hisaab_functions::lambda_main("get_report")
}
