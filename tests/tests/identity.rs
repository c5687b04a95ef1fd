//! Identity end to end, on SQLite and on DynamoDB/SNS/SES (moto).

mod common;

use axum::http::{Method, StatusCode};
use common::{TestApp, unique_phone};
use hisaab::identity::Role;
use serde_json::json;

both!(register_otp_verify_gives_tokens, |t: TestApp| async move {
    let phone = unique_phone();
    let r = t.call(Method::POST, "/v1/auth/register", None, Some(json!({
        "name": "Meena", "phone": phone.trim_start_matches("+91"), "account_type": "customer"
    }))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["user"]["phone"], phone, "10 digits become +91 E.164");
    assert_eq!(r.body["user"]["phone_verified"], false);
    let (access, refresh, user) = t.verify(&phone).await;
    assert_eq!(user["role"], "customer");
    assert!(!refresh.is_empty());
    let me = t.call(Method::GET, "/v1/me", Some(&access), None).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["phone_verified"], true);
    // the same phone cannot register twice
    let again = t
        .call(
            Method::POST,
            "/v1/auth/register",
            None,
            Some(json!({
                "name": "Other", "phone": phone, "account_type": "customer"
            })),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.fields(), vec!["phone"]);
});

both!(
    business_registration_mails_welcome_and_password_login_works,
    |t: TestApp| async move {
        let (_, _, user) = t.owner().await;
        let phone = user["phone"].as_str().unwrap();
        let email = user["email"].as_str().unwrap();
        assert_eq!(user["role"], "owner");
        assert!(user["business_id"].as_str().unwrap().starts_with("biz_"));
        assert_eq!(t.mails(email).len(), 1, "welcome mail");
        for who in [
            json!({"phone": phone}),
            json!({"email": email.to_uppercase()}),
        ] {
            let mut body = who.clone();
            body["password"] = json!("correct horse");
            let r = t
                .call(Method::POST, "/v1/auth/login", None, Some(body))
                .await;
            assert_eq!(r.status, StatusCode::OK, "{who}: {}", r.body);
            assert_eq!(r.body["token_type"], "Bearer");
            assert_eq!(r.body["expires_in"], 900);
        }
        let wrong = t
            .call(
                Method::POST,
                "/v1/auth/login",
                None,
                Some(json!({"phone": phone, "password": "wrong horse"})),
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert_eq!(wrong.problem(), "login-failed");
    }
);

both!(
    admin_password_login_needs_the_otp,
    |t: TestApp| async move {
        let phone = unique_phone();
        let admin = t
            .app
            .create_admin("Root", &phone, Role::AdminSuper)
            .await
            .unwrap();
        assert_eq!(admin.phone, phone);
        t.call(
            Method::POST,
            "/v1/auth/otp",
            None,
            Some(json!({"phone": phone})),
        )
        .await;
        let (access, _, user) = t.verify(&phone).await;
        assert_eq!(user["role"], "admin_super");
        let set = t
            .call(
                Method::PATCH,
                "/v1/me",
                Some(&access),
                Some(json!({"password": "admin password 1"})),
            )
            .await;
        assert_eq!(set.status, StatusCode::OK, "{}", set.body);
        let sent_before = t.sms(&phone).len();
        let r = t
            .call(
                Method::POST,
                "/v1/auth/login",
                None,
                Some(json!({"phone": phone, "password": "admin password 1"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::ACCEPTED);
        assert_eq!(r.body, json!({"otp_required": true}));
        assert!(r.body.get("access_token").is_none());
        assert_eq!(t.sms(&phone).len(), sent_before + 1, "an OTP was sent");
        let (_, _, user) = t.verify(&phone).await;
        assert_eq!(user["role"], "admin_super");
    }
);

both!(
    refresh_rotates_and_logout_revokes,
    |t: TestApp| async move {
        let (_, r1, _) = t.owner().await;
        let refresh = |tok: String| {
            let t = &t;
            async move {
                t.call(
                    Method::POST,
                    "/v1/auth/refresh",
                    None,
                    Some(json!({"refresh_token": tok})),
                )
                .await
            }
        };
        let a = refresh(r1.clone()).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        let r2 = a.body["refresh_token"].as_str().unwrap().to_string();
        assert_ne!(r1, r2);
        let me = t
            .call(Method::GET, "/v1/me", a.body["access_token"].as_str(), None)
            .await;
        assert_eq!(me.status, StatusCode::OK);
        // the old token is refused, and its reuse revokes the session
        assert_eq!(refresh(r1.clone()).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(refresh(r2.clone()).await.status, StatusCode::UNAUTHORIZED);
        // a new session, logged out, cannot refresh
        let phone = me.body["phone"].as_str().unwrap().to_string();
        let login = t
            .call(
                Method::POST,
                "/v1/auth/login",
                None,
                Some(json!({"phone": phone, "password": "correct horse"})),
            )
            .await;
        let r3 = login.body["refresh_token"].as_str().unwrap().to_string();
        let out = t
            .call(
                Method::POST,
                "/v1/auth/logout",
                None,
                Some(json!({"refresh_token": r3})),
            )
            .await;
        assert_eq!(out.status, StatusCode::NO_CONTENT);
        assert_eq!(refresh(r3).await.status, StatusCode::UNAUTHORIZED);
    }
);

both!(forgot_and_reset_password_by_mail, |t: TestApp| async move {
    let (_, old_refresh, user) = t.owner().await;
    let email = user["email"].as_str().unwrap().to_string();
    let phone = user["phone"].as_str().unwrap().to_string();
    let unknown = t
        .call(
            Method::POST,
            "/v1/auth/password/forgot",
            None,
            Some(json!({"email": "nobody@example.com"})),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::ACCEPTED);
    assert!(t.mails("nobody@example.com").is_empty());
    let r = t
        .call(
            Method::POST,
            "/v1/auth/password/forgot",
            None,
            Some(json!({"email": email})),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED);
    let (subject, body) = t.mails(&email).pop().unwrap();
    assert!(subject.contains("Reset"));
    let token = body
        .split("token=")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let short = t
        .call(
            Method::POST,
            "/v1/auth/password/reset",
            None,
            Some(json!({"token": token, "password": "short"})),
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(short.fields(), vec!["password"]);
    let ok = t
        .call(
            Method::POST,
            "/v1/auth/password/reset",
            None,
            Some(json!({"token": token, "password": "a new long password"})),
        )
        .await;
    assert_eq!(ok.status, StatusCode::NO_CONTENT, "{}", ok.body);
    let reuse = t
        .call(
            Method::POST,
            "/v1/auth/password/reset",
            None,
            Some(json!({"token": token, "password": "another password"})),
        )
        .await;
    assert_eq!(reuse.status, StatusCode::BAD_REQUEST);
    assert_eq!(reuse.problem(), "reset-token-invalid");
    let login = |pw: &'static str| {
        t.call(
            Method::POST,
            "/v1/auth/login",
            None,
            Some(json!({"phone": phone, "password": pw})),
        )
    };
    assert_eq!(
        login("correct horse").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(login("a new long password").await.status, StatusCode::OK);
    let r = t
        .call(
            Method::POST,
            "/v1/auth/refresh",
            None,
            Some(json!({"refresh_token": old_refresh})),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNAUTHORIZED,
        "sessions end with a reset"
    );
    // a reset link dies after 30 minutes
    t.call(
        Method::POST,
        "/v1/auth/password/forgot",
        None,
        Some(json!({"email": email})),
    )
    .await;
    let (_, body) = t.mails(&email).pop().unwrap();
    let token = body
        .split("token=")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    t.clock.advance(31 * 60);
    let late = t
        .call(
            Method::POST,
            "/v1/auth/password/reset",
            None,
            Some(json!({"token": token, "password": "too late password"})),
        )
        .await;
    assert_eq!(late.status, StatusCode::BAD_REQUEST);
});

both!(
    otp_expires_dies_after_five_wrong_tries_and_sends_are_limited,
    |t: TestApp| async move {
        let phone = unique_phone();
        let reg = t
            .call(
                Method::POST,
                "/v1/auth/register",
                None,
                Some(json!({"name": "Ravi", "phone": phone, "account_type": "customer"})),
            )
            .await;
        assert_eq!(reg.status, StatusCode::CREATED);
        let verify = |code: String| {
            let (t, phone) = (&t, phone.clone());
            async move {
                t.call(
                    Method::POST,
                    "/v1/auth/otp/verify",
                    None,
                    Some(json!({"phone": phone, "code": code})),
                )
                .await
            }
        };
        // expiry after 5 minutes
        let code = t.last_otp(&phone);
        t.clock.advance(301);
        let r = verify(code).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(r.problem(), "otp-expired");
        // five wrong tries kill the code, even the right one after that
        assert_eq!(
            t.call(
                Method::POST,
                "/v1/auth/otp",
                None,
                Some(json!({"phone": phone}))
            )
            .await
            .status,
            StatusCode::ACCEPTED
        );
        let code = t.last_otp(&phone);
        let wrong = if code == "000000" { "111111" } else { "000000" };
        for i in 0..5 {
            let r = verify(wrong.into()).await;
            assert_eq!(r.problem(), "otp-wrong", "try {i}");
        }
        let r = verify(code).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(r.problem(), "otp-dead");
        // three sends in 15 minutes (registration was the first), then 429
        assert_eq!(
            t.call(
                Method::POST,
                "/v1/auth/otp",
                None,
                Some(json!({"phone": phone}))
            )
            .await
            .status,
            StatusCode::ACCEPTED
        );
        let sent = t.sms(&phone).len();
        let limited = t
            .call(
                Method::POST,
                "/v1/auth/otp",
                None,
                Some(json!({"phone": phone})),
            )
            .await;
        assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(limited.problem(), "rate-limited");
        let retry: i64 = limited.headers["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=900).contains(&retry), "{retry}");
        assert_eq!(t.sms(&phone).len(), sent, "nothing sent when limited");
        t.clock.advance(retry);
        assert_eq!(
            t.call(
                Method::POST,
                "/v1/auth/otp",
                None,
                Some(json!({"phone": phone}))
            )
            .await
            .status,
            StatusCode::ACCEPTED
        );
        let (_, _, user) = t.verify(&phone).await;
        assert_eq!(user["phone_verified"], true);
    }
);

both!(
    otp_for_unknown_phone_answers_alike_and_sends_nothing,
    |t: TestApp| async move {
        let phone = unique_phone();
        let r = t
            .call(
                Method::POST,
                "/v1/auth/otp",
                None,
                Some(json!({"phone": phone})),
            )
            .await;
        assert_eq!(r.status, StatusCode::ACCEPTED);
        assert!(t.sms(&phone).is_empty());
        let bad = t
            .call(
                Method::POST,
                "/v1/auth/otp",
                None,
                Some(json!({"phone": "12ab"})),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.fields(), vec!["phone"]);
    }
);

both!(
    staff_work_inside_the_business_only,
    |t: TestApp| async move {
        let (owner, _, _) = t.owner().await;
        let phone = unique_phone();
        let add = t
            .call(
                Method::POST,
                "/v1/business/staff",
                Some(&owner),
                Some(json!({"name": "Ravi", "phone": phone})),
            )
            .await;
        assert_eq!(add.status, StatusCode::CREATED, "{}", add.body);
        assert!(t.sms(&phone)[0].contains("Asha Traders"));
        let staff_id = add.body["user_id"].as_str().unwrap().to_string();
        t.call(
            Method::POST,
            "/v1/auth/otp",
            None,
            Some(json!({"phone": phone})),
        )
        .await;
        let (staff, _, user) = t.verify(&phone).await;
        assert_eq!(user["role"], "staff");
        let c = t
            .call(
                Method::POST,
                "/v1/customers",
                Some(&staff),
                Some(json!({"name": "Staff Added"})),
            )
            .await;
        assert_eq!(c.status, StatusCode::CREATED);
        let seen = t
            .call(Method::GET, "/v1/customers", Some(&owner), None)
            .await;
        assert_eq!(
            seen.body["items"].as_array().unwrap().len(),
            1,
            "the owner sees what staff added"
        );
        for (m, p) in [
            (Method::POST, "/v1/business/staff"),
            (Method::GET, "/v1/business/staff"),
        ] {
            let r = t
                .call(
                    m,
                    p,
                    Some(&staff),
                    Some(json!({"name": "X", "phone": unique_phone()})),
                )
                .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "staff cannot manage staff");
        }
        let list = t
            .call(Method::GET, "/v1/business/staff", Some(&owner), None)
            .await;
        let roles: Vec<_> = list.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["role"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(roles.len(), 2);
        assert!(roles.contains(&"owner".to_string()) && roles.contains(&"staff".to_string()));
        let del = t
            .call(
                Method::DELETE,
                &format!("/v1/business/staff/{staff_id}"),
                Some(&owner),
                None,
            )
            .await;
        assert_eq!(del.status, StatusCode::NO_CONTENT);
        let after = t
            .call(Method::GET, "/v1/customers", Some(&staff), None)
            .await;
        assert_eq!(
            after.status,
            StatusCode::UNAUTHORIZED,
            "a removed staff member is refused at once"
        );
        let again = t
            .call(
                Method::DELETE,
                &format!("/v1/business/staff/{staff_id}"),
                Some(&owner),
                None,
            )
            .await;
        assert_eq!(again.status, StatusCode::NOT_FOUND);
    }
);

both!(
    disabled_user_is_refused_on_the_next_request,
    |t: TestApp| async move {
        let (access, _, user) = t.owner().await;
        assert_eq!(
            t.call(Method::GET, "/v1/me", Some(&access), None)
                .await
                .status,
            StatusCode::OK
        );
        let key = hisaab::keys::user(user["id"].as_str().unwrap());
        let mut item = t.app.table.get(&key).await.unwrap().unwrap();
        item.insert("status".into(), json!("disabled"));
        t.app.table.put(item, None).await.unwrap();
        let r = t.call(Method::GET, "/v1/me", Some(&access), None).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(r.problem(), "forbidden");
    }
);

both!(
    expired_and_forged_tokens_are_refused,
    |t: TestApp| async move {
        let (access, _, _) = t.owner().await;
        // flip the first character of the signature
        let dot = access.rfind('.').unwrap() + 1;
        let flipped = if &access[dot..dot + 1] == "A" {
            "B"
        } else {
            "A"
        };
        let forged = format!("{}{flipped}{}", &access[..dot], &access[dot + 1..]);
        let r = t.call(Method::GET, "/v1/me", Some(&forged), None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(r.problem(), "invalid-token");
        t.clock.advance(15 * 60 + 1);
        let r = t.call(Method::GET, "/v1/me", Some(&access), None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(r.problem(), "token-expired");
        assert_eq!(r.headers["www-authenticate"], "Bearer");
    }
);

both!(
    adding_staff_with_an_idempotency_key_adds_and_texts_once,
    |t: TestApp| async move {
        use common::idempotency::{Retry, assert_replays};
        let (owner, _, _) = t.owner().await;
        let phone = unique_phone();
        let first = assert_replays(
            &t,
            Retry {
                method: Method::POST,
                path: "/v1/business/staff".into(),
                token: &owner,
                key: "staff-ravi",
                body: json!({"name": "Ravi", "phone": phone}),
                other: json!({"name": "Ravi Kumar", "phone": phone}),
            },
        )
        .await;
        assert_eq!(first.status, StatusCode::CREATED);
        assert_eq!(t.sms(&phone).len(), 1, "one invitation");
        let list = t
            .call(Method::GET, "/v1/business/staff", Some(&owner), None)
            .await;
        let staff: Vec<_> = list.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["role"] == "staff")
            .collect();
        assert_eq!(staff.len(), 1, "{}", list.body);
        assert_eq!(staff[0]["user_id"], first.body["user_id"]);
    }
);
