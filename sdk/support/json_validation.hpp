// Private to the support library: is a text one complete JSON document?
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::support::detail {

// How deep an API's JSON may nest. Boost's default of 32 is too shallow for
// real answers: a BigQuery RECORD may nest 15 levels, three JSON levels each
// in the f/v row form, under the page's own. Boost's parser keeps its own
// stack, so depth costs memory, not call stack.
inline constexpr std::size_t kMaxJsonDepth = 256;

// nullopt when `text` is one JSON document (RFC 8259: UTF-8, no comments, no
// trailing commas, surrounding whitespace allowed) nested at most
// kMaxJsonDepth deep; else what is wrong and where ("syntax error at byte
// 12", "incomplete JSON at byte 40"). Builds no DOM.
std::optional<std::string> json_syntax_error(std::string_view text);

}  // namespace sluice::support::detail
