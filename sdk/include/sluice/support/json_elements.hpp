// A response's array elements as the API's own text, for emit_serialized.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string_view>

#include <sluice/detail/json_string.hpp>  // append_json_string(out, text): a record's string values

namespace sluice::support {

// Calls fn with the text of each element of the array at top-level member
// `array_key` ({"users": [...]}; the last of repeated names), or of the body
// itself for "": as sent, trimmed, on one line, valid for the call. A malformed
// or truncated body emits nothing: Error(source), as for no such array. Returns the count.
size_t for_each_element(std::string_view body, std::string_view array_key,
                        const std::function<void(std::string_view element_json)>& fn);

// The text of the top-level member `key` of an object body (a total, a cursor),
// or nullopt when the body is not an object or has no such member. Throws as above.
std::optional<std::string_view> member_json(std::string_view body, std::string_view key);

}  // namespace sluice::support
