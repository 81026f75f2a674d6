// A plugin's catalog is checked before a sync creates anything from it: a
// broken record schema or a mode the plugin does not declare is the plugin's
// bug, reported as a PluginError with plugin, stream and place.
#include "host/config/connection.hpp"
#include "host/plugin/plugin_error.hpp"
#include "host/sync/catalog_lint.hpp"

#include <catch2/catch.hpp>

using namespace sluice::host;
namespace json = boost::json;

namespace {

constexpr sluice_sync_modes kAllModes = SLUICE_MODE_FULL_REFRESH_OVERWRITE | SLUICE_MODE_FULL_REFRESH_APPEND |
                                        SLUICE_MODE_INCREMENTAL_APPEND | SLUICE_MODE_INCREMENTAL_APPEND_DEDUP;
constexpr sluice_sync_modes kFullRefreshOnly = SLUICE_MODE_FULL_REFRESH_OVERWRITE | SLUICE_MODE_FULL_REFRESH_APPEND;

// An events stream with a sound schema and modes; tests spoil one part.
json::object events_stream() {
  return json::parse(R"({
    "name": "events", "namespace": null,
    "json_schema": {"type": "object", "properties": {
      "id": {"type": "string"}, "amount": {"type": ["number", "null"], "minimum": 0},
      "ts": {"type": "string", "format": "date-time"}}},
    "supported_sync_modes": ["full_refresh_overwrite", "incremental_append"],
    "default_cursor_field": ["ts"], "primary_key": [["id"]]})").as_object();
}

json::object catalog_of(std::initializer_list<json::object> streams) {
  json::array list;
  for (const auto& stream : streams) list.push_back(stream);
  return json::object{{"streams", list}};
}

Connection every_stream() { return parse_connection(R"({"source": {"plugin": "scripted", "config": {}}})", "c.json"); }

Connection selecting(const std::string& name) {
  return parse_connection(R"({"source": {"plugin": "scripted", "config": {}}, "streams": [{"name": ")" + name +
                              R"("}]})",
                          "c.json");
}

// The PluginError's line, or "OK".
std::string lint(const json::object& catalog, sluice_sync_modes modes = kAllModes,
                 const Connection& connection = every_stream(), const std::vector<std::string>& only = {}) {
  try {
    lint_catalog(catalog, "scripted", modes, connection, only);
  } catch (const PluginError& e) {
    CHECK(e.kind() == sluice::host::ErrorKind::internal);
    return e.what();
  }
  return "OK";
}

json::object with_schema(const std::string& schema) {
  auto stream = events_stream();
  stream["json_schema"] = json::parse(schema);
  return stream;
}

json::object with_modes(json::array modes) {
  auto stream = events_stream();
  stream["supported_sync_modes"] = std::move(modes);
  return stream;
}

}  // namespace

TEST_CASE("a catalog whose selected streams are sound passes the lint") {
  CHECK(lint(catalog_of({events_stream()})) == "OK");
}

TEST_CASE("an unknown type name in a property is reported with plugin, stream and schema path") {
  CHECK(lint(catalog_of({with_schema(R"({"type": "object", "properties": {"amount": {"type": "strnig"}}})")})) ==
        R"(plugin scripted: stream events: json_schema /properties/amount/type: unknown type "strnig")");
}

TEST_CASE("an unknown type name deep in items, or in a list of types, is found") {
  CHECK(lint(catalog_of({with_schema(R"({"type": "object", "properties": {"lines": {"type": "array",
              "items": {"type": "object", "properties": {"qty": {"type": ["integer", "nul"]}}}}}})")})) ==
        R"(plugin scripted: stream events: json_schema /properties/lines/items/properties/qty/type: )"
        R"(unknown type "nul")");
  CHECK(lint(catalog_of({with_schema(R"({"type": "object", "properties": {"total": {"anyOf": [{"type": "number"},
              {"type": "text"}]}}})")})) ==
        R"(plugin scripted: stream events: json_schema /properties/total/anyOf/1/type: unknown type "text")");
}

