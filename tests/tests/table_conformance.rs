//! The table port's conformance suite: the same assertions on the SQLite
//! adapter and on the DynamoDB adapter (moto).

mod common;

use common::Backend;
use hisaab::table::{Cond, Index, Item, Key, Query, SortKey, Table, TableError, Write};
use serde_json::json;
use std::sync::Arc;

fn item(pk: &str, sk: &str, extra: serde_json::Value) -> Item {
    let mut i = extra.as_object().cloned().unwrap_or_default();
    i.insert("PK".into(), pk.into());
    i.insert("SK".into(), sk.into());
    i
}

async fn each(f: impl AsyncFn(Arc<dyn Table>)) {
    let dir = tempfile::tempdir().unwrap();
    f(common::table(Backend::Sqlite, dir.path()).await).await;
    if common::moto_endpoint().is_some() {
        f(common::table(Backend::Dynamo, dir.path()).await).await;
    }
}

#[tokio::test]
async fn put_get_delete_with_conditions() {
    each(async |t: Arc<dyn Table>| {
        let k = Key::new("A", "1");
        t.put(
            item(
                "A",
                "1",
                json!({"n": 1, "version": 1, "s": "x", "list": [1, 2]}),
            ),
            Some(Cond::NotExists),
        )
        .await
        .unwrap();
        let got = t.get(&k).await.unwrap().unwrap();
        assert_eq!(
            (got["n"].clone(), got["list"].clone()),
            (json!(1), json!([1, 2]))
        );
        let again = t
            .put(item("A", "1", json!({})), Some(Cond::NotExists))
            .await;
        assert!(matches!(again, Err(TableError::ConditionFailed { .. })));
        let stale = t
            .put(
                item("A", "1", json!({"version": 3})),
                Some(Cond::version(2)),
            )
            .await;
        assert!(matches!(stale, Err(TableError::ConditionFailed { .. })));
        t.put(
            item("A", "1", json!({"version": 2})),
            Some(Cond::version(1)),
        )
        .await
        .unwrap();
        assert!(
            t.get(&k).await.unwrap().unwrap().get("n").is_none(),
            "put replaces the whole item"
        );
        let cond_del = t.delete(&k, Some(Cond::version(1))).await;
        assert!(matches!(cond_del, Err(TableError::ConditionFailed { .. })));
        t.delete(&k, Some(Cond::And(vec![Cond::Exists, Cond::version(2)])))
            .await
            .unwrap();
        assert!(t.get(&k).await.unwrap().is_none());
        t.delete(&k, None).await.unwrap();
        assert!(matches!(
            t.delete(&k, Some(Cond::Exists)).await,
            Err(TableError::ConditionFailed { .. })
        ));
    })
    .await;
}

