// The portal reads the check history when there is one: each runbook's badge says when its live
// checks last all passed and where, "stale" after a week, its flaky checks; no store, no change.
#include "generator/history_view.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>

#include "generator/site.hpp"
#include "history/history.hpp"
#include "model/check_digest.hpp"
#include "model/loader.hpp"
#include "support.hpp"

using namespace opsbook;
namespace fs = std::filesystem;

namespace {

std::string iso(std::time_t t) {
  char out[32];
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return out;
}

// The digest the checker gives a check of runbook `file` (model/check_digest): of snippet `what`,
// of the endpoint with URL `what` outside snippets, of the port row of service `what`, or ("") of
// its first snippet.
std::string digest(const std::string& file, const std::string& what = "") {
  model::Runbook rb = test::parse(test::read_file(file), file);
  if (what.empty() && !rb.snippets.empty()) return model::check_digest(rb.snippets[0]);
  if (const model::Snippet* s = rb.find_snippet(what)) return model::check_digest(*s);
  for (const auto& ep : rb.endpoints) {
    if (ep.url == what && ep.snippet.empty()) return model::check_digest(ep);
  }
  for (const auto& port : rb.ports) {
    if (port.service == what) return model::check_digest(port);
  }
  FAIL("no check of " + what + " in " + file);
  return "";
}

history::ShardRecord run(const std::string& id, const std::string& at, std::vector<std::pair<std::string, std::string>> outcomes) {
  history::ShardRecord r;
  r.run_id = id;
  r.env = "staging";
  r.started_at = at;
  r.set_fingerprint = "set";
  for (const auto& [file, outcome] : outcomes) {
    r.results.push_back({file, 4, "http", "", "http://127.0.0.1:8080/healthz", "status 2xx", outcome, "", 1.0, digest(file)});
  }
  return r;
}

// The portal of the runbooks in `content`, built into `site` as often as asked.
struct Portal {
  std::vector<model::SourceFile> files;
  generator::BuildOptions options;
  std::string diags;
  Portal(const fs::path& content, const fs::path& site) {
    model::Diagnostics top;
    files = model::collect_sources({content.string()}, top);
    options.output = site.string();
  }
  void build(const model::Config& config) {
    diags.clear();
    generator::build_site(config, files, options, diags);
  }
};

}  // namespace

TEST_CASE("portal history: verified, stale and flaky badges and the page's history line", "[generator][history]") {
  test::TempDir dir;
  fs::path content = dir.path() / "content";
  for (const char* name : {"good", "flaky", "old", "none"}) {
    test::write_file(content / (std::string(name) + ".md"), "# " + std::string(name) + "\n\n```bash\ncurl -fsS http://127.0.0.1:8080/healthz\n```\n");
  }
  auto path = [&](const char* name) { return (content / (std::string(name) + ".md")).string(); };
  std::time_t now = std::time(nullptr);
  std::string old_at = iso(now - 10 * 24 * 3600), hour_ago = iso(now - 3600), half_hour_ago = iso(now - 1800);
  {
    auto store = history::open_sqlite((dir.path() / ".opsbook" / "history.sqlite").string());
    store->record(run("r1", old_at, {{path("old"), "pass"}, {path("flaky"), "pass"}}));
    store->record(run("r2", hour_ago, {{path("good"), "pass"}, {path("flaky"), "fail"}}));
    store->record(run("r3", half_hour_ago, {{path("good"), "pass"}, {path("flaky"), "pass"}}));
  }
  model::Config config;
  config.dir = dir.path().string();
  config.environments.emplace_back().name = "staging";  // runs on other environments never count
  model::Diagnostics top;
  auto files = model::collect_sources({content.string()}, top);
  generator::BuildOptions options;
  options.output = (dir.path() / "site").string();
  std::string diags;
  generator::build_site(config, files, options, diags);

  std::string good = test::read_file(options.output + "/runbooks/good.html");
  CHECK(good.find("status-verified\">verified on staging at " + half_hour_ago + "</span>") != std::string::npos);
  CHECK(good.find("Check history: 1 live check in 2 runs, last run " + half_hour_ago + "; all passed last on staging at " + half_hour_ago + ".") !=
        std::string::npos);
  std::string flaky = test::read_file(options.output + "/runbooks/flaky.html");
  CHECK(flaky.find("verified on staging at " + half_hour_ago + "; 1 flaky check</span>") != std::string::npos);
  CHECK(flaky.find("Flaky (both outcomes): line 4 http http://127.0.0.1:8080/healthz (passed 2 of 3).") != std::string::npos);
  std::string old = test::read_file(options.output + "/runbooks/old.html");
  CHECK(old.find("status-stale\">stale: last verified on staging at " + old_at + "</span>") != std::string::npos);
  std::string none = test::read_file(options.output + "/runbooks/none.html");
  CHECK(none.find("status-never\">never verified</span>") != std::string::npos);
  CHECK(none.find("Check history:") == std::string::npos);
  std::string index = test::read_file(options.output + "/index.html");
  CHECK(index.find("stale: last verified on staging at " + old_at) != std::string::npos);

  // A newer run that fails the good runbook: the next build says so, and the check is flaky now.
  {
    auto store = history::open_sqlite((dir.path() / ".opsbook" / "history.sqlite").string());
    store->record(run("r4", iso(now - 60), {{path("good"), "fail"}}));
  }
  generator::build_site(config, files, options, diags);
  good = test::read_file(options.output + "/runbooks/good.html");
  CHECK(good.find("status-failing\">failing on staging at " + iso(now - 60) + "; last verified at " + half_hour_ago + "; 1 flaky check</span>") != std::string::npos);
}

