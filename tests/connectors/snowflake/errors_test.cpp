// Refusals in Snowflake's words: a key that is not the user's, a wrong
// account, an expired JWT, a missing privilege (422 002003), a bad cursor.
#include "fixture_tables.hpp"
#include "snowflake_fixture.hpp"

#include <catch2/catch.hpp>

using namespace snowflake_test;

namespace {

// The fake's reason for its last 401 (Snowflake itself says only "JWT token is invalid.").
std::string last_refusal(const SnowflakeFixture& f) {
  std::string reason;
  for (const auto& exchange : f.exchanges()) {
    if (exchange.response.status != 401) continue;
    for (const auto& [name, value] : exchange.response.headers) {
      if (name == "X-Fake-Reason") reason = value;
    }
  }
  return reason;
}

}  // namespace

TEST_CASE("a private key that is not the user's registered one is refused: auth error, what to check, no secret") {
  SnowflakeFixture f;
  f.fake->register_public_key(sluice::testkit::generate_rsa_key().public_pem);
  f.write_connection();
  auto result = f.check();
  INFO(result.all());
  CHECK(result.exit_code != 0);
  CHECK_THAT(result.all(), Catch::Contains("Snowflake refused the credentials of user sluice_reader"));
  CHECK_THAT(result.all(), Catch::Contains("Snowflake error 390144: JWT token is invalid."));
  CHECK_THAT(result.all(), Catch::Contains("RSA_PUBLIC_KEY_FP"));
  CHECK_THAT(result.all(), !Catch::Contains("PRIVATE KEY"));
  CHECK(last_refusal(f) == "signature does not verify with the registered public key");
}

TEST_CASE("a JWT for another account (its fingerprint's iss does not match) is refused") {
  SnowflakeFixture f;
  f.write_connection({}, {{"account", "otherorg-otheraccount"}});
  auto result = f.check();
  INFO(result.all());
  CHECK(result.exit_code != 0);
  CHECK_THAT(result.all(), Catch::Contains("JWT token is invalid"));
  CHECK(last_refusal(f) == "iss names another account or user");
}

TEST_CASE("an expired JWT is refused (the fake's clock two hours ahead)") {
  SnowflakeFixture f;
  f.fake->set_clock_offset(std::chrono::hours(2));
  f.write_connection();
  auto result = f.check();
  INFO(result.all());
  CHECK(result.exit_code != 0);
  CHECK(last_refusal(f) == "expired");
}

TEST_CASE("an encrypted PKCS#8 key with its passphrase signs a JWT the fake accepts") {
  SnowflakeFixture f;
  const std::string encrypted = f.dir.write("enc.p8", f.key.encrypted_private_pem("s3cret-phrase"));
  f.write_connection({}, {{"credentials", {{"auth_type", "key_pair"},
                                            {"private_key", {{"$file", encrypted}}},
                                            {"passphrase", "s3cret-phrase"}}}});
  auto result = f.check();
  INFO(result.all());
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.all(), !Catch::Contains("s3cret-phrase"));
}

TEST_CASE("an OAuth token is sent as an OAUTH bearer token") {
  SnowflakeFixture f;
  f.fake->set_oauth_token("oauth-token-value");
  f.write_connection({}, {{"credentials", {{"auth_type", "oauth"}, {"token", "oauth-token-value"}}}});
  auto result = f.check();
  INFO(result.all());
  REQUIRE(result.exit_code == 0);
  const auto request = f.server->requests().front();
  CHECK(request.header("X-Snowflake-Authorization-Token-Type") == "OAUTH");
  CHECK(request.header("Authorization") == "Bearer oauth-token-value");
}

TEST_CASE("a table the role may not read fails its stream with Snowflake's code and message (422 002003)") {
  SnowflakeFixture f;
  add_orders_table(f.fake->database(), 1, 3);
  f.fake->database().deny("PUBLIC", "ORDERS");
  f.write_connection({stream_selection("PUBLIC", "ORDERS", "full_refresh_overwrite")});
  auto run = f.sync();
  INFO(run.all());
  CHECK(run.exit_code != 0);
  CHECK_THAT(run.all(), Catch::Contains("the read of SALES.PUBLIC.ORDERS failed: Snowflake error 002003 (42S02): SQL "
                                        "compilation error: Object 'SALES.PUBLIC.ORDERS' does not exist or not authorized."));
}

TEST_CASE("a cursor that is not a column, or cannot order rows, is a config error naming it") {
  SnowflakeFixture f;
  add_all_types_table(f.fake->database());
  SECTION("missing") {
    f.write_connection({stream_selection("PUBLIC", "ALL_TYPES", "incremental_append", "NOPE")});
    auto run = f.sync();
    CHECK(run.exit_code != 0);
    CHECK_THAT(run.all(), Catch::Contains("NOPE"));
  }
  SECTION("a VARIANT") {
    f.write_connection({stream_selection("PUBLIC", "ALL_TYPES", "incremental_append", "DOC")});
    auto run = f.sync();
    CHECK(run.exit_code != 0);
    CHECK_THAT(run.all(), Catch::Contains("cursor_field DOC has type variant, which cannot order rows"));
  }
}

TEST_CASE("a statement Snowflake cancels at its timeout (408) fails the stream as transient, in Snowflake's words") {
  SnowflakeFixture f;
  add_orders_table(f.fake->database(), 1, 3);
  f.fake->set_timing_out("SELECT * FROM");
  f.write_connection({stream_selection("PUBLIC", "ORDERS", "full_refresh_overwrite")}, {{"statement_timeout_seconds", 60}});
  auto run = f.sync();
  INFO(run.all());
  CHECK(run.exit_code != 0);
  CHECK_THAT(run.all(), Catch::Contains("the read of SALES.PUBLIC.ORDERS ran past statement_timeout_seconds and was "
                                        "cancelled: Snowflake error 000630 (57014): Statement reached its statement or "
                                        "warehouse timeout of 60 second(s) and was canceled. [transient]"));
  CHECK(f.fake->statements().back().at("timeout") == 60);
}
