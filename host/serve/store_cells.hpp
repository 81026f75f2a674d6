// How the store reads a row's cells back: every engine's statements return
// text or NULL (sql_connection.hpp), read here as the record types want.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

namespace sluice::host::serve {

inline std::string text(const std::optional<std::string>& cell) { return cell.value_or(""); }
inline int64_t number(const std::optional<std::string>& cell) {
  return cell ? std::strtoll(cell->c_str(), nullptr, 10) : 0;
}

}  // namespace sluice::host::serve
