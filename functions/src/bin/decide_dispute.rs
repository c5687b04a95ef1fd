//! Lambda for the `decide_dispute` route (see `hisaab_functions::routes`).

fn main() -> Result<(), lambda_http::Error> {
    hisaab_functions::lambda_main("decide_dispute")
}
