// `usage_api_fake CONFIG COMMAND [ARGS...]`: serves the fake usage API of
// fake_usage_api.hpp (HTTPS on 127.0.0.1 with its own CA, 10 events), writes
// CONFIG, a usage_api config pointing at it, runs COMMAND until it exits,
// and exits with its exit code. This is what `sluice test-plugin` runs the
// connector against:
//   build/usage_api_fake fake.json sluice test-plugin usage_api --config fake.json --plugin-dir build/plugins
#include "fake_usage_api.hpp"

#include <spawn.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <vector>

extern char** environ;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s CONFIG COMMAND [ARGS...]\n", argv[0]);
    return 2;
  }
  FakeUsageApi api("uk_fake_5c0ffee-not-a-real-key");
  api.add_events(10);
  sluice::testkit::FakeServer server([&](const auto& request) { return api(request); });
  const boost::json::object config{{"api_key", "uk_fake_5c0ffee-not-a-real-key"},
                                   {"page_size", 4},
                                   {"base_url", server.base_url()},
                                   {"ca_file", server.ca_file()}};
  std::ofstream(argv[1]) << boost::json::serialize(config);

  pid_t child = 0;
  if (int error = posix_spawnp(&child, argv[2], nullptr, nullptr, argv + 2, environ); error != 0) {
    std::fprintf(stderr, "cannot run %s\n", argv[2]);
    return 127;
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
