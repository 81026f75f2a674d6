#include "host/acceptance/output_capture.hpp"

#include "host/common/host_error.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

namespace sluice::host {

namespace {

void flush_all() {
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
}

}  // namespace

OutputCapture::OutputCapture(const std::filesystem::path& file) : file_(file) {
  flush_all();
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) throw HostError(Failure::internal, "cannot create " + file.string());
  saved_out_ = ::dup(STDOUT_FILENO);
  saved_err_ = ::dup(STDERR_FILENO);
  ::dup2(fd, STDOUT_FILENO);
  ::dup2(fd, STDERR_FILENO);
  ::close(fd);
}

OutputCapture::~OutputCapture() { restore(); }

void OutputCapture::restore() {
  if (saved_out_ < 0) return;
  flush_all();
  ::dup2(saved_out_, STDOUT_FILENO);
  ::dup2(saved_err_, STDERR_FILENO);
  ::close(saved_out_);
  ::close(saved_err_);
  saved_out_ = saved_err_ = -1;
}

std::string OutputCapture::text() const {
  flush_all();
  std::ifstream in(file_, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace sluice::host
