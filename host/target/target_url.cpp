#include "host/target/target_url.hpp"

#include "host/config/config_error.hpp"

#include <cctype>

namespace sluice::host {

namespace {

std::string decode(const std::string& text, const std::string& what) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size() || !std::isxdigit(static_cast<unsigned char>(text[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      throw ConfigError("target URL: bad percent-encoding in the " + what);
    }
    out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
    i += 2;
  }
  return out;
}

}  // namespace

std::string TargetUrl::masked() const {
  std::string out = scheme + "://";
  if (!user.empty()) out += user + (password.empty() ? "" : ":********") + "@";
  out += host + (port ? ":" + std::to_string(port) : "") + "/" + database;
  std::string query;
  for (const auto& [key, value] : options) {
    bool secret = key == "password" || key == "sslpassword";
    query += (query.empty() ? "?" : "&") + key + "=" + (secret ? "********" : value);
  }
  return out + query;
}

TargetUrl parse_target_url(const std::string& url) {
  TargetUrl out;
  auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) throw ConfigError("target URL must look like scheme://host/database");
  out.scheme = url.substr(0, scheme_end);
  std::string rest = url.substr(scheme_end + 3);

  std::string query;
  if (auto q = rest.find('?'); q != std::string::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  // The last '@' ends the credentials: a raw '@' in a password still parses.
  if (auto at = rest.rfind('@'); at != std::string::npos) {
    std::string credentials = rest.substr(0, at);
    rest = rest.substr(at + 1);
    auto colon = credentials.find(':');
    out.user = decode(credentials.substr(0, colon), "user name");
    if (colon != std::string::npos) out.password = decode(credentials.substr(colon + 1), "password");
  }
  auto slash = rest.find('/');
  std::string host_port = rest.substr(0, slash);
  out.database = slash == std::string::npos ? "" : decode(rest.substr(slash + 1), "database name");
  auto colon = host_port.rfind(':');
  if (colon != std::string::npos && host_port.find(']') == std::string::npos) {
    std::string port = host_port.substr(colon + 1);
    host_port = host_port.substr(0, colon);
    bool digits = !port.empty() && port.size() <= 5;
    for (char c : port) digits = digits && std::isdigit(static_cast<unsigned char>(c));
    if (!digits || std::stoi(port) == 0 || std::stoi(port) > 65535) {
      out.password.clear();
      throw ConfigError("target " + out.masked() + ": port must be a number from 1 to 65535");
    }
    out.port = std::stoi(port);
  }
  out.host = decode(host_port, "host");
  size_t start = 0;
  while (start < query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    std::string pair = query.substr(start, end - start);
    auto eq = pair.find('=');
    if (!pair.empty()) {
      out.options[decode(pair.substr(0, eq), "options")] =
          eq == std::string::npos ? "" : decode(pair.substr(eq + 1), "options");
    }
    start = end + 1;
  }
  if (out.host.empty()) throw ConfigError("target " + out.masked() + ": missing host");
  if (out.database.empty()) throw ConfigError("target " + out.masked() + ": missing database name");
  return out;
}

}  // namespace sluice::host