TEST_CASE("portal history: no store is no history and creates none", "[generator][history]") {
  test::TempDir dir;
  model::Config config;
  config.dir = dir.path().string();
  config.environments.emplace_back().name = "staging";  // runs on other environments never count
  auto view = generator::load_history_view(config, std::time(nullptr));
  CHECK_FALSE(view.loaded);
  CHECK_FALSE(fs::exists(dir.path() / ".opsbook"));
}

TEST_CASE("portal history: beside each snippet and per check, its own history: stale_after: by staleness", "[generator][history]") {
  test::TempDir dir;
  fs::path content = dir.path() / "content";
  test::write_file(content / "db.md",
                   "# DB\n\n```bash {name=health}\ncurl -fsS http://127.0.0.1:8080/healthz\n```\n\n```bash {name=ready}\ncurl -fsS http://127.0.0.1:8080/ready\n```\n\n"
                   "```bash {name=never}\ncurl -fsS http://127.0.0.1:8080/never\n```\n");
  test::write_file(content / "web.md", "# Web\n\n```bash {name=up}\ncurl -fsS http://127.0.0.1:8080/up\n```\n");
  test::write_file(content / "plain.md", "# Plain\n\nNothing to probe.\n");
  std::string db = (content / "db.md").string(), web = (content / "web.md").string();
  std::time_t now = std::time(nullptr);
  std::string three_h = iso(now - 3 * 3600), two_h = iso(now - 2 * 3600), one_h = iso(now - 3600), five_d = iso(now - 5 * 24 * 3600);
  auto check = [](const std::string& file, int line, const std::string& snippet, const std::string& url, const std::string& outcome) {
    return history::CheckRow{file, line, "http", snippet, url, "status 2xx", outcome, "", 1.0, digest(file, snippet)};
  };
  {
    auto store = history::open_sqlite((dir.path() / ".opsbook" / "history.sqlite").string());
    history::ShardRecord r = run("w1", five_d, {});
    r.results = {check(web, 4, "up", "http://127.0.0.1:8080/up", "pass")};
    store->record(r);
    r = run("r1", three_h, {});
    r.results = {check(db, 4, "health", "http://127.0.0.1:8080/healthz", "pass"), check(db, 8, "ready", "http://127.0.0.1:8080/ready", "pass"),
                 check(db, 12, "never", "http://127.0.0.1:8080/never", "fail")};
    store->record(r);
    r = run("r2", two_h, {});
    r.results = {check(db, 4, "health", "http://127.0.0.1:8080/healthz", "pass"), check(db, 8, "ready", "http://127.0.0.1:8080/ready", "fail"),
                 check(db, 12, "never", "http://127.0.0.1:8080/never", "fail")};
    store->record(r);
    r = run("r3", one_h, {});
    r.results = {check(db, 4, "health", "http://127.0.0.1:8080/healthz", "pass"), check(db, 8, "ready", "http://127.0.0.1:8080/ready", "pass"),
                 check(db, 12, "never", "http://127.0.0.1:8080/never", "fail")};
    store->record(r);
  }
  model::Config config;
  config.dir = dir.path().string();
  config.environments.emplace_back().name = "staging";  // runs on other environments never count
  config.history.stale_after = std::chrono::hours(4 * 24);  // web's last pass, 5 days ago, is stale; db's are not
  Portal portal(content, dir.path() / "site");
  portal.build(config);
  const std::string& site = portal.options.output;

  std::string page = test::read_file(site + "/runbooks/db.html");
  auto at = [](const std::string& t) { return "<time class=\"history-age\" datetime=\"" + t + "\">at " + t + "</time>"; };
  auto beside = [&](const std::string& id) {  // the snippet's bar: from its name to its copy button
    size_t from = page.find("data-snippet=\"" + id + "\"");
    REQUIRE(from != std::string::npos);
    return page.substr(from, page.find("class=\"copy\"", from) - from);
  };
  CHECK(beside("health").find("<span class=\"snippet-history status-verified\">history: verified on staging " + at(one_h) + "; passed 3 of 3 (100%)</span>") !=
        std::string::npos);
  CHECK(beside("ready").find("<span class=\"snippet-history status-verified\">history: verified on staging " + at(one_h) + "; passed 2 of 3 (67%); flaky</span>") !=
        std::string::npos);
  CHECK(beside("never").find("<span class=\"snippet-history status-failing\">history: failed in its last run; not verified in the last 20 live runs; passed 0 of 3 (0%)</span>") !=
        std::string::npos);
  CHECK(page.find("<li class=\"status-verified\"><code>line 8</code> http http://127.0.0.1:8080/ready #ready: verified on staging " + at(one_h) +
                  "; passed 2 of 3 (67%); flaky</li>") != std::string::npos);
  std::string web_page = test::read_file(site + "/runbooks/web.html");
  CHECK(web_page.find("<span class=\"snippet-history status-stale\">history: stale: last verified on staging " + at(five_d) + "; passed 1 of 1 (100%)</span>") !=
        std::string::npos);
  CHECK(web_page.find("status-stale\">stale: last verified on staging at " + five_d + "</span>") != std::string::npos);

  // The index links the list by staleness: not verified in the runs looked at first (db: a check
  // failed in each run), then stale (web), then the runbooks without live checks.
  std::string index = test::read_file(site + "/index.html");
  CHECK(index.find("<a href=\"lists/stale.html\">By staleness</a>") != std::string::npos);
  std::string by_staleness = test::read_file(site + "/lists/stale.html");
  size_t never_at = by_staleness.find("Not verified in the last 20 live runs"), db_at = by_staleness.find(">DB</a>");
  size_t stale_at = by_staleness.find("Stale (not verified within stale_after)"), web_at = by_staleness.find(">Web</a>");
  size_t none_at = by_staleness.find("No live checks recorded"), plain_at = by_staleness.find(">Plain</a>");
  CHECK(never_at < db_at);
  CHECK(db_at < stale_at);
  CHECK(stale_at < web_at);
  CHECK(web_at < none_at);
  CHECK(none_at < plain_at);
  CHECK(plain_at != std::string::npos);

  // stale_after of a day more: web is verified now, and the pages say so.
  config.history.stale_after = std::chrono::hours(6 * 24);
  portal.build(config);
  web_page = test::read_file(site + "/runbooks/web.html");
  CHECK(web_page.find("<span class=\"snippet-history status-verified\">history: verified on staging " + at(five_d)) != std::string::npos);
}

