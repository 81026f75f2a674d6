#include "host/target/sql_datetime.hpp"

namespace sluice::host {

void append_sql_datetime(std::string& out, support::Timestamp t) {
  const size_t start = out.size();
  support::append_rfc3339(out, t);  // YYYY-MM-DDTHH:MM:SS.ffffffZ
  out[start + 10] = ' ';
  out.pop_back();
}

}  // namespace sluice::host
