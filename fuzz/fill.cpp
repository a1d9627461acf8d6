// Fuzz target: parameter filling. Property: the snippet with each value written in (what the
// classifier reads), read back by the shell lexer, holds the value exactly, as one literal word
// (no expansion, no glob, no extra word or command), in every quoting context; the code that
// runs gets the value from the environment, never as code; or the fill is refused. The first
// byte picks the context.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "model/shell_lexer.hpp"
#include "runner/fill.hpp"

namespace {

struct Context {
  const char* code;
  const char* prefix;  // what the word holds before the value
};
constexpr Context k_contexts[] = {{"echo <v> end", ""}, {"echo \"<v>\" end", ""}, {"echo '<v>' end", ""}, {"echo x=<v> end", "x="}, {"echo \"x:<v>\" end", "x:"}};

// The one command's middle word: its text when it is literal, or nullopt.
const opsbook::model::shell::Word* middle_word(const opsbook::model::shell::Script& s) {
  if (!s.errors().empty() || s.commands().size() != 1) return nullptr;
  auto args = s.args(s.commands()[0]);
  return args.size() == 3 ? &s.words()[args[1]] : nullptr;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace shell = opsbook::model::shell;
  if (size == 0) return 0;
  const Context& ctx = k_contexts[data[0] % (sizeof k_contexts / sizeof k_contexts[0])];
  std::string value(reinterpret_cast<const char*>(data + 1), size - 1);
  std::vector<opsbook::model::Param> params = {{"v", opsbook::model::ParamKind::placeholder, "<v>", 1, false}};
  opsbook::runner::ShellFill fill = opsbook::runner::fill_shell(ctx.code, params, {{"v", value}}, [](size_t) { return 1; });
  if (!fill.refusal.empty()) return 0;  // refused: allowed
  shell::Script literal = shell::lex(fill.literal);
  const shell::Word* w = middle_word(literal);
  if (w == nullptr || !w->literal() || literal.text(*w) != std::string(ctx.prefix) + value) std::abort();
  // What runs: the same one command, the value only in the environment.
  shell::Script code = shell::lex(fill.code);
  if (middle_word(code) == nullptr) std::abort();
  bool in_env = false;
  for (const auto& [name, v] : fill.env) in_env = in_env || v == value;
  if (!in_env) std::abort();
  return 0;
}
