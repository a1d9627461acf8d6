// opsbook help: the same text as --help at every depth, unknown names answered with the known
// ones, and no reference to files users do not have.
#include <catch2/catch.hpp>

#include "support.hpp"

using namespace opsbook;
using test::run_opsbook;

TEST_CASE("help COMMAND SUBCOMMAND prints exactly what COMMAND SUBCOMMAND --help prints", "[cli][help]") {
  for (std::vector<std::string> topic : {std::vector<std::string>{"check"}, {"build"}, {"inspect"}, {"run"}, {"checklist"}, {"incident"},
                                         {"incident", "new"}, {"incident", "list"}, {"report"}, {"report", "merge"}, {"serve"}, {"init"}}) {
    std::string name;
    for (const auto& t : topic) name += t + " ";
    INFO(name);
    std::vector<std::string> help_args = {"help"};
    help_args.insert(help_args.end(), topic.begin(), topic.end());
    auto via_help = run_opsbook(help_args);
    topic.push_back("--help");
    auto via_flag = run_opsbook(topic);
    CHECK(via_help.exit_code == 0);
    CHECK(via_flag.exit_code == 0);
    CHECK(via_help.out == via_flag.out);
    CHECK(via_help.out.find("Usage: opsbook " + name) != std::string::npos);
  }
}

TEST_CASE("help for an unknown command names the known ones", "[cli][help]") {
  auto r = run_opsbook({"help", "incident", "open"});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "opsbook: error: 'opsbook incident' has no command 'open'; it has: new, list\n");
  r = run_opsbook({"help", "nope"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.starts_with("opsbook: error: unknown command 'nope'; commands: inspect, build, check, run, checklist, incident, report, serve, init"));
  CHECK(r.err.ends_with("; also 'opsbook help rules'\n"));
  r = run_opsbook({"help", "check", "deep"});
  CHECK(r.err == "opsbook: error: 'opsbook check' has no command 'deep'\n");
}

TEST_CASE("help points at the user documentation, never at the SPEC", "[cli][help]") {
  auto overview = run_opsbook({"help"});
  CHECK(overview.exit_code == 0);
  CHECK(overview.out == run_opsbook({"--help"}).out);
  CHECK(overview.out.find("\n  serve ") != std::string::npos);
  CHECK(overview.out.find("docs/README.md") != std::string::npos);
  for (const char* command : {"check", "build", "inspect", "run", "checklist", "incident", "report", "serve", "init"}) {
    INFO(command);
    auto r = run_opsbook({"help", command});
    CHECK(r.out.find("SPEC") == std::string::npos);
  }
  CHECK(run_opsbook({"help", "rules"}).out.find("SPEC") == std::string::npos);
}
