// Strict UTF-8 checks, one implementation for every layer that takes text
// from outside (CSV cells, typed record cells).
#pragma once

#include <string_view>

namespace sluice::host {

// Strict UTF-8, as Boost.JSON reads it: no overlong forms, no surrogates,
// nothing past U+10FFFF.
bool valid_utf8(std::string_view text);

// No byte at or above 0x80 (then the text is UTF-8), eight bytes at a time.
bool all_ascii(std::string_view text);

}  // namespace sluice::host
