// Diagnostics rendering, the JSON writer and the configuration loader.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "model/config.hpp"
#include "model/error.hpp"
#include "model/json_writer.hpp"
#include "support.hpp"

using namespace opsbook;

TEST_CASE("diagnostics render like a compiler's", "[model][diagnostic]") {
  model::Diagnostic d{"a.md", {2, 6}, model::Severity::warning, "rule-x", "bad thing", "do this"};
  CHECK(model::render(d, "line one\nfirst\tsecond\n") ==
        "a.md:2:6: warning[rule-x]: bad thing\n"
        " 2 | first second\n"
        "   |      ^\n"
        "  hint: do this\n");
  model::Diagnostic whole{"b.md", {}, model::Severity::error, "io", "cannot open", ""};
  CHECK(model::render(whole, "") == "b.md: error[io]: cannot open\n");
}

TEST_CASE("JSON writer escapes and repairs invalid UTF-8", "[model][json]") {
  std::string out;
  model::JsonWriter w(out);
  w.begin_object().field("a", std::string("q\"\\\n\x01 é \xFF end")).field("n", 42).field("b", true);
  w.key("list").begin_array().value("x").null().end_array().end_object();
  CHECK(out == "{\"a\":\"q\\\"\\\\\\n\\u0001 é \xEF\xBF\xBD end\",\"n\":42,\"b\":true,\"list\":[\"x\",null]}");
  CHECK(nlohmann::json::parse(out)["n"] == 42);
}

TEST_CASE("config: environments, services and their kinds", "[model][config]") {
  test::TempDir dir;
  test::write_file(dir.path() / "opsbook.yaml",
                   "site: {title: Demo}\ncontent: docs\nenvironments:\n  local:\n    hosts: {\"prod.example\": \"127.0.0.1:8080\"}\n"
                   "    services:\n      api: {url: \"http://127.0.0.1:8080\"}\n      db: {dsn_env: PG_DSN}\n      cache: redis://127.0.0.1:6379\n"
                   "    allow_hosts: [127.0.0.1]\ndefault_env: local\n");
  auto cfg = model::load_config((dir.path() / "opsbook.yaml").string(), true);
  CHECK(cfg.site_title == "Demo");
  CHECK(cfg.resolve(cfg.content) == (dir.path() / "docs").string());
  const auto* env = cfg.environment("local");
  REQUIRE(env != nullptr);
  CHECK(env->service("api")->kind == "http");
  CHECK(env->service("db")->kind == "postgres");
  CHECK(env->service("cache")->kind == "redis");
  CHECK(env->hosts[0].second == "127.0.0.1:8080");
  CHECK_FALSE(env->allow_privileged_role);
}

TEST_CASE("config errors name file and line", "[model][config]") {
  test::TempDir dir;
  std::string path = (dir.path() / "opsbook.yaml").string();
  test::write_file(path, "content: docs\nenvironments:\n  local:\n    servics: {}\n");
  try {
    model::load_config(path, true);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) == path + ":4:5: unknown environment setting 'servics' (known: hosts, services, allow_hosts, params, insecure_tls, allow_privileged_role, compose)");
  test::write_file(path, "environments:\n  local:\n    allow_privileged_role: yes please\n");
  CHECK_THROWS_WITH(model::load_config(path, true), path + ":3:28: 'allow_privileged_role' must be true or false");
  }
  CHECK(model::load_config((dir.path() / "missing.yaml").string(), false).path.empty());
  CHECK_THROWS_AS(model::load_config((dir.path() / "missing.yaml").string(), true), Error);
}

