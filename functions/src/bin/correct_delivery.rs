//! Lambda for the `correct_delivery` route (see `hisaab_functions::routes`).

fn main() -> Result<(), lambda_http::Error> {
    hisaab_functions::lambda_main("correct_delivery")
}
