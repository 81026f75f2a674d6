// Whether this test binary runs under ASan or TSan (scripts/sanitizer-pass.sh).
// Their allocators keep freed memory in quarantine and their shadow memory
// counts in RSS, so a test that bounds a process's peak memory checks the
// bound only without them; the run itself (streaming, counts) is still checked.
#pragma once

namespace sluice::test {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kUnderSanitizer = true;
#else
inline constexpr bool kUnderSanitizer = false;
#endif

// TSan runs an asynchronous signal's handler only at points of its own
// choosing, and GCC 12's runtime sometimes never runs it
// (scripts/sanitizer-pass.sh has the numbers).
#if defined(__SANITIZE_THREAD__)
inline constexpr bool kUnderThreadSanitizer = true;
#else
inline constexpr bool kUnderThreadSanitizer = false;
#endif

}  // namespace sluice::test
