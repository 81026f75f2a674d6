// docs/connectors/gsheets.md holds the config table the plugin prints.
#include "common/process.hpp"
#include "common/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

TEST_CASE("the Google Sheets doc's config table is exactly what sluice spec gsheets --format markdown prints") {
  auto spec = sluice::test::run_sluice({"spec", "gsheets", "--format", "markdown"});
  INFO(spec.all());
  REQUIRE(spec.exit_code == 0);
  const auto start = spec.out.find("| Field |");
  REQUIRE(start != std::string::npos);
  auto end = spec.out.find("\n\n", start);
  std::string printed = spec.out.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (printed.back() != '\n') printed += '\n';
  const std::string doc =
      sluice::test::read_file(std::filesystem::path(SLUICE_SOURCE_DIR) / "docs" / "connectors" / "gsheets.md");
  const std::string begin_marker = "<!-- config-table:begin -->\n", end_marker = "<!-- config-table:end -->";
  const auto begin = doc.find(begin_marker);
  const auto finish = doc.find(end_marker);
  REQUIRE(begin != std::string::npos);
  REQUIRE(finish != std::string::npos);
  CHECK(doc.substr(begin + begin_marker.size(), finish - begin - begin_marker.size()) == printed);
  CHECK_THAT(printed, Catch::Contains("| `credentials.service_account_json` | string | yes |  | yes |"));
  CHECK_THAT(printed, Catch::Contains("| `credentials.api_key` | string | yes |  | yes |"));
}
