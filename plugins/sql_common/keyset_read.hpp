// An incremental read of a SQL table on the SDK's keyset rule
// (sluice/support/keyset.hpp), the parts every SQL connector does alike:
// checking the cursor and key columns, the WHERE condition with its text
// parameters, and checkpoints after every N rows holding the order
// columns' exact server text.
#pragma once

#include <sluice/sdk.hpp>
#include <sluice/support/keyset.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sql_common {

struct KeysetPlan {
  sluice::support::KeysetRead keyset;
  std::vector<size_t> columns;      // the table column of each of keyset.order_by
  std::string condition;            // "" on a first run
  std::vector<std::string> params;  // the condition's parameters, in order, as text
};

// Throws sluice::Error(config) for a cursor or key that is not a column
// ("cursor_field x is not a column of s.t") or cannot order rows
// (`unorderable(i)` names column i's type then).
// `placeholder(column, number)`: the SQL for the number-th parameter (1-based),
// a value of table column `column`.
KeysetPlan plan_keyset(const sluice::ConfiguredStream& stream, const std::vector<std::string>& columns,
                       const std::string& table_name,
                       const std::function<std::optional<std::string>(size_t column)>& unorderable,
                       const std::function<std::string(const std::string& name)>& quote,
                       const std::function<std::string(size_t column, size_t number)>& placeholder);

// A statement's result columns as a connector that checkpoints after a
// chunk of rows sees them (Snowflake, Databricks): each column's name, its
// type when it cannot order rows (nullopt when it can), its type as a
// checkpoint saves it ("TIMESTAMP_NTZ", "DECIMAL(10,2)"), and what the
// user should pick instead ("a timestamp, date, number or text column").
struct ResultColumns {
  std::vector<std::string> names;
  std::function<std::optional<std::string>(size_t column)> unorderable;
  std::function<std::string(size_t column)> saved_type;
  std::string orderable;
};

// The positions in `columns` of keyset.order_by. Throws sluice::Error(config)
// when one is not a column ("cursor_field x is not a column of the table"),
// cannot order rows, or is not of the type the checkpoint saved
// (`saved_types`, one per order_by, "" unknown; compared case-insensitively:
// "... reset it with `sluice state reset CONNECTION --stream ns.name`").
std::vector<size_t> locate_order_columns(const sluice::support::KeysetRead& keyset,
                                         const std::vector<std::string>& saved_types, const ResultColumns& columns,
                                         const sluice::ConfiguredStream& stream);

// The checkpoint after a row whose order_by values are `values` (as bound;
// nullopt for NULL), of the saved types `types`: keyset_checkpoint's members
// plus "types"; nullopt when the cursor is NULL.
std::optional<boost::json::object> typed_checkpoint(const sluice::support::KeysetRead& keyset,
                                                    const std::vector<std::optional<std::string>>& values,
                                                    std::vector<std::string> types);

// Checkpoints of a keyset read: one after every `every` rows and one at the
// end, each covering every row emitted before it.
class KeysetCheckpoints {
 public:
  KeysetCheckpoints(sluice::ReadContext& ctx, const sluice::support::KeysetRead& keyset, int64_t every)
      : ctx_(ctx), keyset_(keyset), every_(every), last_(keyset.order_by.size()) {}
  // After a row is emitted: its order_by values as the server wrote them.
  void row_emitted(const std::vector<std::optional<std::string_view>>& order_values);
  void finish() { checkpoint(); }

 private:
  void checkpoint();
  sluice::ReadContext& ctx_;
  const sluice::support::KeysetRead& keyset_;
  int64_t every_, done_ = 0, since_ = 0;
  std::vector<boost::json::value> last_;
};

}  // namespace sql_common
