// Connection files in YAML (docs/connection-file.md): the same document as
// JSON, the same validation and references, and one line with file, line and
// column for what has no JSON meaning.
#include "common/process.hpp"
#include "common/temp_dir.hpp"
#include "host/config/config_error.hpp"
#include "host/config/yaml_document.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

using namespace sluice::test;
namespace json = boost::json;

namespace {

// The one line yaml_to_json refuses `text` with.
std::string refusal(const std::string& text) {
  try {
    sluice::host::yaml_to_json(text, "conn.yaml");
  } catch (const sluice::host::ConfigError& e) {
    REQUIRE(e.lines().size() == 1);
    return e.lines().front();
  }
  return "(accepted)";
}

}  // namespace

TEST_CASE("YAML maps onto JSON by the core schema, quoted scalars stay strings and aliases expand") {
  auto doc = sluice::host::yaml_to_json(
      "a: 1\n"
      "b: -2.5\n"
      "c: true\n"
      "d: ~\n"
      "e: '1'\n"
      "f: hello world\n"
      "g: [x, 18446744073709551615]\n"
      "h: &base {k: v}\n"
      "i: *base\n"
      "j: |\n  two\n  lines\n"
      "k: 0x1F\n",
      "conn.yaml");
  CHECK(doc == json::parse(R"({"a":1,"b":-2.5,"c":true,"d":null,"e":"1","f":"hello world",
                               "g":["x",18446744073709551615],"h":{"k":"v"},"i":{"k":"v"},
                               "j":"two\nlines\n","k":31})"));
}

TEST_CASE("YAML without a JSON meaning is refused in one line naming file, line and column") {
  CHECK(refusal("source:\n  plugin: a\n  plugin: b\n") == "conn.yaml: line 3, column 3: duplicate key \"plugin\"");
  CHECK(refusal("config:\n  1: x\n") == "conn.yaml: line 2, column 3: keys must be strings; quote \"1\" to make it one");
  CHECK(refusal("? [a, b]\n: x\n") == "conn.yaml: line 1, column 3: keys must be strings (this one is a list)");
  CHECK(refusal("events: !!int 5\n") ==
        "conn.yaml: line 1, column 9: tag tag:yaml.org,2002:int has no JSON meaning; remove it (quote the value "
        "to make it a string)");
  CHECK(refusal("n: .inf\n") == "conn.yaml: line 1, column 4: .inf has no JSON meaning; quote it to make it a string");
  CHECK(refusal("a: 1\n---\nb: 2\n") ==
        "conn.yaml: line 3, column 1: a second YAML document; a connection file holds one");
  CHECK(refusal("a: [1, 2\n") == "conn.yaml: not valid YAML at line 2, column 1: end of sequence flow not found");
}

TEST_CASE("YAML is bounded like JSON: nesting depth, and aliases that expand past the file limit") {
  const std::string deep = "a: " + std::string(40, '[') + std::string(40, ']') + "\n";
  CHECK(refusal(deep) == "conn.yaml: line 1, column 35: nested deeper than 32 levels");
  // An alias inside its own anchor is a cycle: caught by the same bound.
  CHECK(refusal("source: &s\n  plugin: x\n  config: *s\n") ==
        "conn.yaml: line 2, column 11: nested deeper than 32 levels");
  // Each level doubles: 2^30 copies of a 1 KiB string from a 1.5 KiB file.
  std::string laughs = "a0: &a0 \"" + std::string(1024, 'x') + "\"\n";
  for (int i = 1; i <= 30; ++i) {
    laughs += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [*a" + std::to_string(i - 1) + ", *a" +
              std::to_string(i - 1) + "]\n";
  }
  CHECK(refusal(laughs) == "conn.yaml: line 1, column 5: the document expands (through aliases) past the limit of 16 MiB");
}

TEST_CASE("a YAML connection file is checked and synced like its JSON twin, $env references included") {
  TempDir dir;
  const std::string file = dir.write("conn.yaml",
                                     "# the synthetic example, in YAML\n"
                                     "source:\n"
                                     "  plugin: synthetic\n"
                                     "  config:\n"
                                     "    events: 7\n"
                                     "    api_key: {$env: SYNTH_KEY}\n"
                                     "target: sqlite://" + dir.file("out.db") + "\n"
                                     "streams:\n"
                                     "  - name: customers\n");
  ProcessOptions env;
  env.env["SYNTH_KEY"] = "sk_yaml_secret_77";
  auto check = run_sluice({"check", file}, env);
  INFO(check.all());
  CHECK(check.exit_code == 0);
  CHECK_THAT(check.out, Catch::StartsWith("ok: conn.yaml"));
  auto unset = run_sluice({"check", file});
  CHECK(unset.exit_code == 2);
  CHECK_THAT(unset.err, Catch::Contains("SYNTH_KEY"));

  const std::string bad = dir.write("bad.yml", "source:\n  plugin: synthetic\n  config:\n    events: many\n");
  auto invalid = run_sluice({"check", bad});
  CHECK(invalid.exit_code == 2);
  CHECK_THAT(invalid.err, Catch::StartsWith("error: bad.yml: source.config.events: "));

  const std::string dup = dir.write("dup.yaml", "source:\n  plugin: synthetic\ntarget: a\ntarget: b\n");
  auto duplicate = run_sluice({"check", dup});
  CHECK(duplicate.exit_code == 2);
  CHECK(duplicate.err == "error: dup.yaml: line 4, column 1: duplicate key \"target\"\n");
}
