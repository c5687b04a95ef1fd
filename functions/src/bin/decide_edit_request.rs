//! Lambda for the `decide_edit_request` route (see `hisaab_functions::routes`).

fn main() -> Result<(), lambda_http::Error> {
    hisaab_functions::lambda_main("decide_edit_request")
}
