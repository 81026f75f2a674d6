// Redactor (declared in secrets.hpp).
#include "host/config/secrets.hpp"

#include <Poco/Base64Encoder.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>
#include <sstream>

namespace sluice::host {

namespace {

std::string base64(const std::string& bytes, int options) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out, options);
  encoder.rdbuf()->setLineLength(0);
  encoder << bytes;
  encoder.close();
  return out.str();
}

}  // namespace

// Every form in which a secret can leave this project's own code: as is,
// JSON-escaped (printed JSON), percent-encoded (URLs, form bodies: the SDK's
// url_encode keeps only RFC 3986 unreserved characters, upper-case hex),
// base64 and base64url with and without padding (JWTs, basic auth, a token
// endpoint that echoes a body), and hex (a digest's or a key's usual text).
// Short encodings garble output more often; that beats leaking a secret.
std::vector<SecretForm> secret_forms(const std::string& secret) {
  std::string escaped = boost::json::serialize(boost::json::value(secret));
  escaped = escaped.substr(1, escaped.size() - 2);  // without the quotes
  std::string percent;
  Poco::URI::encode(secret, "!#$&'()*+,/:;=?@[]\"<>%{}|^`", percent);
  std::string url64 = base64(secret, Poco::BASE64_URL_ENCODING);
  std::string url64_bare = url64.substr(0, url64.find('='));
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : secret) {
    hex += kHex[c >> 4];
    hex += kHex[c & 15];
  }
  std::vector<SecretForm> forms = {{"as is", secret},       {"JSON-escaped", escaped}, {"URL-encoded", percent},
                                   {"base64", base64(secret, 0)}, {"base64url", url64},
                                   {"base64url", url64_bare}, {"hex", hex}};
  // A form equal to an earlier one is the same text: listed once.
  std::vector<SecretForm> out;
  for (auto& form : forms) {
    bool seen = false;
    for (const auto& kept : out) seen = seen || kept.text == form.text;
    if (!seen && !form.text.empty()) out.push_back(std::move(form));
  }
  return out;
}

namespace {

// Masks the password of every URL-like text: a userinfo "user:password@"
// right after a '/' ("scheme://u:pw@host", and the typos "scheme:/u:pw@h",
// "scheme//u:pw@h"), whether or not the password was registered, so a
// malformed target URL is never echoed whole.
void mask_url_passwords(std::string& text) {
  auto ends_token = [](char c) {
    return c == '/' || c == '"' || c == '\'' || std::isspace(static_cast<unsigned char>(c));
  };
  for (size_t at = text.find('@'); at != std::string::npos; at = text.find('@', at + 1)) {
    size_t start = at;
    while (start > 0 && !ends_token(text[start - 1])) --start;
    if (start == 0 || text[start - 1] != '/') continue;
    // The authority runs to the next '/', '?', '#' or space; its userinfo
    // ends at its last '@' (a password may contain '@').
    size_t end = start;
    while (end < text.size() && !ends_token(text[end]) && text[end] != '?' && text[end] != '#') ++end;
    const size_t last_at = text.rfind('@', end - 1);
    const size_t colon = text.find(':', start);
    if (colon == std::string::npos || colon >= last_at || colon + 1 == last_at) {
      at = end;
      continue;
    }
    if (std::string_view(text).substr(colon + 1, last_at - colon - 1) != kMask) {
      text.replace(colon + 1, last_at - colon - 1, kMask);
    }
    at = colon + 1 + kMask.size();  // the userinfo's closing '@'
  }
}

}  // namespace

Redactor& Redactor::instance() {
  static Redactor redactor;
  return redactor;
}

void Redactor::add(std::string secret) {
  if (secret.empty()) return;
  std::vector<SecretForm> forms = secret_forms(secret);
  std::lock_guard lock(mutex_);
  auto next = secrets_ ? std::make_shared<std::vector<std::string>>(*secrets_)
                       : std::make_shared<std::vector<std::string>>();
  for (auto& form : forms) {
    if (std::find(next->begin(), next->end(), form.text) == next->end()) next->push_back(std::move(form.text));
  }
  std::stable_sort(next->begin(), next->end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  secrets_ = std::move(next);
  empty_.store(false, std::memory_order_release);
}

void Redactor::clear() {
  std::lock_guard lock(mutex_);
  secrets_.reset();
  empty_.store(true, std::memory_order_release);
}

std::string Redactor::apply(std::string_view text) const {
  std::string out(text);
  if (out.find('@') != std::string::npos) mask_url_passwords(out);
  if (empty_.load(std::memory_order_acquire)) return out;
  std::shared_ptr<const std::vector<std::string>> secrets;
  {
    std::lock_guard lock(mutex_);
    secrets = secrets_;
  }
  if (!secrets) return out;
  for (const auto& secret : *secrets) {
    for (size_t at = out.find(secret); at != std::string::npos; at = out.find(secret, at + kMask.size())) {
      out.replace(at, secret.size(), kMask);
    }
  }
  return out;
}

}  // namespace sluice::host
