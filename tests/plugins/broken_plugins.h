/* Shared scaffolding for the deliberately broken test plugins: a minimal
 * valid table that each broken plugin spoils in exactly one way. Plain C, so
 * these also prove the ABI needs no C++. */
#ifndef SLUICE_TEST_BROKEN_PLUGINS_H_
#define SLUICE_TEST_BROKEN_PLUGINS_H_

#include <sluice/plugin.h>

/* Each plugin uses only some of these helpers. */
#define TEST_MAYBE_UNUSED __attribute__((unused))

#include <stdlib.h>
#include <string.h>

TEST_MAYBE_UNUSED static void test_release_buffer(sluice_buffer* self) {
  free((void*)self->data); /* NOLINT: C */
  self->data = NULL;
  self->release = NULL;
}

/* Copies text into *out (caller releases). */
TEST_MAYBE_UNUSED static void test_set_buffer(sluice_buffer* out, const char* text) {
  size_t size = strlen(text);
  char* copy = (char*)malloc(size + 1);
  memcpy(copy, text, size + 1);
  out->data = copy;
  out->size = size;
  out->release = test_release_buffer;
}

TEST_MAYBE_UNUSED static void test_release_error(sluice_error* self) {
  free(self->message);
  self->message = NULL;
  self->release = NULL;
}

TEST_MAYBE_UNUSED static void test_set_error(sluice_error* err, sluice_error_kind kind, const char* message) {
  size_t size = strlen(message);
  err->kind = kind;
  err->message = (char*)malloc(size + 1);
  memcpy(err->message, message, size + 1);
  err->release = test_release_error;
}

TEST_MAYBE_UNUSED static sluice_status test_check(sluice_str config, const sluice_host_api* host, sluice_error* err) {
  (void)config;
  (void)host;
  (void)err;
  return SLUICE_OK;
}

TEST_MAYBE_UNUSED static sluice_status test_discover(sluice_str config, const sluice_host_api* host, sluice_buffer* out,
                                   sluice_error* err) {
  (void)config;
  (void)host;
  (void)err;
  test_set_buffer(out, "{\"streams\":[]}");
  return SLUICE_OK;
}

TEST_MAYBE_UNUSED static sluice_status test_read(sluice_str config, sluice_str catalog, sluice_str state,
                               const sluice_host_api* host, sluice_error* err) {
  (void)config;
  (void)catalog;
  (void)state;
  (void)host;
  (void)err;
  return SLUICE_OK;
}

/* Defines the entry function: it hands back `api` whatever the host's
 * version (the host's own checks are what these plugins exercise). */
#define TEST_PLUGIN_ENTRY(api)                                                                              \
  SLUICE_EXPORT sluice_status sluice_plugin_entry_v1(uint16_t major, uint16_t minor,                        \
                                                     const sluice_plugin_api** out, sluice_error* err) {    \
    (void)major;                                                                                            \
    (void)minor;                                                                                            \
    (void)err;                                                                                              \
    *out = &(api);                                                                                          \
    return SLUICE_OK;                                                                                       \
  }

#endif
