// Every connector page docs/connectors/NAME.md holds, between its
// config-table markers, exactly the table `sluice spec NAME --format
// markdown` prints from the plugin's schema, so a user following a page
// sees the fields the plugin really validates, its secrets marked secret.
// One test over every page: a new connector's page is checked by adding it.
#include "common/process.hpp"
#include "common/temp_dir.hpp"

#include <boost/json.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

const fs::path kSource = SLUICE_SOURCE_DIR;

// The plugin names the pages document: docs/connectors/NAME.md.
std::set<std::string> documented_plugins() {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(kSource / "docs" / "connectors")) {
    if (entry.path().extension() == ".md") names.insert(entry.path().stem().string());
  }
  return names;
}

// The in-tree plugins: folders of plugins/ that build one with sluice_add_plugin().
std::set<std::string> in_tree_plugins() {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(kSource / "plugins")) {
    const fs::path cmake = entry.path() / "CMakeLists.txt";
    if (fs::exists(cmake) && sluice::test::read_file(cmake).find("sluice_add_plugin(") != std::string::npos) {
      names.insert(entry.path().filename().string());
    }
  }
  return names;
}

// What sits between the page's markers; nullopt without both.
std::optional<std::string> documented_table(const std::string& page) {
  const std::string begin_marker = "<!-- config-table:begin -->\n", end_marker = "<!-- config-table:end -->";
  const auto begin = page.find(begin_marker);
  const auto end = page.find(end_marker);
  if (begin == std::string::npos || end == std::string::npos || end < begin) return std::nullopt;
  return page.substr(begin + begin_marker.size(), end - begin - begin_marker.size());
}

// The table in `sluice spec NAME --format markdown`: from its header row to
// the first blank line, ending with a newline.
std::string printed_table(const std::string& out) {
  const auto start = out.find("| Field |");
  if (start == std::string::npos) return {};
  const auto end = out.find("\n\n", start);
  std::string table = out.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (!table.empty() && table.back() != '\n') table += '\n';
  return table;
}

// The dotted paths of the schema's secret fields, as the table names them:
// oneOf branches share their parent's path, array items add "[]".
void secret_paths(const json::value& schema, const std::string& prefix, std::vector<std::string>& out) {
  const auto* object = schema.if_object();
  if (!object) return;
  if (const auto* properties = object->if_contains("properties"); properties && properties->is_object()) {
    for (const auto& [name, property] : properties->get_object()) {
      const std::string path = prefix.empty() ? std::string(name) : prefix + "." + std::string(name);
      const auto* secret = property.is_object() ? property.get_object().if_contains("secret") : nullptr;
      if (secret && secret->is_bool() && secret->get_bool()) out.push_back(path);
      secret_paths(property, path, out);
    }
  }
  for (const char* choice : {"oneOf", "anyOf"}) {
    if (const auto* branches = object->if_contains(choice); branches && branches->is_array()) {
      for (const auto& branch : branches->get_array()) secret_paths(branch, prefix, out);
    }
  }
  if (const auto* items = object->if_contains("items")) secret_paths(*items, prefix + "[]", out);
}

// The Secret cell of each table row naming `path` (one per oneOf branch).
std::vector<std::string> secret_cells(const std::string& table, const std::string& path) {
  std::vector<std::string> cells;
  const std::string row_start = "| `" + path + "` |";
  for (size_t at = table.find(row_start); at != std::string::npos; at = table.find(row_start, at + 1)) {
    if (at > 0 && table[at - 1] != '\n') continue;
    const std::string row = table.substr(at, table.find('\n', at) - at);
    // | Field | Type | Required | Default | Secret | Description |: the
    // Secret cell follows the fourth " | ".
    size_t cell_start = 0;
    for (int bar = 0; bar < 4 && cell_start != std::string::npos; ++bar) cell_start = row.find(" | ", cell_start + 1);
    if (cell_start == std::string::npos) continue;
    const size_t cell_end = row.find(" |", cell_start + 3);
    cells.push_back(row.substr(cell_start + 3, cell_end - cell_start - 3));
  }
  return cells;
}

}  // namespace

TEST_CASE("every in-tree plugin has a connector page and every page documents an in-tree plugin") {
  CHECK(documented_plugins() == in_tree_plugins());
  CHECK(documented_plugins().size() >= 8);  // auth0 bigquery databricks gsheets mysql postgres snowflake synthetic
}

TEST_CASE("each connector page's config table is exactly what sluice spec prints, every secret field marked secret") {
  for (const std::string& name : documented_plugins()) {
    INFO("docs/connectors/" << name << ".md");
    const auto markdown = sluice::test::run_sluice({"spec", name, "--format", "markdown"});
    INFO(markdown.err);
    REQUIRE(markdown.exit_code == 0);
    const std::string printed = printed_table(markdown.out);
    REQUIRE_FALSE(printed.empty());
    const auto documented = documented_table(sluice::test::read_file(kSource / "docs" / "connectors" / (name + ".md")));
    REQUIRE(documented);
    CHECK(*documented == printed);

    const auto spec = sluice::test::run_sluice({"spec", name});
    REQUIRE(spec.exit_code == 0);
    std::vector<std::string> secrets;
    secret_paths(json::parse(spec.out).at("config_schema"), "", secrets);
    for (const auto& path : secrets) {
      INFO("secret field " << path);
      const auto cells = secret_cells(printed, path);
      CHECK_FALSE(cells.empty());
      CHECK(std::all_of(cells.begin(), cells.end(), [](const std::string& cell) { return cell == "yes"; }));
    }
  }
}
