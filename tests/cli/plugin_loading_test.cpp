// Plugin loading and ABI negotiation, through `sluice plugins` and the
// loader itself, against deliberately broken plugins (tests/plugins).
#include "common/process.hpp"
#include "host/plugin/plugin_error.hpp"
#include "host/plugin/plugin_registry.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

using namespace sluice::test;
namespace json = boost::json;

namespace {

std::string test_plugin(const std::string& name) {
  return std::string(SLUICE_TEST_PLUGIN_DIR) + "/sluice-" + name + ".so";
}

std::string load_failure(const std::string& name) {
  try {
    sluice::host::load_plugin(test_plugin(name));
  } catch (const sluice::host::PluginLoadError& e) {
    return e.what();
  }
  return "(loaded)";
}

}  // namespace

TEST_CASE("each broken plugin is rejected with the reason it is broken") {
  CHECK_THAT(load_failure("not_a_plugin"), Catch::StartsWith("not a shared object"));
  CHECK(load_failure("no_entry") == "missing entry symbol sluice_plugin_entry_v1 (not a Sluice plugin)");
  CHECK(load_failure("bad_major") ==
        "incompatible ABI: built for major version 2, this host speaks major version 1");
  CHECK(load_failure("null_table") == "the entry function returned a null plugin table");
  CHECK_THAT(load_failure("bad_spec_json"), Catch::StartsWith("spec is not valid JSON"));
  CHECK_THAT(load_failure("bad_schema"), Catch::StartsWith("config schema is not a valid JSON Schema: "));
  CHECK(load_failure("bad_keyword") ==
        "config schema: unknown keyword \"secert\" at /properties/api_key (did you mean \"secret\"?)");
  CHECK(load_failure("bad_magic") == "bad magic number in the info block");
  CHECK_THAT(load_failure("entry_incompatible"),
             Catch::StartsWith("the plugin refused this host (ABI 1.0): ") &&
                 Catch::Contains("requires host ABI minor 9"));
}

TEST_CASE("a plugin built against the frozen ABI 1.0 layout loads and runs in this host") {
  auto plugin = sluice::host::load_plugin(test_plugin("old_minor"));
  CHECK(plugin->abi_version() == "1.0");
  CHECK_FALSE(plugin->name().empty());
}

TEST_CASE("a plain C plugin without the C++ layer loads") {
  auto plugin = sluice::host::load_plugin(test_plugin("tiny"));
  CHECK(plugin->name() == "tiny");
}

TEST_CASE("sluice plugins lists good plugins and every rejected file with its reason, one line each") {
  auto result = run_sluice({"plugins", "--plugin-dir", SLUICE_TEST_PLUGIN_DIR});
  INFO(result.all());
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("synthetic 1.0.0") && Catch::Contains("tiny") &&
                             Catch::Contains("scripted 1.0.0"));
  for (const char* bad : {"not_a_plugin", "no_entry", "bad_major", "null_table", "bad_spec_json", "bad_schema",
                          "bad_keyword", "bad_magic", "entry_incompatible"}) {
    CHECK_THAT(result.out, Catch::Contains(test_plugin(bad) + ": "));
  }

  auto as_json = run_sluice({"plugins", "--json", "--plugin-dir", SLUICE_TEST_PLUGIN_DIR});
  REQUIRE(as_json.exit_code == 0);
  auto doc = json::parse(as_json.out).as_object();
  bool found_synthetic = false;
  for (const auto& p : doc.at("plugins").as_array()) {
    if (p.at("name") != "synthetic") continue;
    found_synthetic = true;
    CHECK(p.at("abi_version") == "1.0");
    CHECK(p.at("namespace_support").is_string());
    CHECK(p.at("sync_modes").as_array().size() == 4);
  }
  CHECK(found_synthetic);
  CHECK(doc.at("rejected").as_array().size() >= 9);
}

TEST_CASE("the build tree's plugins are found without any flag, and SLUICE_PLUGIN_PATH adds folders") {
  auto plain = run_sluice({"plugins"});
  REQUIRE(plain.exit_code == 0);
  CHECK_THAT(plain.out, Catch::Contains("synthetic 1.0.0"));
  CHECK_THAT(plain.out, !Catch::Contains("scripted"));

  ProcessOptions with_path;
  with_path.env["SLUICE_PLUGIN_PATH"] = std::string("/nonexistent:") + SLUICE_TEST_PLUGIN_DIR;
  std::vector<std::string> argv{SLUICE_CLI_PATH, "plugins"};
  auto from_env = run_process(argv, with_path);
  CHECK_THAT(from_env.out, Catch::Contains("scripted 1.0.0"));
}

TEST_CASE("asking for a rejected plugin exits 3 and says why") {
  auto result = run_sluice({"spec", "bad_schema", "--plugin-dir", SLUICE_TEST_PLUGIN_DIR});
  CHECK(result.exit_code == 3);
  CHECK_THAT(result.err, Catch::StartsWith("error: plugin bad_schema was rejected: ") &&
                             Catch::Contains("config schema is not a valid JSON Schema"));
  auto missing = run_sluice({"spec", "nope"});
  CHECK(missing.exit_code == 3);
  CHECK_THAT(missing.err, Catch::StartsWith("error: no plugin named nope (searched: "));
}
