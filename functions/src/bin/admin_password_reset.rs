//! Lambda for the `admin_password_reset` route (see `hisaab_functions::routes`).

fn main() -> Result<(), lambda_http::Error> {
    hisaab_functions::lambda_main("admin_password_reset")
}
