// `sluice new-plugin NAME`: writes a connector skeleton, the out-of-tree
// example (examples/out-of-tree-plugin, embedded at build time) renamed.
//
// Renaming, the whole contract:
//  1. NAME matches [a-z][a-z0-9_]{0,63}: a plugin name the host accepts
//     ([a-z0-9_]{1,64}) that is also a C++ identifier and a CMake target.
//     Refused: "Meter" (upper case), "9lives", "my-meter", "" (one line, exit 2).
//  2. In every file's text and path, longest first: "usage_api" -> NAME,
//     "UsageApi" -> NAME in CamelCase (meter_events -> MeterEvents,
//     s3_usage -> S3Usage), "usage-api" -> NAME with '-' for '_'.
//  3. The folder (--dir, default ./NAME) must not exist or be empty: nothing
//     is ever overwritten.
#include "host/cli/cli.hpp"
#include "host/cli/new_plugin_templates.hpp"
#include "host/cli/output.hpp"

#include <cctype>
#include <filesystem>
#include <fstream>

namespace sluice::host::cli {

namespace {

bool valid_name(const std::string& name) {
  if (name.empty() || name.size() > 64 || !std::islower(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_')) {
      return false;
    }
  }
  return true;
}

std::string camel_case(const std::string& name) {
  std::string out;
  bool upper = true;
  for (char c : name) {
    if (c == '_') {
      upper = true;
      continue;
    }
    out.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
    upper = false;
  }
  return out;
}

std::string replace_all(std::string text, std::string_view from, const std::string& to) {
  for (size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size()) text.replace(at, from.size(), to);
  return text;
}

}  // namespace

std::string rename_template(std::string_view text, const std::string& name) {
  std::string kebab = name;
  for (char& c : kebab) c = c == '_' ? '-' : c;
  std::string out = replace_all(std::string(text), "usage_api", name);
  out = replace_all(std::move(out), "UsageApi", camel_case(name));
  return replace_all(std::move(out), "usage-api", kebab);
}

int new_plugin_command(const std::vector<std::string>& args) {
  const std::vector<OptionSpec> options = {{"dir", "DIR", "Write the skeleton into DIR (default: ./NAME)"}};
  ParsedArgs parsed = parse_args("new-plugin", args, options, 1, 1);
  if (parsed.help) {
    print("Usage: sluice new-plugin NAME [--dir DIR]\n\n"
          "Writes a connector skeleton that builds against the installed SDK\n"
          "(find_package(Sluice)): a small REST connector (bearer key, one stream read\n"
          "page by page, incremental with a checkpoint per page), a fake of its API on\n"
          "the test kit, tests that run sluice check and sync against it, and a README.\n"
          "NAME is the plugin's name (the file sluice-NAME.so): [a-z][a-z0-9_]*, at\n"
          "most 64 characters. Nothing is overwritten: DIR must not exist or be empty.\n"
          "docs/writing-a-connector.md walks through the result.\n\n" +
          options_help(options));
    return kExitOk;
  }
  const std::string name = parsed.positionals[0];
  if (!valid_name(name)) {
    throw UsageError("new-plugin: " + (name.empty() ? std::string("the name is empty") : "NAME " + name + " is not") +
                     " a plugin name: a lower-case letter, then lower-case letters, digits or _, at most 64");
  }
  const std::filesystem::path dir = parsed.value("dir").value_or(name);
  std::error_code ec;
  if (std::filesystem::exists(dir, ec) &&
      (!std::filesystem::is_directory(dir, ec) || !std::filesystem::is_empty(dir, ec))) {
    throw UsageError("new-plugin: " + dir.string() + " already exists and is not an empty folder; nothing written");
  }
  for (const auto& file : new_plugin_templates()) {
    const std::filesystem::path path = dir / rename_template(file.path, name);
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    const std::string text = rename_template(file.text, name);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out.flush()) throw UsageError("new-plugin: cannot write " + path.string());
    print("wrote " + path.string() + "\n");
  }
  print("\nNext: cmake -S " + dir.string() + " -B " + (dir / "build").string() +
        " && cmake --build " + (dir / "build").string() + " && ctest --test-dir " + (dir / "build").string() + "\n");
  return kExitOk;
}

}  // namespace sluice::host::cli
