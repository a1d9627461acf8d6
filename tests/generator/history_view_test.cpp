// The portal reads the check history when there is one: each runbook's badge says when its live
// checks last all passed and where, "stale" after a week, its flaky checks; no store, no change.
#include "generator/history_view.hpp"

#include <catch2/catch.hpp>
#include <filesystem>

#include "generator/site.hpp"
#include "history/history.hpp"
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

history::ShardRecord run(const std::string& id, const std::string& at, std::vector<std::pair<std::string, std::string>> outcomes) {
  history::ShardRecord r;
  r.run_id = id;
  r.env = "staging";
  r.started_at = at;
  r.set_fingerprint = "set";
  for (const auto& [file, outcome] : outcomes) r.results.push_back({file, 4, "http", "", "http://127.0.0.1:8080/healthz", "status 2xx", outcome, "", 1.0});
  return r;
}

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
  auto view = generator::load_history_view(config, std::time(nullptr));
  CHECK_FALSE(view.loaded);
  CHECK_FALSE(fs::exists(dir.path() / ".opsbook"));
}
