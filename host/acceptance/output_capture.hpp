// What a plugin prints on its own. A plugin's log lines reach the host through
// its Logger, but a plugin can also write to the process's stdout and stderr
// directly (a debug printf), around the Redactor. `sluice test-plugin`
// captures both descriptors while it runs the plugin, to look for secrets in
// them and to show the operator only its own report.
#pragma once

#include <filesystem>
#include <string>

namespace sluice::host {

// While it lives, descriptors 1 and 2 write into `file` (created or
// truncated); restore() (or the destructor) points them back where they
// were. Not thread-safe against other code redirecting them.
class OutputCapture {
 public:
  explicit OutputCapture(const std::filesystem::path& file);
  ~OutputCapture();
  OutputCapture(const OutputCapture&) = delete;
  OutputCapture& operator=(const OutputCapture&) = delete;

  // Flushes and restores descriptors 1 and 2; idempotent.
  void restore();
  // Everything written so far (flushed first).
  std::string text() const;

 private:
  std::filesystem::path file_;
  int saved_out_ = -1;
  int saved_err_ = -1;
};

}  // namespace sluice::host
