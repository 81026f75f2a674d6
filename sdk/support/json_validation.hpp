// Private to the support library: is a text one complete JSON document?
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sluice::support::detail {

// nullopt when `text` is one JSON document (RFC 8259: UTF-8, no comments, no
// trailing commas, surrounding whitespace allowed) nested at most 32 deep, as
// boost::json::parse accepts; else what is wrong and where ("syntax error at
// byte 12", "incomplete JSON at byte 40"). Builds no DOM.
std::optional<std::string> json_syntax_error(std::string_view text);

}  // namespace sluice::support::detail
