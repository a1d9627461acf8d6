// A "verified" badge belongs to the text that was checked (s11b review B3): a live result of the
// report, or a row of the check history, badges the snippet, row or page whose text still has the
// result's digest (model/check_digest), never whatever now holds the snippet's id or the path.
#include "generator/report.hpp"

#include <catch2/catch.hpp>
#include <filesystem>

#include "generator/site.hpp"
#include "history/history.hpp"
#include "model/check_digest.hpp"
#include "model/loader.hpp"
#include "support.hpp"

using namespace opsbook;
namespace fs = std::filesystem;

namespace {

const std::string k_at = "2026-11-23T12:00:00Z";
const std::string k_curl = "curl -fsS http://127.0.0.1:8080/healthz";
const std::string k_kubectl = "kubectl delete namespace prod --wait=false";

std::string runbook(const std::string& heading, const std::vector<std::string>& blocks) {
  std::string text = "# S\n\n## " + heading + "\n\n";
  for (const auto& b : blocks) text += "```bash\n" + b + "\n```\n\n";
  return text;
}

// The digest the checker gives the check of the only snippet of `markdown`.
std::string digest_of(const std::string& markdown) {
  model::Runbook rb = test::parse(markdown);
  REQUIRE(rb.snippets.size() == 1);
  return model::check_digest(rb.snippets[0]);
}

// A live report of one HTTP check of snippet `id` of `file` at line 6.
std::string live_report(const std::string& file, const std::string& id, const std::string& outcome, const std::string& digest) {
  return "{\"version\":1,\"env\":\"local\",\"generated_at\":\"" + k_at + "\",\"live\":true,\"findings\":[],\"results\":[{\"kind\":\"http\",\"file\":\"" + file +
         "\",\"line\":6,\"snippet\":\"" + id + "\",\"target\":\"http://127.0.0.1:8080/healthz\",\"expect\":\"status 2xx\",\"outcome\":\"" + outcome + "\"" +
         (digest.empty() ? "" : ",\"digest\":\"" + digest + "\"") + "}]}";
}

struct Portal {
  test::TempDir dir;
  fs::path content = dir.path() / "content";
  std::string file = (content / "svc.md").string();
  generator::BuildOptions options;
  std::string diags;
  Portal() {
    options.output = (dir.path() / "site").string();
    options.report = (dir.path() / "report.json").string();
  }
  std::string build(const std::string& markdown) {
    test::write_file(file, markdown);
    model::Diagnostics top;
    auto files = model::collect_sources({content.string()}, top);
    model::Config config;
    config.dir = dir.path().string();
    config.environments.emplace_back().name = "local";
    diags.clear();
    generator::build_site(config, files, options, diags);
    return test::read_file(options.output + "/runbooks/svc.html");
  }
};

// The snippet's bar: from its name to its copy button.
std::string beside(const std::string& page, const std::string& id) {
  size_t from = page.find("data-snippet=\"" + id + "\"");
  REQUIRE(from != std::string::npos);
  return page.substr(from, page.find("class=\"copy\"", from) - from);
}

const std::string k_verified = "<span class=\"badge status-verified\">verified</span>";
const std::string k_page_verified = "verified live on local at " + k_at;

}  // namespace

TEST_CASE("a live result badges the text it checked: insert above, rewrite in place, rename by a heading (s11b review B3)", "[generator][report][security]") {
  Portal p;
  std::string checked = runbook("Svc", {k_curl});
  test::write_file(p.dir.path() / "report.json", live_report(p.file, "svc-1", "pass", digest_of(checked)));

  // Unchanged: the snippet and the page are verified.
  std::string page = p.build(checked);
  CHECK(beside(page, "svc-1").find(k_verified) != std::string::npos);
  CHECK(page.find(k_page_verified) != std::string::npos);

  // A destructive block inserted above takes the id svc-1: it is not verified, the curl (svc-2) is.
  page = p.build(runbook("Svc", {k_kubectl, k_curl}));
  CHECK(beside(page, "svc-1").find("status-verified") == std::string::npos);
  CHECK(beside(page, "svc-1").find("changed since") == std::string::npos);  // the checked text moved, it did not change
  CHECK(beside(page, "svc-2").find(k_verified) != std::string::npos);
  CHECK(page.find(k_page_verified) != std::string::npos);  // every check it has was checked as it is

  // Rewritten in place: changed since verified, on the snippet and on the page.
  page = p.build(runbook("Svc", {"curl -X DELETE http://127.0.0.1:8080/data; rm -rf /srv/data"}));
  CHECK(page.find("status-verified") == std::string::npos);
  CHECK(beside(page, "svc-1").find("<span class=\"badge status-changed\">changed since verified on local at " + k_at + "</span>") != std::string::npos);
  CHECK(page.find("status-changed\">changed since verified on local at " + k_at + "</span>") != std::string::npos);
  CHECK(page.find("verified live") == std::string::npos);

  // Another heading renames the id (service-1): the same text keeps its badge.
  page = p.build(runbook("Service", {k_curl}));
  CHECK(beside(page, "service-1").find(k_verified) != std::string::npos);
  CHECK(page.find(k_page_verified) != std::string::npos);

  // A check added beside the checked one: the page is not verified until it is checked too.
  page = p.build(runbook("Svc", {k_curl, "curl -fsS http://127.0.0.1:8080/ready"}));
  CHECK(beside(page, "svc-1").find(k_verified) != std::string::npos);
  CHECK(beside(page, "svc-2").find("status-verified") == std::string::npos);
  CHECK(page.find("status-changed\">1 check added since the check on local at " + k_at + "</span>") != std::string::npos);
  CHECK(page.find("verified live") == std::string::npos);
}

