// Static rules with exact lines, report formats, and the secret that must never be printed.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "model/loader.hpp"
#include "support.hpp"
#include "model/process.hpp"
#include "validator/report_writers.hpp"
#include "validator/static_checks.hpp"

using namespace opsbook;
namespace fs = std::filesystem;

namespace {

validator::ReportContext static_context(std::vector<std::string> files, size_t snippets) {
  validator::ReportContext ctx;
  ctx.tool_version = "0.1.0";
  ctx.generated_at = "2026-11-23T00:00:00Z";
  ctx.files = std::move(files);
  ctx.snippets = snippets;
  return ctx;
}

std::vector<validator::Finding> check(const std::string& markdown, const std::string& path = "rb.md") {
  std::vector<model::Runbook> rbs;
  rbs.push_back(test::parse(markdown, path));
  return validator::check_static(rbs, {});
}

// "rule@line" for each finding of `rule` (or all when empty).
std::vector<std::string> hits(const std::vector<validator::Finding>& fs, const std::string& rule = {}) {
  std::vector<std::string> out;
  for (const auto& f : fs) {
    if (rule.empty() || f.rule == rule) out.push_back(f.rule + "@" + std::to_string(f.line));
  }
  return out;
}

const std::string k_secret = "ghp_Zx81KqP0aLmN3vB7cD5eF2gH9iJ4kL6mN0pQ";

}  // namespace

TEST_CASE("shell-syntax: bash -n errors at the markdown line, placeholders do not count", "[validator][shell]") {
  auto fs = check("---\ntitle: T\n---\n# T\n\n```bash\necho ok\nif true; then\n  echo x\nfi fi\n```\n\n```bash\ndocker logs <service> | grep {{pattern}}\n```\n");
  CHECK(hits(fs, "shell-syntax") == std::vector<std::string>{"shell-syntax@10"});
  CHECK(fs[0].message == "syntax error near unexpected token `fi'");
  CHECK(hits(check("# T\n\n```bash\nfor f in *; do echo \"$f\"; done\n```\n"), "shell-syntax").empty());
  // Console blocks: only the commands are checked, at their own lines.
  CHECK(hits(check("# T\n\n```console\n$ echo ok\nsome (output\n$ echo 'unterminated\n```\n"), "shell-syntax") ==
        std::vector<std::string>{"shell-syntax@6"});
  // Sessions: SQL after a psql prompt and redis-cli lines never reach bash, whatever the tag.
  CHECK(hits(check("# T\n\n```shell\n# gitlab-psql -d template1\ntemplate1=# select * from pg_replication_slots ; select 1;\n"
                   " slot_name | active\n-----------+--------\n```\n\n```shell\n> slowlog get 10\n1) 1) (integer) 5100\n"
                   "   4) 1) \"del\"\n      2) \"cache:x\"\n```\n"))
            .empty());
  // Inline commands in lists.
  CHECK(hits(check("# T\n\n- run `docker compose logs (worker`\n"), "shell-syntax") == std::vector<std::string>{"shell-syntax@3"});
}

TEST_CASE("shell-too-deep: a snippet nested past the lexer's bound is an error, and no shell checker reads it (hostile review)", "[validator][shell]") {
  std::string deep;
  for (int i = 0; i < 500; ++i) deep += "$(";
  auto fs = check("# T\n\n```bash\n" + deep + "\n```\n\n```bash\necho ok\n```\n");
  CHECK(hits(fs) == std::vector<std::string>{"shell-too-deep@4", "destructive-unguarded@4"});  // once, and no checker's findings
  REQUIRE(fs.size() == 2);
  CHECK(fs[1].message.find("(nested too deeply or too large for opsbook to read all of it: it cannot tell what it does)") != std::string::npos);
  CHECK(fs[0].severity == model::Severity::error);
  CHECK(fs[0].message ==
        "the snippet nests $(...), quotes or compound commands deeper than 64 levels: opsbook reads no further, rates it destructive and does not run the shell checkers on it");
  CHECK(fs[0].hint == "flatten it: put inner commands into variables or functions");
  auto large = check("# T\n\n```bash\necho " + std::string(300 * 1024, 'a') + "\n```\n");
  REQUIRE(hits(large, "shell-too-deep") == std::vector<std::string>{"shell-too-deep@4"});
  CHECK(large[0].message == "the snippet is larger than 256 KiB: opsbook reads no further, rates it destructive and does not run the shell checkers on it");
  CHECK(large[0].hint == "move the data into a file the command reads");
}

