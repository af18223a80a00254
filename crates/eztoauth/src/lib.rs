//! The ezto auth backend of idconn (Keycloak-style identity providers).
