#include "fake_a1.hpp"

#include <cctype>

namespace gsheets_fake {

namespace {

// One endpoint: optional column letters, optional row digits (not both absent).
bool parse_cell(const std::string& text, int64_t& column, int64_t& row) {
  size_t i = 0;
  column = row = 0;
  while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) {
    column = column * 26 + (std::toupper(static_cast<unsigned char>(text[i])) - 'A' + 1);
    if (column > 18278) return false;  // ZZZ
    ++i;
  }
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    row = row * 10 + (text[i] - '0');
    if (row > 10'000'000) return false;
    ++i;
  }
  return i == text.size() && (column > 0 || row > 0) && !(i > 0 && row == 0 && std::isdigit(static_cast<unsigned char>(text.back())));
}

}  // namespace

std::optional<A1Range> parse_a1(const std::string& text, bool (*is_sheet)(const std::string&, const void*),
                                const void* context) {
  A1Range range;
  std::string cells = text;
  if (!text.empty() && text[0] == '\'') {
    size_t i = 1;
    std::string title;
    for (; i < text.size(); ++i) {
      if (text[i] == '\'') {
        if (i + 1 < text.size() && text[i + 1] == '\'') {
          title.push_back('\'');
          ++i;
          continue;
        }
        break;
      }
      title.push_back(text[i]);
    }
    if (i >= text.size()) return std::nullopt;  // no closing quote
    range.sheet = title;
    if (i + 1 == text.size()) {
      range.whole_sheet = true;
      return range;
    }
    if (text[i + 1] != '!') return std::nullopt;
    cells = text.substr(i + 2);
  } else if (auto bang = text.rfind('!'); bang != std::string::npos) {
    range.sheet = text.substr(0, bang);
    cells = text.substr(bang + 1);
  } else if (is_sheet(text, context)) {
    range.sheet = text;
    range.whole_sheet = true;
    return range;
  }
  const auto colon = cells.find(':');
  int64_t c1 = 0, r1 = 0, c2 = 0, r2 = 0;
  if (colon == std::string::npos) {
    if (!parse_cell(cells, c1, r1) || c1 == 0 || r1 == 0) return std::nullopt;
    c2 = c1;
    r2 = r1;
  } else {
    if (!parse_cell(cells.substr(0, colon), c1, r1) || !parse_cell(cells.substr(colon + 1), c2, r2)) return std::nullopt;
    if ((c1 == 0) != (c2 == 0) && r2 != 0) return std::nullopt;  // 1:B2 is not a range
  }
  range.first_column = c1;
  range.last_column = c2;
  range.first_row = r1;
  range.last_row = r2;
  if (r1 != 0 && r2 != 0 && r2 < r1) std::swap(range.first_row, range.last_row);
  if (c1 != 0 && c2 != 0 && c2 < c1) std::swap(range.first_column, range.last_column);
  return range;
}

std::string column_name(int64_t column) {
  std::string letters;
  for (int64_t n = column; n > 0; n = (n - 1) / 26) letters.insert(letters.begin(), static_cast<char>('A' + (n - 1) % 26));
  return letters;
}

std::string echo_title(const std::string& title) {
  bool plain = !title.empty();
  for (char c : title) plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
  if (plain) return title;
  std::string out = "'";
  for (char c : title) {
    out.push_back(c);
    if (c == '\'') out.push_back('\'');
  }
  return out + "'";
}

}  // namespace gsheets_fake
