use pact_core::prelude::*;

#[contract(consumer = "UserServiceClient", provider = "UserService", given = "UserA exists")]
fn gets_a_user(pact: &mut Contract) {
    pact.upon_receiving("a request for UserA").get("/users/UserA").will_respond_with(200);
    let _ = pact.base_url();
}

// A test may return a Result; `?` works inside.
#[contract(provider = "UserService", spec = "v4")]
fn parses_a_number(pact: &mut Contract) -> Result<(), std::num::ParseIntError> {
    let _ = pact.base_url();
    let _: u16 = "200".parse()?;
    Ok(())
}

fn main() {}
