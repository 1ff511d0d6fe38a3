#include "tars/app/cli_marl.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

#include "tars/app/cli_support.h"
#include "tars/core/file_io.h"
#include "tars/marl/game.h"
#include "tars/marl/nash.h"
#include "tars/marl/nash_json.h"

namespace tars::app {
namespace {

struct NashCommandOptions {
  std::string game_path;
  std::string method = "auto";
  marl::FictitiousPlayOptions fictitious_play;
  bool all_labels = false;
};

// The game file's text; `-` reads stdin.
core::Expected<std::string> read_game_text(const std::string& path) {
  if (path != "-") {
    auto text = core::read_file(path);
    if (!text.ok()) return core::io_error("cannot read the game: " + text.status().message());
    return text;
  }
  std::string text(std::istreambuf_iterator<char>(std::cin), {});
  if (std::cin.bad()) return core::io_error("cannot read the game from stdin");
  return text;
}

void run_nash(const NashCommandOptions& options) {
  auto method = marl::parse_nash_method(options.method);
  if (!method.ok()) fail(method.status());
  auto text = read_game_text(options.game_path);
  if (!text.ok()) fail(text.status());
  auto game = marl::parse_game(*text);
  if (!game.ok()) {
    const std::string source = options.game_path == "-" ? "stdin" : options.game_path;
    fail(core::invalid_argument(source + ": " + game.status().message()));
  }
  auto result = marl::solve_nash(*game, {.method = *method,
                                         .lemke_howson_all_labels = options.all_labels,
                                         .fictitious_play = options.fictitious_play});
  if (!result.ok()) fail(result.status());
  nlohmann::json json = marl::to_json(*result);
  json["players"] = game->players();
  json["actions"] = game->action_counts();
  std::cout << json.dump() << '\n';
}

void add_nash(CLI::App& marl_app) {
  auto options = std::make_shared<NashCommandOptions>();
  auto* nash = marl_app.add_subcommand(
      "nash", "Nash equilibria of a normal-form game given as JSON; prints one JSON object");
  nash->add_option("--game", options->game_path,
                   R"(Game file ({"payoffs": [A, B]} or one tensor per player); - for stdin)")
      ->required();
  nash->add_option("--method", options->method,
                   "auto (2 players: support enumeration, Lemke-Howson for large games; more: pure "
                   "equilibria, else fictitious play), pure, support_enumeration, lemke_howson, "
                   "fictitious_play")
      ->default_val("auto");
  nash->add_flag("--all-labels", options->all_labels,
                 "Lemke-Howson: start from every label and report the distinct equilibria");
  nash->add_option("--max-iterations", options->fictitious_play.max_iterations,
                   "Fictitious play: best-response rounds at most")
      ->default_val(options->fictitious_play.max_iterations);
  nash->add_option("--tolerance", options->fictitious_play.tolerance,
                   "Fictitious play: stop when exploitability <= tolerance x payoff range")
      ->default_val(options->fictitious_play.tolerance);
  nash->add_option("--damping", options->fictitious_play.damping,
                   "Fictitious play: 0 for 1/(t+2) averaging, else the constant step of damped "
                   "best response")
      ->default_val(options->fictitious_play.damping);
  nash->callback([options] { run_nash(*options); });
}

}  // namespace

CLI::App* add_marl_commands(CLI::App& app) {
  auto* marl_app = app.add_subcommand("marl", "Multi-agent coordination: Nash equilibria");
  marl_app->require_subcommand(1);
  add_nash(*marl_app);
  return marl_app;
}

}  // namespace tars::app
