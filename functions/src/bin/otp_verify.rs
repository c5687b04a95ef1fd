//! Lambda for the `otp_verify` route (see `hisaab_functions::routes`).

fn main() -> Result<(), lambda_http::Error> {
    hisaab_functions::lambda_main("otp_verify")
}
