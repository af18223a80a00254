//! The GenAuth (Authing V3) backend of idconn (ext-idp connections).
