#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
  CLI::App app{"T.A.R.S. - multi-agent reinforcement learning platform"};
  CLI11_PARSE(app, argc, argv);
  return 0;
}
