# The README's commands. `make run` and `make test` install what is missing first.
BUILD_DIR ?= build
JOBS ?= 2
CMAKE_FLAGS ?=
TARS := $(BUILD_DIR)/tars

.PHONY: setup configure build web run test bench fuzz fmt lint clean

setup:
	bash scripts/setup.sh

configure: setup
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: configure
	cmake --build $(BUILD_DIR) -j$(JOBS)

# The dashboard (React + TypeScript, Vite) into web/dist, which tars serve serves.
web: setup
	cd web && npm run build

# The platform on http://127.0.0.1:8080 with the embedded SQLite database ./tars.db.
run: build web
	$(TARS) serve

# CTest, then the dashboard's unit tests (Vitest) and browser tests (Chromium against a real
# tars serve; screenshots in web/test-results/).
test: build web
	cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS)
	cd web && npm test
	cd web && TARS=$(abspath $(TARS)) npm run e2e

bench: build
	$(BUILD_DIR)/bench/env_bench
	$(BUILD_DIR)/bench/nn_bench
	$(BUILD_DIR)/bench/agent_bench
	$(BUILD_DIR)/bench/nash_bench
	$(BUILD_DIR)/bench/store_bench
	bench/api_bench.sh $(TARS)
	bench/ws_load.sh $(TARS)
	bench/learning.sh $(TARS)
	bench/marl_learning.sh $(TARS)
	bench/marl_soak.sh $(TARS)

# libFuzzer on the request path for FUZZ_SECONDS; crashing inputs land in fuzz/regressions/
# (commit them: CTest replays that directory).
FUZZ_SECONDS ?= 60
fuzz: setup
	CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTARS_FUZZ=ON \
	  -DTARS_WERROR=OFF -DTARS_BUILD_TESTS=OFF -DTARS_BUILD_BENCH=OFF
	cmake --build build-fuzz -j$(JOBS) --target request_fuzz
	mkdir -p build-fuzz/corpus && cp -n fuzz/corpus/* build-fuzz/corpus/
	build-fuzz/fuzz/request_fuzz -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
	  -artifact_prefix=fuzz/regressions/ build-fuzz/corpus

FORMAT_FILES = $(shell git ls-files '*.cc' '*.h')

fmt:
	clang-format -i $(FORMAT_FILES)

lint: configure
	clang-format --dry-run --Werror $(FORMAT_FILES)
	clang-tidy -p $(BUILD_DIR) --quiet $(filter %.cc,$(FORMAT_FILES))

clean:
	rm -rf $(BUILD_DIR) build-fuzz
