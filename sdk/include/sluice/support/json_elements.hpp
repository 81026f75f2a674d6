// A response's records as the API sent them, for emit_serialized: no DOM.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string_view>

namespace sluice::support {

// Calls fn, in order, with the text of each element of the array at the
// top-level member `array_key` of an object body ({"users": [...], "total": 5};
// the last if the name repeats), or of the body itself when `array_key` is "".
// The text is as sent, trimmed, on one line (line breaks between tokens become
// spaces) and valid for the call. fn runs only once the whole body is valid
// JSON: a malformed or truncated body emits nothing. Returns the element count.
// Throws sluice::Error(source) when the body is not one valid JSON document or
// has no such array.
size_t for_each_element(std::string_view body, std::string_view array_key,
                        const std::function<void(std::string_view element_json)>& fn);

// The text of the top-level member `key` of an object body (a total, a cursor),
// or nullopt when the body is not an object or has no such member. Throws as above.
std::optional<std::string_view> member_json(std::string_view body, std::string_view key);

}  // namespace sluice::support
