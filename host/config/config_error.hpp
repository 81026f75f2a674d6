// The error of a bad connection file or config: one or more single-line
// messages that each say what is wrong and where (file, JSON path). The CLI
// prints one line each and exits with code 2.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace sluice::host {

class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(const std::string& line) : std::runtime_error(line), lines_{line} {}
  explicit ConfigError(std::vector<std::string> lines)
      : std::runtime_error(join(lines)), lines_(std::move(lines)) {}

  const std::vector<std::string>& lines() const { return lines_; }

 private:
  static std::string join(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& line : lines) out += (out.empty() ? "" : "\n") + line;
    return out;
  }
  std::vector<std::string> lines_;
};

}  // namespace sluice::host
