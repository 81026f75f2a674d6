#include "host/acceptance/secret_scan.hpp"

#include "host/config/secrets.hpp"

#include <fstream>
#include <optional>
#include <sstream>

namespace sluice::host {

namespace {

namespace json = boost::json;

// The config path of the first leaf whose text is `secret` ("config.a.b",
// "config.keys[0]").
std::optional<std::string> path_of(const json::value& value, const std::string& secret, const std::string& at) {
  if (value.is_object()) {
    for (const auto& [key, child] : value.get_object()) {
      if (auto found = path_of(child, secret, at + "." + std::string(key))) return found;
    }
    return std::nullopt;
  }
  if (value.is_array()) {
    const auto& list = value.get_array();
    for (size_t i = 0; i < list.size(); ++i) {
      if (auto found = path_of(list[i], secret, at + "[" + std::to_string(i) + "]")) return found;
    }
    return std::nullopt;
  }
  const std::string text = value.is_string() ? std::string(value.get_string()) : json::serialize(value);
  if (text == secret) return at;
  return std::nullopt;
}

// " base64-encoded", " JSON-escaped", "" for the value as is.
std::string described(const std::string& form) {
  if (form == "as is") return "";
  if (form == "JSON-escaped" || form == "URL-encoded") return " " + form;
  return " " + form + "-encoded";
}

}  // namespace

SecretScan::SecretScan(const json::object& schema, const json::object& config) {
  for (auto& value : collect_secret_values(schema, config)) {
    if (value.size() < kMinSecretBytes) {
      ++too_short_;
      continue;
    }
    Secret secret;
    secret.path = path_of(config, value, "config").value_or("a secret config value");
    for (auto& form : secret_forms(value)) secret.forms.emplace_back(form.name, std::move(form.text));
    secrets_.push_back(std::move(secret));
  }
}

void SecretScan::scan(std::string_view text, const std::string& where) {
  for (const auto& secret : secrets_) {
    for (const auto& [name, form] : secret.forms) {
      if (text.find(form) == std::string_view::npos) continue;
      std::lock_guard lock(mutex_);
      if (seen_.insert(secret.path + "|" + where).second) {
        findings_.push_back(secret.path + " appears" + described(name) + " in " + where);
      }
      break;
    }
  }
}

void SecretScan::scan_file(const std::string& path, const std::string& where) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  scan(bytes.str(), where);
}

std::vector<std::string> SecretScan::findings() const {
  std::lock_guard lock(mutex_);
  return findings_;
}

}  // namespace sluice::host
