//! Faithful in-process simulators of the Auth0, GenAuth and ezto auth connection-management APIs.