TEST_CASE("data-syntax: JSON, YAML and env blocks", "[validator][data]") {
  auto fs = check("# T\n\n```json\n{\n  \"a\": 1,\n  \"b\": ]\n}\n```\n\n```yaml\nkey: [a, b\nother: 1\n```\n\n```env\nGOOD=1\nnot a pair\n```\n");
  CHECK(hits(fs, "data-syntax") == std::vector<std::string>{"data-syntax@6", "data-syntax@12", "data-syntax@17"});
  CHECK(hits(check("# T\n\n```json\n\"key\": {\"a\": 1}\n```\n\n```yaml\na: 1\n---\nb: 2\n```\n"), "data-syntax").empty());
}

TEST_CASE("sql-syntax and powershell-syntax", "[validator][sql]") {
  auto fs = check("# T\n\n```sql\nSELECT 1;\nSELECT count(* FROM t;\nSELECT 'open\n```\n\n```powershell\nGet-Item 'C:\\x'\nif ($a) {\n  Write-Host \"x\"\n```\n");
  CHECK(hits(fs, "sql-syntax") == std::vector<std::string>{"sql-syntax@5", "sql-syntax@6"});
  CHECK(hits(fs, "powershell-syntax") == std::vector<std::string>{"powershell-syntax@11"});
  CHECK(hits(check("# T\n\n```sql\nSELECT ')' FROM t WHERE (a = 1);\n```\n"), "sql-syntax").empty());
  // Parentheses in dollar quotes, E'' strings and comments are text, as PostgreSQL reads them.
  CHECK(hits(check("# T\n\n```sql\nSELECT $$ ( $$, E'\\'(', 1 /* ( */;\n```\n"), "sql-syntax").empty());
  CHECK(hits(check("# T\n\n```powershell\n# a comment with ' and {\n$h = @\"\nhere 'string' {\n\"@\nif ($h) { Write-Host \"ok `\"x`\"\" }\n```\n"),
             "powershell-syntax").empty());
}

TEST_CASE("links: files and anchors, also in tables: external URLs well formed", "[validator][links]") {
  test::TempDir dir;
  test::write_file(dir.path() / "other.md", "# Other\n\n## Health checks\n");
  std::string md = "# T\n\n## Deploy Steps\n\nSee [ok](other.md#health-checks), [here](#deploy-steps).\n\n"
                   "| Link |\n|---|\n| [gone](missing.md) |\n\n[bad anchor](other.md#nope) [x](#nowhere) [u](https:///no-host)\n";
  test::write_file(dir.path() / "rb.md", md);
  model::Diagnostics top;
  auto runbooks = model::load_runbooks(model::collect_sources({dir.path().string()}, top), {});
  auto fs = validator::check_static(runbooks, {});
  CHECK(hits(fs) == std::vector<std::string>{"broken-link@9", "broken-link@11", "broken-link@11", "malformed-url@11"});
}

TEST_CASE("secrets are found, and never printed in any format", "[validator][secrets]") {
  std::string md = "# T\n\n```bash\nexport GITHUB_TOKEN=" + k_secret + "\npsql postgres://app:S3cr3tPassw0rd9@db:5432/app\n```\n\nplaceholders are fine: DB_PASSWORD=your-password-here, postgres://user:pass@host/db\n";
  auto fs = check(md);
  CHECK(hits(fs, "secret") == std::vector<std::string>{"secret@4", "secret@5"});
  validator::ReportContext ctx = static_context({"rb.md"}, 1);
  for (const auto& out : {validator::write_text(fs, ctx), validator::write_json(fs, ctx), validator::write_junit(fs, ctx),
                          validator::write_sarif(fs, ctx), validator::write_github(fs, ctx)}) {
    CHECK(out.find(k_secret) == std::string::npos);
    CHECK(out.find(k_secret.substr(4)) == std::string::npos);
    CHECK(out.find("S3cr3tPassw0rd9") == std::string::npos);
  }
  CHECK(validator::write_text(fs, ctx).find("export GITHUB_TOKEN=****") != std::string::npos);
  // Other rules' findings on the same line are redacted too.
  auto both = check("# T\n\n```bash\ncurl -H 'Authorization: token " + k_secret + "' http://x/ (\n```\n");
  for (const auto& f : both) CHECK(f.source_line.find(k_secret) == std::string::npos);
}

