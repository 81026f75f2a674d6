#include "host/config/pattern.hpp"

#include <re2/re2.h>

namespace sluice::host {

Pattern::Pattern(std::string source, std::shared_ptr<const re2::RE2> compiled)
    : source_(std::move(source)), compiled_(std::move(compiled)) {}

std::optional<Pattern> Pattern::compile(std::string_view source, std::string* error) {
  re2::RE2::Options options;
  options.set_log_errors(false);  // the caller words the error; RE2 would print to stderr
  options.set_max_mem(kPatternMaxMemory);
  options.set_never_capture(true);  // only "does it match" is asked: no submatch bookkeeping
  auto compiled = std::make_shared<const re2::RE2>(re2::StringPiece(source.data(), source.size()), options);
  if (!compiled->ok()) {
    if (error) *error = compiled->error();
    return std::nullopt;
  }
  return Pattern(std::string(source), std::move(compiled));
}

bool Pattern::found_in(std::string_view text) const {
  return re2::RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *compiled_);
}

}  // namespace sluice::host
