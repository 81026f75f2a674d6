// Looks for a plugin's secret config values where they must never be: in
// its log lines, errors, records and checkpoints (the target), its catalog,
// and whatever it printed. Every form the Redactor masks counts (as is,
// JSON-escaped, URL-encoded, base64, base64url, hex: secret_forms()), since
// an encoded secret is as good as the secret.
#pragma once

#include <boost/json.hpp>

#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::host {

class SecretScan {
 public:
  // Secrets shorter than this are not looked for: a 3-byte secret, or its
  // hex, turns up in a database file by chance.
  static constexpr size_t kMinSecretBytes = 6;

  // The values `schema` marks secret in `config` (resolved: references read),
  // each with its config path for the report.
  SecretScan(const boost::json::object& schema, const boost::json::object& config);

  // Looks for every form of every secret in `text`; `where` says what the
  // text is ("a plugin log line"). Thread-safe.
  void scan(std::string_view text, const std::string& where);
  // Reads and scans a file (a scratch target) if it exists.
  void scan_file(const std::string& path, const std::string& where);

  // One line per secret and place, the first form found, never the value:
  // `config.token appears base64-encoded in a plugin log line`.
  std::vector<std::string> findings() const;
  size_t secrets_scanned() const { return secrets_.size(); }
  size_t secrets_too_short() const { return too_short_; }

 private:
  struct Secret {
    std::string path;
    std::vector<std::pair<std::string, std::string>> forms;  // (name, text)
  };
  std::vector<Secret> secrets_;
  size_t too_short_ = 0;
  mutable std::mutex mutex_;
  std::set<std::string> seen_;  // "path|where", reported once
  std::vector<std::string> findings_;
};

}  // namespace sluice::host
