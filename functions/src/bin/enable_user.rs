//! Lambda for the `enable_user` route (see `hisaab_functions::routes`).

fn main() -> Result<(), lambda_http::Error> {
    hisaab_functions::lambda_main("enable_user")
}
