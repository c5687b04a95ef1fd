//! Customers end to end, on SQLite and on DynamoDB (moto).

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::{Value, json};

/// A bad request: what it is, its body, the status, problem slug and fields expected.
type Case = (
    &'static str,
    Vec<u8>,
    StatusCode,
    &'static str,
    Vec<&'static str>,
);

async fn create(t: &TestApp, token: &str, body: Value) -> Value {
    let r = t
        .call(Method::POST, "/v1/customers", Some(token), Some(body))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body
}

async fn names(t: &TestApp, token: &str, query: &str) -> Vec<String> {
    let r = t
        .call(
            Method::GET,
            &format!("/v1/customers{query}"),
            Some(token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{query}: {}", r.body);
    r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect()
}

both!(
    create_list_search_get_update_deactivate_reactivate,
    |t: TestApp| async move {
        let (tok, _, _) = t.owner().await;
        let gupta = create(&t, &tok, json!({
        "name": "Gupta Kirana Store", "phone": "98220 01122", "email": "Gupta@Example.com",
        "address": "12 Main Bazar, Karnal", "business_type": "Retail", "gstin": "27aapfu0939f1zv",
        "contacts": [{"name": "Mohan Gupta", "phone": "9822001133", "role": "owner"}], "notes": "Pays on Saturdays"
    })).await;
        assert_eq!(gupta["phone"], "+919822001122");
        assert_eq!(gupta["email"], "gupta@example.com");
        assert_eq!(gupta["gstin"], "27AAPFU0939F1ZV");
        assert_eq!(gupta["pan"], "AAPFU0939F", "PAN taken from the GSTIN");
        assert_eq!(gupta["contacts"][0]["phone"], "+919822001133");
        assert_eq!(gupta["balance"], 0);
        assert_eq!(gupta["status"], "active");
        assert_eq!(gupta["version"], 1);
        create(
            &t,
            &tok,
            json!({"name": "Guru Dairy", "phone": "9811100000"}),
        )
        .await;
        create(&t, &tok, json!({"name": "Bansal Sweets"})).await;

        assert_eq!(
            names(&t, &tok, "").await,
            ["Bansal Sweets", "Gupta Kirana Store", "Guru Dairy"],
            "by name"
        );
        assert_eq!(
            names(&t, &tok, "?q=GU").await,
            ["Gupta Kirana Store", "Guru Dairy"]
        );
        assert_eq!(
            names(&t, &tok, "?q=gupta%20k").await,
            ["Gupta Kirana Store"]
        );
        assert_eq!(
            names(&t, &tok, "?q=98220").await,
            ["Gupta Kirana Store"],
            "phone prefix"
        );
        assert_eq!(
            names(&t, &tok, "?q=%2B919811100000").await,
            ["Guru Dairy"],
            "full E.164"
        );
        assert!(names(&t, &tok, "?q=zzz").await.is_empty());

        let id = gupta["id"].as_str().unwrap();
        let path = format!("/v1/customers/{id}");
        let got = t.call(Method::GET, &path, Some(&tok), None).await;
        assert_eq!(got.body, gupta);

        let up = t
            .call(
                Method::PATCH,
                &path,
                Some(&tok),
                Some(json!({"notes": null, "phone": "9822009999", "version": 1})),
            )
            .await;
        assert_eq!(up.status, StatusCode::OK, "{}", up.body);
        assert_eq!(up.body["version"], 2);
        assert!(up.body.get("notes").is_none(), "null clears");
        assert_eq!(
            up.body["address"], "12 Main Bazar, Karnal",
            "absent fields stay"
        );
        assert!(
            names(&t, &tok, "?q=98220011").await.is_empty(),
            "old phone no longer found"
        );
        assert_eq!(
            names(&t, &tok, "?q=9822009999").await,
            ["Gupta Kirana Store"]
        );
        let stale = t
            .call(
                Method::PATCH,
                &path,
                Some(&tok),
                Some(json!({"name": "Lost Update", "version": 1})),
            )
            .await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        assert_eq!(
            t.call(Method::GET, &path, Some(&tok), None).await.body["name"],
            "Gupta Kirana Store"
        );

        let del = t.call(Method::DELETE, &path, Some(&tok), None).await;
        assert_eq!(del.status, StatusCode::NO_CONTENT);
        assert_eq!(
            names(&t, &tok, "?status=active").await,
            ["Bansal Sweets", "Guru Dairy"]
        );
        assert_eq!(
            names(&t, &tok, "?status=inactive").await,
            ["Gupta Kirana Store"]
        );
        assert_eq!(
            names(&t, &tok, "?status=inactive&q=gup").await,
            ["Gupta Kirana Store"]
        );
        assert_eq!(
            names(&t, &tok, "").await.len(),
            3,
            "deactivated customers stay listed without a filter"
        );
        let back = t
            .call(
                Method::PATCH,
                &path,
                Some(&tok),
                Some(json!({"status": "active"})),
            )
            .await;
        assert_eq!(back.body["status"], "active");
        assert_eq!(
            names(&t, &tok, "?status=active&q=gupta").await,
            ["Gupta Kirana Store"]
        );
        assert!(names(&t, &tok, "?status=inactive").await.is_empty());
    }
);

both!(pages_follow_signed_cursors, |t: TestApp| async move {
    let (tok, _, _) = t.owner().await;
    for i in 0..7 {
        create(&t, &tok, json!({"name": format!("Customer {i}")})).await;
    }
    let mut seen = vec![];
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let q = match &cursor {
            Some(c) => format!("?limit=3&cursor={c}"),
            None => "?limit=3".into(),
        };
        let r = t
            .call(Method::GET, &format!("/v1/customers{q}"), Some(&tok), None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        pages += 1;
        seen.extend(
            r.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["name"].as_str().unwrap().to_string()),
        );
        match r.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(
        seen,
        (0..7).map(|i| format!("Customer {i}")).collect::<Vec<_>>()
    );
    let first = t
        .call(Method::GET, "/v1/customers?limit=3", Some(&tok), None)
        .await;
    let c = first.body["next_cursor"].as_str().unwrap();
    let other_filter = t
        .call(
            Method::GET,
            &format!("/v1/customers?limit=3&status=active&cursor={c}"),
            Some(&tok),
            None,
        )
        .await;
    assert_eq!(other_filter.status, StatusCode::BAD_REQUEST);
    assert_eq!(other_filter.fields(), vec!["cursor"]);
    let tampered = t
        .call(
            Method::GET,
            &format!("/v1/customers?limit=3&cursor=x{c}"),
            Some(&tok),
            None,
        )
        .await;
    assert_eq!(tampered.status, StatusCode::BAD_REQUEST);
    for bad in ["?limit=0", "?limit=101"] {
        let r = t
            .call(
                Method::GET,
                &format!("/v1/customers{bad}"),
                Some(&tok),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(r.fields(), vec!["limit"]);
    }
    let r = t
        .call(Method::GET, "/v1/customers?sort=name", Some(&tok), None)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.fields(), vec!["sort"]);
});

both!(
    another_business_gets_404_and_customers_get_403,
    |t: TestApp| async move {
        let (a, _, _) = t.owner().await;
        let (b, _, _) = t.owner().await;
        let c = create(&t, &a, json!({"name": "Only For A"})).await;
        let path = format!("/v1/customers/{}", c["id"].as_str().unwrap());
        for (m, body) in [
            (Method::GET, None),
            (Method::PATCH, Some(json!({"name": "Hijack"}))),
            (Method::DELETE, None),
        ] {
            let r = t.call(m.clone(), &path, Some(&b), body).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{m}");
            assert_eq!(r.problem(), "not-found");
        }
        assert!(names(&t, &b, "").await.is_empty());
        let r = t.call(Method::GET, &path, Some(&a), None).await;
        assert_eq!(
            (r.body["name"].as_str(), r.body["status"].as_str()),
            (Some("Only For A"), Some("active"))
        );
        let unknown = t
            .call(Method::GET, "/v1/customers/not-an-id", Some(&a), None)
            .await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);

        let phone = common::unique_phone();
        t.call(
            Method::POST,
            "/v1/auth/register",
            None,
            Some(json!({"name": "Debtor", "phone": phone, "account_type": "customer"})),
        )
        .await;
        let (cust, _, _) = t.verify(&phone).await;
        let r = t
            .call(Method::GET, "/v1/customers", Some(&cust), None)
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
);

both!(
    idempotency_key_replays_the_first_answer,
    |t: TestApp| async move {
        let (tok, _, _) = t.owner().await;
        let auth = format!("Bearer {tok}");
        let headers = [
            ("content-type", "application/json"),
            ("authorization", auth.as_str()),
            ("idempotency-key", "create-42"),
        ];
        let body = br#"{"name": "Retry Traders"}"#.to_vec();
        let first = t
            .raw(Method::POST, "/v1/customers", &headers, body.clone())
            .await;
        let second = t.raw(Method::POST, "/v1/customers", &headers, body).await;
        assert_eq!(first.status, StatusCode::CREATED);
        assert_eq!(second.status, StatusCode::CREATED);
        assert_eq!(first.body["id"], second.body["id"]);
        assert!(first.headers.get("idempotent-replayed").is_none());
        assert_eq!(second.headers["idempotent-replayed"], "true");
        assert_eq!(names(&t, &tok, "").await, ["Retry Traders"]);
        let other = t
            .raw(
                Method::POST,
                "/v1/customers",
                &headers,
                br#"{"name": "Different"}"#.to_vec(),
            )
            .await;
        assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(other.fields(), vec!["Idempotency-Key"]);
        assert_eq!(names(&t, &tok, "").await.len(), 1);
    }
);

both!(
    bad_input_gets_a_problem_and_writes_nothing,
    |t: TestApp| async move {
        let (tok, _, user) = t.owner().await;
        let phone = user["phone"].as_str().unwrap().to_string();
        let auth = format!("Bearer {tok}");
        let json_headers = [
            ("content-type", "application/json"),
            ("authorization", auth.as_str()),
        ];
        let cases: Vec<Case> = vec![
            (
                "malformed JSON",
                b"{\"name\": ".to_vec(),
                StatusCode::BAD_REQUEST,
                "malformed-json",
                vec![],
            ),
            (
                "wrong type",
                br#"{"name": 5}"#.to_vec(),
                StatusCode::BAD_REQUEST,
                "invalid-request",
                vec!["name"],
            ),
            (
                "unknown field",
                br#"{"name": "X", "balance": 100}"#.to_vec(),
                StatusCode::BAD_REQUEST,
                "invalid-request",
                vec!["balance"],
            ),
            (
                "missing field",
                br#"{"phone": "9822001122"}"#.to_vec(),
                StatusCode::BAD_REQUEST,
                "invalid-request",
                vec!["name"],
            ),
            (
                "bad phone",
                br#"{"name": "X", "phone": "12345"}"#.to_vec(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation-error",
                vec!["phone"],
            ),
            (
                "bad GSTIN",
                br#"{"name": "X", "gstin": "27AAPFU0939F1ZW"}"#.to_vec(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation-error",
                vec!["gstin"],
            ),
            (
                "PAN not matching GSTIN",
                br#"{"name": "X", "gstin": "27AAPFU0939F1ZV", "pan": "AAACB1234C"}"#.to_vec(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation-error",
                vec!["pan"],
            ),
            (
                "bad contact email",
                br#"{"name": "X", "contacts": [{"name": "Y", "email": "nope"}]}"#.to_vec(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation-error",
                vec!["contacts[0].email"],
            ),
            (
                "several bad fields",
                br#"{"name": " ", "email": "x@", "pan": "123"}"#.to_vec(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation-error",
                vec!["name", "email", "pan"],
            ),
            (
                "oversized body",
                format!("{{\"name\": \"X\", \"notes\": \"{}\"}}", "a".repeat(70_000)).into_bytes(),
                StatusCode::PAYLOAD_TOO_LARGE,
                "body-too-large",
                vec![],
            ),
        ];
        for (what, body, status, kind, fields) in cases {
            let r = t
                .raw(Method::POST, "/v1/customers", &json_headers, body)
                .await;
            assert_eq!(r.status, status, "{what}: {}", r.body);
            assert_eq!(r.problem(), kind, "{what}");
            assert_eq!(r.fields(), fields, "{what}");
            assert_eq!(r.body["status"], status.as_u16(), "{what}");
        }
        let no_type = t
            .raw(
                Method::POST,
                "/v1/customers",
                &[("authorization", auth.as_str())],
                br#"{"name": "X"}"#.to_vec(),
            )
            .await;
        assert_eq!(no_type.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let no_token = t
            .call(
                Method::POST,
                "/v1/customers",
                None,
                Some(json!({"name": "X"})),
            )
            .await;
        assert_eq!(no_token.status, StatusCode::UNAUTHORIZED);
        assert_eq!(no_token.problem(), "missing-token");
        t.clock.advance(16 * 60);
        let expired = t
            .call(
                Method::POST,
                "/v1/customers",
                Some(&tok),
                Some(json!({"name": "X"})),
            )
            .await;
        assert_eq!(expired.status, StatusCode::UNAUTHORIZED);
        assert_eq!(expired.problem(), "token-expired");
        // nothing was written by any of them
        let fresh = t
            .call(
                Method::POST,
                "/v1/auth/login",
                None,
                Some(json!({"phone": phone, "password": "correct horse"})),
            )
            .await;
        assert_eq!(fresh.status, StatusCode::OK);
        assert!(
            names(&t, fresh.body["access_token"].as_str().unwrap(), "")
                .await
                .is_empty()
        );
        let r = t.call(Method::GET, "/v1/nothing-here", None, None).await;
        assert_eq!(
            (r.status, r.problem()),
            (StatusCode::NOT_FOUND, "not-found")
        );
        let r = t.call(Method::PUT, "/v1/customers", None, None).await;
        assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);

        // A dry run checks as a create does and writes nothing.
        let tok = fresh.body["access_token"].as_str().unwrap();
        let dry = "/v1/customers?dry_run=true";
        let r = t
            .call(
                Method::POST,
                dry,
                Some(tok),
                Some(json!({"name": "Gupta", "gstin": "27AAPFU0939F1ZW", "phone": "12"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.fields(), ["phone", "gstin"]);
        let r = t
            .call(
                Method::POST,
                dry,
                Some(tok),
                Some(json!({"name": "Gupta", "gstin": "27AAPFU0939F1ZV"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
        assert!(
            names(&t, tok, "").await.is_empty(),
            "a dry run writes nothing"
        );
    }
);

both!(
    registration_with_bad_input_creates_no_account,
    |t: TestApp| async move {
        let phone = common::unique_phone();
        let r = t.call(Method::POST, "/v1/auth/register", None, Some(json!({
        "name": "X", "phone": phone, "account_type": "business", "email": "bad@", "password": "short"
    }))).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.fields(), vec!["email", "password", "business_name"]);
        assert!(t.sms(&phone).is_empty());
        let ok = t
            .call(
                Method::POST,
                "/v1/auth/register",
                None,
                Some(json!({"name": "X", "phone": phone, "account_type": "customer"})),
            )
            .await;
        assert_eq!(
            ok.status,
            StatusCode::CREATED,
            "the phone is still free: {}",
            ok.body
        );
    }
);
