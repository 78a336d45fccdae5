//! The store suite: runs on SQLite by default and on PostgreSQL when
//! `SLOTLINE_TEST_POSTGRES_URL` is set (`make test` does both).

mod common;

use common::fresh_store;
use slotline::store::tenants::{NewTenant, PhoneNumber};
use slotline::store::StoreError;

fn salon(slug: &str) -> NewTenant<'_> {
    NewTenant {
        slug,
        name: "Salon",
        time_zone: "Europe/Berlin",
        locale: "de",
        country: "DE",
    }
}

#[tokio::test]
async fn migrations_are_idempotent_and_reported() {
    let (store, _dir) = fresh_store().await;
    store.migrate().await.expect("second run is a no-op");
    let state = store.migration_state().await.unwrap();
    assert_eq!(state.applied, state.expected);
    assert!(state.expected >= 1);
}

#[tokio::test]
async fn tenants_round_trip_with_defaults_and_unique_slugs() {
    let (store, _dir) = fresh_store().await;
    let id = store.create_tenant(&salon("eins")).await.unwrap();
    let t = store.tenant_by_slug("eins").await.unwrap().unwrap();
    assert_eq!(
        (t.id, t.time_zone.as_str(), t.locale.as_str()),
        (id, "Europe/Berlin", "de")
    );
    assert!(matches!(
        store.create_tenant(&salon("eins")).await,
        Err(StoreError::Duplicate(_))
    ));
    assert!(store.tenant_by_slug("zwei").await.unwrap().is_none());
    assert!(store
        .update_tenant_settings(id, "Neu", "Europe/Vienna", "en")
        .await
        .unwrap());
    assert!(!store
        .update_tenant_settings(id + 999, "X", "UTC", "en")
        .await
        .unwrap());
    let t = store.tenant_by_id(id).await.unwrap().unwrap();
    assert_eq!(
        (t.name.as_str(), t.time_zone.as_str()),
        ("Neu", "Europe/Vienna")
    );
}

#[tokio::test]
async fn locale_outside_de_en_is_rejected_by_the_schema() {
    let (store, _dir) = fresh_store().await;
    let id = store.create_tenant(&salon("eins")).await.unwrap();
    assert!(store
        .update_tenant_settings(id, "X", "UTC", "fr")
        .await
        .is_err());
    assert_eq!(store.tenant_by_id(id).await.unwrap().unwrap().locale, "de");
}

#[tokio::test]
async fn phone_numbers_belong_to_one_tenant_only() {
    let (store, _dir) = fresh_store().await;
    let a = store.create_tenant(&salon("a")).await.unwrap();
    let b = store.create_tenant(&salon("b")).await.unwrap();
    let number = PhoneNumber {
        e164: "+493012345670".into(),
        retell_agent_id: Some("agent_1".into()),
        label: "main".into(),
    };
    store.add_phone_number(a, &number).await.unwrap();
    assert!(matches!(
        store.add_phone_number(b, &number).await,
        Err(StoreError::Duplicate(_))
    ));
    assert_eq!(store.phone_numbers(a).await.unwrap(), vec![number]);
    assert!(store.phone_numbers(b).await.unwrap().is_empty());
}

#[tokio::test]
async fn sessions_expire_and_can_be_deleted() {
    let (store, _dir) = fresh_store().await;
    let t = store.create_tenant(&salon("a")).await.unwrap();
    let admin = store
        .create_admin(t, "a@b.de", "hash", "owner")
        .await
        .unwrap();
    let now = slotline::store::now_ms();
    store
        .create_session("live", admin, now + 60_000)
        .await
        .unwrap();
    store.create_session("stale", admin, now - 1).await.unwrap();
    assert_eq!(
        store.session_admin("live").await.unwrap().unwrap().id,
        admin
    );
    assert!(store.session_admin("stale").await.unwrap().is_none());
    store.delete_session("live").await.unwrap();
    assert!(store.session_admin("live").await.unwrap().is_none());
    assert!(matches!(
        store.create_admin(t, "a@b.de", "hash", "owner").await,
        Err(StoreError::Duplicate(_))
    ));
}

#[tokio::test]
async fn retell_api_key_is_stored_sealed() {
    let (store, _dir) = fresh_store().await;
    let t = store.create_tenant(&salon("a")).await.unwrap();
    assert!(store.retell_api_key_sealed(t).await.unwrap().is_none());
    let secrets = slotline::crypto::SecretBox::new(&[3; 32]);
    store
        .set_retell_api_key_sealed(t, &secrets.seal_for(t, "key_123"))
        .await
        .unwrap();
    let sealed = store.retell_api_key_sealed(t).await.unwrap().unwrap();
    assert!(!sealed.contains("key_123"));
    assert_eq!(secrets.open_for(t, &sealed).unwrap(), "key_123");
}