#[tokio::test]
async fn queries_sort_filter_and_page() {
    each(async |t: Arc<dyn Table>| {
        for (sk, g) in [
            ("B#3", "y"),
            ("A#1", "x"),
            ("B#1", "x"),
            ("B#2", "x"),
            ("C#1", "x"),
        ] {
            t.put(item("P", sk, json!({"GSI1PK": "G", "GSI1SK": g})), None)
                .await
                .unwrap();
        }
        t.put(item("Q", "B#9", json!({})), None).await.unwrap();
        let sks = |items: &[Item]| {
            items
                .iter()
                .map(|i| i["SK"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        };
        let all = t.query(&Query::new(Index::Table, "P")).await.unwrap();
        assert_eq!(sks(&all.items), ["A#1", "B#1", "B#2", "B#3", "C#1"]);
        assert!(all.last_key.is_none());
        let b = t
            .query(&Query::new(Index::Table, "P").begins_with("B#"))
            .await
            .unwrap();
        assert_eq!(sks(&b.items), ["B#1", "B#2", "B#3"]);
        let mut q = Query::new(Index::Table, "P");
        q.sk = Some(SortKey::Between("B#2".into(), "C#1".into()));
        q.forward = false;
        assert_eq!(
            sks(&t.query(&q).await.unwrap().items),
            ["C#1", "B#3", "B#2"]
        );
        q.sk = Some(SortKey::Eq("B#2".into()));
        assert_eq!(sks(&t.query(&q).await.unwrap().items), ["B#2"]);
        // pages of two, on the table and on a GSI with equal sort keys
        for index in [Index::Table, Index::Gsi1] {
            let pk = if index == Index::Table { "P" } else { "G" };
            let mut seen = vec![];
            let mut start = None;
            loop {
                let page = t
                    .query(&Query::new(index, pk).limit(2).start(start))
                    .await
                    .unwrap();
                assert!(page.items.len() <= 2);
                seen.extend(sks(&page.items));
                match page.last_key {
                    Some(k) => start = Some(k),
                    None => break,
                }
            }
            seen.sort();
            assert_eq!(seen, ["A#1", "B#1", "B#2", "B#3", "C#1"], "{index:?}");
        }
        let g = t
            .query(&Query::new(Index::Gsi1, "G").begins_with("y"))
            .await
            .unwrap();
        assert_eq!(sks(&g.items), ["B#3"]);
        assert!(
            t.query(&Query::new(Index::Gsi2, "G"))
                .await
                .unwrap()
                .items
                .is_empty()
        );
        // GSI3, a sparse index: only items with GSI3PK are in it; `between`
        // and descending order work there as on the table.
        for (sk, due) in [
            ("I#1", "2026-01-05"),
            ("I#2", "2026-02-01"),
            ("I#3", "2026-01-20"),
        ] {
            t.put(
                item("R", sk, json!({"GSI3PK": "OPEN", "GSI3SK": due})),
                None,
            )
            .await
            .unwrap();
        }
        t.put(item("R", "I#4", json!({})), None).await.unwrap();
        let overdue = t
            .query(
                &Query::new(Index::Gsi3, "OPEN")
                    .between("2026-01-01", "2026-01-31")
                    .descending(),
            )
            .await
            .unwrap();
        assert_eq!(sks(&overdue.items), ["I#3", "I#1"]);
    })
    .await;
}

#[tokio::test]
async fn atomic_add_creates_and_counts() {
    each(async |t: Arc<dyn Table>| {
        let k = Key::new("C", "n");
        assert_eq!(t.add(&k, "hits", 5, None).await.unwrap(), 5);
        assert_eq!(t.add(&k, "hits", -2, None).await.unwrap(), 3);
        let missing = t
            .add(&Key::new("C", "none"), "hits", 1, Some(Cond::Exists))
            .await;
        assert!(matches!(missing, Err(TableError::ConditionFailed { .. })));
        assert!(t.get(&Key::new("C", "none")).await.unwrap().is_none());
    })
    .await;
}

#[tokio::test]
async fn transactions_are_all_or_nothing() {
    each(async |t: Arc<dyn Table>| {
        t.put(item("T", "existing", json!({"version": 1})), None)
            .await
            .unwrap();
        let failing = vec![
            Write::Put {
                item: item("T", "new", json!({})),
                cond: Some(Cond::NotExists),
            },
            Write::Add {
                key: Key::new("T", "counter"),
                deltas: vec![("n".into(), 1), ("paise.total".into(), 250)],
                attrs: vec![],
                cond: None,
            },
            Write::Check {
                key: Key::new("T", "existing"),
                cond: Cond::version(9),
            },
        ];
        match t.transact(failing).await {
            Err(TableError::ConditionFailed { index }) => assert_eq!(index, Some(2)),
            other => panic!("expected a failed condition, got {other:?}"),
        }
        assert!(
            t.get(&Key::new("T", "new")).await.unwrap().is_none(),
            "nothing half-written"
        );
        assert!(t.get(&Key::new("T", "counter")).await.unwrap().is_none());
        let ok = vec![
            Write::Put {
                item: item("T", "new", json!({})),
                cond: Some(Cond::NotExists),
            },
            Write::Add {
                key: Key::new("T", "counter"),
                deltas: vec![("n".into(), 1), ("paise.total".into(), 250)],
                attrs: vec![],
                cond: None,
            },
            Write::Check {
                key: Key::new("T", "existing"),
                cond: Cond::version(1),
            },
            Write::Delete {
                key: Key::new("T", "gone"),
                cond: None,
            },
        ];
        t.transact(ok).await.unwrap();
        assert!(t.get(&Key::new("T", "new")).await.unwrap().is_some());
        let counter = t.get(&Key::new("T", "counter")).await.unwrap().unwrap();
        assert_eq!(counter["n"], json!(1));
        assert_eq!(
            counter["paise.total"],
            json!(250),
            "several attributes at once"
        );
        let twice = vec![
            Write::Put {
                item: item("T", "x", json!({})),
                cond: None,
            },
            Write::Delete {
                key: Key::new("T", "x"),
                cond: None,
            },
        ];
        assert!(matches!(
            t.transact(twice).await,
            Err(TableError::Invalid(_))
        ));
    })
    .await;
}

/// An `Add` sets its string attributes where they are absent and keeps
/// the first value afterwards (`SET #a = if_not_exists(#a, :v)`), in the
/// same write as the counters.
#[tokio::test]
async fn adds_keep_their_first_attributes() {
    each(async |t: Arc<dyn Table>| {
        let add = |date: &str| Write::Add {
            key: Key::new("S", "DAY#2026-11-30"),
            deltas: vec![("n".into(), 1)],
            attrs: vec![
                ("entity".into(), "stats_day".into()),
                ("date".into(), date.into()),
            ],
            cond: None,
        };
        t.transact(vec![add("2026-11-30")]).await.unwrap();
        t.transact(vec![add("1999-01-01")]).await.unwrap();
        let got = t
            .get(&Key::new("S", "DAY#2026-11-30"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(got["n"], json!(2));
        assert_eq!(got["date"], json!("2026-11-30"), "the first value stays");
        assert_eq!(got["entity"], json!("stats_day"));
    })
    .await;
}

#[tokio::test]
async fn batches_put_whole_items_and_scans_read_every_item_once() {
    each(async |t: Arc<dyn Table>| {
        for p in 0..6 {
            let batch = (0..25)
                .map(|s| item(&format!("P{p}"), &format!("{s:02}"), json!({"n": s})))
                .collect();
            t.put_batch(batch).await.unwrap();
        }
        // A batch replaces without conditions.
        t.put_batch(vec![item("P0", "00", json!({"n": 99}))])
            .await
            .unwrap();
        assert_eq!(
            t.get(&Key::new("P0", "00")).await.unwrap().unwrap()["n"],
            99
        );
        for bad in [
            vec![],
            (0..26)
                .map(|s| item("Q", &s.to_string(), json!({})))
                .collect(),
        ] {
            assert!(matches!(
                t.put_batch(bad).await,
                Err(TableError::Invalid(_))
            ));
        }
        let twice = vec![item("Q", "1", json!({})), item("Q", "1", json!({}))];
        assert!(matches!(
            t.put_batch(twice).await,
            Err(TableError::Invalid(_))
        ));

        // Three segments, small pages: every item exactly once.
        let mut seen = std::collections::BTreeMap::new();
        for segment in 0..3 {
            let mut scan = hisaab::table::Scan {
                segment,
                segments: 3,
                limit: 7,
                start: None,
            };
            loop {
                let page = t.scan(&scan).await.unwrap();
                assert!(page.items.len() <= 7);
                for i in page.items {
                    let k = Key::of(&i).unwrap();
                    *seen.entry((k.pk, k.sk)).or_insert(0) += 1;
                }
                match page.last_key {
                    Some(k) => scan.start = Some(k),
                    None => break,
                }
            }
        }
        assert_eq!(seen.len(), 150);
        assert!(seen.values().all(|&n| n == 1));
        let out_of_range = hisaab::table::Scan {
            segment: 3,
            segments: 3,
            limit: 7,
            start: None,
        };
        assert!(matches!(
            t.scan(&out_of_range).await,
            Err(TableError::Invalid(_))
        ));
    })
    .await;
}

#[tokio::test]
async fn stored_pages_are_the_pages_of_query() {
    each(async |t: Arc<dyn Table>| {
        for (sk, g) in [("A#1", "x"), ("B#1", "x"), ("B#2", "y"), ("C#1", "x")] {
            t.put(
                item("S", sk, json!({"GSI1PK": "H", "GSI1SK": g, "n": sk})),
                None,
            )
            .await
            .unwrap();
        }
        for index in [Index::Table, Index::Gsi1] {
            let pk = if index == Index::Table { "S" } else { "H" };
            for forward in [true, false] {
                let mut start = None;
                let mut pages = 0;
                loop {
                    let mut q = Query::new(index, pk).limit(3).start(start.clone());
                    q.forward = forward;
                    let plain = t.query(&q).await.unwrap();
                    let stored = t.query_stored(&q).await.unwrap();
                    let decoded: Vec<Item> = stored
                        .items
                        .into_iter()
                        .map(|s| s.decode().unwrap())
                        .collect();
                    assert_eq!(decoded, plain.items, "{index:?} forward={forward}");
                    assert_eq!(stored.last_key, plain.last_key, "{index:?}");
                    pages += 1;
                    match plain.last_key {
                        Some(k) => start = Some(k),
                        None => break,
                    }
                }
                assert_eq!(pages, 2, "four items in pages of three");
            }
        }
    })
    .await;
}
