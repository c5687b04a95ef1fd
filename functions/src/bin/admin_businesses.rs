//! Lambda for the `admin_businesses` route (see `hisaab_functions::routes`).

fn main() -> Result<(), lambda_http::Error> {
    hisaab_functions::lambda_main("admin_businesses")
}
