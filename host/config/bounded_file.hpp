// Reading a file a connection names: the connection file itself, a
// {"$file": PATH} secret. Only a regular file no larger than a limit is read:
// a directory used to read as an empty secret, a FIFO blocked forever, and
// /dev/zero ended in std::bad_alloc (issue 20).
#pragma once

#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace sluice::host {

// Why a file was not read, without its path (the caller names the file and
// the field): "No such file or directory", "it is a directory, not a regular
// file", "it is larger than 1 MiB".
class UnreadableFile : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Returns the whole content of `file`. Throws UnreadableFile when it cannot
// be opened, is not a regular file (directory, FIFO, socket, device; symbolic
// links are followed), or holds more than `max_bytes`. Never blocks on a FIFO
// and never reads more than `max_bytes` + 1 bytes, whatever the file claims.
std::string read_regular_file(const std::filesystem::path& file, std::size_t max_bytes);

// Reads the open descriptor `fd` (a pipe, typically stdin) to its end.
// Throws UnreadableFile on a read error or past `max_bytes`, having read at
// most `max_bytes` + 1 bytes. Blocks until the writer closes its end.
std::string read_to_end(int fd, std::size_t max_bytes);

}  // namespace sluice::host
