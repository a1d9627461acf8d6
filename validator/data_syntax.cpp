// The data-syntax rule: JSON (objects' bodies accepted), YAML, and KEY=value lines of .env/ini.
#include "validator/data_syntax.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "model/front_matter.hpp"
#include "model/text.hpp"
#include "validator/finding_sink.hpp"

namespace opsbook::validator {

namespace {

// An excerpt: "..." standing for elided content.
bool elided(std::string_view code) {
  for (std::string_view l : model::split_lines(code)) {
    std::string_view t = model::trim(l);
    if (t == "..." || t == "\xE2\x80\xA6" || t == "[...]" || t.starts_with("...") || t.ends_with("...") || t.find(": ...") != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace

void check_data(FindingSink& sink, const model::Snippet& s) {
  if (elided(s.code)) return;
  if (s.lang == "json" || s.lang == "jsonc") {
    if (s.lang == "jsonc") return;  // comments are allowed there
    // An object's body ("key": value lines without the braces) is a fragment, not an error.
    if (nlohmann::json::accept(s.code) || nlohmann::json::accept("{" + s.code + "}")) return;
    try {
      nlohmann::json parsed = nlohmann::json::parse(s.code);
      (void)parsed;
    } catch (const nlohmann::json::parse_error& e) {
      auto [line, col] = model::line_col_at(s.code, e.byte > 0 ? e.byte - 1 : 0);
      std::string what = e.what();
      size_t cut = what.find("syntax error");
      sink.add("data-syntax", s.code_line + line - 1, col, "invalid JSON: " + (cut == std::string::npos ? what : what.substr(cut)),
               "fix the JSON, or mark the block as text if it is an excerpt", s.id);
    }
  } else if (s.lang == "yaml" || s.lang == "yml") {
    int line = 0, col = 0;
    std::string message;
    if (!model::check_yaml(s.code, line, col, message)) {
      sink.add("data-syntax", s.code_line + line - 1, col, "invalid YAML: " + message, "fix the YAML (indentation, quoting of ':' and '#')", s.id);
    }
  } else if (s.lang == "env" || s.lang == "dotenv" || s.lang == "ini") {
    int line = s.code_line;
    for (std::string_view l : model::split_lines(s.code)) {
      std::string_view t = model::trim(l);
      bool ok = t.empty() || t[0] == '#' || t[0] == ';' || (s.lang == "ini" && t.front() == '[' && t.back() == ']');
      if (!ok) {
        if (t.starts_with("export ")) t = model::trim(t.substr(7));
        size_t eq = t.find('=');
        ok = eq != std::string_view::npos && eq > 0 &&
             std::all_of(t.begin(), t.begin() + static_cast<long>(eq), [&](char c) { return model::is_ident_char(c) || c == '.' || c == '-' || (s.lang == "ini" && c == ' '); });
      }
      if (!ok) sink.add("data-syntax", line, 1, "not a KEY=value line in a " + s.lang + " block", "write KEY=value, or mark the block as text", s.id);
      ++line;
    }
  }
}

}  // namespace opsbook::validator
