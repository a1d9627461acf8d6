// Readers of awk programs and sed scripts that answer one question: can this program run a
// command or write a file? Each reads just enough of the language (strings, regular
// expressions, brackets) to find the constructs that do; when unsure they answer yes.
#include "program_text.hpp"

#include <cctype>

namespace opsbook::model {

namespace {

bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

// Past a bracket expression that starts at text[i] == '[': `[]x]`, `[^]x]` and `[[:alpha:]]` are
// whole; awk and sed both end a regular expression only outside one.
size_t skip_bracket(std::string_view text, size_t i) {
  ++i;
  if (i < text.size() && text[i] == '^') ++i;
  if (i < text.size() && text[i] == ']') ++i;
  while (i < text.size() && text[i] != ']' && text[i] != '\n') {
    if (text[i] == '[' && i + 1 < text.size() && (text[i + 1] == ':' || text[i + 1] == '=' || text[i + 1] == '.')) {
      char kind = text[i + 1];
      size_t close = text.find(std::string{kind, ']'}, i + 2);
      i = close == std::string_view::npos ? text.size() : close + 2;
      continue;
    }
    ++i;
  }
  return i < text.size() ? i + 1 : text.size();
}

// Past a delimited part (`/re/`, a `s` command's pattern or replacement): backslash escapes, and
// brackets when it is a regular expression. text[i] is the first character after the opener.
size_t skip_delimited(std::string_view text, size_t i, char delim, bool regex) {
  while (i < text.size() && text[i] != delim) {
    if (text[i] == '\\') i += 2;
    else if (regex && text[i] == '[') i = skip_bracket(text, i);
    else ++i;
  }
  return i < text.size() ? i + 1 : text.size();
}

size_t skip_string(std::string_view text, size_t i) { return skip_delimited(text, i + 1, '"', false); }

// Keywords after which awk reads an expression, so a `/` opens a regular expression. `case` is
// one in gawk (switch) and a variable name in mawk, where `case / 1` divides: read both ways.
bool expects_operand_after(std::string_view word, bool case_keyword) {
  return word == "print" || word == "printf" || word == "return" || (case_keyword && word == "case") || word == "else" || word == "do";
}

// An awk output redirection's target: only the standard streams are harmless.
bool harmless_target(std::string_view program, size_t i) {
  while (i < program.size() && (program[i] == ' ' || program[i] == '\t')) ++i;
  if (i >= program.size() || program[i] != '"') return false;
  size_t end = skip_string(program, i);
  if (end - i < 2 || program[end - 1] != '"') return false;  // unterminated
  std::string_view target = program.substr(i + 1, end - i - 2);
  // The string alone: "/dev/stderr" "-x" and "/dev/stderr" x join into another file's name.
  size_t next = end;
  while (next < program.size() && (program[next] == ' ' || program[next] == '\t')) ++next;
  bool alone = next >= program.size() || std::string_view(";}\n#").find(program[next]) != std::string_view::npos;
  return alone && (target == "/dev/stdout" || target == "/dev/stderr");
}

// `system (` anywhere in the text, even inside a string or a regular expression: a belt for the
// reader below, which may misjudge a regular expression's end in a hostile program.
bool mentions_system(std::string_view program) {
  for (size_t at = program.find("system"); at != std::string_view::npos; at = program.find("system", at + 1)) {
    if (at > 0 && ident_char(program[at - 1])) continue;
    size_t i = at + 6;
    while (i < program.size() && (program[i] == ' ' || program[i] == '\t' || program[i] == '\n')) ++i;
    if (i < program.size() && program[i] == '(') return true;
  }
  return false;
}

// Whether awk continues the statement past the line break at p[i]: the line ends in , && || or
// a backslash.
bool continues_line(std::string_view p, size_t i) {
  while (i > 0 && (p[i - 1] == ' ' || p[i - 1] == '\t' || p[i - 1] == '\r')) --i;
  if (i == 0) return false;
  char last = p[i - 1];
  return last == ',' || last == '\\' || (i >= 2 && (p.substr(i - 2, 2) == "&&" || p.substr(i - 2, 2) == "||"));
}

// The first side effect of an awk program read token by token ("" for none), with `case` read as
// gawk's keyword or as mawk's variable.
std::string awk_read(std::string_view p, bool case_keyword) {
  bool operand = false;  // the last token ends an operand: a `/` divides
  int depth = 0;         // parentheses
  int print_depth = -1;  // depth of the print/printf statement being read, -1 outside one
  for (size_t i = 0; i < p.size();) {
    char c = p[i];
    if (c == '"') {
      i = skip_string(p, i);
      operand = true;
    } else if (c == '#') {
      while (i < p.size() && p[i] != '\n') ++i;
    } else if (c == '\\' && i + 1 < p.size() && p[i + 1] == '\n') {
      i += 2;
    } else if (c == '/' && !operand) {
      i = skip_delimited(p, i + 1, '/', true);
      operand = true;
    } else if (std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_') {
      size_t start = i;
      while (i < p.size() && ident_char(p[i])) ++i;
      std::string_view word = p.substr(start, i - start);
      if (word == "print" || word == "printf") print_depth = depth;
      operand = !expects_operand_after(word, case_keyword);
    } else if (c == '@') {
      return "uses gawk's @ (an extension, an include or an indirect call)";
    } else if (c == '|') {
      if (i + 1 < p.size() && p[i + 1] == '|') {
        i += 2;
        operand = false;
        continue;
      }
      return "pipes to or from a command (|)";
    } else if (c == '>' && print_depth >= 0 && depth == print_depth) {
      if (i + 1 < p.size() && p[i + 1] == '=') {  // >= compares
        i += 2;
        operand = false;
        continue;
      }
      size_t target = i + 1 < p.size() && p[i + 1] == '>' ? i + 2 : i + 1;
      if (!harmless_target(p, target)) return "writes a file (print > FILE)";
      i = target;
      operand = false;
    } else {
      if (c == '(' || c == '[') ++depth;
      if (c == ')' || c == ']') --depth;
      // A statement ends at ; { } or a line break, but not one after a comma, && or || (awk
      // continues `print 1,<newline>2 > "F"` on the next line).
      if (c == ';' || c == '{' || c == '}' || (c == '\n' && !continues_line(p, i))) print_depth = -1;
      if (c == '+' || c == '-') {  // i++ and i-- end an operand; a + or - alone does not
        operand = i + 1 < p.size() && p[i + 1] == c ? operand : false;
        if (i + 1 < p.size() && p[i + 1] == c) ++i;
      } else if (c == ')' || c == ']' || c == '.' || std::isdigit(static_cast<unsigned char>(c)) != 0) {
        operand = true;  // 2 / 3, $1 / 2, (a) / 2
      } else if (c != ' ' && c != '\t' && c != '\r') {
        operand = false;
      }
      ++i;
    }
  }
  return "";
}

}  // namespace

std::string awk_side_effect(std::string_view p) {
  if (mentions_system(p)) return "calls system(): runs a shell command";
  std::string effect = awk_read(p, true);
  return effect.empty() ? awk_read(p, false) : effect;
}

namespace {

// One sed address: a line number, first~step, $, /re/ or \cREc, with I and M after a regex.
size_t skip_address(std::string_view s, size_t i) {
  if (i < s.size() && (s[i] == '+' || s[i] == '~')) ++i;  // addr1,+N  addr1,~N
  if (i < s.size() && s[i] == '$') return i + 1;
  if (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) != 0) {
    while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) != 0 || s[i] == '~')) ++i;
    return i;
  }
  if (i < s.size() && (s[i] == '/' || s[i] == '\\')) {
    char delim = s[i] == '/' ? '/' : (i + 1 < s.size() ? s[i + 1] : '/');
    i = skip_delimited(s, i + (s[i] == '/' ? 1 : 2), delim, true);
    while (i < s.size() && (s[i] == 'I' || s[i] == 'M')) ++i;
  }
  return i;
}

