// Inline definitions for sluice/config.hpp. Not part of the author API.
#pragma once

namespace sluice {

inline const boost::json::value* Config::find(std::string_view key) const {
  const auto* value = object_.if_contains(key);
  return value && !value->is_null() ? value : nullptr;
}

inline void Config::wrong(std::string_view key, const char* expected) const {
  const auto* value = object_.if_contains(key);
  throw Error(ErrorKind::config, path(key) + (value && !value->is_null() ? ": expected " : ": required ") +
                                     expected + (value && !value->is_null() ? "" : " is missing"));
}

inline bool Config::has(std::string_view key) const { return find(key) != nullptr; }

inline std::optional<std::string> Config::optional_string(std::string_view key) const {
  const auto* value = find(key);
  if (!value) return std::nullopt;
  if (!value->is_string()) wrong(key, "a string");
  return std::string(value->get_string());
}

inline std::optional<int64_t> Config::optional_integer(std::string_view key) const {
  const auto* value = find(key);
  if (!value) return std::nullopt;
  if (value->is_int64()) return value->get_int64();
  if (value->is_uint64() && value->get_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    return static_cast<int64_t>(value->get_uint64());
  }
  wrong(key, "an integer");
}

inline std::optional<bool> Config::optional_boolean(std::string_view key) const {
  const auto* value = find(key);
  if (!value) return std::nullopt;
  if (!value->is_bool()) wrong(key, "a boolean");
  return value->get_bool();
}

inline std::optional<Config> Config::optional_object(std::string_view key) const {
  const auto* value = find(key);
  if (!value) return std::nullopt;
  if (!value->is_object()) wrong(key, "an object");
  return Config(value->get_object(), path(key));
}

inline std::vector<std::string> Config::optional_strings(std::string_view key) const {
  std::vector<std::string> out;
  const auto* value = find(key);
  if (!value) return out;
  if (!value->is_array()) wrong(key, "an array of strings");
  for (const auto& item : value->get_array()) {
    if (!item.is_string()) wrong(key, "an array of strings");
    out.emplace_back(item.get_string());
  }
  return out;
}

inline std::string Config::string(std::string_view key) const {
  if (auto value = optional_string(key)) return *value;
  wrong(key, "string");
}

inline int64_t Config::integer(std::string_view key) const {
  if (auto value = optional_integer(key)) return *value;
  wrong(key, "integer");
}

inline bool Config::boolean(std::string_view key) const {
  if (auto value = optional_boolean(key)) return *value;
  wrong(key, "boolean");
}

inline Config Config::object(std::string_view key) const {
  if (auto value = optional_object(key)) return *value;
  wrong(key, "object");
}

inline std::vector<std::string> Config::strings(std::string_view key) const {
  if (!find(key)) wrong(key, "array of strings");
  return optional_strings(key);
}

}  // namespace sluice
