//! Registry benchmarks on the real SQLite adapter with 1 000 000 companies
//! (seeded once, untimed, through the same `ensure_company` that customer
//! creation uses; names of three or four words drawn from Indian trade
//! names):
//! - `search_two_words`: `sharma kir` (first word's prefix partition, the
//!   second filtering), a page of 20;
//! - `search_one_prefix`: `gup`, a page of 20;
//! - `search_phone`: an exact phone (one identity read, one company read);
//! - `company_page`: a company's page with its rating.
//!
//! Before the timed runs each operation runs once through the counting
//! table and the calls it made on the table port are printed to stderr.
//!
//! `cargo bench -p hisaab --features local --bench registry`; `HISAAB_BENCH_COMPANIES` sets
//! the size (default 1 000 000).

mod common;

use common::{env, owner, row};
use criterion::{Criterion, criterion_group, criterion_main};
use hisaab::registry::search::CompanySearch;
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;

const SURNAMES: [&str; 40] = [
    "Sharma",
    "Gupta",
    "Agarwal",
    "Patel",
    "Shah",
    "Mehta",
    "Jain",
    "Singh",
    "Kumar",
    "Verma",
    "Reddy",
    "Rao",
    "Naidu",
    "Iyer",
    "Nair",
    "Menon",
    "Pillai",
    "Das",
    "Ghosh",
    "Bose",
    "Mukherjee",
    "Banerjee",
    "Chatterjee",
    "Yadav",
    "Khan",
    "Ansari",
    "Qureshi",
    "Siddiqui",
    "Kapoor",
    "Malhotra",
    "Chopra",
    "Bansal",
    "Goyal",
    "Mittal",
    "Garg",
    "Joshi",
    "Kulkarni",
    "Deshpande",
    "Patil",
    "Pawar",
];
const TRADES: [&str; 25] = [
    "Kirana",
    "Traders",
    "Enterprises",
    "Agencies",
    "Dairy",
    "Sweets",
    "Textiles",
    "Hardware",
    "Electricals",
    "Medicals",
    "Provisions",
    "Vegetables",
    "Fruits",
    "Grains",
    "Oils",
    "Spices",
    "Steel",
    "Cement",
    "Timber",
    "Plastics",
    "Paper",
    "Garments",
    "Footwear",
    "Mobiles",
    "Motors",
];
const SUFFIXES: [&str; 10] = [
    "Stores",
    "Company",
    "Brothers",
    "Sons",
    "Mart",
    "Depot",
    "Centre",
    "House",
    "Corporation",
    "Suppliers",
];
const CITIES: [&str; 20] = [
    "Pune", "Nashik", "Indore", "Jaipur", "Surat", "Vadodara", "Nagpur", "Lucknow", "Kanpur",
    "Patna", "Ranchi", "Bhopal", "Raipur", "Ludhiana", "Amritsar", "Agra", "Meerut", "Rajkot",
    "Madurai", "Mysuru",
];

fn size() -> usize {
    std::env::var("HISAAB_BENCH_COMPANIES")
        .ok()
        .map(|v| v.parse().expect("HISAAB_BENCH_COMPANIES: a number"))
        .unwrap_or(1_000_000)
}

/// The i-th generated company: name, phone (E.164), city.
fn company(i: usize) -> (String, String, &'static str) {
    // A fixed permutation of the name parts, so names spread over words.
    let h = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let pick = |n: usize, shift: u32| ((h >> shift) as usize) % n;
    let mut name = format!(
        "{} {} {}",
        SURNAMES[pick(SURNAMES.len(), 7)],
        TRADES[pick(TRADES.len(), 17)],
        SUFFIXES[pick(SUFFIXES.len(), 27)]
    );
    if i.is_multiple_of(3) {
        name.push_str(&format!(" {}", i % 97));
    }
    (
        name,
        format!("+9170{:08}", i),
        CITIES[pick(CITIES.len(), 37)],
    )
}

fn bench(c: &mut Criterion) {
    let rt = Runtime::new().expect("runtime");
    let e = env();
    let n = size();
    let actor = rt.block_on(owner(&e, "+919800000001", "Asha Traders"));
    let started = Instant::now();
    rt.block_on(async {
        for i in 0..n {
            let (name, phone, city) = company(i);
            e.app
                .ensure_company(&name, None, None, Some(&phone), Some(city))
                .await
                .expect("company");
            if i > 0 && i.is_multiple_of(100_000) {
                eprintln!("seeded {i} companies in {:.0?}", started.elapsed());
            }
        }
    });
    eprintln!("seeded {n} companies in {:.0?}", started.elapsed());

    let search = |q: &str| CompanySearch {
        q: Some(q.into()),
        limit: Some(20),
        cursor: None,
    };
    let probe_phone = company(n / 2).1;
    let app = &e.counted;
    let found = rt
        .block_on(app.search_companies(&actor, search("sharma kir")))
        .expect("search");
    row("search_two_words", e.counting.take());
    assert!(!found.items.is_empty(), "sharma kir finds companies");
    rt.block_on(app.search_companies(&actor, search("gup")))
        .expect("search");
    row("search_one_prefix", e.counting.take());
    let one = rt
        .block_on(app.search_companies(&actor, search(&probe_phone)))
        .expect("search");
    row("search_phone", e.counting.take());
    let id = one.items[0].id.clone();
    rt.block_on(app.company_detail(&actor, &id)).expect("page");
    row("company_page", e.counting.take());

    let app = &e.app;
    let mut g = c.benchmark_group("registry");
    g.measurement_time(Duration::from_secs(10));
    g.bench_function("search_two_words", |b| {
        b.iter(|| {
            rt.block_on(app.search_companies(&actor, search("sharma kir")))
                .expect("search")
        })
    });
    g.bench_function("search_one_prefix", |b| {
        b.iter(|| {
            rt.block_on(app.search_companies(&actor, search("gup")))
                .expect("search")
        })
    });
    g.bench_function("search_phone", |b| {
        b.iter(|| {
            rt.block_on(app.search_companies(&actor, search(&probe_phone)))
                .expect("search")
        })
    });
    g.bench_function("company_page", |b| {
        b.iter(|| rt.block_on(app.company_detail(&actor, &id)).expect("page"))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
