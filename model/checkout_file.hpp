// Reading a file the checkout names for opsbook to read (compose_file, env_example, a committed
// .env.example): a pull request can commit it as a link to /proc/self/environ, .git/config (the
// CI token), /dev/zero or a FIFO (s11b review B1). Only a regular file of the checkout, outside
// its hidden folders and of bounded size, is read.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace opsbook::model {

inline constexpr size_t k_checkout_file_limit = 1 << 20;  // 1 MiB: compose and env files are a few KB

struct CheckoutFile {
  std::string text;
  std::string refusal;  // why it was not read ("" when it was), to show after the path
};

// The checkout: the git work tree around `base`, or `base` itself when there is none.
std::filesystem::path checkout_root(const std::filesystem::path& base);

// Opens `path` (links followed), then decides on the file it opened: it must lie under `root`,
// in no folder of it whose name starts with '.' (and not be `.git`), be a regular file, and hold
// at most `limit` bytes.
CheckoutFile read_checkout_file(const std::string& path, const std::filesystem::path& root, size_t limit = k_checkout_file_limit);

}  // namespace opsbook::model
