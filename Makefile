# Front door: `make run` and `make test` work on a fresh Debian 12 machine (as root).
# They install what is missing (scripts/install-deps.sh), build with CMake and ccache, and run.
JOBS ?= $(shell nproc)
RELEASE := build/release
SANITIZE := build/asan
FUZZ := build/fuzz
CMAKE_FLAGS := -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
export CCACHE_DIR ?= $(CURDIR)/build/ccache

.PHONY: deps build release asan run test bench fuzz format pot clean

deps:
	@bash scripts/install-deps.sh

$(RELEASE)/CMakeCache.txt:
	cmake -S . -B $(RELEASE) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

$(SANITIZE)/CMakeCache.txt:
	cmake -S . -B $(SANITIZE) -DCMAKE_BUILD_TYPE=Debug -DREMPART_SANITIZE=ON $(CMAKE_FLAGS)

$(FUZZ)/CMakeCache.txt:
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DREMPART_FUZZ=ON -DREMPART_SANITIZE=ON $(CMAKE_FLAGS)

# The program and its catalogs only: tests build and run in the sanitizer build.
release: deps $(RELEASE)/CMakeCache.txt
	cmake --build $(RELEASE) -j $(JOBS) --target rempart catalogs

asan: deps $(SANITIZE)/CMakeCache.txt
	cmake --build $(SANITIZE) -j $(JOBS)

build: release

# Starts the server on http://127.0.0.1:8080 with the vault in $XDG_DATA_HOME/rempart.
run: release
	$(RELEASE)/src/cli/rempart serve

# Every test: unit, end-to-end (the real binary), browser, and a short fuzzing run.
test: asan fuzz
	bash scripts/run-tests.sh $(SANITIZE) $(FUZZ)

bench: release
	bash bench/run.sh $(RELEASE)

fuzz: deps $(FUZZ)/CMakeCache.txt
	cmake --build $(FUZZ) -j $(JOBS) --target fuzzers

format:
	find src fuzz bench tests -name '*.cc' -o -name '*.h' | xargs clang-format -i

pot:
	bash scripts/update-catalogs.sh

clean:
	rm -rf build
