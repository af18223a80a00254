//! idconn facade
