// A throwaway server for one test (scripts/test-servers), for tests that
// stop it or need other server settings than the shared one. Destroyed
// with the object, data folder included.
#pragma once

#include "common/process.hpp"
#include "common/temp_dir.hpp"
#include "target/target_db.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <string>

namespace sluice::test {

class PrivateServer {
 public:
  // `env`: extra environment for the script (e.g. SLUICE_MARIADB_ARGS).
  PrivateServer(Engine engine, std::map<std::string, std::string> env = {})
      : script_(std::string(SLUICE_TEST_SERVER_SCRIPTS) +
                (engine == Engine::postgres ? "/postgres.sh" : "/mariadb.sh")),
        state_dir_(dir_.file("server")),
        env_(std::move(env)) {
    // A one-test server holds little: a small redo log (the shared server's
    // is 256 MB, for bulk loads) keeps its start from writing 256 MB more to
    // /tmp while the suite runs. mariadbd takes the last of a repeated option.
    if (engine == Engine::mariadb) env_["SLUICE_MARIADB_ARGS"] += " --innodb-log-file-size=32M";
    run("start");
  }
  ~PrivateServer() { run_process({"/bin/bash", script_, "destroy", state_dir_}); }

  // start (again, same data and port) or stop; fails the test on error.
  void run(const std::string& action) {
    ProcessOptions options;
    options.env = env_;
    auto result = run_process({"/bin/bash", script_, action, state_dir_}, options);
    INFO(result.all());
    REQUIRE(result.exit_code == 0);
  }
  // The admin URL (with the test password).
  std::string url() const {
    std::string text = read_file(state_dir_ + "/url");
    return text.substr(0, text.find('\n'));
  }

 private:
  TempDir dir_;
  std::string script_;
  std::string state_dir_;
  std::map<std::string, std::string> env_;
};

}  // namespace sluice::test
