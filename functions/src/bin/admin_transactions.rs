//! Lambda for the `admin_transactions` route (see `hisaab_functions::routes`).

fn main() -> Result<(), lambda_http::Error> {
    hisaab_functions::lambda_main("admin_transactions")
}
