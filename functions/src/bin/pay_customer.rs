//! Lambda for the `pay_customer` route (see `hisaab_functions::routes`).

fn main() -> Result<(), lambda_http::Error> {
    hisaab_functions::lambda_main("pay_customer")
}
