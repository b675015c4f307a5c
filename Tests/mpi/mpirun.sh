# Sourced by the MPI tests: `mpirun_np N CMD...` starts an Open MPI job on this machine.
# Root may run it (containers, CI), more ranks than cores are allowed, and a hung job is
# ended by a timeout rather than holding CI.
if [ "$(id -u)" -eq 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
mpirun_np() {
    local n=$1; shift
    timeout 300 mpirun -np "$n" --oversubscribe --bind-to none "$@"
}
