#include "host/common/fault_point.hpp"

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <string>

namespace sluice::host {

namespace {

struct Armed {
  std::string name;   // "" = no fault point armed
  long hit = 1;       // kill on this hit (1-based)
  std::atomic<long> seen{0};
};

Armed& armed() {
  static Armed* instance = [] {
    auto* a = new Armed;  // never destroyed: may be reached during exit
    const char* value = std::getenv("SLUICE_FAULT_POINT");
    std::string text = value ? value : "";
    if (auto colon = text.rfind(':'); colon != std::string::npos) {
      a->hit = std::atol(text.c_str() + colon + 1);
      text.resize(colon);
    }
    a->name = text;
    return a;
  }();
  return *instance;
}

}  // namespace

void fault_point(std::string_view name) {
  Armed& a = armed();
  if (a.name.empty() || a.name != name) return;
  if (a.seen.fetch_add(1) + 1 == a.hit) std::raise(SIGKILL);
}

}  // namespace sluice::host
