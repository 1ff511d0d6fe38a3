# The README's commands. `make run` and `make test` install what is missing first.
BUILD_DIR ?= build
JOBS ?= 2
CMAKE_FLAGS ?=
TARS := $(BUILD_DIR)/tars

.PHONY: setup configure build run test bench fmt lint clean

setup:
	bash scripts/setup.sh

configure: setup
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: configure
	cmake --build $(BUILD_DIR) -j$(JOBS)

# `tars serve` arrives with the API issue; until then the platform is its environments.
run: build
	$(TARS) version
	$(TARS) env list
	$(TARS) env bench --env CartPole-v1 --steps 20000000
	$(TARS) env bench --env LunarLander-v3 --steps 200000

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS)

bench: build
	$(BUILD_DIR)/bench/env_bench
	$(BUILD_DIR)/bench/nn_bench
	$(BUILD_DIR)/bench/agent_bench
	bench/learning.sh $(TARS)

FORMAT_FILES = $(shell git ls-files '*.cc' '*.h')

fmt:
	clang-format -i $(FORMAT_FILES)

lint: configure
	clang-format --dry-run --Werror $(FORMAT_FILES)
	clang-tidy -p $(BUILD_DIR) --quiet $(filter %.cc,$(FORMAT_FILES))

clean:
	rm -rf $(BUILD_DIR)
