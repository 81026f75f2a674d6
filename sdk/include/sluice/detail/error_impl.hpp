// Inline definitions for sluice/error.hpp. Not part of the author API.
#pragma once

#include <sluice/detail/names.hpp>

namespace sluice {

inline const char* to_string(ErrorKind kind) { return detail::error_kind_name(static_cast<int>(kind)); }

}  // namespace sluice
