// sluice/config.hpp -- typed access to a connector's validated config (secrets
// resolved, defaults applied). A missing or mistyped member is Error(config)
// naming its path ("config.auth.client_id: required string is missing").
#ifndef SLUICE_CONFIG_HPP_
#define SLUICE_CONFIG_HPP_

#include <sluice/error.hpp>

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

class Config {
 public:
  Config() = default;
  explicit Config(boost::json::object object, std::string path = "config")
      : object_(std::move(object)), path_(std::move(path)) {}  // path: "config.auth"

  const boost::json::object& json() const { return object_; }
  // "config.auth.client_id": a member's JSON path, for messages.
  std::string path(std::string_view key) const { return path_ + "." + std::string(key); }
  inline bool has(std::string_view key) const;  // present and not null

  // Required members: throw Error(config) when absent, null or mistyped.
  inline std::string string(std::string_view key) const;
  inline int64_t integer(std::string_view key) const;
  inline bool boolean(std::string_view key) const;
  inline Config object(std::string_view key) const;
  inline std::vector<std::string> strings(std::string_view key) const;  // array of strings

  // Optional members: nullopt (or empty) when absent or null; mistyped throws.
  inline std::optional<std::string> optional_string(std::string_view key) const;
  inline std::optional<int64_t> optional_integer(std::string_view key) const;
  inline std::optional<bool> optional_boolean(std::string_view key) const;
  inline std::optional<Config> optional_object(std::string_view key) const;
  inline std::vector<std::string> optional_strings(std::string_view key) const;

 private:
  inline const boost::json::value* find(std::string_view key) const;
  [[noreturn]] inline void wrong(std::string_view key, const char* expected) const;
  boost::json::object object_;
  std::string path_ = "config";
};

}  // namespace sluice

#include <sluice/detail/config_impl.hpp>

#endif  // SLUICE_CONFIG_HPP_
