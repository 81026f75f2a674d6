// Fuzz target: {"$env"}/{"$file"} resolution over any JSON object, with the
// environment and a folder of secret files set up once. ConfigError is the
// documented refusal; anything else is a finding.
#include "host/common/host_error.hpp"
#include "host/config/secret_refs.hpp"

#include <boost/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const fs::path base = [] {
    fs::path dir = fs::temp_directory_path() / ("sluice-fuzz-secrets-" + std::to_string(::getpid()));
    fs::create_directories(dir / "sub");
    std::ofstream(dir / "token") << "s3cr3t\n";
    std::ofstream(dir / "sub" / "key") << "k\r\n";
    setenv("SLUICE_FUZZ_SECRET", "from-env", 1);
    return dir;
  }();
  boost::json::error_code ec;
  auto value = boost::json::parse(std::string_view(reinterpret_cast<const char*>(data), size), ec);
  if (ec || !value.is_object()) return 0;
  try {
    sluice::host::resolve_secret_refs(value.as_object(), base, "source.config");
  } catch (const sluice::host::HostError&) {
  }
  return 0;
}
