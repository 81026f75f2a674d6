// sluice/config.hpp -- typed access to a connector's configuration. The host
// has validated it against the plugin's config schema, resolved secret
// references and applied defaults before the connector sees it, so a
// missing or mistyped value here is a schema the plugin got wrong, still
// reported as a config error naming the JSON path.
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
  // `path` names this object in errors ("config", "config.auth").
  explicit Config(boost::json::object object, std::string path = "config")
      : object_(std::move(object)), path_(std::move(path)) {}

  const boost::json::object& json() const { return object_; }
  // "config.auth.client_id": the JSON path of a member, for messages.
  std::string path(std::string_view key) const { return path_ + "." + std::string(key); }
  // True when `key` is present and not null.
  inline bool has(std::string_view key) const;

  // Required members: throw Error(config, "<path>: ...") when absent, null
  // or of another type.
  inline std::string string(std::string_view key) const;
  inline int64_t integer(std::string_view key) const;
  inline bool boolean(std::string_view key) const;
  inline Config object(std::string_view key) const;
  // An array of strings.
  inline std::vector<std::string> strings(std::string_view key) const;

  // Optional members: nullopt (or empty) when absent or null; a present
  // value of another type still throws.
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
