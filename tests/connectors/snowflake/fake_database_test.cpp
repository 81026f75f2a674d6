// The fake's SQL engine: statements with bindings on SQLite, jsonv2 answers.
#include "fake_database.hpp"
#include "fake_snowflake.hpp"

#include <testkit/keys.hpp>

#include <catch2/catch.hpp>

using namespace snowflake_fake;

TEST_CASE("the fake runs a bound statement and answers each type in jsonv2") {
  FakeDatabase db("SALES");
  db.create_table("PUBLIC", "T",
                  {{"ID", "NUMBER(38,0)"}, {"TS", "TIMESTAMP_NTZ(9)"}, {"TZ", "TIMESTAMP_TZ(9)"}, {"D", "DATE"},
                   {"B", "BINARY"}, {"OK", "BOOLEAN"}});
  db.insert("PUBLIC", "T",
            {{"12345678901234567890123456789012345678", "2024-05-01 09:51:12.345678912",
              "2024-05-01 09:51:12.345678912 +02:00", "2024-05-01", "48656C6C6F", "1"}});
  auto result = db.run("SELECT * FROM \"PUBLIC\".\"T\" WHERE \"TS\" >= TO_TIMESTAMP_NTZ(?, 'YYYY-MM-DD\"T\"HH24:MI:SS.FF9')",
                       json::parse(R"({"1": {"type": "TEXT", "value": "2024-05-01T09:51:12.345678912"}})").as_object(), "PUBLIC");
  INFO(result.error_message);
  REQUIRE(result.error_code.empty());
  REQUIRE(result.rows.size() == 1);
  CHECK(result.rows[0] == json::parse(R"(["12345678901234567890123456789012345678", "1714557072.345678912",
                                           "1714557072.345678912 1560", "19844", "48656C6C6F", "true"])"));
  CHECK(result.row_type[1].at("type") == "timestamp_ntz");
  CHECK(result.row_type[1].at("scale") == 9);
  auto later = db.run("SELECT \"ID\" FROM \"PUBLIC\".\"T\" WHERE \"TS\" > TO_TIMESTAMP_NTZ(?, 'YYYY-MM-DD\"T\"HH24:MI:SS.FF9')",
                      json::parse(R"({"1": {"type": "TEXT", "value": "2024-05-01T09:51:12.345678912"}})").as_object(), "");
  CHECK(later.rows.empty());
}

TEST_CASE("the fake refuses what Snowflake refuses, with its codes") {
  FakeDatabase db("SALES");
  db.create_table("PUBLIC", "T", {{"ID", "NUMBER(38,0)"}});
  db.deny("PUBLIC", "T");
  auto denied = db.run("SELECT * FROM \"PUBLIC\".\"T\"", {}, "");
  CHECK(denied.error_code == "002003");
  CHECK(denied.error_message == "SQL compilation error:\nObject 'SALES.PUBLIC.T' does not exist or not authorized.");
  auto unbound = db.run("SELECT ?", {}, "");
  CHECK(unbound.error_code == "002049");
  auto bad = db.run("SELEC 1", {}, "");
  CHECK(bad.error_code == "001003");
}

TEST_CASE("the fingerprint is SHA-256 of the DER public key, base64") {
  const auto key = sluice::testkit::generate_rsa_key();
  const auto fp = public_key_fingerprint(key.public_pem);
  CHECK(fp.rfind("SHA256:", 0) == 0);
  CHECK(fp.size() == 7 + 44);
}
