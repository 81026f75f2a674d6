// The connection file: what it accepts and the exact line for each mistake.
#include "common/temp_dir.hpp"
#include "host/config/config_error.hpp"
#include "host/config/connection.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cstdlib>

using namespace sluice::host;

namespace {

// The lines of the ConfigError parse_connection throws ({} if it accepts).
std::vector<std::string> errors_of(const std::string& text) {
  try {
    parse_connection(text, "/some/dir/conn.json");
  } catch (const ConfigError& e) {
    return e.lines();
  }
  return {};
}

using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("a full connection file is read into a Connection") {
  Connection c = parse_connection(R"({"source":{"plugin":"synthetic","config":{"events":1000,"seed":7}},
    "target":"sqlite://./sluice.db",
    "namespace":{"definition":"custom","format":"billing_${SOURCE_NAMESPACE}","prefix":"raw_"},
    "streams":[{"name":"usage_events","namespace":null,"mode":"incremental_append_dedup",
                "cursor_field":["ts"],"primary_key":[["id"]]},
               {"name":"customers","namespace":"crm"}]})",
                                  "conn.json");
  CHECK(c.file == "conn.json");
  CHECK(c.plugin == "synthetic");
  CHECK(boost::json::serialize(c.config) == R"({"events":1000,"seed":7})");
  CHECK(c.target == "sqlite://./sluice.db");
  CHECK(c.namespace_rule.definition == NamespaceDefinition::custom);
  CHECK(c.namespace_rule.format == "billing_${SOURCE_NAMESPACE}");
  CHECK(c.namespace_rule.prefix == "raw_");
  REQUIRE(c.streams.has_value());
  REQUIRE(c.streams->size() == 2);
  const auto& events = (*c.streams)[0];
  CHECK(events.name == "usage_events");
  CHECK(events.ns.empty());
  CHECK(events.mode == sluice::host::SyncMode::incremental_append_dedup);
  CHECK(events.cursor_field == sluice::host::FieldPath{"ts"});
  CHECK(events.primary_key == std::vector<sluice::host::FieldPath>{{"id"}});
  const auto& customers = (*c.streams)[1];
  CHECK(customers.ns == "crm");
  CHECK_FALSE(customers.mode.has_value());
  CHECK_FALSE(customers.cursor_field.has_value());
  CHECK_FALSE(customers.primary_key.has_value());
}

TEST_CASE("a minimal connection file selects every stream with the defaults") {
  Connection c = parse_connection(R"({"source":{"plugin":"synthetic"}})", "conn.json");
  CHECK(c.plugin == "synthetic");
  CHECK(c.config.empty());
  CHECK(c.target.empty());
  CHECK(c.namespace_rule.definition == NamespaceDefinition::source);
  CHECK(c.namespace_rule.format.empty());
  CHECK(c.namespace_rule.prefix.empty());
  CHECK_FALSE(c.streams.has_value());
}

TEST_CASE("key and cursor shorthands name top-level fields") {
  Connection c = parse_connection(R"({"source":{"plugin":"p"},"streams":[
      {"name":"a","cursor_field":"ts","primary_key":"id"},
      {"name":"b","cursor_field":["meta","updated"],"primary_key":["id","region"]},
      {"name":"c","primary_key":[["id"],["owner","id"]]}]})",
                                  "conn.json");
  const auto& s = *c.streams;
  CHECK(s[0].cursor_field == sluice::host::FieldPath{"ts"});
  CHECK(s[0].primary_key == std::vector<sluice::host::FieldPath>{{"id"}});
  CHECK(s[1].cursor_field == sluice::host::FieldPath{"meta", "updated"});
  CHECK(s[1].primary_key == std::vector<sluice::host::FieldPath>{{"id"}, {"region"}});
  CHECK(s[2].primary_key == std::vector<sluice::host::FieldPath>{{"id"}, {"owner", "id"}});
}

TEST_CASE("invalid JSON is reported with line and column") {
  CHECK(errors_of("{\n  \"source\": {\n    \"plugin\" \"x\"\n  }\n}") ==
        Lines{"conn.json: not valid JSON at line 3, column 14: syntax error"});
  CHECK(errors_of("{\"source\":{\"plugin\":\"x\"}} trailing") ==
        Lines{"conn.json: not valid JSON at line 1, column 27: extra data"});
  CHECK(errors_of("{\"source\":") == Lines{"conn.json: not valid JSON at line 1, column 11: incomplete JSON"});
}

