// Fuzz target: a connection file's text through parsing and config
// validation against a schema with the keywords plugins use (pattern,
// formats, enums, nested objects, secrets). The only exceptions allowed out
// of the host's parsers are its documented errors (HostError); anything else
// (a crash, std::bad_alloc, std::out_of_range, a stack overflow in a regex)
// is a finding.
#include "host/common/host_error.hpp"
#include "host/config/connection.hpp"
#include "host/config/schema_validator.hpp"

#include <boost/json.hpp>

#include <cstddef>
#include <cstdint>

namespace {

const boost::json::object& schema() {
  static const boost::json::object value = boost::json::parse(R"({
    "type": "object",
    "required": ["domain"],
    "properties": {
      "domain": {"type": "string", "pattern": "^[a-z0-9.-]+\\.auth0\\.com$", "maxLength": 253},
      "project_id": {"type": "string", "pattern": "^[a-z][a-z0-9-]{4,28}[a-z0-9]$"},
      "token": {"type": "string", "secret": true, "minLength": 1},
      "start_date": {"type": "string", "format": "date-time"},
      "page_size": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100},
      "mode": {"type": "string", "enum": ["fast", "safe"]},
      "credentials": {"type": "object", "properties": {
        "client_id": {"type": "string"}, "client_secret": {"type": "string", "secret": true}},
        "required": ["client_id"], "additionalProperties": false},
      "streams": {"type": "array", "items": {"type": "string"}, "maxItems": 50}
    }
  })").as_object();
  return value;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    auto connection = sluice::host::parse_connection(text, "/fuzz/connection.json");
    auto problems = sluice::host::validate_config(schema(), connection.config, "source.config");
    if (problems.empty()) sluice::host::apply_defaults(schema(), connection.config);
  } catch (const sluice::host::HostError&) {
    // A documented, one-line refusal.
  }
  return 0;
}
