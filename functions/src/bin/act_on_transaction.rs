//! Lambda for the `act_on_transaction` route (see `hisaab_functions::routes`).

fn main() -> Result<(), lambda_http::Error> {
    hisaab_functions::lambda_main("act_on_transaction")
}
