// Small helpers the benchmarks share: shell commands for the engines' own
// clients and files the test-server scripts write. Header-only.
#pragma once

#include "host/target/target_url.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace sluice::bench {

// Runs a shell command, throwing on failure.
inline void shell(const std::string& command) {
  if (std::system(command.c_str()) != 0) throw std::runtime_error("failed: " + command);
}

inline double timed_shell(const std::string& command) {
  auto start = std::chrono::steady_clock::now();
  shell(command);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A file's text without its trailing newlines.
inline std::string read_all(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  std::string out = text.str();
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// The URL with another database, password included (for the child's
// connection file; the benchmarks print only rates).
inline std::string with_database(const host::TargetUrl& url, const std::string& database) {
  return url.scheme + "://" + url.user + ":" + url.password + "@" + url.host + ":" + std::to_string(url.port) + "/" +
         database;
}

}  // namespace sluice::bench
