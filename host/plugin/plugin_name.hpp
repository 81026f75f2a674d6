// What a plugin may be called: the one rule behind plugin file names
// (sluice-NAME.so), the info block's name and a connection's source.plugin.
#pragma once

#include <algorithm>
#include <string_view>

namespace sluice::host {

// 1 to 64 characters from [a-z0-9_]. A plain loop, not std::regex: the name
// may come from a connection file, and is checked before it becomes a path.
inline bool is_plugin_name(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
         });
}

}  // namespace sluice::host
