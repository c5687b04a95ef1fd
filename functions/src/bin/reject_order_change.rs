//! Lambda for the `reject_order_change` route (see `hisaab_functions::routes`).

fn main() -> Result<(), lambda_http::Error> {
    hisaab_functions::lambda_main("reject_order_change")
}
