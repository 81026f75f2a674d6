// The load sequence follows docs/plugin-abi.md: inspect the file without
// running it, check its name, dlopen with RTLD_NOW, negotiate through the
// entry function, check the info block field by field, copy the table,
// validate the spec.
#include "host/config/keyword_lint.hpp"
#include "host/config/schema_validator.hpp"
#include "host/plugin/call_guard.hpp"
#include "host/plugin/plugin_error.hpp"
#include "host/plugin/plugin_name.hpp"
#include "host/plugin/plugin_registry.hpp"
#include "host/query/read_only_sql.hpp"

#include <boost/dll/library_info.hpp>
#include <boost/dll/shared_library.hpp>

#include <algorithm>
#include <cstring>
#include <string_view>

namespace sluice::host {

namespace {

// The oldest table sizes this host accepts: the ABI 1.0 layouts.
constexpr size_t kApiV1_0Size = offsetof(sluice_plugin_api, read) + sizeof(sluice_plugin_api::read);
constexpr size_t kInfoV1_0Size =
    offsetof(sluice_plugin_info, build_note) + sizeof(sluice_plugin_info::build_note);

// Runs before dlopen, so a file that is not ours runs none of its code (not
// even static constructors).
void inspect_symbols(const std::filesystem::path& file) {
  std::vector<std::string> symbols;
  try {
    boost::dll::library_info info(file);
    symbols = info.symbols();
  } catch (const std::exception& e) {
    throw PluginLoadError(std::string("not a shared object (") + e.what() + ")");
  }
  if (std::find(symbols.begin(), symbols.end(), SLUICE_ENTRY_SYMBOL) != symbols.end()) return;
  constexpr std::string_view other_major = "sluice_plugin_entry_v";
  for (const auto& symbol : symbols) {
    if (!symbol.starts_with(other_major)) continue;
    const std::string_view version = std::string_view(symbol).substr(other_major.size());
    if (!version.empty() && std::all_of(version.begin(), version.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      throw PluginLoadError("incompatible ABI: built for major version " + std::string(version) +
                            ", this host speaks major version " +
                            std::to_string(SLUICE_ABI_MAJOR));
    }
  }
  throw PluginLoadError(std::string("missing entry symbol ") + SLUICE_ENTRY_SYMBOL +
                        " (not a Sluice plugin)");
}

// The NAME a plugin file's name promises, or a rejection. Runs before
// dlopen, like inspect_symbols.
std::string name_promised_by(const std::filesystem::path& file) {
  if (auto name = plugin_name_from_file(file)) return *name;
  throw PluginLoadError("a plugin file must be named sluice-NAME.so with NAME of [a-z0-9_] (this one is " +
                        file.filename().string() + ")");
}

// Boost.DLL appends a bogus errno text to dlerror(); keep the useful part.
std::string dlopen_reason(const std::exception& e) {
  std::string text = e.what();
  auto start = text.find("dlerror system message: ");
  if (start != std::string::npos) {
    start += std::strlen("dlerror system message: ");
    auto end = text.find(')', start);
    return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
  }
  return text;
}

void check_info(const sluice_plugin_info* info) {
  if (!info) throw PluginLoadError("the plugin table has no info block");
  if (info->magic != SLUICE_PLUGIN_MAGIC) throw PluginLoadError("bad magic number in the info block");
  if (info->struct_size < kInfoV1_0Size) {
    throw PluginLoadError("info block too small (" + std::to_string(info->struct_size) + " bytes)");
  }
  if (info->abi_major != SLUICE_ABI_MAJOR) {
    throw PluginLoadError("incompatible ABI: info block says major version " +
                          std::to_string(info->abi_major));
  }
  if (info->min_host_minor > SLUICE_ABI_MINOR) {
    throw PluginLoadError("needs host ABI 1." + std::to_string(info->min_host_minor) +
                          " or newer, this host is 1." + std::to_string(SLUICE_ABI_MINOR));
  }
  if (info->pointer_size != sizeof(void*)) {
    throw PluginLoadError("built for " + std::to_string(info->pointer_size * 8) +
                          "-bit pointers, this host is " + std::to_string(sizeof(void*) * 8) + "-bit");
  }
  if (!info->name || !is_plugin_name(info->name)) {
    throw PluginLoadError("plugin name must match [a-z0-9_]+");
  }
  if (!info->version || !*info->version) throw PluginLoadError("plugin version is empty");
}

// Copies the plugin's table into a zeroed full-size struct, so fields a
// plugin built against an older minor lacks read as null.
sluice_plugin_api copy_table(const sluice_plugin_api* table) {
  if (!table) throw PluginLoadError("the entry function returned a null plugin table");
  if (table->struct_size < kApiV1_0Size) {
    throw PluginLoadError("plugin table too small (" + std::to_string(table->struct_size) + " bytes)");
  }
  if (table->abi_major != SLUICE_ABI_MAJOR) {
    throw PluginLoadError("incompatible ABI: plugin table says major version " +
                          std::to_string(table->abi_major));
  }
  sluice_plugin_api copy{};
  std::memcpy(&copy, table, std::min<size_t>(table->struct_size, sizeof(copy)));
  check_info(copy.info);
  const char* missing = !copy.spec ? "spec" : !copy.check ? "check" : !copy.discover ? "discover"
                      : !copy.read ? "read" : nullptr;
  if (missing) throw PluginLoadError(std::string("missing required function ") + missing);
  // ABI 1.1 sessions come as a group: a partial set would leave the host
  // unable to end or use a session it opened.
  const int session_functions = (copy.open != nullptr) + (copy.close != nullptr) + (copy.session_check != nullptr) +
                                (copy.session_discover != nullptr) + (copy.session_read != nullptr);
  if (session_functions != 0 && session_functions != 5) {
    throw PluginLoadError("incomplete session functions: ABI 1.1 plugins set open, close, session_check, "
                          "session_discover and session_read, or none of them");
  }
  // ABI 1.3 query in place: a pair, in a dialect the host can check, on sessions.
  if ((copy.query_dialect == nullptr) != (copy.session_query == nullptr)) {
    throw PluginLoadError("incomplete query functions: ABI 1.3 plugins set query_dialect and session_query, "
                          "or neither");
  }
  if (copy.query_dialect) {
    try {
      sql_lexicon(copy.query_dialect);
    } catch (const std::invalid_argument&) {
      throw PluginLoadError(std::string("query_dialect \"") + copy.query_dialect +
                            "\" is not one this host can check (postgresql, mysql, bigquery, snowflake, databricks)");
    }
    if (session_functions == 0) throw PluginLoadError("query_dialect is set but the plugin has no sessions (ABI 1.1)");
  }
  return copy;
}

boost::json::object fetch_spec(const sluice_plugin_api& api) {
  sluice_buffer out{};
  sluice_error error{};
  error.struct_size = sizeof(error);
  sluice_status status = api.spec(&out, &error);
  std::string message = error.message ? error.message : "";
  if (error.release) error.release(&error);
  std::string text(out.data ? out.data : "", out.size);
  if (out.release) out.release(&out);
  if (status != SLUICE_OK) throw PluginLoadError("spec() failed: " + message);

  boost::json::error_code ec;
  boost::json::value spec = boost::json::parse(text, ec);
  if (ec) throw PluginLoadError("spec is not valid JSON (" + ec.message() + ")");
  if (!spec.is_object()) throw PluginLoadError("spec is not a JSON object");
  const auto* schema = spec.as_object().if_contains("config_schema");
  if (!schema) throw PluginLoadError("spec has no config_schema");
  if (auto problem = check_config_schema(*schema)) {
    throw PluginLoadError("config schema is not a valid JSON Schema: " + *problem);
  }
  if (auto problem = find_unknown_keyword(*schema)) throw PluginLoadError("config schema: " + *problem);
  return std::move(spec.as_object());
}

}  // namespace

std::unique_ptr<Plugin> load_plugin(const std::filesystem::path& file) {
  inspect_symbols(file);
  const std::string name = name_promised_by(file);
  // From here on the plugin's own code runs: static constructors, entry, spec.
  PluginCallGuard guard(name, "load");
  auto library = std::make_shared<boost::dll::shared_library>();
  try {
    // RTLD_NOW: an unresolved symbol fails here, catchable, instead of
    // killing the process at its first call.
    library->load(file, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    throw PluginLoadError("cannot load: " + dlopen_reason(e));
  }
  auto& entry = library->get<std::remove_pointer_t<sluice_plugin_entry_fn>>(SLUICE_ENTRY_SYMBOL);

  const sluice_plugin_api* table = nullptr;
  sluice_error error{};
  error.struct_size = sizeof(error);
  sluice_status status = entry(SLUICE_ABI_MAJOR, SLUICE_ABI_MINOR, &table, &error);
  std::string message = error.message ? error.message : "";
  if (error.release) error.release(&error);
  if (status == SLUICE_INCOMPATIBLE) {
    throw PluginLoadError("the plugin refused this host (ABI " + std::to_string(SLUICE_ABI_MAJOR) +
                          "." + std::to_string(SLUICE_ABI_MINOR) + "): " + message);
  }
  if (status != SLUICE_OK) throw PluginLoadError("the entry function failed: " + message);

  sluice_plugin_api api = copy_table(table);
  if (name != api.info->name) {
    throw PluginLoadError(std::string("the plugin calls itself ") + api.info->name + " but its file is named " +
                          file.filename().string() + " (a plugin named NAME must be in sluice-NAME.so)");
  }
  boost::json::object spec = fetch_spec(api);
  return std::make_unique<Plugin>(file, std::move(library), api, std::move(spec));
}

}  // namespace sluice::host
