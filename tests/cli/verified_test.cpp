// The s11b review's B3 with the real binary: `check --live --record`, then `build` after the
// runbook changed. A "verified" badge (kept report and SQLite history alike) goes to the text that
// was checked, never to whatever block now holds its id; the reports and merge carry the digest.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "support.hpp"

using namespace opsbook;
using test::run_opsbook;
namespace fs = std::filesystem;

namespace {

struct Project {
  test::TempDir dir;
  int port = 0;
  int listening = test::listen_on_loopback(port);
  std::string nc;
  Project() {
    nc = "nc -z 127.0.0.1 " + std::to_string(port);
    test::write_file(dir.path() / "opsbook.yaml", "default_env: local\nenvironments:\n  local:\n    allow_hosts: [127.0.0.1]\n");
  }
  ~Project() { ::close(listening); }
  void write(const std::string& heading, const std::vector<std::string>& blocks) const {
    std::string text = "# S\n\n## " + heading + "\n\n";
    for (const auto& b : blocks) text += "```bash\n" + b + "\n```\n\n";
    test::write_file(dir.path() / "content/s.md", text);
  }
  test::RunResult run(const std::vector<std::string>& args) const { return run_opsbook(args, dir.path().string()); }
  std::string build() const {
    auto r = run({"build", "-o", "site", "content"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return test::read_file((dir.path() / "site/runbooks/s.html").string());
  }
};

std::string beside(const std::string& page, const std::string& id) {
  size_t from = page.find("data-snippet=\"" + id + "\"");
  REQUIRE(from != std::string::npos);
  return page.substr(from, page.find("class=\"copy\"", from) - from);
}

}  // namespace

TEST_CASE("check --live --record, then build after an edit: verified goes to the checked text only (s11b review B3)", "[cli][report][history][security]") {
  Project p;
  p.write("Svc", {p.nc});
  auto check = p.run({"check", "--live", "--no-shell", "--retries", "0", "--record", "content"});
  INFO(check.err);
  REQUIRE(check.exit_code == 0);
  // The kept report carries the digest of what each result checked.
  auto kept = nlohmann::json::parse(test::read_file((p.dir.path() / ".opsbook/last-check-local.json").string()));
  REQUIRE(kept["results"].size() == 1);
  std::string digest = kept["results"][0]["digest"];
  CHECK(digest.size() == 32);

  std::string page = p.build();
  CHECK(beside(page, "svc-1").find("<span class=\"badge status-verified\">verified</span>") != std::string::npos);
  CHECK(beside(page, "svc-1").find("history: verified on local") != std::string::npos);
  CHECK(page.find("verified live on local at ") != std::string::npos);

  // The reviewer's reproducer: a destructive block inserted above takes the id svc-1.
  p.write("Svc", {"kubectl delete namespace prod --wait=false", p.nc});
  page = p.build();
  CHECK(beside(page, "svc-1").find("verified") == std::string::npos);
  CHECK(beside(page, "svc-1").find("history:") == std::string::npos);
  CHECK(beside(page, "svc-2").find("<span class=\"badge status-verified\">verified</span>") != std::string::npos);
  CHECK(beside(page, "svc-2").find("history: verified on local") != std::string::npos);

  // Rewritten in place: neither the report nor the history verifies it, and the page says so.
  p.write("Svc", {"curl -X DELETE http://127.0.0.1:" + std::to_string(p.port) + "/data; rm -rf /srv/data"});
  page = p.build();
  CHECK(beside(page, "svc-1").find("status-verified") == std::string::npos);
  CHECK(beside(page, "svc-1").find("<span class=\"badge status-changed\">changed since verified on local at ") != std::string::npos);
  CHECK(beside(page, "svc-1").find("history: changed since verified on local") != std::string::npos);
  CHECK(page.find("verified live") == std::string::npos);
  CHECK(page.find("status-changed\">changed since verified on local at ") != std::string::npos);
  auto list = p.run({"run", "content/s.md", "--list", "--report", ".opsbook/last-check-local.json"});
  CHECK(list.out.find("[changed since verified on local at ") != std::string::npos);

  // Renamed by its heading, the same text: verified again.
  p.write("Service", {p.nc});
  page = p.build();
  CHECK(beside(page, "service-1").find("<span class=\"badge status-verified\">verified</span>") != std::string::npos);
  CHECK(beside(page, "service-1").find("history: verified on local") != std::string::npos);

  // report merge keeps the digest; a report without digests badges nothing, with one note.
  auto merged = p.run({"report", "merge", ".opsbook/last-check-local.json", "--format", "json", "-o", "merged.json"});
  INFO(merged.err);
  CHECK(nlohmann::json::parse(test::read_file((p.dir.path() / "merged.json").string()))["results"][0]["digest"] == digest);
  kept["results"][0].erase("digest");
  test::write_file(p.dir.path() / "old.json", kept.dump());
  auto old = p.run({"build", "-o", "site", "content", "--report", "old.json"});
  CHECK(old.err.find("opsbook: note: old.json: 1 live result without a digest of what was checked (written by an older opsbook): the portal shows no badge "
                     "for them; run 'opsbook check --live' again\n") != std::string::npos);
  CHECK(beside(test::read_file((p.dir.path() / "site/runbooks/s.html").string()), "service-1").find("badge status-verified") == std::string::npos);
}
