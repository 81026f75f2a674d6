// Regular expressions that run against connection-file text: a schema's
// "pattern" and "patternProperties", and the date/time formats
// (string_format.hpp). Every one of them runs through here, on RE2.
//
// Why not std::regex (which valijson uses): libstdc++'s matcher recurses once
// per character, so a 30,000-character config value crashed the host with a
// stack overflow inside validation (issue 20), and a backtracking matcher can
// take exponential time. RE2 matches in time linear in the text, with a fixed
// stack, and in at most kPatternMaxMemory per compiled pattern; connection
// files bound the text (connection_limits.hpp).
//
// Syntax is RE2's (https://github.com/google/re2/wiki/Syntax): ECMA-262 as
// JSON Schema uses it, minus lookaround and backreferences, which a pattern
// cannot use (the plugin is rejected at load). Text and pattern are UTF-8 and
// "." matches one code point, as JSON Schema counts characters.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace sluice::host {

// RE2's budget for one compiled pattern (program and DFA caches). A pattern
// too large to compile within it is rejected; a search that fills the DFA
// cache falls back to RE2's NFA, still linear.
inline constexpr std::int64_t kPatternMaxMemory = 1 << 20;

// A compiled pattern. Copies share the compiled form; immutable, so safe to
// use from several threads.
class Pattern {
 public:
  // nullopt when RE2 rejects `source`; then `*error` (if given) says why in
  // RE2's words, e.g. "missing ): ([a-z".
  static std::optional<Pattern> compile(std::string_view source, std::string* error = nullptr);

  // JSON Schema's semantics: true when the pattern matches anywhere in `text`
  // (not anchored; a pattern anchors itself with ^ and $).
  bool found_in(std::string_view text) const;

  const std::string& source() const { return source_; }

 private:
  Pattern(std::string source, std::shared_ptr<const re2::RE2> compiled);

  std::string source_;
  std::shared_ptr<const re2::RE2> compiled_;
};

}  // namespace sluice::host
