//! The model's purpose as GenAuth's `loginOnly`.

use idconn_core::Purpose;

/// `loginOnly` as the model's purpose: GenAuth connections always allow
/// sign-in; `loginOnly: true` forbids linking to an existing account, `false` allows it;
/// GenAuth keeps no upstream tokens switch.
pub fn purpose_of(login_only: bool) -> Purpose {
    Purpose {
        sign_in: Some(true),
        link: Some(!login_only),
        store_tokens: None,
    }
}
