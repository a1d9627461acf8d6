// model/temp_dir: private folders (0700, unpredictable names), files that never follow or
// replace what is already there, and removal when the object goes.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "model/error.hpp"
#include "model/temp_dir.hpp"
#include "support.hpp"

using namespace opsbook;
namespace fs = std::filesystem;

TEST_CASE("a TempDir is private, never follows a planted symlink, and is removed", "[model][temp]") {
  test::TempDir parent;
  ::setenv("TMPDIR", parent.path().c_str(), 1);
  std::string path;
  {
    model::TempDir a("opsbook-test"), b("opsbook-test");
    ::unsetenv("TMPDIR");
    path = a.path();
    CHECK(fs::path(path).parent_path() == parent.path());
    CHECK(a.path() != b.path());
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
    // Another user's symlink to a file of ours: write() must not follow it.
    test::write_file(parent.path() / "victim", "keep");
    fs::create_symlink(parent.path() / "victim", fs::path(path) / "s0.sh");
    CHECK_FALSE(a.write("s0.sh", "overwritten"));
    CHECK(test::read_file((parent.path() / "victim").string()) == "keep");
    CHECK(a.write("s1.sh", "echo hi\n"));
    CHECK_FALSE(a.write("s1.sh", "again"));  // O_EXCL: never replaces a file
    CHECK(test::read_file(path + "/s1.sh") == "echo hi\n");
    CHECK_FALSE(a.write("../escape", "x"));
  }
  CHECK_FALSE(fs::exists(path));
  CHECK(fs::exists(parent.path() / "victim"));
}

TEST_CASE("a TempDir that cannot be created is an opsbook::Error", "[model][temp]") {
  ::setenv("TMPDIR", "/nonexistent/opsbook", 1);
  CHECK_THROWS_AS(model::TempDir("opsbook-test"), Error);
  ::unsetenv("TMPDIR");
}
