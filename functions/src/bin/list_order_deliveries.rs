//! Lambda for the `list_order_deliveries` route (see `hisaab_functions::routes`).

fn main() -> Result<(), lambda_http::Error> {
    hisaab_functions::lambda_main("list_order_deliveries")
}
