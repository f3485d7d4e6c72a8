use pact_core::prelude::*;

fn main() {
    let _ = json_pattern!({
        "created_on": datetime!("yyyy-MM-dd'T'HH:mm:ss", "2016-12-15 20:16:01"),
        "birthday": date!("yyyy-MM-dd", "2020-13-45"),
        "opens": time!("HH:mm", "24:30"),
    });
}
