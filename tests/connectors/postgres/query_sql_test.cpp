// Query in place, what needs no server: the transaction a query runs in,
// how parameters are typed and checked, and the wrapper that reads arrays
// and money as a sync does.
#include "query.hpp"

#include "sql_common/query_result.hpp"

#include <catch2/catch.hpp>

using namespace postgres;

namespace {

sluice::QueryParameter parameter(const std::string& type, boost::json::value value) { return {"p", type, value}; }

std::string refusal(const sluice::QueryParameter& p) {
  try {
    sql_common::parameter_text(p);
  } catch (const sluice::Error& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a PostgreSQL query runs read-only with its timeout and standard strings local to its transaction") {
  CHECK(query_setup_sql(Flavor::postgres, 30) ==
        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL statement_timeout = 30000; "
        "SET LOCAL standard_conforming_strings = on");
  CHECK(query_setup_sql(Flavor::redshift, 1) ==
        "BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY; SET LOCAL statement_timeout = 1000");
}

TEST_CASE("PostgreSQL parameters are typed by their query type and a string by where it is used") {
  CHECK(parameter_type(parameter("integer", 1)) == 20);
  CHECK(parameter_type(parameter("number", 1.5)) == 1700);
  CHECK(parameter_type(parameter("boolean", true)) == 16);
  CHECK(parameter_type(parameter("date", "2024-01-01")) == 1082);
  CHECK(parameter_type(parameter("timestamp", "2024-01-01T00:00:00Z")) == 1184);
  CHECK(parameter_type(parameter("string", "x")) == 0);
  CHECK(parameter_type(parameter("string", "x"), 25) == 25);
  CHECK_THROWS_WITH(parameter_type(parameter("money", "1")),
                    "parameter p: unknown type money (string, integer, number, boolean, date or timestamp)");
}

TEST_CASE("a parameter's value travels as text the server reads back exactly or is refused naming the parameter") {
  CHECK(sql_common::parameter_text(parameter("integer", -9223372036854775807LL - 1)) == "-9223372036854775808");
  CHECK(sql_common::parameter_text(parameter("number", 0.1)) == "0.1");
  CHECK(sql_common::parameter_text(parameter("number", 1e300)) == "1e+300");
  CHECK(sql_common::parameter_text(parameter("number", 3)) == "3");
  CHECK(sql_common::parameter_text(parameter("boolean", false)) == "false");
  CHECK(sql_common::parameter_text(parameter("string", "it's; --")) == "it's; --");
  CHECK(sql_common::parameter_text(parameter("timestamp", "2024-03-01T12:00:00+02:00")) == "2024-03-01T12:00:00+02:00");
  CHECK_FALSE(sql_common::parameter_text(parameter("string", nullptr)));
  CHECK(refusal(parameter("integer", 1.5)) == "parameter p: integer wants a whole number within 64 bits");
  CHECK(refusal(parameter("boolean", "yes")) == "parameter p: boolean wants true or false");
  CHECK(refusal(parameter("date", "2024-13-01")) == "parameter p: date wants a day, YYYY-MM-DD");
  CHECK(refusal(parameter("timestamp", "yesterday")) ==
        "parameter p: timestamp wants an RFC 3339 date-time, YYYY-MM-DDTHH:MM:SS[.ffffff]Z");
  CHECK(refusal(parameter("string", 5)) == "parameter p: string wants text");
}

TEST_CASE("a result with arrays or money is read through a wrapper as a sync reads them and others run as written") {
  const Column id{"id", "integer", "int4", Kind::integer, false};
  const Column tags{"tags", "text[]", "_text", Kind::array, false};
  const Column price{"price", "money", "money", Kind::decimal, false};
  CHECK(result_sql("SELECT id FROM t;", {id}) == "SELECT id FROM t;");
  CHECK(result_sql("SELECT id, tags, price FROM t -- all\n ;; \n", {id, tags, price}) ==
        "SELECT \"c1\", to_json(\"c2\"), \"c3\"::numeric FROM (\nSELECT id, tags, price FROM t -- all\n) AS "
        "sluice_query(c1, c2, c3)");
}

TEST_CASE("the result's types are looked up by OID in order and a domain as its base type") {
  CHECK_THAT(result_types_sql(), Catch::Contains("unnest($1::oid[], $2::int4[]) WITH ORDINALITY") &&
                                     Catch::Contains("CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END") &&
                                     Catch::EndsWith("ORDER BY c.n"));
}
