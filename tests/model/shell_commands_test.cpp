// Splitting shell snippets into the commands a reader types, and unwrapping simple commands.
#include <catch2/catch.hpp>

#include "model/shell_commands.hpp"

using namespace opsbook::model;

TEST_CASE("shell commands: one per top-level command, at its lines", "[model][shell]") {
  std::string code =
      "# comment\n"
      "docker compose exec db \\\n  psql -c 'SELECT 1'\n"
      "ssh host << 'EOF'\n  docker volume rm x\nEOF\n"
      "for pod in a b; do\n  kubectl delete pod \"$pod\"\ndone\n"
      "echo done; echo twice\n";
  auto commands = split_shell_commands(code, 10);
  REQUIRE(commands.size() == 4);
  CHECK(commands[0].text == "docker compose exec db \\\n  psql -c 'SELECT 1'");
  CHECK(commands[0].line == 11);
  CHECK(commands[0].end_line == 12);
  CHECK(commands[1].text == "ssh host << 'EOF'\n  docker volume rm x\nEOF");
  CHECK(commands[1].line == 13);
  CHECK(commands[1].end_line == 15);
  CHECK(commands[2].line == 16);
  CHECK(commands[2].end_line == 18);
  CHECK(commands[3].text == "echo done; echo twice");
  CHECK(commands[3].line == 19);
  CHECK(commands[3].end_line == 19);
}

TEST_CASE("shell commands: simple commands with their wrappers stripped", "[model][shell]") {
  auto c = simple_commands("sudo -u app env A=1 timeout 5 curl -s \"$URL/<id>\" | jq . > out.json && echo $(date +%F)");
  REQUIRE(c.size() == 4);
  CHECK(c[0] == std::vector<std::string>{"curl", "-s", "$URL/<id>"});
  CHECK(c[1] == std::vector<std::string>{"jq", "."});
  CHECK(c[2] == std::vector<std::string>{"echo", "$(date +%F)"});
  CHECK(c[3] == std::vector<std::string>{"date", "+%F"});
  CHECK(simple_commands("docker compose exec -T db psql")[0] == std::vector<std::string>{"docker", "compose", "exec", "-T", "db", "psql"});
  CHECK(simple_commands("A=1 B=2").empty());
}
