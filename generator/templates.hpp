// Templates and static assets: the embedded defaults, overridden file by file from the user's
// `templates:` folder. Mustache rendering with kainjow::mustache.
#pragma once

#include <kainjow/mustache.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/hash.hpp"

namespace opsbook::generator {

using Data = kainjow::mustache::data;

class Templates {
 public:
  // Throws opsbook::Error when `override_dir` is given but unreadable, or when it or a file in it
  // is not a regular file of `checkout` outside its hidden folders (model::read_checkout_file:
  // a committed link templates/layout.mustache -> .git/config would publish CI's token).
  explicit Templates(const std::string& override_dir, const std::string& checkout = "");

  // The text of a template or asset ("layout.mustache", "assets/opsbook.css").
  [[nodiscard]] const std::string& text(const std::string& name) const;
  // Renders a template; errors in a user's template become opsbook::Error naming the file.
  [[nodiscard]] std::string render(const std::string& name, const Data& data) const;
  // Renders a template whose output is not HTML (markdown documents): nothing is escaped.
  [[nodiscard]] std::string render_text(const std::string& name, const Data& data) const;
  // Files under assets/, to copy into the site.
  [[nodiscard]] std::vector<std::string> asset_names() const;
  // Hash of every template and asset: part of the incremental build key.
  [[nodiscard]] uint64_t hash() const { return m_hash; }

 private:
  enum class Escape { html, none };
  [[nodiscard]] std::string render_with(const std::string& name, const Data& data, Escape escape) const;

  std::map<std::string, std::string> m_files;
  std::map<std::string, std::string> m_origin;  // name -> file path or "(built in)"
  uint64_t m_hash = 0;
};

// kainjow's data copies the whole subtree on set() and push_back(); large pages (the index, the
// checklist view) build trees of thousands of entries, so these move the value in instead.
void put(Data& object, const std::string& name, Data&& value);
void append(Data& list, Data&& value);

// Replaces the first `marker` in `frame` with `body`: big bodies are spliced into rendered frames
// instead of being copied through the template engine.
void splice(std::string& frame, std::string_view marker, std::string_view body);

using model::fnv1a;  // FNV-1a, 64-bit: change detection (model/hash.hpp)
using model::k_fnv_offset;
using model::k_fnv_prime;

}  // namespace opsbook::generator
