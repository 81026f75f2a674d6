// TargetDb for SQLite: a file in the test's folder, read with sqlite3.
#include "target/target_db.hpp"

#include <algorithm>
#include <filesystem>

namespace sluice::test {

namespace {

class SqliteDb : public TargetDb {
 public:
  explicit SqliteDb(std::string path) : path_(std::move(path)) {}
  Engine engine() const override { return Engine::sqlite; }
  std::string url() const override { return "sqlite://" + path_; }
  Rows rows(const std::string& sql) override { return sqlite_rows(path_, sql); }
  void exec(const std::string& sql) override { sqlite_rows(path_, sql); }
  std::vector<std::string> tables() override {
    std::vector<std::string> out;
    if (!std::filesystem::exists(path_)) return out;
    for (const auto& row : rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN "
                                "('_sluice_state', '_sluice_syncs', '_sluice_locks') ORDER BY name")) {
      std::string name = row[0];
      auto separator = name.find("__");
      out.push_back(separator == std::string::npos ? name
                                                   : name.substr(0, separator) + "." + name.substr(separator + 2));
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  std::string table_sql(const std::string& ns, const std::string& name) const override {
    return "\"" + (ns.empty() ? name : ns + "__" + name) + "\"";
  }

 private:
  std::string path_;
};

}  // namespace

std::unique_ptr<TargetDb> make_sqlite_db(const std::string& work_dir) {
  return std::make_unique<SqliteDb>(work_dir + "/sluice.db");
}

}  // namespace sluice::test
