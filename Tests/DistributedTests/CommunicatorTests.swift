import Testing
@testable import Distributed

/// The single-process communicator and world detection. The MPI collectives
/// themselves run under `mpirun -np 2` in `Tests/mpi/allreduce_test.sh`.
@Suite("Communicator")
struct CommunicatorTests {
    @Test("a plain process is rank 0 of 1 and its collectives leave values as they are")
    func singleProcess() throws {
        let world = try World.current(environment: ["PATH": "/usr/bin"])
        #expect(world is SingleProcess)
        #expect(world.rank == 0 && world.size == 1 && world.isRoot)
        var floats: [Float] = [1, -2, 3.5]
        try world.allReduceSum(&floats)
        #expect(floats == [1, -2, 3.5])
        var doubles: [Double] = [4, 5]
        try world.allReduceSum(&doubles)
        #expect(doubles == [4, 5])
        #expect(try world.broadcast(UInt64(42)) == 42)
        try world.barrier()
    }

    @Test("a broadcast from a rank outside the job is an error naming the ranks")
    func badRoot() {
        var values: [Float] = [1]
        #expect(throws: DistributedError.badRoot(1, size: 1)) { try SingleProcess().broadcast(&values, from: 1) }
        #expect(DistributedError.badRoot(3, size: 2).description == "broadcast root 3 is not a rank of a job of 2 (expected 0..<2)")
    }

    @Test("the launcher's variables say when mpirun started the process", arguments: [
        (["OMPI_COMM_WORLD_SIZE": "4", "OMPI_COMM_WORLD_RANK": "1"], 4),
        (["PMI_SIZE": "2"], 2),
        (["PMIX_RANK": "0"], 1),
        (["OMPI_COMM_WORLD_SIZE": "zero"], nil),
        (["HOME": "/root"], nil),
    ] as [([String: String], Int?)])
    func detection(environment: [String: String], size: Int?) {
        #expect(MPIWorld.launchedSize(environment: environment) == size)
        #expect(MPIWorld.isLaunched(environment: environment) == (size != nil))
    }
}

@Suite("Threads per rank")
struct ThreadsPerRankTests {
    @Test func ranksOnAHostShareItsCores() {
        #expect(World.threadsPerRank(environment: ["OMPI_COMM_WORLD_LOCAL_SIZE": "2"], cores: 8) == 4)
        #expect(World.threadsPerRank(environment: ["OMPI_COMM_WORLD_LOCAL_SIZE": "3"], cores: 2) == 1)
        #expect(World.threadsPerRank(environment: ["OMPI_COMM_WORLD_LOCAL_SIZE": "3"], cores: 8) == 2)
    }

    @Test func theUsersCountOneRankOrNoMPILeaveItAlone() {
        #expect(World.threadsPerRank(environment: ["OMPI_COMM_WORLD_LOCAL_SIZE": "2", "OPENBLAS_NUM_THREADS": "3"], cores: 8) == nil)
        #expect(World.threadsPerRank(environment: ["OMPI_COMM_WORLD_LOCAL_SIZE": "1"], cores: 8) == nil)
        #expect(World.threadsPerRank(environment: [:], cores: 8) == nil)
        #expect(World.threadsPerRank(environment: ["OMPI_COMM_WORLD_LOCAL_SIZE": "x"], cores: 8) == nil)
    }
}
