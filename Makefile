# Trainboard: the two commands are `make run` and `make test`.
# Both install what is missing first (Debian packages; idempotent, quiet when present).

SWIFT        ?= swift
APT_PACKAGES := libncurses-dev libopenblas-dev zlib1g-dev libcairo2-dev dataset-fashion-mnist tmux libopenmpi-dev openmpi-bin
RELEASE_BIN  := .build/release/trainboard
EXAMPLES     := Examples/Reuse

# A crashing test must fail at once: Swift's crash reporter (swift-backtrace) was seen
# hanging here after a test crashed, which would hold CI until its time limit.
export SWIFT_BACKTRACE ?= enable=no

.PHONY: run test setup setup-python build examples bench clean fuzz fuzz-build test-asan test-tsan test-scripts test-interop test-perf test-mpi

## run: set up, build release, and train Fashion-MNIST with the live dashboard
## (plain lines when there is no terminal).
run: build
	$(RELEASE_BIN) fit --config Config/fashion-mnist-mlp.yaml

## test: set up, then build and run every test (unit tests, the live dashboard in tmux,
## CLI and fault scripts, PyTorch interop both ways, the per-module examples, zero
## allocations per training step on a release build, then every unit test under ASan and
## under TSan). tmux provides the terminal, so this also runs without one (CI). About 16
## minutes from a fresh clone on 2 cores; the fuzz smoke (`make fuzz FUZZ_SECONDS=30`,
## about 4.5 minutes more) runs apart, see docs/robustness.md.
test: setup setup-python
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	bash Tests/tmux/watch_test.sh .build/debug/trainboard
	bash Tests/tmux/fit_test.sh .build/debug/trainboard
	bash Tests/tmux/compare_test.sh .build/debug/trainboard
	$(MAKE) --no-print-directory test-scripts
	$(MAKE) --no-print-directory test-interop
	$(MAKE) --no-print-directory test-mpi
	$(MAKE) --no-print-directory examples
	$(MAKE) --no-print-directory test-perf
	$(MAKE) --no-print-directory test-asan
	$(MAKE) --no-print-directory test-tsan

## setup: install the Debian packages the build and the data need, only those missing.
setup:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing >/dev/null; \
	fi

## setup-python: numpy and safetensors for the interop checks (PyPI; only when missing, no torch).
setup-python:
	@python3 -c 'import numpy, safetensors' 2>/dev/null || { echo "installing: numpy safetensors (pip)"; \
		python3 -m pip install --quiet numpy safetensors \
		|| python3 -m pip install --quiet --break-system-packages numpy safetensors; }

build: setup
	$(SWIFT) build -c release

## examples: build and run the small packages that reuse single modules.
examples:
	@# An incremental build can miss source files added to the root package since it last
	@# ran (SwiftPM keeps the path dependency's file list): retry once from a clean folder.
	$(SWIFT) build --package-path $(EXAMPLES) || { rm -rf $(EXAMPLES)/.build && $(SWIFT) build --package-path $(EXAMPLES); }
	@for target in TensorOnly LossesOnly DataOnly LightningStyle IgniteStyle HandwrittenLoop; do \
		echo "example $$target"; \
		$(SWIFT) run --skip-build --package-path $(EXAMPLES) $$target || exit 1; \
	done

## bench: GEMM rate here and in numpy's OpenBLAS, in one run.
bench: build
	$(RELEASE_BIN) bench gemm
	python3 bench/gemm_numpy.py

## fuzz: libFuzzer (with ASan) on the IDX/gzip, CSV, config and safetensors readers,
## FUZZ_SECONDS each (default 60), one at a time at nice 19. Corpora and crash
## inputs go to .build-fuzz/work; FUZZ_TARGETS picks a subset.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= FuzzIDX FuzzCSV FuzzConfig FuzzSafetensors
FUZZ_FLAGS   := -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -g
fuzz: fuzz-build
	Fuzz/run.sh .build-fuzz/release .build-fuzz/work $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-build: setup
	$(SWIFT) build --package-path Fuzz --scratch-path .build-fuzz $(FUZZ_FLAGS)

## test-asan / test-tsan: every unit test under AddressSanitizer / ThreadSanitizer,
## each in its own scratch path (see docs/robustness.md for what is suppressed and why).
test-asan: setup
	$(SWIFT) build --build-tests --scratch-path .build-asan -Xswiftc -sanitize=address
	ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 $(SWIFT) test --skip-build --scratch-path .build-asan -Xswiftc -sanitize=address

test-tsan: setup
	$(SWIFT) build --build-tests --scratch-path .build-tsan -Xswiftc -sanitize=thread
	OPENBLAS_NUM_THREADS=1 TSAN_OPTIONS=halt_on_error=1:suppressions=$(CURDIR)/Tests/sanitizers/tsan.supp $(SWIFT) test --skip-build --scratch-path .build-tsan -Xswiftc -sanitize=thread

## test-scripts: the CLI checks on the debug binary (bad input messages and exit
## codes, sweeps, checkpoint faults, plot images); part of `make test`.
test-scripts:
	Tests/cli/bad_input_test.sh .build/debug/trainboard
	Tests/cli/sweep_test.sh .build/debug/trainboard
	Tests/faults/faults_test.sh .build/debug/trainboard
	Tests/cli/plot_test.sh .build/debug/trainboard

## test-interop: checkpoints this build writes, read by the safetensors package and run
## forward in numpy, match `eval --predictions`; `losses eval` of ../shared/golden/losses.json
## passes its check.py (PyTorch -> Trainboard is the PyTorchInteropTests unit suite).
test-interop:
	bash Tests/interop/interop_test.sh .build/debug/trainboard

## test-mpi: 2-rank Open MPI jobs on this machine (mpirun from openmpi-bin), on the
## debug binary: the communicator's sums and broadcast, then data-parallel fits against
## one process (weights, summary, errors, N->M resume, a killed rank).
test-mpi:
	bash Tests/mpi/allreduce_test.sh .build/debug/trainboard
	bash Tests/mpi/fit_test.sh .build/debug/trainboard
	bash Tests/mpi/dashboard_test.sh .build/debug/trainboard

## test-perf: a release build trains with zero heap allocations per step and flat RSS
## (allocation counts are a property of optimized code; timings are left to bench/).
test-perf: build
	Tests/perf/allocations_test.sh $(RELEASE_BIN)

clean:
	rm -rf .build .build-fuzz .build-asan .build-tsan $(addsuffix /.build,$(EXAMPLES))