TEST_CASE("a record schema that is not a valid draft 7 schema is reported with the keyword at fault") {
  CHECK(lint(catalog_of({with_schema(R"({"type": "object", "properties": {"amount": {"minimum": "0"}}})")})) ==
        "plugin scripted: stream events: json_schema /properties/amount/minimum: must be a number");
  CHECK(lint(catalog_of({with_schema(R"({"type": "object", "properties": 5})")})) ==
        "plugin scripted: stream events: json_schema /properties: must be an object whose values are schemas");
  CHECK(lint(catalog_of({with_schema(R"({"type": "object", "properties": {"code": {"pattern": "([a-z"}}})")})) ==
        "plugin scripted: stream events: json_schema /properties/code/pattern: is not a valid regular expression "
        "(missing ]: [a-z)");
  CHECK_THAT(lint(catalog_of({with_schema(R"({"properties": {"a": {"$ref": "#/definitions/missing"}}})")})),
             Catch::StartsWith("plugin scripted: stream events: json_schema: "));
  CHECK(lint(catalog_of({with_schema(R"("object")")})) ==
        "plugin scripted: stream events: json_schema: must be a schema (an object or a boolean), not string");
}

TEST_CASE("a stream without a json_schema is reported") {
  auto stream = events_stream();
  stream.erase("json_schema");
  CHECK(lint(catalog_of({stream})) == "plugin scripted: stream events: json_schema: missing");
}

TEST_CASE("a mode the plugin's info block does not declare is reported with the declared ones") {
  CHECK(lint(catalog_of({events_stream()}), kFullRefreshOnly) ==
        "plugin scripted: stream events: supported_sync_modes: incremental_append is not among the modes the "
        "plugin declares (full_refresh_overwrite, full_refresh_append)");
}

TEST_CASE("an unknown mode name is reported, with the mode it resembles when there is one") {
  CHECK(lint(catalog_of({with_modes({"full_refresh_overwite"})})) ==
        R"(plugin scripted: stream events: supported_sync_modes: unknown sync mode "full_refresh_overwite" )"
        R"((did you mean "full_refresh_overwrite"?))");
  CHECK(lint(catalog_of({with_modes({"full_refresh_overwrite", "incremental"})})) ==
        R"(plugin scripted: stream events: supported_sync_modes: unknown sync mode "incremental" (expected one of )"
        R"(full_refresh_overwrite, full_refresh_append, incremental_append, incremental_append_dedup))");
  CHECK(lint(catalog_of({with_modes({1})})) ==
        "plugin scripted: stream events: supported_sync_modes: must be a list of sync mode names");
}

TEST_CASE("source-defined flags must be booleans") {
  auto stream = events_stream();
  stream["source_defined_cursor"] = "yes";
  CHECK(lint(catalog_of({stream})) == "plugin scripted: stream events: source_defined_cursor: must be true or false");
  stream["source_defined_cursor"] = true;
  stream["source_defined_primary_key"] = 1;
  CHECK(lint(catalog_of({stream})) ==
        "plugin scripted: stream events: source_defined_primary_key: must be true or false");
}

TEST_CASE("a stream in a namespace is named with its namespace") {
  auto stream = with_schema(R"({"properties": {"a": {"type": "strnig"}}})");
  stream["namespace"] = "billing";
  CHECK(lint(catalog_of({stream})) ==
        R"(plugin scripted: stream billing.events: json_schema /properties/a/type: unknown type "strnig")");
}

TEST_CASE("only the streams the sync will read are checked") {
  auto broken = with_schema(R"({"properties": {"a": {"type": "strnig"}}})");
  broken["name"] = "legacy";
  const auto catalog = catalog_of({events_stream(), broken});
  CHECK_THAT(lint(catalog), Catch::StartsWith("plugin scripted: stream legacy: "));
  CHECK(lint(catalog, kAllModes, selecting("events")) == "OK");
  CHECK(lint(catalog, kAllModes, every_stream(), {"events"}) == "OK");
  CHECK_THAT(lint(catalog, kAllModes, every_stream(), {"legacy"}),
             Catch::StartsWith("plugin scripted: stream legacy: "));
}

TEST_CASE("a catalog stream without a name is reported with its index") {
  auto nameless = events_stream();
  nameless.erase("name");
  CHECK(lint(catalog_of({events_stream(), nameless})) ==
        R"(plugin scripted: catalog: streams/1 needs a non-empty string "name")");
}
