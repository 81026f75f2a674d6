// Redactor (declared in secrets.hpp).
#include "host/config/secrets.hpp"

#include <algorithm>

namespace sluice::host {

Redactor& Redactor::instance() {
  static Redactor redactor;
  return redactor;
}

void Redactor::add(std::string secret) {
  if (secret.empty()) return;
  std::string escaped = boost::json::serialize(boost::json::value(secret));
  escaped = escaped.substr(1, escaped.size() - 2);  // without the quotes
  std::lock_guard lock(mutex_);
  auto next = secrets_ ? std::make_shared<std::vector<std::string>>(*secrets_)
                       : std::make_shared<std::vector<std::string>>();
  for (std::string* form : {&secret, &escaped}) {
    if (std::find(next->begin(), next->end(), *form) == next->end()) next->push_back(std::move(*form));
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
  if (empty_.load(std::memory_order_acquire)) return std::string(text);
  std::shared_ptr<const std::vector<std::string>> secrets;
  {
    std::lock_guard lock(mutex_);
    secrets = secrets_;
  }
  std::string out(text);
  if (!secrets) return out;
  for (const auto& secret : *secrets) {
    for (size_t at = out.find(secret); at != std::string::npos; at = out.find(secret, at + kMask.size())) {
      out.replace(at, secret.size(), kMask);
    }
  }
  return out;
}

}  // namespace sluice::host
