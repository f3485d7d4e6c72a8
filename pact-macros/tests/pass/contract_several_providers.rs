use pact_core::prelude::*;

async fn call(url: String) -> usize {
    url.len()
}

#[contract(
    consumer = "CheckoutClient",
    provider("UserService", given = "UserA exists"),
    provider("BillingService", given("an account exists", id = 7), given = "billing is open"),
    spec = "v4",
)]
fn sync_checkout(users: &mut Contract, billing: &mut Contract) {
    users.upon_receiving("a request for UserA").get("/users/UserA").will_respond_with(200);
    billing.upon_receiving("a bill").post("/invoices").will_respond_with(201);
}

#[contract(provider("UserService"), provider("BillingService"), provider("ShippingService"))]
async fn async_checkout(users: &mut Contract, billing: &mut Contract, shipping: &mut Contract) -> Result<(), String> {
    assert!(call(users.base_url()).await + call(billing.base_url()).await + call(shipping.base_url()).await > 0);
    Ok(())
}

fn main() {}
