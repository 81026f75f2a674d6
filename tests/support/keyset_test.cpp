// Keyset reads: the bound a read asks for and the checkpoint it saves, for
// streams without a key, with one key and with a composite key, and states
// written by older cursor-only connector versions.
#include <sluice/support/keyset.hpp>

#include <catch2/catch.hpp>

using namespace sluice::support;
namespace json = boost::json;

namespace {

// sales.orders by updated_at, with these key columns and state.
sluice::ConfiguredStream incremental(const std::vector<std::string>& key, json::value state = nullptr) {
  std::vector<sluice::FieldPath> primary_key;
  for (const auto& part : key) primary_key.push_back({part});
  return {"sales", "orders", sluice::SyncMode::incremental_append, {"updated_at"}, primary_key, std::move(state)};
}

// BigQuery's dialect: backtick names, @named parameters.
std::string bigquery_condition(const KeysetRead& read) {
  return keyset_condition(read, [](const std::string& c) { return "`" + c + "`"; },
                          [](const std::string& p) { return "@" + p; });
}

std::vector<std::string> param_names(const KeysetRead& read) {
  std::vector<std::string> names;
  for (const auto& param : read.params) names.push_back(param.name);
  return names;
}

}  // namespace

TEST_CASE("a first incremental read has no bound and orders by the cursor, then the key") {
  auto read = plan_keyset_read(incremental({"region", "id"}));
  CHECK(read.order_by == std::vector<std::string>{"updated_at", "region", "id"});
  CHECK(read.params.empty());
  CHECK(bigquery_condition(read).empty());
  CHECK(plan_keyset_read(incremental({}, json::object{})).params.empty());
}

TEST_CASE("without a key the bound is inclusive, so the checkpoint's cursor rows are read again") {
  auto first = plan_keyset_read(incremental({}));
  CHECK(first.order_by == std::vector<std::string>{"updated_at"});
  auto state = keyset_checkpoint(first, {"2024-05-01"});
  REQUIRE(state.has_value());
  CHECK(*state == json::parse(R"({"cursor_field":"updated_at","cursor":"2024-05-01"})"));

  auto next = plan_keyset_read(incremental({}, *state));
  REQUIRE(param_names(next) == std::vector<std::string>{"cursor"});
  CHECK(next.params[0].column == "updated_at");
  CHECK(next.params[0].value == "2024-05-01");
  CHECK(bigquery_condition(next) == "`updated_at` >= @cursor");
}

TEST_CASE("with one key the bound is exclusive on (cursor, key) and keeps a range on the cursor") {
  auto first = plan_keyset_read(incremental({"id"}));
  auto state = keyset_checkpoint(first, {"2024-05-01", 7});
  REQUIRE(state.has_value());
  CHECK(*state == json::parse(R"({"cursor_field":"updated_at","cursor":"2024-05-01","primary_key":["id"],"key":[7]})"));

  auto next = plan_keyset_read(incremental({"id"}, *state));
  REQUIRE(param_names(next) == std::vector<std::string>{"cursor", "key_1"});
  CHECK(next.params[1].column == "id");
  CHECK(next.params[1].value == 7);
  CHECK(bigquery_condition(next) == "`updated_at` >= @cursor AND (`updated_at` > @cursor OR `id` > @key_1)");
}

TEST_CASE("a composite key expands lexicographically, with placeholders in order of appearance") {
  json::value state = json::parse(
      R"({"cursor_field":"updated_at","cursor":"c","primary_key":["region","id"],"key":["eu",7]})");
  auto read = plan_keyset_read(incremental({"region", "id"}, state));
  CHECK(param_names(read) == std::vector<std::string>{"cursor", "key_1", "key_2"});
  CHECK(bigquery_condition(read) ==
        "`updated_at` >= @cursor AND (`updated_at` > @cursor OR `region` > @key_1 OR "
        "(`region` = @key_1 AND `id` > @key_2))");
  // Positional engines bind in the order the placeholders were asked for.
  std::vector<std::string> bound;
  auto positional = keyset_condition(read, [](const std::string& c) { return "\"" + c + "\""; },
                                     [&](const std::string& p) { bound.push_back(p); return std::string("?"); });
  CHECK(positional == "\"updated_at\" >= ? AND (\"updated_at\" > ? OR \"region\" > ? OR (\"region\" = ? AND \"id\" > ?))");
  CHECK(bound == std::vector<std::string>{"cursor", "cursor", "key_1", "key_1", "key_2"});
}

