//! Lambda for the `change_employee_level` route (see `hisaab_functions::routes`).

fn main() -> Result<(), lambda_http::Error> {
    hisaab_functions::lambda_main("change_employee_level")
}
