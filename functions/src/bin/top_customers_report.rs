//! Lambda for the `top_customers_report` route (see `hisaab_functions::routes`).

fn main() -> Result<(), lambda_http::Error> {
    hisaab_functions::lambda_main("top_customers_report")
}
