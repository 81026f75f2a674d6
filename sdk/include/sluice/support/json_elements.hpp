// The elements of one JSON array of a response body as the raw text the API
// sent, for ReadContext::emit_serialized: records without a DOM round trip.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string_view>

namespace sluice::support {

// Calls fn, in order, with the text of each element (a view into `body`, no
// surrounding blanks) of the array at the top-level member `array_key` of an
// object body ({"users": [...], "total": 5}; the last if the name repeats),
// or of the body itself when `array_key` is "". fn runs only once the whole
// body is valid JSON: a malformed or truncated body emits nothing. Returns the
// element count. Throws sluice::Error(source) when the body is not one valid
// JSON document or has no such array.
size_t for_each_element(std::string_view body, std::string_view array_key,
                        const std::function<void(std::string_view element_json)>& fn);

// The text of the top-level member `key` of an object body (a total, a cursor),
// or nullopt when the body is not an object or has no such member. Throws as above.
std::optional<std::string_view> member_json(std::string_view body, std::string_view key);

}  // namespace sluice::support
