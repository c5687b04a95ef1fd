//! Lambda for the `deactivate_product` route (see `hisaab_functions::routes`).

fn main() -> Result<(), lambda_http::Error> {
    hisaab_functions::lambda_main("deactivate_product")
}