size_t to_line_end(std::string_view s, size_t i) {
  while (i < s.size() && s[i] != '\n') ++i;
  return i;
}

// a, i and c take text to the end of the line, continued while a line ends in a backslash.
size_t skip_text_argument(std::string_view s, size_t i) {
  while (true) {
    size_t end = to_line_end(s, i);
    size_t backslashes = 0;
    while (backslashes < end - i && s[end - 1 - backslashes] == '\\') ++backslashes;
    if (end >= s.size() || backslashes % 2 == 0) return end;
    i = end + 1;
  }
}

// The first side effect of a sed program ("" for none), with labels (: b t T v) ending at `;` or
// a line break, or (GNU sed 4.9) at white space as well: `:a e touch x` runs e there.
std::string sed_read(std::string_view s, bool label_ends_at_space) {
  for (size_t i = 0; i < s.size();) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ';' || c == '{' || c == '}') {
      ++i;
      continue;
    }
    if (c == '#') {
      i = to_line_end(s, i);
      continue;
    }
    i = skip_address(s, i);
    if (i < s.size() && s[i] == ',') i = skip_address(s, i + 1);
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '!')) ++i;
    if (i >= s.size()) break;
    char cmd = s[i++];
    switch (cmd) {
      case '{': case '}': case '=': case 'd': case 'D': case 'g': case 'G': case 'h': case 'H':
      case 'n': case 'N': case 'p': case 'P': case 'x': case 'z': case 'F': case ';': case '\n':
        break;
      case 'e': return "runs a shell command (the e command)";
      case 'w': case 'W': return "writes a file (the w command)";
      case 'r': case 'R': i = to_line_end(s, i); break;  // reads a file
      case 'a': case 'i': case 'c': i = skip_text_argument(s, i); break;
      case ':': case 'b': case 't': case 'T': case 'v':
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        while (i < s.size() && s[i] != ';' && s[i] != '\n' && !(label_ends_at_space && (s[i] == ' ' || s[i] == '\t'))) ++i;
        break;
      case 'q': case 'Q': case 'l': case 'L':
        while (i < s.size() && (s[i] == ' ' || std::isdigit(static_cast<unsigned char>(s[i])) != 0)) ++i;
        break;
      case 's': case 'y': {
        if (i >= s.size() || s[i] == '\n' || s[i] == '\\') return "a sed command opsbook cannot read";
        char delim = s[i];
        i = skip_delimited(s, i + 1, delim, cmd == 's');
        i = skip_delimited(s, i, delim, false);
        if (cmd == 'y') break;
        for (; i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) != 0); ++i) {
          if (s[i] == 'e') return "runs the replacement as a shell command (s///e)";
          if (s[i] == 'w') return "writes a file (s///w)";
        }
        break;
      }
      default: return std::string("a sed command opsbook does not know (") + cmd + ")";
    }
  }
  return "";
}

}  // namespace