TEST_CASE("portal history: dsn_env naming an unset variable is a warning with its line, once per build", "[generator][history]") {
  test::TempDir dir;
  test::write_file(dir.path() / "content" / "a.md", "# A\n");
  std::string path = (dir.path() / "opsbook.yaml").string();
  test::write_file(path, "site: {title: x}\nhistory:\n  dsn_env: OPSBOOK_TEST_UNSET_HISTORY_DSN\n");
  ::unsetenv("OPSBOOK_TEST_UNSET_HISTORY_DSN");
  Portal portal(dir.path() / "content", dir.path() / "site");
  portal.build(model::load_config(path, true));
  CHECK(portal.diags == path +
                     ":3: warning: history: dsn_env names OPSBOOK_TEST_UNSET_HISTORY_DSN, which is not set: no check history is shown (set "
                     "OPSBOOK_TEST_UNSET_HISTORY_DSN to the PostgreSQL DSN of the check history, or remove dsn_env to keep the history in "
                     ".opsbook/history.sqlite)\n");
}

TEST_CASE("portal history: each endpoint and port row ends with its own checks' history, found by URL after an edit", "[generator][history]") {
  test::TempDir dir;
  fs::path content = dir.path() / "content";
  const std::string table = "| Service | Endpoint | Expected |\n|---|---|---|\n| api | http://127.0.0.1:8080/healthz | 200 |\n| web | http://127.0.0.1:8080/ready | 200 |\n";
  const std::string ports = "## Ports\n\n| Service | Port |\n|---|---|\n| postgres | 5432 |\n";
  test::write_file(content / "svc.md", "# Svc\n\n## Health\n\n" + table + "\n" + ports);  // rows on lines 7 and 8, the port on 14
  std::string svc = (content / "svc.md").string();
  std::time_t now = std::time(nullptr);
  std::string two_h = iso(now - 2 * 3600), one_h = iso(now - 3600);
  auto check = [&](int line, const std::string& kind, const std::string& target, const std::string& outcome) {
    std::string of = kind == "tcp" ? "postgres" : target;
    return history::CheckRow{svc, line, kind, "", target, kind == "tcp" ? "connect" : "status 200", outcome, "", 1.0, digest(svc, of)};
  };
  {
    auto store = history::open_sqlite((dir.path() / ".opsbook" / "history.sqlite").string());
    history::ShardRecord r = run("r1", two_h, {});
    r.results = {check(7, "http", "http://127.0.0.1:8080/healthz", "pass"), check(8, "http", "http://127.0.0.1:8080/ready", "fail"),
                 check(14, "tcp", "postgres:5432", "pass")};
    store->record(r);
    r = run("r2", one_h, {});
    r.results = {check(7, "http", "http://127.0.0.1:8080/healthz", "pass"), check(8, "http", "http://127.0.0.1:8080/ready", "pass"),
                 check(14, "tcp", "postgres:5432", "fail")};
    store->record(r);
  }
  model::Config config;
  config.dir = dir.path().string();
  config.environments.emplace_back().name = "staging";  // runs on other environments never count
  Portal portal(content, dir.path() / "site");
  portal.build(config);
  auto at = [](const std::string& t) { return "<time class=\"history-age\" datetime=\"" + t + "\">at " + t + "</time>"; };
  auto row_of = [&](const std::string& text) {  // the table row that holds `text` (the page shows URLs elsewhere too)
    std::string page = test::read_file(portal.options.output + "/runbooks/svc.html");
    size_t hit = page.find(text, page.find("<table"));
    REQUIRE(hit != std::string::npos);
    size_t from = page.rfind("<tr>", hit), to = page.find("</tr>", hit);
    return page.substr(from, to - from);
  };
  CHECK(row_of("/healthz") == "<tr>\n<td>api</td>\n<td><a href=\"http://127.0.0.1:8080/healthz\">http://127.0.0.1:8080/healthz</a></td>\n<td>200 "
                              "<span class=\"row-history status-verified\">history: verified on staging " + at(one_h) + "; passed 2 of 2 (100%)</span></td>\n");
  CHECK(row_of("/ready").find("<td>200 <span class=\"row-history status-verified\">history: verified on staging " + at(one_h) + "; passed 1 of 2 (50%); flaky</span></td>") !=
        std::string::npos);
  CHECK(row_of("<td>postgres</td>").find("<td>5432 <span class=\"row-history status-failing\">history: failed in its last run; verified on staging " + at(two_h) +
                                          "; passed 1 of 2 (50%); flaky</span></td>") != std::string::npos);

  // Two lines added above the table, /ready replaced by /live, and a forged marker in the text:
  // /healthz keeps its history (found by its digest wherever its row went), /live has none, the
  // port row (now line 18) keeps its own (the same service and port), the forged markers are text
  // or dropped.
  test::write_file(content / "svc.md", "# Svc\n\nAdded.\n\n## Health\n\n" +
                                           std::string(table).replace(table.find("/ready"), 6, "/live") + "\n`<!--opsbook-row:9-->` <!--opsbook-row:9-->\n\n" + ports);
  portal.build(config);
  CHECK(row_of("/healthz").find("<td>200 <span class=\"row-history status-verified\">history: verified on staging " + at(one_h) + "; passed 2 of 2 (100%)</span></td>") !=
        std::string::npos);
  CHECK(row_of("/live").find("row-history") == std::string::npos);
  CHECK(row_of("<td>postgres</td>").find("<td>5432 <span class=\"row-history status-failing\">history: failed in its last run") != std::string::npos);
  std::string page = test::read_file(portal.options.output + "/runbooks/svc.html");
  CHECK(page.find("<code>&lt;!--opsbook-row:9--&gt;</code>") != std::string::npos);
  size_t rows = 0;
  for (size_t at_pos = page.find("row-history"); at_pos != std::string::npos; at_pos = page.find("row-history", at_pos + 1)) ++rows;
  CHECK(rows == 2);
}
