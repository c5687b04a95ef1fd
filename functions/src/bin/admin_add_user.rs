//! Lambda for the `admin_add_user` route (see `hisaab_functions::routes`).

fn main() -> Result<(), lambda_http::Error> {
    hisaab_functions::lambda_main("admin_add_user")
}
