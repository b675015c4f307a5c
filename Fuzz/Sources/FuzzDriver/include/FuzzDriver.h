#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (exported by libclang_rt.fuzzer, linked by -sanitize=fuzzer).
/// SwiftPM renames an executable's `main` to `<Target>_main` and points `main`
/// at it, so each target's main.swift hands its argv and test function to this.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
