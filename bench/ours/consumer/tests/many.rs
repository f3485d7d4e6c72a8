//! 100 tests of one interaction each (row "100 tests of 1 interaction").

#[path = "../../../shared/user_client.rs"]
mod user_client;

use pact_core::prelude::*;
use user_client::UserClient;

macro_rules! one_interaction_tests {
    ($($name:ident = $i:literal),* $(,)?) => {$(
        #[contract(consumer = "BenchClient", provider = "UserService", given = "a user exists")]
        async fn $name(pact: &mut Contract) {
            let name = format!("User{}", $i);
            pact.upon_receiving(format!("a request for {name}"))
                .get(format!("/users/{name}"))
                .header("Accept", "application/json")
                .will_respond_with(200)
                .json_body(json_pattern!({
                    "name": name.clone(),
                    "id": term!("^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$", "fc763eba-0905-41c5-a27f-3934ab26786c"),
                    "created_on": term!(r"^\d+-\d+-\d+T\d+:\d+:\d+$", "2016-12-15T20:16:01"),
                    "admin": like!(false),
                }));
            assert_eq!(UserClient::new(pact.base_url()).get_user(&name).await.unwrap().name, name);
        }
    )*};
}

one_interaction_tests! {
    test_000 = 0,
    test_001 = 1,
    test_002 = 2,
    test_003 = 3,
    test_004 = 4,
    test_005 = 5,
    test_006 = 6,
    test_007 = 7,
    test_008 = 8,
    test_009 = 9,
    test_010 = 10,
    test_011 = 11,
    test_012 = 12,
    test_013 = 13,
    test_014 = 14,
    test_015 = 15,
    test_016 = 16,
    test_017 = 17,
    test_018 = 18,
    test_019 = 19,
    test_020 = 20,
    test_021 = 21,
    test_022 = 22,
    test_023 = 23,
    test_024 = 24,
    test_025 = 25,
    test_026 = 26,
    test_027 = 27,
    test_028 = 28,
    test_029 = 29,
    test_030 = 30,
    test_031 = 31,
    test_032 = 32,
    test_033 = 33,
    test_034 = 34,
    test_035 = 35,
    test_036 = 36,
    test_037 = 37,
    test_038 = 38,
    test_039 = 39,
    test_040 = 40,
    test_041 = 41,
    test_042 = 42,
    test_043 = 43,
    test_044 = 44,
    test_045 = 45,
    test_046 = 46,
    test_047 = 47,
    test_048 = 48,
    test_049 = 49,
    test_050 = 50,
    test_051 = 51,
    test_052 = 52,
    test_053 = 53,
    test_054 = 54,
    test_055 = 55,
    test_056 = 56,
    test_057 = 57,
    test_058 = 58,
    test_059 = 59,
    test_060 = 60,
    test_061 = 61,
    test_062 = 62,
    test_063 = 63,
    test_064 = 64,
    test_065 = 65,
    test_066 = 66,
    test_067 = 67,
    test_068 = 68,
    test_069 = 69,
    test_070 = 70,
    test_071 = 71,
    test_072 = 72,
    test_073 = 73,
    test_074 = 74,
    test_075 = 75,
    test_076 = 76,
    test_077 = 77,
    test_078 = 78,
    test_079 = 79,
    test_080 = 80,
    test_081 = 81,
    test_082 = 82,
    test_083 = 83,
    test_084 = 84,
    test_085 = 85,
    test_086 = 86,
    test_087 = 87,
    test_088 = 88,
    test_089 = 89,
    test_090 = 90,
    test_091 = 91,
    test_092 = 92,
    test_093 = 93,
    test_094 = 94,
    test_095 = 95,
    test_096 = 96,
    test_097 = 97,
    test_098 = 98,
    test_099 = 99,
}
