// Fuzz target: the support library's streaming scan of a page's array
// elements (Auth0 pages, BigQuery lists) and top-level members. Every
// element handed out must itself be complete JSON; sluice::Error is the
// documented refusal of a malformed body.
#include <sluice/error.hpp>
#include <sluice/support/json_elements.hpp>

#include <boost/json.hpp>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  for (std::string_view key : {"users", "", "next"}) {
    try {
      sluice::support::for_each_element(body, key, [](std::string_view element) {
        boost::json::error_code ec;
        boost::json::parse(element, ec);
        if (ec) __builtin_trap();  // an element that is not JSON would reach the host
      });
      sluice::support::member_json(body, key);
    } catch (const sluice::Error&) {
    }
  }
  return 0;
}
