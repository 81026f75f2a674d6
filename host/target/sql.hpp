// One SQL statement as the generic engine writes it: text and bound values
// kept apart until a connection renders them in its engine's style ($1 for
// PostgreSQL, ? for SQLite, an escaped literal for MySQL). Values are never
// pasted into text by the engine, and identifiers are never bound.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::host {

// Result rows as text, SQL NULL as nullopt.
using SqlRows = std::vector<std::vector<std::optional<std::string>>>;

class Sql {
 public:
  struct Piece {
    std::string text;
    bool bound = false;  // a value, not SQL text
  };

  Sql() = default;
  explicit Sql(std::string text) { pieces_.push_back({std::move(text), false}); }

  Sql& operator<<(std::string_view text) {
    if (!pieces_.empty() && !pieces_.back().bound) pieces_.back().text += text;
    else pieces_.push_back({std::string(text), false});
    return *this;
  }
  Sql& bind(std::string_view value) {
    pieces_.push_back({std::string(value), true});
    return *this;
  }

  const std::vector<Piece>& pieces() const { return pieces_; }

  // The statement with every value shown as '?': for error messages, which
  // must never carry data.
  std::string shape() const {
    std::string out;
    for (const auto& piece : pieces_) out += piece.bound ? "?" : piece.text;
    return out;
  }

 private:
  std::vector<Piece> pieces_;
};

}  // namespace sluice::host
