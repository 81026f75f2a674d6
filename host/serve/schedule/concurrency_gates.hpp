// How many runs may go at once: a global limit, a per-plugin limit, and
// never two runs of one connection. The scheduler is the first line of
// defence against overlapping runs; the target's run lock is the last.
//
// Thread-safe. A Permit is the right to run one job; it gives its slots
// back when destroyed (or moved from and then destroyed), so an exception
// or an early return never leaks a slot.
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <variant>

namespace sluice::host::serve {

struct GateLimits {
  size_t global = 4;                           // runs at once on this host
  size_t per_plugin = 2;                       // runs of one plugin at once
  std::map<std::string, size_t> plugin_overrides;  // plugin -> its own limit
};

class ConcurrencyGates;

class Permit {
 public:
  Permit(Permit&& other) noexcept;
  Permit& operator=(Permit&& other) noexcept;
  Permit(const Permit&) = delete;
  Permit& operator=(const Permit&) = delete;
  ~Permit();

  const std::string& connection() const noexcept { return connection_; }

 private:
  friend class ConcurrencyGates;
  Permit(ConcurrencyGates* gates, std::string connection, std::string plugin)
      : gates_(gates), connection_(std::move(connection)), plugin_(std::move(plugin)) {}
  void release() noexcept;

  ConcurrencyGates* gates_;
  std::string connection_;
  std::string plugin_;
};

// Why a run may not start now.
enum class GateRefusal { connection_running, global_limit, plugin_limit };
const char* to_string(GateRefusal refusal);  // "connection already running", ...

class ConcurrencyGates {
 public:
  // Limits of 0 are raised to 1 (a gate that never opens is a config error
  // the daemon reports before it gets here).
  explicit ConcurrencyGates(GateLimits limits);

  // A permit if the connection is not running and both limits leave room;
  // otherwise the first refusal in the order connection, global, plugin,
  // and nothing is taken. The gates must outlive every permit.
  std::variant<Permit, GateRefusal> try_acquire(const std::string& connection, const std::string& plugin);

  size_t running() const;
  size_t running(const std::string& plugin) const;
  bool is_running(const std::string& connection) const;

 private:
  friend class Permit;
  void release(const std::string& connection, const std::string& plugin) noexcept;
  size_t limit_for(const std::string& plugin) const;

  GateLimits limits_;
  mutable std::mutex mutex_;
  std::set<std::string> connections_;
  std::map<std::string, size_t> per_plugin_;
};

}  // namespace sluice::host::serve