TEST_CASE("the file must be an object with a source plugin") {
  CHECK(errors_of("[]") == Lines{"conn.json: must be a JSON object with \"source\" and \"target\""});
  CHECK(errors_of("{}") == Lines{"conn.json: source: required property missing"});
  CHECK(errors_of(R"({"source":{}})") == Lines{"conn.json: source.plugin: required property missing"});
  CHECK(errors_of(R"({"source":{"plugin":7}})") == Lines{"conn.json: source.plugin: must be a string"});
  CHECK(errors_of(R"({"source":"x"})") ==
        Lines{"conn.json: source: must be an object with \"plugin\" and \"config\""});
  CHECK(errors_of(R"({"source":{"plugin":"p","config":[]}})") == Lines{"conn.json: source.config: must be an object"});
  CHECK(errors_of(R"({"source":{"plugin":"p"},"target":1})") == Lines{"conn.json: target: must be a string"});
}

TEST_CASE("unknown keys are rejected by name, so typos do not pass silently") {
  CHECK(errors_of(R"({"source":{"plugin":"p"},"stream":[]})") ==
        Lines{"conn.json: stream: unknown property (expected one of: namespace, source, streams, target)"});
  CHECK(errors_of(R"({"source":{"plugin":"p","confg":{}}})") ==
        Lines{"conn.json: source.confg: unknown property (expected one of: config, plugin)"});
  CHECK(errors_of(R"({"source":{"plugin":"p"},"streams":[{"name":"a","cursor":["ts"]}]})") ==
        Lines{"conn.json: streams[0].cursor: unknown property (expected one of: cursor_field, mode, name, "
              "namespace, primary_key)"});
}

TEST_CASE("namespace rules are checked") {
  CHECK(errors_of(R"({"source":{"plugin":"p"},"namespace":{"definition":"sauce"}})") ==
        Lines{"conn.json: namespace.definition: must be source, destination or custom (got \"sauce\")"});
  CHECK(errors_of(R"({"source":{"plugin":"p"},"namespace":{"definition":"custom"}})") ==
        Lines{"conn.json: namespace.format: required when definition is custom (e.g. "
              "\"billing_${SOURCE_NAMESPACE}\")"});
  CHECK(errors_of(R"({"source":{"plugin":"p"},"namespace":"source"})") ==
        Lines{"conn.json: namespace: must be an object like {\"definition\": \"source\"}"});
  Connection c = parse_connection(R"({"source":{"plugin":"p"},"namespace":{"definition":"destination",
                                       "format":null,"prefix":"x_"}})",
                                  "conn.json");
  CHECK(c.namespace_rule.definition == NamespaceDefinition::destination);
  CHECK(c.namespace_rule.prefix == "x_");
}

TEST_CASE("stream entries are checked") {
  CHECK(errors_of(R"({"source":{"plugin":"p"},"streams":{}})") == Lines{"conn.json: streams: must be a list of streams"});
  CHECK(errors_of(R"({"source":{"plugin":"p"},"streams":[{"name":"a"},{"name":"a","mode":"incremental"}]})") ==
        Lines{"conn.json: streams[1].mode: unknown sync mode \"incremental\" (expected one of full_refresh_overwrite, "
              "full_refresh_append, incremental_append, incremental_append_dedup)",
              "conn.json: streams[1].name: stream a is listed twice"});
  CHECK(errors_of(R"({"source":{"plugin":"p"},"streams":[{"mode":"full_refresh_append"},"x",{"name":""}]})") ==
        Lines{"conn.json: streams[0].name: required property missing",
              "conn.json: streams[1]: must be an object like {\"name\": \"users\"}",
              "conn.json: streams[2].name: must not be empty"});
  CHECK(errors_of(R"({"source":{"plugin":"p"},"streams":[{"name":"a","cursor_field":[]}]})") ==
        Lines{"conn.json: streams[0].cursor_field: must be a field path: a non-empty list of field names, "
              "e.g. [\"ts\"]"});
  CHECK(errors_of(R"({"source":{"plugin":"p"},"streams":[{"name":"a","primary_key":["id",["x"]]}]})") ==
        Lines{"conn.json: streams[0].primary_key[1]: must be a field name like \"id\" (do not mix names and paths "
              "in one key)"});
  CHECK(errors_of(R"({"source":{"plugin":"p"},"streams":[{"name":"a","primary_key":[["id"],"x"]}]})") ==
        Lines{"conn.json: streams[0].primary_key[1]: must be a field path like [\"id\"] (do not mix names and paths "
              "in one key)"});
  CHECK(errors_of(R"({"source":{"plugin":"p"},"streams":[{"name":"a","primary_key":[[1]]}]})") ==
        Lines{"conn.json: streams[0].primary_key[0]: must be a field path: a non-empty list of field names, "
              "e.g. [\"ts\"]"});
}

TEST_CASE("the same stream name in two namespaces is not a duplicate") {
  Connection c = parse_connection(
      R"({"source":{"plugin":"p"},"streams":[{"name":"a","namespace":"x"},{"name":"a","namespace":"y"}]})",
      "conn.json");
  CHECK(c.streams->size() == 2);
}

