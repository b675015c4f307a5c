// Open MPI behind plain C functions: MPI's handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM,
// MPI_IN_PLACE) are macros Swift cannot import, so every call Trainboard makes is here,
// on the world communicator, returning MPI's error code (MPI_SUCCESS is 0).
#ifndef TRAINBOARD_CMPI_SHIM_H
#define TRAINBOARD_CMPI_SHIM_H
#include <mpi.h>

/// Starts MPI (one thread at a time calls MPI, not always the main one: MPI_THREAD_SERIALIZED;
/// the live dashboard trains on a background thread) and makes errors on the world
/// communicator return codes instead of aborting the job.
static inline int tb_mpi_init(void) {
    int provided = 0;
    int code = MPI_Init_thread(NULL, NULL, MPI_THREAD_SERIALIZED, &provided);
    if (code == MPI_SUCCESS) MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    return code;
}
static inline int tb_mpi_initialized(void) { int flag = 0; MPI_Initialized(&flag); return flag; }
static inline int tb_mpi_finalized(void) { int flag = 0; MPI_Finalized(&flag); return flag; }
static inline int tb_mpi_finalize(void) { return MPI_Finalize(); }
static inline int tb_mpi_rank(int *rank) { return MPI_Comm_rank(MPI_COMM_WORLD, rank); }
static inline int tb_mpi_size(int *size) { return MPI_Comm_size(MPI_COMM_WORLD, size); }

/// In-place sums over every rank.
static inline int tb_mpi_allreduce_sum_float(float *values, int count) {
    return MPI_Allreduce(MPI_IN_PLACE, values, count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
}
static inline int tb_mpi_allreduce_sum_double(double *values, int count) {
    return MPI_Allreduce(MPI_IN_PLACE, values, count, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
}
/// `root`'s bytes copied to every rank.
static inline int tb_mpi_broadcast_bytes(void *bytes, int count, int root) {
    return MPI_Bcast(bytes, count, MPI_BYTE, root, MPI_COMM_WORLD);
}
static inline int tb_mpi_barrier(void) { return MPI_Barrier(MPI_COMM_WORLD); }
/// Ends every rank of the job with `code`.
static inline int tb_mpi_abort(int code) { return MPI_Abort(MPI_COMM_WORLD, code); }

/// MPI's text for an error code, into `text` (at most `capacity` bytes, NUL-terminated).
static inline void tb_mpi_error_string(int code, char *text, int capacity) {
    char buffer[MPI_MAX_ERROR_STRING];
    int length = 0;
    if (MPI_Error_string(code, buffer, &length) != MPI_SUCCESS) length = 0;
    if (length >= capacity) length = capacity - 1;
    for (int i = 0; i < length; i++) text[i] = buffer[i];
    text[length < 0 ? 0 : length] = 0;
}
#endif