std::string sed_side_effect(std::string_view s) {
  std::string effect = sed_read(s, false);
  return effect.empty() ? sed_read(s, true) : effect;
}

namespace {

enum class Role { flag, value, program, file, effect };

struct Option {
  std::string_view name;  // "-F", "--field-separator"
  Role role;
  std::string_view reason = {};  // for Role::effect
};

struct CommandLine {
  std::string program;  // the -e values, joined by newlines
  bool program_given = false;
  std::string effect;   // "" or why the command line itself is not harmless
  std::string_view first_operand;
  bool has_operand = false;
};

// Reads argv as getopt does (clusters -ne, attached values -F:, --name=value) against `options`.
CommandLine read_command_line(std::span<const std::string_view> argv, std::span<const Option> options) {
  CommandLine out;
  auto find = [&](std::string_view name) -> const Option* {
    for (const auto& o : options) {
      if (o.name == name) return &o;
    }
    return nullptr;
  };
  auto apply = [&](const Option& o, std::string_view value) {
    if (o.role == Role::program) {
      out.program.append(out.program_given ? "\n" : "").append(value);
      out.program_given = true;
    } else if (o.role == Role::file && out.effect.empty()) {
      out.effect = "runs a program from the file " + std::string(value) + ", which opsbook cannot read";
    } else if (o.role == Role::effect && out.effect.empty()) {
      out.effect = std::string(o.reason);
    }
  };
  for (size_t i = 1; i < argv.size(); ++i) {
    std::string_view w = argv[i];
    bool end_of_options = w == "--";
    if (end_of_options || w.size() < 2 || w[0] != '-') {
      size_t at = end_of_options ? i + 1 : i;
      if (at < argv.size() && !out.has_operand) {
        out.first_operand = argv[at];
        out.has_operand = true;
      }
      if (end_of_options) break;
      continue;
    }
    if (w.starts_with("--")) {
      size_t eq = w.find('=');
      const Option* o = find(w.substr(0, eq));
      if (o == nullptr) {
        if (out.effect.empty()) out.effect = "the option " + std::string(w.substr(0, eq)) + " is not known to be harmless";
        continue;
      }
      std::string_view value = eq != std::string_view::npos ? w.substr(eq + 1) : std::string_view{};
      if (eq == std::string_view::npos && o->role != Role::flag && o->role != Role::effect && i + 1 < argv.size()) value = argv[++i];
      apply(*o, value);
      continue;
    }
    for (size_t j = 1; j < w.size(); ++j) {
      const char name[2] = {'-', w[j]};
      const Option* o = find(std::string_view(name, 2));
      if (o == nullptr) {
        if (out.effect.empty()) out.effect = "the option " + std::string(name, 2) + " is not known to be harmless";
        break;
      }
      if (o->role == Role::flag || o->role == Role::effect) {
        apply(*o, {});
        if (o->role == Role::effect) break;  // -i.bak, -o[file]: the rest is its value
        continue;
      }
      std::string_view value = j + 1 < w.size() ? w.substr(j + 1) : (i + 1 < argv.size() ? argv[++i] : std::string_view{});
      apply(*o, value);
      break;
    }
  }
  return out;
}

constexpr Option k_awk_options[] = {
    {"-F", Role::value}, {"-v", Role::value}, {"-f", Role::file}, {"-e", Role::program}, {"-i", Role::file},
    {"-l", Role::file}, {"-E", Role::file},
    {"-W", Role::effect, "takes mawk or gawk options opsbook does not read (-W exec FILE runs a program file, -W dump-variables writes one)"},
    {"-b", Role::flag}, {"-c", Role::flag}, {"-C", Role::flag}, {"-g", Role::flag}, {"-h", Role::flag}, {"-M", Role::flag},
    {"-n", Role::flag}, {"-N", Role::flag}, {"-O", Role::flag}, {"-P", Role::flag}, {"-r", Role::flag}, {"-s", Role::flag},
    {"-S", Role::flag}, {"-t", Role::flag}, {"-V", Role::flag}, {"-Y", Role::flag},
    {"-o", Role::effect, "writes the program to a file (gawk -o)"}, {"-p", Role::effect, "writes a profile file (gawk -p)"},
    {"-d", Role::effect, "writes its variables to a file (gawk -d)"}, {"-D", Role::effect, "starts gawk's debugger"},
    {"--field-separator", Role::value}, {"--assign", Role::value}, {"--file", Role::file}, {"--source", Role::program},
    {"--include", Role::file}, {"--load", Role::file}, {"--exec", Role::file},
    {"--sandbox", Role::flag}, {"--posix", Role::flag}, {"--traditional", Role::flag}, {"--lint", Role::flag},
    {"--characters-as-bytes", Role::flag}, {"--use-lc-numeric", Role::flag}, {"--non-decimal-data", Role::flag},
    {"--bignum", Role::flag}, {"--optimize", Role::flag}, {"--no-optimize", Role::flag}, {"--re-interval", Role::flag},
    {"--version", Role::flag}, {"--help", Role::flag}, {"--copyright", Role::flag},
    {"--pretty-print", Role::effect, "writes the program to a file (gawk --pretty-print)"},
    {"--profile", Role::effect, "writes a profile file (gawk --profile)"},
    {"--dump-variables", Role::effect, "writes its variables to a file (gawk --dump-variables)"},
    {"--debug", Role::effect, "starts gawk's debugger"},
};

constexpr Option k_sed_options[] = {
    {"-e", Role::program}, {"-f", Role::file}, {"-l", Role::value},
    {"-n", Role::flag}, {"-E", Role::flag}, {"-r", Role::flag}, {"-s", Role::flag}, {"-u", Role::flag}, {"-z", Role::flag},
    {"-b", Role::flag}, {"-i", Role::effect, "edits files in place"},
    {"--expression", Role::program}, {"--file", Role::file}, {"--line-length", Role::value},
    {"--quiet", Role::flag}, {"--silent", Role::flag}, {"--regexp-extended", Role::flag}, {"--separate", Role::flag},
    {"--unbuffered", Role::flag}, {"--null-data", Role::flag}, {"--binary", Role::flag}, {"--posix", Role::flag},
    {"--debug", Role::flag}, {"--follow-symlinks", Role::flag}, {"--sandbox", Role::flag}, {"--help", Role::flag},
    {"--version", Role::flag}, {"--in-place", Role::effect, "edits files in place"},
};

}  // namespace

std::string awk_command_side_effect(std::span<const std::string_view> argv) {
  CommandLine cl = read_command_line(argv, k_awk_options);
  if (!cl.effect.empty()) return cl.effect;
  if (!cl.program_given && !cl.has_operand) return "";  // awk --version
  return awk_side_effect(cl.program_given ? std::string_view(cl.program) : cl.first_operand);
}

std::string sed_command_side_effect(std::span<const std::string_view> argv) {
  CommandLine cl = read_command_line(argv, k_sed_options);
  if (!cl.effect.empty()) return cl.effect;
  if (!cl.program_given && !cl.has_operand) return "";
  return sed_side_effect(cl.program_given ? std::string_view(cl.program) : cl.first_operand);
}

}  // namespace opsbook::model
