//! The Auth0 backend of idconn (Management API v2 /connections).
