// Secret masking. Config fields whose schema says "secret": true are shown
// as ******** everywhere; their values are also registered with the process
// Redactor, through which every byte the CLI prints passes, so even a plugin
// that logs a secret by mistake cannot leak it.
#pragma once

#include <boost/json.hpp>

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::host {

inline constexpr std::string_view kMask = "********";

// Every value in `config` at a property the schema marks secret, looking
// through nested objects, array items and every oneOf/anyOf/allOf branch (a
// property is secret if any branch says so). Non-string values serialised.
std::vector<std::string> collect_secret_values(const boost::json::object& schema, const boost::json::value& config);

// A copy of `config` with those values replaced by kMask.
boost::json::value mask_secrets(const boost::json::object& schema, const boost::json::value& config);

// The process-wide set of secret strings to mask in output. Thread-safe.
class Redactor {
 public:
  static Redactor& instance();
  // Registers a secret; empty strings are ignored. Secrets shorter than 4
  // characters are masked too (a PIN is still a secret).
  void add(std::string secret);
  void clear();
  // `text` with every occurrence of every secret (longest first) replaced.
  std::string apply(std::string_view text) const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> secrets_;  // longest first
};

}  // namespace sluice::host