TEST_CASE("a checkpoint round-trips into the next read's parameters") {
  auto first = plan_keyset_read(incremental({"region", "id"}));
  auto state = keyset_checkpoint(first, {"2024-05-01 00:00:03+00:00", "eu", "9007199254740993"});
  REQUIRE(state.has_value());
  (*state)["cursor_type"] = "TIMESTAMP";  // a connector's own member rides along
  auto next = plan_keyset_read(incremental({"region", "id"}, json::parse(json::serialize(*state))));
  REQUIRE(next.params.size() == 3);
  CHECK(next.params[0].value == "2024-05-01 00:00:03+00:00");
  CHECK(next.params[1].value == "eu");
  CHECK(next.params[2].value == "9007199254740993");
  CHECK(keyset_checkpoint(next, {"2024-05-01 00:00:03+00:00", "eu", "9007199254740993"})->at("key") ==
        json::parse(R"(["eu","9007199254740993"])"));
}

TEST_CASE("a cursor-only state from an older connector version is accepted and read inclusively") {
  // BigQuery's state before keyset reads.
  json::value old = json::parse(
      R"({"cursor_field":"updated_at","cursor_type":"TIMESTAMP","cursor":"2024-05-01 00:00:03.000000+00:00"})");
  auto read = plan_keyset_read(incremental({"id"}, old));
  CHECK(read.order_by == std::vector<std::string>{"updated_at", "id"});
  CHECK(param_names(read) == std::vector<std::string>{"cursor"});
  CHECK(bigquery_condition(read) == "`updated_at` >= @cursor");
  // Its next checkpoint records the key, so the run after is exclusive.
  CHECK(keyset_checkpoint(read, {"2024-05-01 00:00:04.000000+00:00", 5})->contains("key"));
}

TEST_CASE("a state saved under another primary key is read inclusively rather than trusted") {
  json::value state = json::parse(R"({"cursor_field":"updated_at","cursor":"c","primary_key":["sku"],"key":["x"]})");
  auto read = plan_keyset_read(incremental({"id"}, state));
  CHECK(param_names(read) == std::vector<std::string>{"cursor"});
  CHECK(param_names(plan_keyset_read(incremental({}, state))) == std::vector<std::string>{"cursor"});
}

TEST_CASE("a null key value makes a cursor-only checkpoint and a null cursor makes none") {
  auto read = plan_keyset_read(incremental({"id"}));
  CHECK(*keyset_checkpoint(read, {"c", nullptr}) == json::parse(R"({"cursor_field":"updated_at","cursor":"c"})"));
  CHECK_FALSE(keyset_checkpoint(read, {nullptr, 3}).has_value());
  CHECK_THROWS_WITH(keyset_checkpoint(read, {"c"}), Catch::Contains("1 values for 2 order_by columns"));
}

TEST_CASE("a state for another cursor, or that is no checkpoint, is refused with the command that resets it") {
  json::value other = json::parse(R"({"cursor_field":"created_at","cursor":"c"})");
  CHECK_THROWS_WITH(plan_keyset_read(incremental({"id"}, other)),
                    Catch::Contains("the saved state is for cursor created_at, the connection now uses updated_at") &&
                        Catch::Contains("sluice state reset CONNECTION --stream sales.orders"));
  CHECK_THROWS_WITH(plan_keyset_read(incremental({}, json::parse(R"({"ts":"x"})"))),
                    Catch::Contains("not a cursor checkpoint"));
  CHECK_THROWS_WITH(plan_keyset_read(incremental({"id"}, json::parse(
                        R"({"cursor_field":"updated_at","cursor":"c","primary_key":["id"],"key":[]})"))),
                    Catch::Contains("key does not match its primary_key"));
  try {
    plan_keyset_read(incremental({}, json::parse("[1]")));
    FAIL("no error");
  } catch (const sluice::Error& e) {
    CHECK(e.kind() == sluice::ErrorKind::config);
  }
}

TEST_CASE("a missing or nested cursor or key cannot bound a read") {
  auto stream = incremental({"id"});
  stream.cursor_field.clear();
  CHECK_THROWS_WITH(plan_keyset_read(stream), Catch::Contains("needs a cursor_field"));
  stream.cursor_field = {"meta", "updated_at"};
  CHECK_THROWS_WITH(plan_keyset_read(stream), Catch::Contains("cursor_field must be a top-level field"));
  stream = incremental({});
  stream.primary_key = {{"customer", "id"}};
  CHECK_THROWS_WITH(plan_keyset_read(stream), Catch::Contains("every primary_key part must be a top-level field"));
}
