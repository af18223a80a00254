//! An in-memory provider for the sync engine's logic while the backends are being written.
//! Auth0-like names (letters, digits, inner hyphens), and a GenAuth-like purpose: every
//! connection may sign in, so a source that may not is a widening.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use idconn_core::{
    Applied, Capabilities, ClientSecret, Connection, Error, IdentityConnectionProvider, Loss,
    NameRule, Page, PageRequest, Policy, PurposeSupport, Result, Switch, Translation,
    TranslationReport, Vendor, async_trait, validate,
};

fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-'
}

#[derive(Default)]
pub struct Fake {
    store: Mutex<BTreeMap<String, Connection>>,
    next_id: AtomicUsize,
    pub writes: AtomicUsize,
    in_flight: AtomicUsize,
    pub max_in_flight: AtomicUsize,
    /// Reads hide secrets (like ezto) when set.
    pub masks_secrets: bool,
}

impl Fake {
    pub fn masking() -> Self {
        Fake {
            masks_secrets: true,
            ..Fake::default()
        }
    }

    pub fn names(&self) -> Vec<String> {
        self.store.lock().unwrap().keys().cloned().collect()
    }

    pub fn stored(&self, name: &str) -> Option<Connection> {
        self.store.lock().unwrap().get(name).cloned()
    }

    fn read_back(&self, c: &Connection) -> Connection {
        let mut c = c.clone();
        if self.masks_secrets {
            if let idconn_core::Settings::OAuth(s) = &mut c.settings {
                if !s.client_secret.is_absent() {
                    s.client_secret = ClientSecret::Masked;
                }
            }
        }
        c
    }

    async fn write_slot(&self) -> impl Drop + '_ {
        struct Slot<'a>(&'a AtomicUsize);
        impl Drop for Slot<'_> {
            fn drop(&mut self) {
                self.0.fetch_sub(1, Ordering::SeqCst);
            }
        }
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_flight.fetch_max(now, Ordering::SeqCst);
        self.writes.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(2)).await;
        Slot(&self.in_flight)
    }
}

#[async_trait]
impl IdentityConnectionProvider for Fake {
    fn vendor(&self) -> Vendor {
        Vendor::GenAuth
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            vendor: Vendor::GenAuth,
            name: NameRule {
                max_len: 64,
                description: "letters, digits and inner hyphens",
            },
            purpose: PurposeSupport {
                sign_in: Switch::Fixed(true),
                link: Switch::Settable,
                store_tokens: Switch::Unsupported,
            },
            enabled_flag: false,
            logo: true,
            show_on_login: false,
            max_domains: 0,
            saml: true,
            oidc_discovery_only: true,
            reads_secrets: !self.masks_secrets,
            rename: false,
            max_page_size: 2,
        }
    }

    fn translate(&self, c: &Connection, policy: &Policy) -> Result<Translation> {
        let mut report = TranslationReport::new(Vendor::GenAuth, c.name.clone());
        let mut target = c.clone();
        if c.name.chars().any(|ch| !allowed(ch)) {
            target.name = validate::rewrite_name(&c.name, 64, allowed);
            report.push(Loss::changed(
                "name",
                &c.name,
                &target.name,
                "letters, digits and hyphens only",
            ));
        }
        let mut purpose = c.purpose;
        purpose.sign_in = Some(true);
        report.losses.extend(idconn_core::purpose_losses(
            &c.purpose,
            &purpose,
            "always allows sign-in",
        ));
        target.purpose = purpose;
        if c.show_on_login.is_some() {
            report.push(Loss::dropped(
                "show_on_login",
                format!("{:?}", c.show_on_login),
                "no such switch",
            ));
            target.show_on_login = None;
        }
        policy.enforce(&report)?;
        Ok(Translation {
            payload: serde_json::json!({"identifier": target.name}),
            connection: target,
            report,
        })
    }

    async fn create(&self, c: &Connection, policy: &Policy) -> Result<Applied> {
        let t = self.translate(c, policy)?;
        let _slot = self.write_slot().await;
        let mut store = self.store.lock().unwrap();
        if store.contains_key(&t.connection.name) {
            return Err(Error::Conflict {
                vendor: Vendor::GenAuth,
                message: "taken".into(),
                request_id: None,
            });
        }
        let mut stored = t.connection;
        stored.id = Some(format!(
            "fk_{}",
            self.next_id.fetch_add(1, Ordering::SeqCst)
        ));
        store.insert(stored.name.clone(), stored.clone());
        Ok(Applied {
            connection: self.read_back(&stored),
            report: t.report,
        })
    }

    async fn get(&self, id: &str) -> Result<Connection> {
        let store = self.store.lock().unwrap();
        store
            .values()
            .find(|c| c.id.as_deref() == Some(id))
            .map(|c| self.read_back(c))
            .ok_or_else(|| Error::NotFound {
                vendor: Vendor::GenAuth,
                what: id.into(),
            })
    }

    async fn find(&self, name: &str) -> Result<Option<Connection>> {
        Ok(self
            .store
            .lock()
            .unwrap()
            .get(name)
            .map(|c| self.read_back(c)))
    }

    async fn list(&self, page: PageRequest) -> Result<Page<Connection>> {
        let start: usize = page.cursor.as_deref().map_or(0, |c| c.parse().unwrap());
        let store = self.store.lock().unwrap();
        let items: Vec<Connection> = store
            .values()
            .skip(start)
            .take(2)
            .map(|c| self.read_back(c))
            .collect();
        let next = (start + 2 < store.len()).then(|| (start + 2).to_string());
        Ok(Page { items, next })
    }

    async fn update(&self, id: &str, c: &Connection, policy: &Policy) -> Result<Applied> {
        let t = self.translate(c, policy)?;
        let _slot = self.write_slot().await;
        let mut store = self.store.lock().unwrap();
        let current = store
            .values_mut()
            .find(|s| s.id.as_deref() == Some(id))
            .ok_or_else(|| Error::NotFound {
                vendor: Vendor::GenAuth,
                what: id.into(),
            })?;
        if current.name != t.connection.name {
            return Err(Error::invalid("name", "immutable"));
        }
        let keep_secret = current.settings.client_secret().clone();
        let mut next = t.connection;
        next.id = current.id.clone();
        if let idconn_core::Settings::OAuth(s) = &mut next.settings {
            if !s.client_secret.is_known() {
                s.client_secret = keep_secret;
            }
        }
        *current = next.clone();
        Ok(Applied {
            connection: self.read_back(&next),
            report: t.report,
        })
    }

    async fn delete(&self, id: &str) -> Result<()> {
        let _slot = self.write_slot().await;
        let mut store = self.store.lock().unwrap();
        let name = store
            .iter()
            .find(|(_, c)| c.id.as_deref() == Some(id))
            .map(|(n, _)| n.clone())
            .ok_or_else(|| Error::NotFound {
                vendor: Vendor::GenAuth,
                what: id.into(),
            })?;
        store.remove(&name);
        Ok(())
    }
}
