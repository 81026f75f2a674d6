// Parsing of network target URLs (postgresql://, mysql://) and their masked
// form for messages: a password never appears in any output.
#pragma once

#include <map>
#include <string>

namespace sluice::host {

struct TargetUrl {
  std::string scheme;    // "postgresql" or "mysql"
  std::string user;
  std::string password;  // percent-decoded
  std::string host;
  int port = 0;          // 0: the engine's default
  std::string database;
  std::map<std::string, std::string> options;  // query parameters, decoded

  // scheme://user:********@host:port/database?options
  std::string masked() const;
};

// Parses scheme://[user[:password]@]host[:port]/database[?k=v&...], with
// percent-encoding in every part. Throws ConfigError naming what is wrong,
// with the password already masked.
TargetUrl parse_target_url(const std::string& url);

}  // namespace sluice::host