TEST_CASE("config: history's stale_after is a duration (7d by default): a bad one names its line", "[model][config]") {
  test::TempDir dir;
  std::string path = (dir.path() / "opsbook.yaml").string();
  test::write_file(path, "site: {title: x}\n");
  CHECK(model::load_config(path, true).history.stale_after == std::chrono::hours(7 * 24));
  test::write_file(path, "history:\n  dsn_env: HISTORY_DSN\n  stale_after: 36h\n");
  auto cfg = model::load_config(path, true);
  CHECK(cfg.history.stale_after == std::chrono::hours(36));
  CHECK(cfg.history.dsn_env_line == 2);
  test::write_file(path, "history: {stale_after: 2d}\n");
  CHECK(model::load_config(path, true).history.stale_after == std::chrono::hours(48));
  test::write_file(path, "history:\n  stale_after: a week\n");
  CHECK_THROWS_WITH(model::load_config(path, true), path + ":2:16: history: stale_after must be a duration such as 7d, 36h or 90m (at most 3650d), not 'a week'");
  test::write_file(path, "history: {stale_after: 0}\n");
  CHECK_THROWS_WITH(model::load_config(path, true), path + ":1:24: history: stale_after must be a duration such as 7d, 36h or 90m (at most 3650d), not '0'");
  test::write_file(path, "history: {stale: 7d}\n");
  CHECK_THROWS_WITH(model::load_config(path, true), path + ":1:18: unknown history setting 'stale' (known: path, dsn_env, stale_after)");
}

TEST_CASE("config: an environment's compose stack, and its errors", "[model][config]") {
  test::TempDir dir;
  std::string path = (dir.path() / "opsbook.yaml").string();
  test::write_file(path, "environments:\n  local:\n    compose: {project: shop, docker_host: \"unix:///run/d.sock\"}\n  ci:\n    compose:\n      probe: false\n  bare: {}\n");
  auto cfg = model::load_config(path, true);
  REQUIRE(cfg.environment("local")->compose);
  CHECK(cfg.environment("local")->compose->project == "shop");
  CHECK(cfg.environment("local")->compose->docker_host == "unix:///run/d.sock");
  CHECK(cfg.environment("local")->compose->probe);
  CHECK(cfg.environment("local")->compose->line == 3);
  CHECK_FALSE(cfg.environment("ci")->compose->probe);
  CHECK_FALSE(cfg.environment("bare")->compose);
  auto error = [&](const std::string& text) {
    test::write_file(path, text);
    try {
      model::load_config(path, true);
    } catch (const Error& e) {
      return std::string(e.what()).substr(path.size());
    }
    return std::string("no error");
  };
  CHECK(error("environments:\n  local:\n    compose: {docker_host: \"tcp://10.0.0.5:2375\"}\n") ==
        ":3:28: docker_host must be a unix socket (unix:///var/run/docker.sock), not 'tcp://10.0.0.5:2375'");
  CHECK(error("environments:\n  local:\n    compose: {projct: shop}\n") == ":3:15: unknown compose setting 'projct' (known: project, docker_host, probe)");
  CHECK(error("environments:\n  local:\n    compose: shop\n") == ":3:14: 'compose' must be a mapping (project, docker_host, probe)");
  CHECK(error("environments:\n  local:\n    compose: {probe: maybe}\n") == ":3:22: 'probe' must be true or false");
}

TEST_CASE("config: an unclosed bracket or brace is reported on its own line, not where YAML gave up", "[model][config]") {
  test::TempDir dir;
  std::string path = (dir.path() / "opsbook.yaml").string();
  auto error_of = [&](const std::string& yaml) -> std::string {
    test::write_file(path, yaml);
    try {
      model::load_config(path, true);
    } catch (const Error& e) {
      return std::string(e.what()).substr(path.size());
    }
    return "no error";
  };
  // At the end of the file: yaml-cpp names the line after the last one.
  CHECK(error_of("environments:\n  local:\n    allow_hosts: [\"127.0.0.1\", localhost\n") == ":3:18: invalid YAML: this [ is never closed");
  // Before another key: yaml-cpp names that key's line.
  CHECK(error_of("site: {title: \"Ops [portal]\", repo_url: x\ncontent: docs # a [comment\n") == ":1:7: invalid YAML: this { is never closed");
  CHECK(error_of("site: {title: 'it''s [x'}\nseverities: [a, [b, c]\noutput: site\n") == ":2:13: invalid YAML: this [ is never closed");
  // Other errors keep yaml-cpp's position, which is right for them.
  CHECK(error_of("site:\n  title: x\n environments:\n  local: {}\n") == ":3:2: invalid YAML: end of map not found");
  CHECK(error_of("") == "no error");
}
