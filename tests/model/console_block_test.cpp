// Ruby console input without prompts: console statements against recipes, configuration and
// program files, the split into statements, and inline console calls.
#include <catch2/catch.hpp>

#include "model/block_kind.hpp"
#include "model/console_block.hpp"
#include "model/safety.hpp"

using namespace opsbook::model;

namespace {

std::vector<std::pair<int, int>> spans(const std::vector<Command>& commands) {
  std::vector<std::pair<int, int>> out;
  for (const auto& c : commands) out.emplace_back(c.line, c.end_line);
  return out;
}

}  // namespace

TEST_CASE("console: ActiveRecord statements in a ruby fence are console input by their shape", "[model][console]") {
  std::string_view code =
      "user = User.find_by_username('admin')\n"
      "token_digest = Gitlab::CryptoHelper.sha256 'PLAIN'\n"
      "PersonalAccessToken.create!(name: 'x', user: user)\n";
  CHECK(reads_as_ruby_console(code, {}));
  BlockReading r = read_block("ruby", code, 10);
  REQUIRE(r.commands.size() == 3);
  CHECK(spans(r.commands) == std::vector<std::pair<int, int>>{{10, 10}, {11, 11}, {12, 12}});
  CHECK(r.commands[2].lang == CommandLang::ruby);
  CHECK(r.commands[0].text == "user = User.find_by_username('admin')");
}

TEST_CASE("console: recipes, configuration and program files are not console input", "[model][console]") {
  for (std::string_view code : {"template '/etc/gitlab/gitlab.rb' do\n  mode '0600'\nend\n", "node['openssh']['sshd']['port']\n",
                                "git_data_dirs({\n  \"default\" => { \"path\" => \"/var/opt\" }\n})\n",
                                "#!/usr/bin/env ruby\nkeys = Redis.new.keys('x')\n", "expect(\n  x\n).to eq(1)\n",
                                "def reindex(repo)\n  Package.find(repo)\nend\n", "run_list *%w[\n  recipe[redisio]\n]\n"}) {
    INFO(code);
    CHECK_FALSE(reads_as_ruby_console(code, {}));
    CHECK(read_block("ruby", code, 1).commands.empty());
  }
  // The text around names a file to write: its content, even with console-shaped lines.
  std::string_view subscribe = "ActiveSupport::Notifications.subscribe('sql.active_record') do |*args|\n  Rails.logger.info(args)\nend\n";
  CHECK(reads_as_ruby_console(subscribe, {}));
  CHECK_FALSE(reads_as_ruby_console(subscribe, BlockContext{"add similar code to `config/initializers/log_query.rb`:", ""}));
}

TEST_CASE("console: a console named around the block admits a helper and plain assignments", "[model][console]") {
  std::string_view helper = "def reindex(repo)\n  Package.find(repo)\nend\nreindex('x')\n";
  CHECK(reads_as_ruby_console(helper, BlockContext{"Once the rails console has loaded, copy in this helper:", ""}));
  // Messages pasted in an untagged block under "rails console" are not statements.
  BlockReading log = read_block("", "Sending upload command to https://x\nUpload status active\n", 5, BlockContext{"In the rails console:", ""});
  CHECK(log.commands.empty());
  BlockReading untagged = read_block("", "project = Project.find_by_full_path('a/b')\nproject.repository_storage\n", 5,
                                     BlockContext{"From the rails console (`sudo gitlab-rails console`):", ""});
  CHECK(spans(untagged.commands) == std::vector<std::pair<int, int>>{{5, 5}, {6, 6}});
  // Without a console named, an untagged block of Ruby is left alone.
  CHECK(read_block("", "project = Project.find_by_full_path('a/b')\n", 5).commands.empty());
}

TEST_CASE("console: statements span their blocks, brackets and chains, and output is skipped", "[model][console]") {
  std::string_view code =
      "ds = Sidekiq::DeadSet.new\n"
      "ds.each do |entry|\n"
      "  job = JSON.parse(entry.value)\n"
      "  puts job['jid'] if job['class'] == 'X'\n"
      "end\n"
      "=> nil\n"
      "Order.where(state: 'cart')\n"
      "  .in_batches(of: 1000)\n"
      "  .delete_all\n"
      "x = { a: 1,\n"
      "      b: 2 }\n"
      "> u.path  # the prompt an author kept\n";
  std::vector<Command> c = ruby_statements(code, 1);
  CHECK(spans(c) == std::vector<std::pair<int, int>>{{1, 1}, {2, 5}, {7, 9}, {10, 11}, {12, 12}});
  CHECK(c[4].text == "u.path  # the prompt an author kept");
  // One `end` too many closes what came before instead of standing alone.
  CHECK(spans(ruby_statements("q.each do |j|\n  j.delete\nend\nend\n", 1)) == std::vector<std::pair<int, int>>{{1, 4}});
}

TEST_CASE("console: GitLab's Rails console prompt", "[model][console][prompts]") {
  BlockReading r = read_block("ruby", "[ gstg ] production> project = Project.find(1)\n=> #<Project id:1>\n[ gstg ] production> project.disk_path\n", 1);
  CHECK(spans(r.commands) == std::vector<std::pair<int, int>>{{1, 1}, {3, 3}});
  CHECK(r.commands[1].text == "project.disk_path");
  CHECK(r.commands[1].lang == CommandLang::ruby);
}

TEST_CASE("console: inline console calls", "[model][console][inline]") {
  for (std::string_view span : {"Rails.cache.clear", "Project.find(42).destroy", "Feature.enable(:x)", "User.find_by!(username: 'x')"}) {
    INFO(span);
    CHECK(is_ruby_console_call(span));
  }
  for (std::string_view span : {"README.md", "Gemfile.lock", "Project.find", "Rails", "Chart.yaml", "Gitlab::Redis", "GitLab.com/foo.bar"}) {
    INFO(span);
    CHECK_FALSE(is_ruby_console_call(span));
  }
}

TEST_CASE("console: calls that clear, switch or block change data", "[model][console][safety]") {
  CHECK(classify_command("Rails.cache.clear", CommandLang::ruby).level == Safety::destructive);
  CHECK(classify_command("Sidekiq::Queue.new('x').clear", CommandLang::ruby).level == Safety::destructive);
  CHECK(classify_command("Flipper.disable(:new_checkout)", CommandLang::ruby).level == Safety::mutating);
  CHECK(classify_command("Flipper.enable_percentage_of_actors(:x, 10)", CommandLang::ruby).level == Safety::mutating);
  CHECK(classify_command("project.owner.block!", CommandLang::ruby).level == Safety::mutating);
  CHECK(classify_command("Flipper[:x].enabled?", CommandLang::ruby).level == Safety::read_only);
}

TEST_CASE("safety: crictl reads and runs in containers, and a chef-client dry run reads", "[model][safety]") {
  CHECK(classify_command("crictl ps | grep websockets", CommandLang::shell).level == Safety::read_only);
  CHECK(classify_command("crictl exec -it 7aa3c4ad2775c rm -rf /data", CommandLang::shell).level == Safety::destructive);
  CHECK(classify_command("knife ssh 'name:web-01' 'sudo chef-client --why-run'", CommandLang::shell).level == Safety::read_only);
  CHECK(classify_command("knife ssh 'name:web-01' 'sudo chef-client'", CommandLang::shell).level == Safety::mutating);
}
