#include "host/serve/serve_log.hpp"

#include "host/config/secrets.hpp"

#include <iostream>

namespace sluice::host::serve {

void log_line(const std::string& line) {
  const std::string text = Redactor::instance().apply(line) + "\n";
  std::cerr << text << std::flush;
}

}  // namespace sluice::host::serve
