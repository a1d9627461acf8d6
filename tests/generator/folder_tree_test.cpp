// The folder tree and its chunks: bounded, small subtrees inline, every folder in exactly one chunk.
#include <catch2/catch.hpp>

#include "generator/folder_tree.hpp"

using namespace opsbook;

namespace {

std::vector<generator::Summary> runbooks(const std::vector<std::string>& slugs) {
  std::vector<generator::Summary> out;
  for (const auto& s : slugs) {
    generator::Summary sum;
    sum.slug = s;
    sum.title = s;
    out.push_back(sum);
  }
  return out;
}

const generator::FolderNode* child(const generator::FolderNode& node, const std::string& name) {
  for (const auto& c : node.folders) {
    if (c->name == name) return c.get();
  }
  return nullptr;
}

}  // namespace

TEST_CASE("folder tree: folders from slugs, counted", "[generator][lists]") {
  auto s = runbooks({"a", "ops/b", "ops/db/c", "ops/db/d", "web/e"});
  generator::FolderTree tree(s);
  const auto& root = tree.root();
  REQUIRE(root.pages.size() == 1);
  CHECK(root.runbooks == 5);
  CHECK(root.entries == 5 + 3);  // 5 runbooks, folders ops, ops/db, web
  const auto* ops = child(root, "ops");
  REQUIRE(ops);
  CHECK(ops->path == "ops");
  CHECK(ops->runbooks == 3);
  REQUIRE(child(*ops, "db"));
  CHECK(child(*ops, "db")->path == "ops/db");
  CHECK(generator::slug_folder("ops/db/c") == "ops/db");
  CHECK(generator::slug_leaf("ops/db/c") == "c");
  CHECK(generator::slug_folder("a").empty());
}

TEST_CASE("folder tree: chunks stay within their budget, small subtrees inline first", "[generator][lists]") {
  std::vector<std::string> slugs;
  for (int i = 0; i < 30; ++i) slugs.push_back("small/s" + std::to_string(i));  // 30 entries
  for (int i = 0; i < 90; ++i) slugs.push_back("big/b" + std::to_string(i));    // 90 entries
  for (int i = 0; i < 5; ++i) slugs.push_back("tiny/t" + std::to_string(i));    // 5 entries
  auto s = runbooks(slugs);
  generator::FolderTree tree(s);
  // Budget 50: the root has 3 folders; tiny (5) and small (30) fit beside them, big does not.
  auto chunks = tree.chunks(50, 50);
  CHECK(chunks.size() == 2);
  CHECK(chunks.count(&tree.root()));
  CHECK(chunks.count(child(tree.root(), "big")));
  // No subtree larger than max_inline goes inline, even when it would fit.
  auto strict = tree.chunks(1000, 10);
  CHECK(strict.count(child(tree.root(), "small")));
  CHECK_FALSE(strict.count(child(tree.root(), "tiny")));
}
