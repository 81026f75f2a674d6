#include "host/config/bounded_file.hpp"

#include "host/config/connection_limits.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace sluice::host {

namespace {

const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  return nullptr;
}

// Closes the descriptor on every path out.
class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string too_large(std::size_t max_bytes) { return "it is larger than " + size_text(max_bytes); }

}  // namespace

std::string read_regular_file(const std::filesystem::path& file, std::size_t max_bytes) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
  // It changes nothing for a regular file, the only kind read below.
  Descriptor fd(::open(file.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) throw UnreadableFile(std::strerror(errno));
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) throw UnreadableFile(std::strerror(errno));
  if (!S_ISREG(info.st_mode)) {
    const char* kind = kind_of(info.st_mode);
    throw UnreadableFile(kind ? std::string("it is ") + kind + ", not a regular file" : "it is not a regular file");
  }
  if (info.st_size > 0 && static_cast<std::size_t>(info.st_size) > max_bytes) {
    throw UnreadableFile(too_large(max_bytes));
  }

  // st_size is only a hint (files under /proc say 0, a file may grow): read
  // until EOF, one byte past the limit at most.
  return read_to_end(fd.get(), max_bytes);
}

std::string read_to_end(int fd, std::size_t max_bytes) {
  std::string text;
  char buffer[65536];
  while (true) {
    const std::size_t room = max_bytes + 1 - text.size();
    const ssize_t n = ::read(fd, buffer, std::min(sizeof buffer, room));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw UnreadableFile(std::strerror(errno));
    }
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
    if (text.size() > max_bytes) throw UnreadableFile(too_large(max_bytes));
  }
  return text;
}

}  // namespace sluice::host
