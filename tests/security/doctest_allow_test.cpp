// Promise: "a doc-test runs only when every command in it is on the doc-test allow list, so a pull
// request's run=auto cannot make a live check change anything" (README "Doc-tests",
// docs/SECURITY.md, docs/safety.md#doc-tests). The classifier is a deny list: each tool below was
// once rated read-only while it writes, runs a program or never ends through an option.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>

#include "model/process.hpp"
#include "red_team.hpp"

using namespace opsbook;
namespace fs = std::filesystem;

namespace {

// Stand-ins on PATH for tools this machine may lack: any call leaves a mark, so "not run" is
// proved whatever the tool would have done.
const std::vector<std::string> k_faked = {"helm", "consul", "pgbench", "mysqldump", "sops", "terraform", "openssl", "info",
                                          "man", "tmux", "screen", "rpk", "etcdctl", "promtool"};

// name -> command; `d` is the folder the marks go to (and the doc-tests' working folder).
std::vector<std::pair<std::string, std::string>> attacks(const std::string& d, const std::string& nginx) {
  std::string url = "http://127.0.0.1:" + nginx + "/";
  return {
      {"helm-post-renderer", "helm template x ./chart --post-renderer ./x.sh"},
      {"helm-output-dir", "helm template x ./chart --output-dir " + d + "/helm-out"},
      {"consul-watch", "consul watch -type=key -key=x ./x.sh"},
      {"pgbench", "pgbench -c 1 -t 1 db"},
      {"mysqldump", "mysqldump --delete-master-logs db"},
      {"mysqldump-F", "mysqldump -F db"},
      {"sops", "sops -i -d secrets.yaml"},
      {"terraform-fmt", "terraform fmt"},
      {"terraform-lock", "terraform providers lock"},
      {"openssl-ca", "openssl ca -batch -in x.csr"},
      {"openssl-serial", "openssl x509 -req -in x.csr -CA ca.pem -CAcreateserial"},
      {"info", "info -o " + d + "/info-out ls"},
      {"man", "man -H ls"},
      {"tmux", "tmux display -p '#(touch " + d + "/tmux-out)'"},
      {"screen", "screen -X quit"},
      {"rpk", "rpk topic consume t -g grp"},
      {"etcdctl", "etcdctl check perf"},
      {"promtool", "promtool push metrics " + url},
      // Real tools, real writes.
      {"wget-e", "wget -q -e output_document=" + d + "/wget-e " + url},
      {"wget-o", "wget -q -o " + d + "/wget-o -O /dev/null " + url},
      {"curl-o", "curl -sS -o " + d + "/curl-o " + url},
      {"curl-D", "curl -sS -D " + d + "/curl-D -o /dev/null " + url},
      {"sort-o", "sort -o " + d + "/sort-o /etc/hostname"},
      {"uniq", "uniq /etc/hostname " + d + "/uniq"},
      {"redirect", "curl -s " + url + " > " + d + "/redirect"},
      {"glob", "sort * /etc/hostname"},  // the folder holds a file named -oglob: sort writes ./glob
      {"subst", "sort \"$(echo -o" + d + "/subst)\" /etc/hostname"},
      {"for", "for o in -o" + d + "/for; do sort $o /etc/hostname; done"},
      {"default", "sort \"${UNSET:--o" + d + "/default}\" /etc/hostname"},
      {"test-v", "[ -v 'a[$(touch " + d + "/test-v)]' ]"},
      {"background", "curl -s " + url + " -o /dev/null & touch " + d + "/background"},
  };
}

std::vector<std::string> marks(const fs::path& d) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(d)) {
    std::string name = e.path().filename().string();
    if (name != "bin" && name != "-oglob" && name != "rb.md" && name != "opsbook.yaml" && name != ".opsbook") out.push_back(name);  // .opsbook: the check history
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("promise: only allow-listed doc-tests run -- tools that write or run through an option never run under check --live", "[security][doctest]") {
  std::string nginx = test::stack().at("STACK_NGINX_PORT");
  test::TempDir proof, dir;
  for (const auto* base : {&proof, &dir}) {
    fs::create_directories(base->path() / "bin");
    for (const auto& tool : k_faked) {
      test::write_file(base->path() / "bin" / tool, "#!/bin/sh\ntouch '" + (base->path() / ("called-" + tool)).string() + "-'$$\n");
      fs::permissions(base->path() / "bin" / tool, fs::perms::owner_all);
    }
    test::write_file(base->path() / "-oglob", "");
  }
  std::string path = std::getenv("PATH");
  // Each attack, run by bash in a scratch folder, leaves a mark: the test would see it.
  for (const auto& [name, cmd] : attacks(proof.path().string(), nginx)) {
    INFO("the attack must leave a mark when run: " << cmd);
    std::vector<std::string> before = marks(proof.path());
    model::run_process({"bash", "-c", "cd '" + proof.path().string() + "' && PATH='" + (proof.path() / "bin").string() + ":" + path + "' && " + cmd + "; wait"}, "",
                       std::chrono::seconds(10));
    CHECK(marks(proof.path()).size() > before.size());
  }
  std::string d = dir.path().string();
  std::string rb = "# T\n\n";
  for (const auto& [name, cmd] : attacks(d, nginx)) rb += "```bash {name=" + name + " run=auto expect-exit=0 cwd=" + d + "}\n" + cmd + "\n```\n\n";
  rb += "```bash {name=read run=auto expect-stdout=ok cwd=" + d + "}\ncurl -sS -o /dev/null http://127.0.0.1:" + nginx + "/ && echo ok\n```\n";
  ::setenv("PATH", ((dir.path() / "bin").string() + ":" + path).c_str(), 1);
  auto c = test::check_live(dir, test::stack_config("OPSBOOK_PG_DSN"), rb);
  ::setenv("PATH", path.c_str(), 1);
  std::vector<std::string> ran;
  for (const auto& r : c.report["results"]) {
    if (r["kind"] == "doctest" && r["outcome"] != "skipped") ran.push_back(r["snippet"].get<std::string>() + ":" + r["outcome"].get<std::string>());
  }
  CHECK(ran == std::vector<std::string>{"read:pass"});
  INFO(c.report["results"].dump());
  CHECK(marks(dir.path()) == std::vector<std::string>{});
  // The skip says where, what and the way forward: the classifier reads `sort *` as the option
  // it may become (s11a review B6; before, only the allow list stopped it).
  std::string line = std::to_string(std::count(rb.begin(), rb.begin() + static_cast<long>(rb.find("\nsort * ")), '\n') + 2);
  bool told = false;
  for (const auto& r : c.report["results"]) {
    if (r["snippet"] == "glob") {
      told = r["detail"] == "mutating (line " + line + " `sort * /etc/hostname`: sort *: * may become any words or options when it runs (an expansion or a pattern "
                                 "opsbook cannot read), and sort writes the sorted text to a file (sort -o /etc/hosts.sorted /etc/hosts)): a live check runs only "
                                 "read-only doc-tests (run it with opsbook run)";
    }
  }
  CHECK(told);
}
