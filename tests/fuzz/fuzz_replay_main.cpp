// The replay driver: runs a fuzz target's LLVMFuzzerTestOneInput over every
// file of the folders given (the kept corpus and the regressions, each crash
// fuzzing ever found), so every normal build tests them, without libFuzzer.
// Exit 0 after all inputs; a finding crashes the process like under fuzzing.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  size_t inputs = 0;
  for (int i = 1; i < argc; ++i) {
    std::vector<fs::path> files;
    if (fs::is_directory(argv[i])) {
      for (const auto& entry : fs::directory_iterator(argv[i])) {
        if (entry.is_regular_file() && entry.path().filename().string().rfind("README", 0) != 0) {
          files.push_back(entry.path());
        }
      }
    } else if (fs::is_regular_file(argv[i])) {
      files.push_back(argv[i]);
    } else {
      std::fprintf(stderr, "fuzz replay: %s is neither a folder nor a file\n", argv[i]);
      return 2;
    }
    for (const auto& file : files) {
      std::string data(static_cast<size_t>(fs::file_size(file)), '\0');
      std::ifstream(file, std::ios::binary).read(data.data(), static_cast<std::streamsize>(data.size()));
      LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(data.data()), data.size());
      ++inputs;
    }
  }
  if (inputs == 0) {
    std::fprintf(stderr, "fuzz replay: no inputs (the corpus folder is empty?)\n");
    return 2;
  }
  std::printf("fuzz replay: %zu inputs, no finding\n", inputs);
  return 0;
}
