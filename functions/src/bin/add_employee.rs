//! Lambda for the `add_employee` route (see `hisaab_functions::routes`).

fn main() -> Result<(), lambda_http::Error> {
    hisaab_functions::lambda_main("add_employee")
}