// s11b review B2: git's http.extraheader (what actions/checkout writes) and curl -H lines carry
// HTTP credentials after a scheme word.
TEST_CASE("secrets: HTTP Authorization credentials are found and redacted (s11b B2)", "[validator][secrets]") {
  auto fs = check("# T\n\n```ini\n\textraheader = AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46Z2hzX3NlY3JldA==\n```\n\n"
                  "`curl -H \"Authorization: Bearer abcDEF123456ghiJKL\" http://127.0.0.1/`\n\nAuthorization: Bearer <your-token-here>\n");
  CHECK(hits(fs, "secret") == std::vector<std::string>{"secret@4", "secret@7"});
  for (const auto& f : fs) {
    CHECK(f.source_line.find("eC1hY2Nlc3M") == std::string::npos);
    CHECK(f.source_line.find("abcDEF123456") == std::string::npos);
  }
}

TEST_CASE("destructive-unguarded, duplicate-name, unexplained-placeholder", "[validator][safety]") {
  auto fs = check("# T\n\n```bash {name=a}\nrm -rf /var/lib/app\n```\n\n> **Warning:** deletes every key.\n\n```bash {name=a}\nredis-cli FLUSHALL\n```\n\n"
                  "```bash {name=c run=never}\ndocker compose down -v\n```\n\n- check `kubectl logs <pod>`\n\n- tail `journalctl -u <unit>` where unit is the service\n");
  CHECK(hits(fs, "destructive-unguarded") == std::vector<std::string>{"destructive-unguarded@4"});
  CHECK(hits(fs, "duplicate-name") == std::vector<std::string>{"duplicate-name@9"});
  CHECK(hits(fs, "unexplained-placeholder") == std::vector<std::string>{"unexplained-placeholder@17"});
  CHECK(fs.front().message == "destructive command `rm -rf /var/lib/app` in snippet 'a' (rm: deletes data irrecoverably) has no run attribute and no warning next to it");
  // At the destructive command's own line, not the fence's.
  auto at = check("# T\n\n```sh {name=b}\nkubectl get pods\nfor p in a b; do\n  kubectl delete pod $p\ndone\n```\n");
  CHECK(hits(at, "destructive-unguarded") == std::vector<std::string>{"destructive-unguarded@5"});
  CHECK(at.front().message == "destructive command `for p in a b; do...` in snippet 'b' (kubectl delete: deletes resources) has no run attribute and no warning next to it");
}

TEST_CASE("parser diagnostics become findings with their own severity", "[validator]") {
  auto fs = check("---\ntitle: [\n---\n# T\n\n```bash {colour=red}\necho\n```\n");
  CHECK(hits(fs) == std::vector<std::string>{"front-matter@3", "attributes@6"});
  CHECK(fs[1].severity == model::Severity::warning);
}

