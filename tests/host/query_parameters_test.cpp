// The parameter rule of `sluice query` (host/query/statement_parameters.hpp)
// and the typing of parameter values (host/query/query_parameters.hpp).
#include "host/common/host_error.hpp"
#include "host/query/query_parameters.hpp"
#include "host/query/statement_parameters.hpp"

#include <catch2/catch.hpp>

#include <functional>

using namespace sluice::host;
namespace json = boost::json;

namespace {

BoundStatement bound_of(const std::string& sql, const std::string& dialect) {
  return bind_parameters(sql, sql_lexicon(dialect));
}

std::string refusal(const std::string& sql, const std::string& dialect) {
  try {
    bound_of(sql, dialect);
  } catch (const QueryRefused& e) {
    return e.what();
  }
  return "(accepted)";
}

std::string usage_error(const std::function<void()>& body) {
  try {
    body();
  } catch (const HostError& e) {
    CHECK(e.failure() == Failure::usage);
    return e.what();
  }
  return "(accepted)";
}

}  // namespace

TEST_CASE("each dialect gets its own placeholders for :name parameters, a repeated name bound as its dialect needs") {
  const std::string sql = "SELECT * FROM usage WHERE day >= :from AND day < :to AND day <> :from";
  auto pg = bound_of(sql, "postgresql");
  CHECK(pg.sql == "SELECT * FROM usage WHERE day >= $1 AND day < $2 AND day <> $1");
  CHECK(pg.order == std::vector<std::string>{"from", "to"});
  for (std::string dialect : {"mysql", "snowflake"}) {
    auto positional = bound_of(sql, dialect);
    CHECK(positional.sql == "SELECT * FROM usage WHERE day >= ? AND day < ? AND day <> ?");
    CHECK(positional.order == std::vector<std::string>{"from", "to", "from"});
  }
  auto bq = bound_of(sql, "bigquery");
  CHECK(bq.sql == "SELECT * FROM usage WHERE day >= @from AND day < @to AND day <> @from");
  CHECK(bq.order == std::vector<std::string>{"from", "to"});
  auto dbx = bound_of(sql, "databricks");
  CHECK(dbx.sql == sql);
  CHECK(dbx.names == std::vector<std::string>{"from", "to"});
}

TEST_CASE("casts, paths, slices, strings, quoted names and comments are never parameters") {
  CHECK(bound_of("SELECT x::date, y::timestamptz FROM t", "postgresql").names.empty());
  CHECK(bound_of("SELECT v:customer.id, v:\"odd key\" FROM t", "snowflake").names.empty());
  CHECK(bound_of("SELECT payload:usage FROM t", "databricks").names.empty());
  CHECK(bound_of("SELECT a[1:n], a[lo:hi] FROM t", "postgresql").names.empty());
  CHECK(bound_of("SELECT ':from' AS s, \":to\" FROM t -- :x\n/* :y */", "postgresql").names.empty());
  CHECK(bound_of("SELECT $$ :z $$", "postgresql").names.empty());
  // A parameter right after an operator or bracket is one.
  auto tight = bound_of("SELECT * FROM t WHERE n>:min AND n IN(:a,:b)", "postgresql");
  CHECK(tight.sql == "SELECT * FROM t WHERE n>$1 AND n IN($2,$3)");
}

TEST_CASE("a source's own placeholders are refused, naming where, so nothing is left unbound") {
  CHECK(refusal("SELECT * FROM t WHERE id = ?", "mysql") ==
        "line 1, column 28: ?: write each parameter as :name (sluice query --param name=value binds it)");
  CHECK_THAT(refusal("SELECT * FROM t WHERE id = $1", "postgresql"), Catch::StartsWith("line 1, column 28: $1"));
  CHECK(refusal("SELECT * FROM t WHERE d = @day", "bigquery") ==
        "line 1, column 27: @day: write the parameter as :day (sluice turns it into @day)");
  // On PostgreSQL '?' is jsonb's key test, not a placeholder.
  CHECK(bound_of("SELECT doc ? 'key' FROM t", "postgresql").names.empty());
  // A '?' inside a string is text.
  CHECK(bound_of("SELECT '?' FROM t", "mysql").names.empty());
}

TEST_CASE("parameter values are typed and checked before anything reaches the source") {
  auto day = parse_query_parameter("day:date=2026-11-30");
  CHECK(day.type == "date");
  CHECK(day.value == json::value("2026-11-30"));
  CHECK(parse_query_parameter("n:integer=-42").value == json::value(int64_t{-42}));
  CHECK(parse_query_parameter("x:number=2.5").value == json::value(2.5));
  CHECK(parse_query_parameter("ok:boolean=true").value == json::value(true));
  CHECK(parse_query_parameter("at:timestamp=2026-11-30T01:00:00+01:00").value ==
        json::value("2026-11-30T00:00:00.000000Z"));
  // The default type is string, and the value is everything after the first '='.
  auto text = parse_query_parameter("q=a=b' OR 1=1 --");
  CHECK(text.type == "string");
  CHECK(text.value == json::value("a=b' OR 1=1 --"));

  CHECK(usage_error([] { parse_query_parameter("n:integer=12abc"); }) ==
        "parameter n: \"12abc\" is not an integer (64-bit)");
  CHECK(usage_error([] { parse_query_parameter("n:integer=99999999999999999999"); }) ==
        "parameter n: \"99999999999999999999\" is not an integer (64-bit)");
  CHECK(usage_error([] { parse_query_parameter("d:date=2026-02-30"); }) ==
        "parameter d: \"2026-02-30\" is not a date (YYYY-MM-DD)");
  CHECK(usage_error([] { parse_query_parameter("x:number=nan"); }) == "parameter x: \"nan\" is not a finite number");
  CHECK(usage_error([] { parse_query_parameter("x:money=1"); }) ==
        "parameter x: unknown type \"money\" (string, integer, number, boolean, date or timestamp)");
  CHECK(usage_error([] { parse_query_parameter("no_equals"); }) ==
        "--param no_equals: expected name=value or name:type=value");
  CHECK(usage_error([] { parse_query_parameter("1x=2"); }) ==
        "--param 1x=2: a parameter name is letters, digits and _, as in :name");
}

TEST_CASE("every parameter the statement uses must be given, once, and none it does not use") {
  auto statement = bound_of("SELECT * FROM t WHERE a = :a AND b = :b AND a2 = :a", "mysql");
  auto a = parse_query_parameter("a:integer=1");
  auto b = parse_query_parameter("b=x");
  auto bound = parameters_in_bind_order(statement, {b, a});
  REQUIRE(bound.size() == 3);
  CHECK(bound[0].as_object().at("name") == "a");
  CHECK(bound[1].as_object().at("name") == "b");
  CHECK(bound[2].as_object().at("value") == json::value(int64_t{1}));

  CHECK(usage_error([&] { parameters_in_bind_order(statement, {a}); }) ==
        "the statement uses :b but no value was given (--param b=VALUE)");
  CHECK(usage_error([&] { parameters_in_bind_order(statement, {a, b, parse_query_parameter("c=1")}); }) ==
        "parameter c is not used by the statement (it uses :a, :b)");
  CHECK(usage_error([&] { parameters_in_bind_order(statement, {a, b, a}); }) == "parameter a is given twice");
}
