// Plugin loading and ABI negotiation, through `sluice plugins`, the commands
// that name one plugin, and the loader itself, against deliberately broken
// plugins (tests/plugins).
#include "common/process.hpp"
#include "common/temp_dir.hpp"
#include "host/plugin/plugin_error.hpp"
#include "host/plugin/plugin_registry.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <csignal>
#include <filesystem>

using namespace sluice::test;
namespace json = boost::json;

namespace {

std::string test_plugin(const std::string& name) {
  return std::string(SLUICE_TEST_PLUGIN_DIR) + "/sluice-" + name + ".so";
}

std::string load_failure_of_file(const std::string& file) {
  try {
    sluice::host::load_plugin(file);
  } catch (const sluice::host::PluginLoadError& e) {
    return e.what();
  }
  return "(loaded)";
}

std::string load_failure(const std::string& name) { return load_failure_of_file(test_plugin(name)); }

// A copy of a test plugin under another file name, in `dir`.
std::string copy_plugin(const TempDir& dir, const std::string& name, const std::string& as) {
  std::filesystem::copy_file(test_plugin(name), dir.path() / as);
  return dir.file(as);
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
             Catch::StartsWith("the plugin refused this host (ABI 1.4): ") &&
                 Catch::Contains("requires host ABI minor 9"));
}

TEST_CASE("ABI 1.3 query in place is declared as a pair, in a dialect the host can check, on sessions") {
  CHECK(load_failure("query_half") ==
        "incomplete query functions: ABI 1.3 plugins set query_dialect and session_query, or neither");
  CHECK(load_failure("query_bad_dialect") ==
        "query_dialect \"oracle\" is not one this host can check (postgresql, mysql, bigquery, snowflake, databricks)");
  CHECK(load_failure("query_no_sessions") == "query_dialect is set but the plugin has no sessions (ABI 1.1)");
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

TEST_CASE("a plugin file must be named sluice-NAME.so after the plugin it holds") {
  TempDir dir;
  CHECK(load_failure_of_file(copy_plugin(dir, "tiny", "tiny.so")) ==
        "a plugin file must be named sluice-NAME.so with NAME of [a-z0-9_] (this one is tiny.so)");
  CHECK(load_failure_of_file(copy_plugin(dir, "tiny", "sluice-other.so")) ==
        "the plugin calls itself tiny but its file is named sluice-other.so "
        "(a plugin named NAME must be in sluice-NAME.so)");
}

TEST_CASE("sluice plugins lists good plugins and every rejected file with its reason, one line each") {
  auto result = run_sluice({"plugins", "--plugin-dir", SLUICE_TEST_PLUGIN_DIR});
  INFO(result.all());
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("synthetic 1.0.0") && Catch::Contains("tiny") &&
                             Catch::Contains("scripted 1.0.0") && Catch::Contains("misbehaving 0.0.1"));
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
    CHECK(p.at("abi_version") == "1.4");
    CHECK(p.at("parallel_streams") == true);  // an SDK plugin: one Connector per session
    CHECK(p.at("query_dialect").is_null());   // it cannot query in place
    CHECK(p.at("namespace_support").is_string());
    CHECK(p.at("sync_modes").as_array().size() == 4);
  }
  CHECK(found_synthetic);
  CHECK(doc.at("rejected").as_array().size() >= 11);
}

TEST_CASE("sluice plugins lists a plugin that crashes while loading as rejected with its signal, "
          "and still lists the others") {
  auto result = run_sluice({"plugins", "--plugin-dir", SLUICE_TEST_PLUGIN_DIR});
  INFO(result.all());
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("\n  " + test_plugin("crash_static") +
                                         ": crashed with SIGSEGV while loading\n"));
  CHECK_THAT(result.out, Catch::Contains("\n  " + test_plugin("abort_spec") +
                                         ": crashed with SIGABRT while loading\n"));
  CHECK_THAT(result.out, Catch::StartsWith("misbehaving 0.0.1") || Catch::Contains("\nmisbehaving 0.0.1\n"));
  CHECK_THAT(result.out, Catch::Contains("\ntiny 1.0.0\n") && Catch::Contains("\nsynthetic 1.0.0\n"));
}

TEST_CASE("sluice plugins lists a plugin that hangs while loading as rejected once the probe timeout passes") {
  // Only tiny and the hanging plugin, so the good one answers well within the
  // short timeout even on a busy machine; the listing ends when the killed
  // child is reaped.
  TempDir dir;
  std::filesystem::create_symlink(test_plugin("tiny"), dir.path() / "sluice-tiny.so");
  std::filesystem::create_symlink(std::string(SLUICE_TEST_PLUGIN_DIR) + "/slow/sluice-hang_spec.so",
                                  dir.path() / "sluice-hang_spec.so");
  ProcessOptions short_timeout;
  short_timeout.env["SLUICE_PROBE_TIMEOUT"] = "1";
  std::vector<std::string> argv{SLUICE_CLI_PATH, "plugins", "--plugin-dir", dir.path().string()};
  auto result = run_process(argv, short_timeout);
  INFO(result.all());
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::StartsWith("tiny 1.0.0\n"));
  CHECK_THAT(result.out, Catch::EndsWith("\nRejected:\n  " + dir.file("sluice-hang_spec.so") +
                                         ": did not answer within 1 s\n"));
}