TEST_CASE("report formats: text, JSON, SARIF structure, JUnit XML, GitHub limits", "[validator][formats]") {
  std::vector<validator::Finding> fs;
  for (int i = 0; i < 15; ++i) fs.push_back({"shell-syntax", model::Severity::error, "a.md", 10 + i, 0, "bad <" + std::to_string(i) + ">", "fix", "snip", "echo"});
  for (int i = 0; i < 12; ++i) fs.push_back({"malformed-url", model::Severity::warning, "b.md", i + 1, 3, "url, 100%", "", "", ""});
  validator::ReportContext ctx = static_context({"a.md", "b.md", "c.md"}, 5);

  std::string text = validator::write_text(fs, ctx);
  CHECK(text.rfind("a.md:10: error[shell-syntax]: bad <0>\n 10 | echo\n  hint: fix\n", 0) == 0);
  CHECK(text.find("opsbook check: 15 errors, 12 warnings, 0 notes in 3 runbooks") != std::string::npos);

  auto json = nlohmann::json::parse(validator::write_json(fs, ctx));
  CHECK(json["version"] == 1);
  CHECK(json["findings"].size() == 27);
  CHECK(json["summary"]["errors"] == 15);
  CHECK(json["findings"][0]["snippet"] == "snip");

  auto sarif = nlohmann::json::parse(validator::write_sarif(fs, ctx));
  CHECK(sarif["version"] == "2.1.0");
  const auto& run = sarif["runs"][0];
  CHECK(run["tool"]["driver"]["name"] == "opsbook");
  CHECK(run["results"].size() == 27);
  const auto& r0 = run["results"][0];
  CHECK(r0["ruleId"] == "shell-syntax");
  CHECK(run["tool"]["driver"]["rules"][r0["ruleIndex"].get<size_t>()]["id"] == "shell-syntax");
  CHECK(r0["level"] == "error");
  CHECK(r0["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "a.md");
  CHECK(r0["locations"][0]["physicalLocation"]["region"]["startLine"] == 10);
  // Same snippet, rule and file -> same fingerprint, whatever the line.
  CHECK(r0["partialFingerprints"]["opsbookFinding/v1"] == run["results"][1]["partialFingerprints"]["opsbookFinding/v1"]);

  test::TempDir dir;
  test::write_file(dir.path() / "junit.xml", validator::write_junit(fs, ctx));
  auto parsed = model::run_process({"python3", "-c",
                                        "import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); "
                                        "s = r.find('testsuite'); print(s.get('tests'), s.get('failures'), len(s.findall('testcase')))",
                                        (dir.path() / "junit.xml").string()},
                                       "", std::chrono::seconds(20));
  REQUIRE(parsed.started);
  INFO(parsed.err);
  CHECK(parsed.out == "3 1 3\n");

  std::string gh = validator::write_github(fs, ctx);
  CHECK(std::count(gh.begin(), gh.end(), '\n') == 21);
  CHECK(gh.rfind("::error file=a.md,line=10,title=opsbook shell-syntax::bad <0> — fix\n", 0) == 0);
  CHECK(gh.find("::warning file=b.md,line=1,col=3,title=opsbook malformed-url::url, 100%25\n") != std::string::npos);
  CHECK(gh.find("::notice title=opsbook check::15 errors, 12 warnings, 0 notes in 3 runbooks; 7 more not shown") != std::string::npos);
}

TEST_CASE("a hanging helper is killed at its time limit, with its children", "[validator][process]") {
  auto start = std::chrono::steady_clock::now();
  auto r = model::run_process({"sh", "-c", "sleep 31 & sleep 31"}, "", std::chrono::milliseconds(300));
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(r.timed_out);
  CHECK(seconds < 5);
  auto left = model::run_process({"sh", "-c", "ps -eo args | grep '^[s]leep 31' || true"}, "", std::chrono::seconds(5));
  CHECK(left.out.empty());
  auto ok = model::run_process({"cat"}, "hello", std::chrono::seconds(5));
  CHECK(ok.out == "hello");
  CHECK(ok.exit_code == 0);
}

TEST_CASE("shellcheck on hostile snippets: one phase deadline, the good snippets of a failed batch still checked (hostile review)", "[validator][shell]") {
  if (!model::program_available("shellcheck")) return;
  std::string deep = "echo $((" + std::string(1500, '(') + "1" + std::string(1500, ')') + "))";  // shellcheck: ~8 s, ~400 MB each
  std::string md = "# T\n\n";
  for (int i = 0; i < 4; ++i) md += "```bash\n" + deep + "\n```\n\n";
  md += "```bash\necho $undefined_but_fine\nls `pwd`\n```\n";  // SC2006: legacy backticks
  std::vector<model::Runbook> rbs;
  rbs.push_back(test::parse(md));
  validator::StaticOptions options;
  options.shell = false;
  options.shellcheck_timeout = std::chrono::seconds(1);
  options.jobs = 1;
  auto start = std::chrono::steady_clock::now();
  auto fs = validator::check_static(rbs, options);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(seconds < 3 + 2);  // the phase's deadline is three limits; four hostile snippets cost 4 x 8 s before
  CHECK(hits(fs, "check-failed").size() == 4);
  CHECK(hits(fs, "shellcheck") == std::vector<std::string>{"shellcheck@21"});
}

// s11b review B4: DEL, C1 and bidi controls in a finding become character references in JUnit.
TEST_CASE("junit writes DEL, C1 and bidi controls as character references (s11b B4)", "[validator][report]") {
  validator::Finding f{"broken-link", model::Severity::error, "r\xe2\x80\xae.md", 3, 1, "link \x7f to \xc2\x85x", "", {}, {}};
  std::string xml = validator::write_junit({f}, static_context({"r\xe2\x80\xae.md"}, 1));
  CHECK(xml.find("r&#x202E;.md") != std::string::npos);
  CHECK(xml.find("link &#x7F; to &#x85;x") != std::string::npos);
  // s11d review B6: U+FFFE and U+FFFF are no XML characters: written as U+FFFD.
  validator::Finding g{"broken-link", model::Severity::error, "r.md", 3, 1, "link to missing\xef\xbf\xbe\xef\xbf\xbf.md", "", {}, {}};
  xml = validator::write_junit({g}, static_context({"r.md"}, 1));
  CHECK(xml.find("missing\xef\xbf\xbd\xef\xbf\xbd.md") != std::string::npos);
  CHECK(xml.find("\xef\xbf\xbe") == std::string::npos);
}
