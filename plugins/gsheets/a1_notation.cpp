#include "a1_notation.hpp"

namespace gsheets {

namespace {

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Letters then digits (A1, xfd1048576) or R<digits>C<digits>: a cell reference.
bool looks_like_cell(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && is_letter(text[i])) ++i;
  const size_t letters = i;
  while (i < text.size() && is_digit(text[i])) ++i;
  if (i == text.size() && letters > 0 && letters < text.size()) return true;
  if (text.size() >= 2 && (text[0] == 'R' || text[0] == 'r')) {
    i = 1;
    while (i < text.size() && is_digit(text[i])) ++i;
    if (i < text.size() && (text[i] == 'C' || text[i] == 'c')) {
      ++i;
      while (i < text.size() && is_digit(text[i])) ++i;
      return i == text.size();
    }
  }
  return false;
}

}  // namespace

std::string quoted_sheet_title(std::string_view title) {
  bool plain = !title.empty() && !is_digit(title[0]) && !looks_like_cell(title);
  for (char c : title) plain = plain && (is_letter(c) || is_digit(c) || c == '_');
  if (plain) return std::string(title);
  std::string out = "'";
  for (char c : title) {
    out.push_back(c);
    if (c == '\'') out.push_back('\'');
  }
  out.push_back('\'');
  return out;
}

std::string column_letters(int64_t index) {
  std::string letters;
  for (int64_t n = index; n > 0; n = (n - 1) / 26) letters.insert(letters.begin(), static_cast<char>('A' + (n - 1) % 26));
  return letters;
}

std::string row_range(std::string_view title, int64_t first, int64_t last, int64_t columns) {
  return quoted_sheet_title(title) + "!A" + std::to_string(first) + ":" + column_letters(columns < 1 ? 1 : columns) +
         std::to_string(last);
}

}  // namespace gsheets
