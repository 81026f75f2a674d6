// Hostile and careless input through the CLI (issue 20). Each of these used
// to crash, hang, succeed silently or flood the terminal; each now ends with
// a documented exit code and one clear line.
#include "common/process.hpp"
#include "common/sqlite_reader.hpp"
#include "common/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <sstream>

using namespace sluice::test;
namespace json = boost::json;

namespace {

std::string connection(const TempDir& dir, const std::string& plugin, const json::value& config,
                       const json::value& streams = nullptr) {
  json::object doc{{"source", {{"plugin", plugin}, {"config", config}}}, {"target", "sqlite://" + dir.file("out.db")}};
  if (!streams.is_null()) doc["streams"] = streams;
  return dir.write("conn.json", json::serialize(doc));
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("a 30,000-character value in a field with a pattern is checked, not a crash, in every connector") {
  TempDir dir;
  const std::string letters(30000, 'a');

  auto valid = run_sluice({"check", connection(dir, "synthetic", {{"namespace", letters}})});
  INFO(valid.err);
  CHECK(valid.signal == 0);
  CHECK(valid.exit_code == 0);

  auto synthetic = run_sluice({"check", connection(dir, "synthetic", {{"namespace", letters + "-"}})});
  CHECK(synthetic.signal == 0);
  CHECK(synthetic.exit_code == 2);
  CHECK(synthetic.err == "error: conn.json: source.config.namespace: does not match pattern ^[A-Za-z0-9_]*$\n");

  // The other required fields are left out: validation fails before any request.
  auto auth0 = run_sluice({"check", connection(dir, "auth0", {{"domain", letters}})});
  CHECK(auth0.signal == 0);
  CHECK(auth0.exit_code == 2);
  CHECK_THAT(auth0.err, Catch::Contains("error: conn.json: source.config.domain: does not match pattern ^[A-Za-z0-9]"));

  auto bigquery = run_sluice({"check", connection(dir, "bigquery", {{"project_id", letters}})});
  CHECK(bigquery.signal == 0);
  CHECK(bigquery.exit_code == 2);
  CHECK_THAT(bigquery.err, Catch::Contains("error: conn.json: source.config.project_id: does not match pattern ^("));
}

TEST_CASE("a $file secret that is a directory or a device fails the sync with exit 2 and one line, before any table") {
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "folder");
  auto folder = run_sluice({"sync", connection(dir, "synthetic", {{"events", 3}, {"api_key", {{"$file", "folder"}}}})});
  CHECK(folder.exit_code == 2);
  CHECK(folder.err == "error: source.config.api_key: cannot read secret file " + dir.file("folder") +
                          ": it is a directory, not a regular file\n");
  CHECK_FALSE(sqlite_has_table(dir.file("out.db"), "usage_events"));

  auto zero =
      run_sluice({"sync", connection(dir, "synthetic", {{"events", 3}, {"api_key", {{"$file", "/dev/zero"}}}})});
  CHECK(zero.exit_code == 2);
  CHECK(zero.err == "error: source.config.api_key: cannot read secret file /dev/zero: it is a character device, "
                    "not a regular file\n");
}

TEST_CASE("a long list of config errors prints its first 20 lines and a count of the rest") {
  TempDir dir;
  json::object config;
  for (int i = 0; i < 1000; ++i) config["unknown_" + std::to_string(1000 + i)] = i;
  auto run = run_sluice({"check", connection(dir, "synthetic", config)});
  CHECK(run.exit_code == 2);
  auto lines = lines_of(run.err);
  REQUIRE(lines.size() == 21);
  CHECK(lines.front() == "error: conn.json: source.config.unknown_1000: unknown property");
  CHECK(lines[19] == "error: conn.json: source.config.unknown_1019: unknown property");
  CHECK(lines.back() == "error: ... and 980 more");
}

TEST_CASE("a connection selecting thousands of unknown streams prints 20 lines and a count of the rest") {
  TempDir dir;
  json::array streams;
  for (int i = 0; i < 5000; ++i) streams.push_back(json::object{{"name", "nope_" + std::to_string(i)}});
  auto run = run_sluice({"sync", connection(dir, "synthetic", {{"events", 3}}, streams)});
  INFO(run.err.substr(0, 2000));
  CHECK(run.exit_code == 2);
  auto lines = lines_of(run.err);
  REQUIRE(lines.size() == 21);
  CHECK_THAT(lines.front(), Catch::StartsWith("error: streams: no stream named nope_0 in the catalog"));
  CHECK(lines.back() == "error: ... and 4980 more");
}

TEST_CASE("sync --streams with no names, or an empty name, is a usage error and syncs nothing") {
  TempDir dir;
  const std::string file = connection(dir, "synthetic", {{"events", 3}});
  for (const std::string list : {",,,", "", "usage_events,", ",customers", "usage_events,,customers"}) {
    auto run = run_sluice({"sync", file, "--streams", list});
    INFO("--streams '" << list << "'");
    CHECK(run.exit_code == 2);
    CHECK(run.err == "error: sync: --streams needs stream names separated by commas, e.g. --streams users,orders "
                     "(got \"" + list + "\")\n");
  }
  CHECK_FALSE(std::filesystem::exists(dir.file("out.db")));

  auto one = run_sluice({"sync", file, "--streams", "customers"});
  INFO(one.err);
  CHECK(one.exit_code == 0);
  CHECK(sqlite_has_table(dir.file("out.db"), "customers"));
  CHECK_FALSE(sqlite_has_table(dir.file("out.db"), "usage_events"));
}
