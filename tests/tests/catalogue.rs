//! Catalogue (products, categories) and business settings end to end, on
//! SQLite and on DynamoDB (moto).

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::{Value, json};

async fn post(t: &TestApp, tok: &str, path: &str, body: Value) -> Value {
    let r = t.call(Method::POST, path, Some(tok), Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "POST {path}: {}", r.body);
    r.body
}

async fn names(t: &TestApp, tok: &str, query: &str) -> Vec<String> {
    let r = t
        .call(
            Method::GET,
            &format!("/v1/products{query}"),
            Some(tok),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{query}: {}", r.body);
    r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect()
}

both!(
    settings_have_defaults_validate_and_are_for_owners,
    |t: TestApp| async move {
        let (tok, _, _) = t.owner().await;
        let s = t
            .call(Method::GET, "/v1/business/settings", Some(&tok), None)
            .await;
        assert_eq!(s.status, StatusCode::OK);
        assert_eq!(s.body["currency"], "INR");
        assert_eq!(s.body["invoice_prefix"], "INV-");
        assert_eq!(s.body["next_invoice_number"], 1);
        assert_eq!(s.body["payment_terms_days"], 15);
        assert_eq!(s.body["time_zone"], "Asia/Kolkata");
        assert_eq!(s.body["version"], 0);
        let bad = t
        .call(
            Method::PATCH,
            "/v1/business/settings",
            Some(&tok),
            Some(json!({"currency": "XYZ", "default_tax_rate_bp": 20000, "invoice_prefix": "IN V#",
                        "payment_terms_days": -1, "upi_vpa": "not a vpa", "time_zone": "Mars/Olympus",
                        "gstin": "27AAPFU0939F1ZW"})),
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            bad.fields(),
            [
                "currency",
                "default_tax_rate_bp",
                "invoice_prefix",
                "payment_terms_days",
                "upi_vpa",
                "time_zone",
                "gstin"
            ]
        );
        let again = t
            .call(Method::GET, "/v1/business/settings", Some(&tok), None)
            .await;
        assert_eq!(again.body["version"], 0, "nothing written");
        let ok = t
        .call(
            Method::PATCH,
            "/v1/business/settings",
            Some(&tok),
            Some(json!({"default_tax_rate_bp": 1800, "invoice_prefix": "at/", "upi_vpa": "Asha@OKAXIS",
                        "payment_terms_days": 30, "gstin": "27aapfu0939f1zv", "version": 0})),
        )
        .await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        assert_eq!(ok.body["invoice_prefix"], "AT/");
        assert_eq!(ok.body["upi_vpa"], "asha@okaxis");
        assert_eq!(ok.body["gstin"], "27AAPFU0939F1ZV");
        assert_eq!(ok.body["version"], 1);
        let stale = t
            .call(
                Method::PATCH,
                "/v1/business/settings",
                Some(&tok),
                Some(json!({"version": 0})),
            )
            .await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        // A product without a rate takes the default rate.
        let p = post(
            &t,
            &tok,
            "/v1/products",
            json!({"name": "Ghee", "unit_price": 65000}),
        )
        .await;
        assert_eq!(p["tax_rate_bp"], 1800);
        assert_eq!(p["unit"], "pcs");

        // Staff may bill but not change settings.
        let staff_phone = common::unique_phone();
        let r = t
            .call(
                Method::POST,
                "/v1/business/staff",
                Some(&tok),
                Some(json!({"name": "Ravi", "phone": staff_phone})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
        t.call(
            Method::POST,
            "/v1/auth/otp",
            None,
            Some(json!({"phone": staff_phone})),
        )
        .await;
        let (staff, _, _) = t.verify(&staff_phone).await;
        // Staff read the settings (the billing form needs the state and the
        // default rate) but do not change them.
        let r = t
            .call(Method::GET, "/v1/business/settings", Some(&staff), None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body["invoice_prefix"].is_string(), "{}", r.body);
        let r = t
            .call(
                Method::PATCH,
                "/v1/business/settings",
                Some(&staff),
                Some(json!({"payment_terms_days": 1})),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = t
            .call(Method::GET, "/v1/products", Some(&staff), None)
            .await;
        assert_eq!(r.status, StatusCode::OK);
    }
);

both!(products_and_categories, |t: TestApp| async move {
    let (tok, _, _) = t.owner().await;
    let pulses = post(&t, &tok, "/v1/categories", json!({"name": "Pulses"})).await;
    let oils = post(&t, &tok, "/v1/categories", json!({"name": "Oils"})).await;
    let dup = t
        .call(
            Method::POST,
            "/v1/categories",
            Some(&tok),
            Some(json!({"name": "PULSES"})),
        )
        .await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    assert_eq!(dup.fields(), ["name"]);
    let pid = pulses["id"].as_str().unwrap();
    let oid = oils["id"].as_str().unwrap();
    let dal = post(
        &t,
        &tok,
        "/v1/products",
        json!({"name": "Toor Dal", "unit": "kg", "unit_price": 14500,
        "tax_rate_bp": 500, "hsn_sac": "0713", "category_id": pid}),
    )
    .await;
    post(
        &t,
        &tok,
        "/v1/products",
        json!({"name": "Moong Dal", "unit": "kg", "unit_price": 12000, "category_id": pid}),
    )
    .await;
    post(
        &t,
        &tok,
        "/v1/products",
        json!({"name": "Mustard Oil", "unit": "litre", "unit_price": 18000, "category_id": oid}),
    )
    .await;
    post(
        &t,
        &tok,
        "/v1/products",
        json!({"name": "Delivery", "unit": "trip", "unit_price": 20000, "hsn_sac": "996511"}),
    )
    .await;

    assert_eq!(
        names(&t, &tok, "").await,
        ["Delivery", "Moong Dal", "Mustard Oil", "Toor Dal"]
    );
    assert_eq!(names(&t, &tok, "?q=m").await, ["Moong Dal", "Mustard Oil"]);
    assert_eq!(
        names(&t, &tok, &format!("?category={pid}")).await,
        ["Moong Dal", "Toor Dal"]
    );
    let cats = t
        .call(Method::GET, "/v1/categories", Some(&tok), None)
        .await;
    let counts: Vec<(String, i64)> = cats.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_string(),
                c["product_count"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(counts, [("Oils".to_string(), 1), ("Pulses".to_string(), 2)]);

    // Deactivate, filter by active, reactivate.
    let path = format!("/v1/products/{}", dal["id"].as_str().unwrap());
    let r = t.call(Method::DELETE, &path, Some(&tok), None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(names(&t, &tok, "?active=false").await, ["Toor Dal"]);
    assert_eq!(
        names(&t, &tok, &format!("?category={pid}&active=true")).await,
        ["Moong Dal"]
    );
    let r = t
        .call(
            Method::PATCH,
            &path,
            Some(&tok),
            Some(json!({"active": true, "unit_price": 15000})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["unit_price"], 15000);
    assert_eq!(r.body["version"], 3);

    // A used category cannot be deleted; once emptied it can.
    let r = t
        .call(
            Method::DELETE,
            &format!("/v1/categories/{oid}"),
            Some(&tok),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let oil = names(&t, &tok, "?q=mustard").await;
    assert_eq!(oil.len(), 1);
    let list = t
        .call(Method::GET, "/v1/products?q=mustard", Some(&tok), None)
        .await;
    let oil_id = list.body["items"][0]["id"].as_str().unwrap().to_string();
    let r = t
        .call(
            Method::PATCH,
            &format!("/v1/products/{oil_id}"),
            Some(&tok),
            Some(json!({"category_id": pid})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = t
        .call(
            Method::DELETE,
            &format!("/v1/categories/{oid}"),
            Some(&tok),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = t
        .call(
            Method::PATCH,
            &format!("/v1/categories/{pid}"),
            Some(&tok),
            Some(json!({"name": "Dals and Oils"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["product_count"], 3);
    // The old name is free again, the new one is taken.
    post(&t, &tok, "/v1/categories", json!({"name": "Pulses"})).await;
    let r = t
        .call(
            Method::POST,
            "/v1/categories",
            Some(&tok),
            Some(json!({"name": "dals and oils"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    // Bad input names each field and writes nothing.
    let r = t
        .call(Method::POST, "/v1/products", Some(&tok), Some(json!({"name": "", "unit_price": -5,
            "tax_rate_bp": 10001, "hsn_sac": "12", "category_id": "cat_01JD2QK9A1B2C3D4E5F6G7H8J9"})))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.fields(), ["name", "unit_price", "tax_rate_bp", "hsn_sac"]);
    let r = t
        .call(
            Method::POST,
            "/v1/products",
            Some(&tok),
            Some(json!({"name": "Ghost", "unit_price": 5,
            "category_id": "cat_01JD2QK9A1B2C3D4E5F6G7H8J9"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.fields(), ["category_id"]);
    assert_eq!(names(&t, &tok, "?q=ghost").await.len(), 0);
    // Pages and cursors bound to their filters.
    let page = t
        .call(Method::GET, "/v1/products?limit=2", Some(&tok), None)
        .await;
    let cursor = page.body["next_cursor"].as_str().unwrap().to_string();
    let next = t
        .call(
            Method::GET,
            &format!("/v1/products?limit=2&cursor={cursor}"),
            Some(&tok),
            None,
        )
        .await;
    assert_eq!(next.body["items"].as_array().unwrap().len(), 2);
    let wrong = t
        .call(
            Method::GET,
            &format!("/v1/products?limit=2&q=a&cursor={cursor}"),
            Some(&tok),
            None,
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
});