TEST_CASE("a failed result fails only the text it checked, and the index follows the page", "[generator][report]") {
  Portal p;
  std::string checked = runbook("Svc", {k_curl});
  test::write_file(p.dir.path() / "report.json", live_report(p.file, "svc-1", "fail", digest_of(checked)));
  std::string page = p.build(checked);
  CHECK(beside(page, "svc-1").find("<span class=\"badge status-failing\">failing</span>") != std::string::npos);
  CHECK(page.find("status-failing\">failing</span>") != std::string::npos);
  // Fixed since (another URL): neither the snippet nor the page fails, and neither is verified.
  page = p.build(runbook("Svc", {"curl -fsS http://127.0.0.1:8080/livez"}));
  CHECK(page.find("status-failing") == std::string::npos);
  CHECK(page.find("status-verified") == std::string::npos);
  CHECK(beside(page, "svc-1").find("changed since checked on local at " + k_at) != std::string::npos);
  std::string index = test::read_file(p.options.output + "/index.html");
  CHECK(index.find("status-failing") == std::string::npos);
  CHECK(index.find("status-changed") != std::string::npos);
}

TEST_CASE("a report without digests badges nothing, and the build says so once", "[generator][report]") {
  Portal p;
  std::string checked = runbook("Svc", {k_curl});
  test::write_file(p.dir.path() / "report.json", live_report(p.file, "svc-1", "pass", ""));
  std::string page = p.build(checked);
  CHECK(page.find("status-verified") == std::string::npos);
  CHECK(page.find("never verified") != std::string::npos);
  CHECK(p.diags == "opsbook: note: " + p.options.report +
                       ": 1 live result without a digest of what was checked (written by an older opsbook): the portal shows no badge for them; run 'opsbook "
                       "check --live' again\n");
}

TEST_CASE("a past result in the check history badges the text it checked (s11b review B3)", "[generator][history][security]") {
  Portal p;
  p.options.report.clear();
  std::string checked = runbook("Svc", {k_curl});
  std::time_t now = std::time(nullptr);
  char at[32];
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
  {
    auto store = history::open_sqlite((p.dir.path() / ".opsbook" / "history.sqlite").string());
    history::ShardRecord r;
    r.run_id = "r1", r.env = "local", r.started_at = at, r.set_fingerprint = "set";
    r.results.push_back({p.file, 6, "http", "svc-1", "http://127.0.0.1:8080/healthz", "status 2xx", "pass", "status 200", 1.0, digest_of(checked)});
    // A row recorded without a digest (before schema 5) badges nothing.
    r.results.push_back({p.file, 6, "http", "svc-1", "http://127.0.0.1:8080/old", "status 2xx", "pass", "status 200", 1.0});
    store->record(r);
  }
  std::string history = "history: verified on local <time class=\"history-age\" datetime=\"" + std::string(at) + "\">at " + at + "</time>; passed 1 of 1 (100%)";
  std::string page = p.build(checked);
  CHECK(beside(page, "svc-1").find(history) != std::string::npos);
  CHECK(page.find("status-verified\">verified on local at " + std::string(at) + "</span>") != std::string::npos);
  CHECK(page.find("http://127.0.0.1:8080/old") == std::string::npos);

  page = p.build(runbook("Svc", {k_kubectl, k_curl}));
  CHECK(beside(page, "svc-1").find("history:") == std::string::npos);
  CHECK(beside(page, "svc-2").find(history) != std::string::npos);

  page = p.build(runbook("Svc", {"curl -X DELETE http://127.0.0.1:8080/data; rm -rf /srv/data"}));
  CHECK(beside(page, "svc-1").find("history: verified") == std::string::npos);
  CHECK(beside(page, "svc-1").find("status-changed\">history: changed since verified on local <time class=\"history-age\" datetime=\"" + std::string(at)) !=
        std::string::npos);
  CHECK(page.find("status-verified") == std::string::npos);
  CHECK(page.find("never verified") != std::string::npos);
  std::string stale = test::read_file(p.options.output + "/lists/stale.html");
  CHECK(stale.find("No live checks recorded") != std::string::npos);

  page = p.build(runbook("Service", {k_curl}));
  CHECK(beside(page, "service-1").find(history) != std::string::npos);
}
