#include "host/serve/schedule/concurrency_gates.hpp"

#include <algorithm>
#include <utility>

namespace sluice::host::serve {

const char* to_string(GateRefusal refusal) {
  switch (refusal) {
    case GateRefusal::connection_running: return "connection already running";
    case GateRefusal::global_limit: return "global concurrency limit reached";
    case GateRefusal::plugin_limit: return "plugin concurrency limit reached";
  }
  return "refused";
}

Permit::Permit(Permit&& other) noexcept
    : gates_(std::exchange(other.gates_, nullptr)),
      connection_(std::move(other.connection_)),
      plugin_(std::move(other.plugin_)) {}

Permit& Permit::operator=(Permit&& other) noexcept {
  if (this != &other) {
    release();
    gates_ = std::exchange(other.gates_, nullptr);
    connection_ = std::move(other.connection_);
    plugin_ = std::move(other.plugin_);
  }
  return *this;
}

Permit::~Permit() { release(); }

void Permit::release() noexcept {
  if (gates_) std::exchange(gates_, nullptr)->release(connection_, plugin_);
}

ConcurrencyGates::ConcurrencyGates(GateLimits limits) : limits_(std::move(limits)) {
  limits_.global = std::max<size_t>(limits_.global, 1);
  limits_.per_plugin = std::max<size_t>(limits_.per_plugin, 1);
  for (auto& [plugin, limit] : limits_.plugin_overrides) limit = std::max<size_t>(limit, 1);
}

size_t ConcurrencyGates::limit_for(const std::string& plugin) const {
  auto found = limits_.plugin_overrides.find(plugin);
  return found == limits_.plugin_overrides.end() ? limits_.per_plugin : found->second;
}

std::variant<Permit, GateRefusal> ConcurrencyGates::try_acquire(const std::string& connection,
                                                                const std::string& plugin) {
  std::lock_guard lock(mutex_);
  if (connections_.count(connection)) return GateRefusal::connection_running;
  if (connections_.size() >= limits_.global) return GateRefusal::global_limit;
  auto found = per_plugin_.find(plugin);
  if (found != per_plugin_.end() && found->second >= limit_for(plugin)) return GateRefusal::plugin_limit;
  connections_.insert(connection);
  ++per_plugin_[plugin];
  return Permit(this, connection, plugin);
}

void ConcurrencyGates::release(const std::string& connection, const std::string& plugin) noexcept {
  std::lock_guard lock(mutex_);
  connections_.erase(connection);
  auto found = per_plugin_.find(plugin);
  if (found != per_plugin_.end() && --found->second == 0) per_plugin_.erase(found);
}

size_t ConcurrencyGates::running() const {
  std::lock_guard lock(mutex_);
  return connections_.size();
}

size_t ConcurrencyGates::running(const std::string& plugin) const {
  std::lock_guard lock(mutex_);
  auto found = per_plugin_.find(plugin);
  return found == per_plugin_.end() ? 0 : found->second;
}

bool ConcurrencyGates::is_running(const std::string& connection) const {
  std::lock_guard lock(mutex_);
  return connections_.count(connection) > 0;
}

}  // namespace sluice::host::serve
