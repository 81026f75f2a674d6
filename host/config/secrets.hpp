// Secrets never reach output (DESIGN.md decision 6): the values a schema marks
// "secret": true are masked in printed configs, and every such value is
// registered with the Redactor, which every line the CLI prints goes through.
#pragma once

#include <boost/json.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::host {

inline constexpr std::string_view kMask = "********";

// Every value in `config` that sits where `schema` says "secret": true, found
// through properties, additionalProperties, items, local $refs and every
// branch of oneOf/anyOf/allOf (a property is secret if ANY branch marks it
// secret). Strings are returned as they are; numbers and booleans serialized;
// for a secret object or array, each string and number inside it. Nulls and
// empty strings are skipped. Order: config order, duplicates kept.
std::vector<std::string> collect_secret_values(const boost::json::object& schema, const boost::json::value& config);

// A copy of `config` in which each value collect_secret_values would find is
// replaced, whole, by the string kMask (for printing configs).
boost::json::value mask_secrets(const boost::json::object& schema, const boost::json::value& config);

// One form in which a secret can leave a process, and its name ("as is",
// "JSON-escaped", "URL-encoded", "base64", "base64url", "hex").
struct SecretForm {
  const char* name;
  std::string text;
};
// Every form of `secret` the Redactor masks (and `sluice test-plugin` looks
// for), non-empty and each text once, "as is" first.
std::vector<SecretForm> secret_forms(const std::string& secret);

// The process-wide set of secret strings to keep out of output. Thread-safe:
// log callbacks call apply() from any thread.
class Redactor {
 public:
  static Redactor& instance();

  // Registers a secret. Empty strings are ignored; any other string is masked
  // however short it is (a short secret garbles output, which beats leaking
  // it). Every form secret_forms() gives is registered too: JSON-escaped
  // (a PEM key inside printed JSON), percent-encoded (URLs, form bodies),
  // base64, base64url and hex.
  void add(std::string secret);
  // Forgets every secret (tests; a daemon between jobs).
  void clear();
  // `text` with every occurrence of every secret form replaced by kMask,
  // longest first (so a secret containing another is masked whole), and the
  // password of anything that looks like a URL with credentials
  // ("scheme://user:PW@host", also the typos "scheme:/u:PW@h" and
  // "scheme//u:PW@h") masked whether registered or not.
  std::string apply(std::string_view text) const;

 private:
  Redactor() = default;
  mutable std::mutex mutex_;
  // Immutable snapshot, longest first, swapped on add(): apply() holds the
  // lock only to copy the pointer.
  std::shared_ptr<const std::vector<std::string>> secrets_;
  std::atomic<bool> empty_{true};
};

}  // namespace sluice::host
