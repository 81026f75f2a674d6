// Each connector's doc carries its config table verbatim between markers; the
// table must stay what `sluice spec NAME --format markdown` prints, so a user
// reading the doc sees the fields the plugin really validates.
#include "common/process.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

const std::string kBegin = "<!-- config-table:begin -->\n";
const std::string kEnd = "<!-- config-table:end -->";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The rows of the "| Field | ..." table in `markdown`, header included.
std::string config_table(const std::string& markdown) {
  const auto start = markdown.find("| Field |");
  if (start == std::string::npos) return {};
  auto end = markdown.find("\n\n", start);
  if (end == std::string::npos) end = markdown.size();
  std::string table = markdown.substr(start, end - start);
  if (!table.empty() && table.back() != '\n') table += '\n';
  return table;
}

std::string documented_table(const std::string& doc) {
  const auto begin = doc.find(kBegin);
  const auto end = doc.find(kEnd);
  if (begin == std::string::npos || end == std::string::npos || end < begin) return {};
  return doc.substr(begin + kBegin.size(), end - begin - kBegin.size());
}

}  // namespace

TEST_CASE("every in-tree connector's doc holds the config table its plugin prints") {
  auto listed = sluice::test::run_sluice({"plugins", "--json"});
  REQUIRE(listed.exit_code == 0);
  const auto plugins = boost::json::parse(listed.out).at("plugins").as_array();
  const std::filesystem::path docs = std::filesystem::path(SLUICE_SOURCE_DIR) / "docs" / "connectors";
  int checked = 0;
  for (const auto& plugin : plugins) {
    const std::string name(plugin.at("name").as_string());
    const auto doc_path = docs / (name + ".md");
    if (!std::filesystem::exists(doc_path)) continue;
    INFO("connector " << name << " (" << doc_path.string() << ")");
    auto spec = sluice::test::run_sluice({"spec", name, "--format", "markdown"});
    REQUIRE(spec.exit_code == 0);
    const std::string printed = config_table(spec.out);
    REQUIRE_FALSE(printed.empty());
    CHECK(documented_table(read_file(doc_path)) == printed);
    ++checked;
  }
  // synthetic is always built; without its doc this test checks nothing.
  CHECK(checked >= 1);
}

TEST_CASE("the table check notices a doc that drifted from the plugin") {
  const std::string doc = "intro\n" + kBegin + "| Field | Type |\n|---|---|\n| `a` | integer |\n" + kEnd + "\n";
  CHECK(documented_table(doc) == "| Field | Type |\n|---|---|\n| `a` | integer |\n");
  CHECK(documented_table(doc) != config_table("| Field | Type |\n|---|---|\n| `a` | string |\n"));
}
