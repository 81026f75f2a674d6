// What needs no server: the SQL sent to MySQL and MariaDB, how each type is
// declared and written, and the settings.
#include "column_type.hpp"
#include "dialect.hpp"
#include "record_text.hpp"
#include "settings.hpp"

#include <catch2/catch.hpp>

using namespace mysql_source;

namespace {

std::string value(Kind kind, std::string_view text, bool* exact = nullptr) {
  std::string out;
  const bool ok = RecordText::append_value(out, Column{"c", "", "", kind, false}, text);
  if (exact) *exact = ok;
  return out;
}

}  // namespace

TEST_CASE("the flavor is read from the server's version text") {
  CHECK(detect_flavor("10.11.6-MariaDB-0+deb12u1") == Flavor::mariadb);
  CHECK(detect_flavor("8.0.36") == Flavor::mysql);
}

TEST_CASE("the session is read-only in UTC, with each flavor's statement timeout") {
  CHECK(session_setup_sql(Flavor::mariadb, std::chrono::seconds(90)) ==
        std::vector<std::string>{"SET SESSION TRANSACTION READ ONLY",
                                 "SET SESSION time_zone = '+00:00', SESSION net_write_timeout = 3600, SESSION "
                                 "max_statement_time = 90"});
  CHECK(session_setup_sql(Flavor::mysql, std::chrono::seconds(90))[1] ==
        "SET SESSION time_zone = '+00:00', SESSION net_write_timeout = 3600, SESSION max_execution_time = 90000");
}

TEST_CASE("a range reads quoted columns over literal integer bounds in key order, BIT as its unsigned value") {
  const std::vector<Column> columns{{"id", "bigint(20)", "bigint", Kind::integer, true},
                                    {"fl`ags", "bit(10)", "bit", Kind::bits, false}};
  CHECK(range_read_sql("app", "Order Items", columns, {-5, 100}, "id") ==
        "SELECT `id`, CAST(`fl``ags` AS UNSIGNED) FROM `app`.`Order Items` WHERE `id` >= -5 AND `id` < 100 ORDER BY `id`");
  CHECK(range_read_sql("app", "t", columns, {}, "") == "SELECT `id`, CAST(`fl``ags` AS UNSIGNED) FROM `app`.`t`");
  CHECK(lock_for_snapshot_sql("app", "t") == "FLUSH TABLES `app`.`t` WITH READ LOCK");
}

TEST_CASE("an incremental read casts columns to text and binds numbers through exact casts") {
  const std::vector<Column> columns{{"id", "bigint(20)", "bigint", Kind::integer, true},
                                    {"raw", "blob", "blob", Kind::binary, false},
                                    {"at", "datetime(6)", "datetime", Kind::datetime, true}};
  CHECK(incremental_sql("app", "t", columns, "`at` >= ?", {"at", "id"}) ==
        "SELECT CAST(`id` AS CHAR), `raw`, CAST(`at` AS CHAR), CAST(`at` AS CHAR), CAST(`id` AS CHAR) FROM `app`.`t` "
        "WHERE `at` >= ? ORDER BY 3, 1");
  CHECK(placeholder_for(Kind::integer) == "CAST(? AS DECIMAL(65,0))");
  CHECK(placeholder_for(Kind::decimal) == "CAST(? AS DECIMAL(65,30))");
  CHECK(placeholder_for(Kind::datetime) == "?");
}

TEST_CASE("the catalog query finds MariaDB's JSON columns by their json_valid check, MySQL has a JSON type") {
  CHECK_THAT(columns_sql(Flavor::mariadb), Catch::Contains("CONCAT('json_valid(`', c.COLUMN_NAME, '`)')"));
  CHECK_THAT(columns_sql(Flavor::mysql), !Catch::Contains("CHECK_CONSTRAINTS"));
  CHECK(kind_of("longtext", true) == Kind::json);
  CHECK(kind_of("longtext", false) == Kind::text);
  CHECK(kind_of("json", false) == Kind::json);
  CHECK(kind_of("bigint", false) == Kind::integer);
  CHECK(kind_of("decimal", false) == Kind::decimal);
  CHECK(kind_of("timestamp", false) == Kind::timestamp);
  CHECK(kind_of("varbinary", false) == Kind::binary);
  CHECK(json::value(column_schema({"p", "decimal(38,18)", "decimal", Kind::decimal, true})) ==
        json::parse(R"J({"type": "string", "format": "decimal", "x-mysql-type": "decimal(38,18)"})J"));
}

TEST_CASE("values: instants in UTC, naive date-times kept, zero dates flagged, bytes as base64") {
  CHECK(value(Kind::timestamp, "2024-05-01 09:51:12.345678") == "\"2024-05-01T09:51:12.345678Z\"");
  CHECK(value(Kind::datetime, "2024-05-01 09:51:12") == "\"2024-05-01T09:51:12\"");
  bool exact = true;
  CHECK(value(Kind::datetime, "0000-00-00 00:00:00", &exact) == "\"0000-00-00 00:00:00\"");
  CHECK_FALSE(exact);
  CHECK(value(Kind::date, "2024-00-10", &exact) == "\"2024-00-10\"");
  CHECK_FALSE(exact);
  CHECK(value(Kind::binary, std::string_view("\0\xff", 2)) == "\"AP8=\"");
  CHECK(value(Kind::decimal, "-0.000000000000000001") == "\"-0.000000000000000001\"");
  CHECK(value(Kind::json, "{\"a\": [1, 2]}") == "{\"a\":[1,2]}");
}

TEST_CASE("TLS is verify_identity by default, disabled only for a loopback host") {
  CHECK(default_tls("db.example.com") == TlsMode::verify_identity);
  CHECK(default_tls("127.0.0.1") == TlsMode::disabled);
  auto settings = read_settings(sluice::Config(
      json::parse(R"({"host": "db.example.com", "database": "app", "user": "u", "ssl_mode": "required"})").as_object()));
  CHECK(settings.tls == TlsMode::required);
  CHECK(settings.where() == "db.example.com:3306/app");
}