TEST_CASE("the probe timeout must be a positive number of seconds") {
  auto zero = run_sluice({"plugins", "--probe-timeout", "0"});
  CHECK(zero.exit_code == 2);
  CHECK(zero.err == "error: --probe-timeout: expected a number of seconds between 0 and 86400 (got 0)\n");
  ProcessOptions bad_env;
  bad_env.env["SLUICE_PROBE_TIMEOUT"] = "soon";
  auto from_env = run_process({SLUICE_CLI_PATH, "plugins"}, bad_env);
  CHECK(from_env.exit_code == 2);
  CHECK(from_env.err == "error: SLUICE_PROBE_TIMEOUT: expected a number of seconds between 0 and 86400 (got soon)\n");
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

TEST_CASE("a SLUICE_PLUGIN_PATH entry that is not a folder is skipped, and named when a plugin is not found") {
  ProcessOptions with_path;
  with_path.env["SLUICE_PLUGIN_PATH"] = std::string("/nonexistent:") + SLUICE_TEST_PLUGIN_DIR;
  auto found = run_process({SLUICE_CLI_PATH, "spec", "tiny"}, with_path);
  CHECK(found.exit_code == 0);
  CHECK(found.err.empty());
  auto missing = run_process({SLUICE_CLI_PATH, "spec", "nope"}, with_path);
  CHECK(missing.exit_code == 3);
  CHECK_THAT(missing.err,
             Catch::StartsWith(std::string("error: no plugin named nope (looked for sluice-nope.so in: ") +
                               SLUICE_TEST_PLUGIN_DIR + ", ") &&
                 Catch::EndsWith("; skipped SLUICE_PLUGIN_PATH entries that are not folders: /nonexistent)\n"));
}

TEST_CASE("asking for a rejected plugin exits 3 and says where it was found and why it was rejected") {
  auto result = run_sluice({"spec", "bad_schema", "--plugin-dir", SLUICE_TEST_PLUGIN_DIR});
  CHECK(result.exit_code == 3);
  CHECK_THAT(result.err, Catch::StartsWith(std::string("error: bad_schema was found in ") + SLUICE_TEST_PLUGIN_DIR +
                                           " but rejected: config schema is not a valid JSON Schema"));
  auto missing = run_sluice({"spec", "nope"});
  CHECK(missing.exit_code == 3);
  CHECK_THAT(missing.err, Catch::StartsWith("error: no plugin named nope (looked for sluice-nope.so in: "));
}

TEST_CASE("a command that names a plugin loads only that plugin, so a plugin that crashes when loaded costs "
          "the others nothing") {
  // The folder holds crash_static (SIGSEGV in a static constructor) and
  // abort_spec: loading every file would kill these commands.
  auto spec = run_sluice({"spec", "tiny", "--plugin-dir", SLUICE_TEST_PLUGIN_DIR});
  INFO(spec.all());
  CHECK(spec.exit_code == 0);
  CHECK(json::parse(spec.out).at("name") == "tiny");

  TempDir dir;
  json::object doc{{"source", {{"plugin", "tiny"}, {"config", json::object{}}}},
                   {"target", "sqlite://" + dir.file("out.db")}};
  std::string file = dir.write("conn.json", json::serialize(doc));
  for (const char* command : {"check", "discover", "sync"}) {
    auto result = run_sluice({command, file, "--plugin-dir", SLUICE_TEST_PLUGIN_DIR});
    INFO(command << ": " << result.all());
    CHECK(result.exit_code == 0);
  }
}

TEST_CASE("naming a plugin that crashes while loading prints one line naming it before the process dies") {
  auto result = run_sluice({"spec", "crash_static", "--plugin-dir", SLUICE_TEST_PLUGIN_DIR});
  CHECK(result.signal == SIGSEGV);
  CHECK(result.err == "error: plugin crashed: crash_static load died with SIGSEGV\n");
  auto aborted = run_sluice({"spec", "abort_spec", "--plugin-dir", SLUICE_TEST_PLUGIN_DIR});
  CHECK(aborted.signal == SIGABRT);
  CHECK(aborted.err == "error: plugin crashed: abort_spec load died with SIGABRT\n");
}

TEST_CASE("the first folder holding sluice-NAME.so is the one used, even when its copy is rejected") {
  TempDir dir;
  copy_plugin(dir, "bad_magic", "sluice-tiny.so");
  auto spec = run_sluice({"spec", "tiny", "--plugin-dir", dir.path().string(), "--plugin-dir", SLUICE_TEST_PLUGIN_DIR});
  CHECK(spec.exit_code == 3);
  CHECK(spec.err == "error: tiny was found in " + dir.path().string() +
                        " but rejected: bad magic number in the info block\n");
  auto listing =
      run_sluice({"plugins", "--plugin-dir", dir.path().string(), "--plugin-dir", SLUICE_TEST_PLUGIN_DIR});
  CHECK_THAT(listing.out, Catch::Contains("  " + dir.file("sluice-tiny.so") + ": bad magic number in the info block\n"));
  CHECK_THAT(listing.out, Catch::Contains("  " + test_plugin("tiny") + ": not used: " + dir.file("sluice-tiny.so") +
                                          " comes first in the search path\n"));
}

TEST_CASE("a plugin name that is not [a-z0-9_] never becomes a path") {
  auto result = run_sluice({"spec", "../test-plugins/sluice-tiny", "--plugin-dir", SLUICE_TEST_PLUGIN_DIR});
  CHECK(result.exit_code == 3);
  CHECK(result.err ==
        "error: no plugin named ../test-plugins/sluice-tiny (plugin names match [a-z0-9_]{1,64})\n");
}

TEST_CASE("a --plugin-dir that names a missing folder or a file is a usage error") {
  auto missing = run_sluice({"plugins", "--plugin-dir", "/nonexistent/plugins"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err == "error: --plugin-dir /nonexistent/plugins: no such directory\n");
  auto file = run_sluice({"spec", "tiny", "--plugin-dir", test_plugin("tiny")});
  CHECK(file.exit_code == 2);
  CHECK(file.err == "error: --plugin-dir " + test_plugin("tiny") + ": not a directory\n");
}