TEST_CASE("every problem in a file is reported at once") {
  ConfigError error(std::vector<std::string>{"a", "b"});
  CHECK(std::string(error.what()) == "a\nb");
  CHECK(errors_of(R"({"source":{},"extra":1,"namespace":{"definition":"x"}})") ==
        Lines{"conn.json: extra: unknown property (expected one of: namespace, source, streams, target)",
              "conn.json: source.plugin: required property missing",
              "conn.json: namespace.definition: must be source, destination or custom (got \"x\")"});
}

TEST_CASE("load_connection reads a file and names it when it cannot") {
  sluice::test::TempDir dir;
  auto file = dir.write("conn.json", R"({"source":{"plugin":"synthetic"}})");
  Connection c = load_connection(file);
  CHECK(c.file == file);
  CHECK(c.plugin == "synthetic");
  try {
    load_connection(dir.file("missing.json"));
    FAIL("expected ConfigError");
  } catch (const ConfigError& e) {
    CHECK(std::string(e.what()) == dir.file("missing.json") + ": cannot read the connection file: No such file or directory");
  }
}

TEST_CASE("the target URL may be an $env or $file reference, with errors naming the file and field") {
  sluice::test::TempDir dir;
  const std::string url = "postgresql://etl:s3cret@db.internal:5432/billing";
  setenv("SLUICE_TEST_TARGET_URL", url.c_str(), 1);
  Connection from_env = parse_connection(
      R"({"source":{"plugin":"synthetic","config":{}},"target":{"$env":"SLUICE_TEST_TARGET_URL"}})",
      dir.file("conn.json"));
  CHECK(from_env.target == url);

  dir.write("target.url", url + "\n");
  Connection from_file = parse_connection(
      R"({"source":{"plugin":"synthetic","config":{}},"target":{"$file":"target.url"}})", dir.file("conn.json"));
  CHECK(from_file.target == url);

  unsetenv("SLUICE_TEST_TARGET_URL");
  CHECK(errors_of(R"({"source":{"plugin":"synthetic","config":{}},"target":{"$env":"SLUICE_TEST_TARGET_URL"}})") ==
        std::vector<std::string>{"conn.json: target: environment variable SLUICE_TEST_TARGET_URL is not set"});
  CHECK(errors_of(R"({"source":{"plugin":"synthetic","config":{}},"target":{"url":"x"}})") ==
        std::vector<std::string>{"conn.json: target: must be a URL string or a {\"$env\"}/{\"$file\"} reference to one"});
  CHECK(errors_of(R"({"source":{"plugin":"synthetic","config":{}},"target":{"$env":"X","y":1}})") ==
        std::vector<std::string>{"conn.json: target: a reference must be {\"$env\": NAME} or {\"$file\": PATH}, "
                                 "alone in its object"});
}

// Issue 20: limits, so a broken or hostile file ends in one clear line.
TEST_CASE("a connection file must be a regular file of at most 16 MiB") {
  sluice::test::TempDir dir;
  std::filesystem::create_directories(dir.path() / "folder");
  REQUIRE(::mkfifo(dir.file("fifo.json").c_str(), 0600) == 0);
  // Valid JSON, padded past the limit with spaces.
  dir.write("huge.json", R"({"source":{"plugin":"synthetic"}})" + std::string(16 << 20, ' '));
  auto error_loading = [](const std::string& file) -> std::string {
    try {
      load_connection(file);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "";
  };
  CHECK(error_loading(dir.file("folder")) ==
        dir.file("folder") + ": cannot read the connection file: it is a directory, not a regular file");
  CHECK(error_loading(dir.file("fifo.json")) ==
        dir.file("fifo.json") + ": cannot read the connection file: it is a FIFO, not a regular file");
  CHECK(error_loading(dir.file("huge.json")) ==
        dir.file("huge.json") + ": cannot read the connection file: it is larger than 16 MiB");
}

TEST_CASE("a string or property name over 1 MiB is named by its path, never quoted, and nothing else is reported") {
  const std::string big((1 << 20) + 1, 'x');
  CHECK(errors_of(R"({"source":{"plugin":"synthetic","config":{"a":[1,")" + big + R"("]}},"bogus":1})") ==
        Lines{"conn.json: source.config.a[1]: string longer than the limit of 1 MiB"});
  CHECK(errors_of(R"({"source":{"plugin":"synthetic","config":{")" + big + R"(":1}}})") ==
        Lines{"conn.json: source.config: property name longer than the limit of 1 MiB"});
  CHECK(errors_of(R"({"source":{"plugin":"synthetic","config":{"a":")" + std::string(1 << 20, 'x') + R"("}}})").empty());
}
