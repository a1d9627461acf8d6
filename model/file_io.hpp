// Writing the files opsbook keeps: whole writes, new files that never follow a link, atomic
// replacement, and the state folder (.opsbook) that must be real folders all the way down.
#pragma once

#include <string>
#include <string_view>

namespace opsbook::model {

// Writes all of `data` to `fd` (retrying short writes); false with errno set on failure.
bool write_all(int fd, std::string_view data);

// Creates `path` (not its folder) with `text` unless something is there already, a file or a
// link: then false, and nothing is touched. Throws opsbook::Error when it cannot write.
bool create_new_file(const std::string& path, std::string_view text);

// Writes `data` to `path` through a new temporary file beside it (O_EXCL, O_NOFOLLOW) and a
// rename: readers see the old file or the new one, never half of one. "" or why not.
std::string replace_file(const std::string& path, std::string_view data);

// Makes the folder `file` goes in, refusing a symlink where opsbook keeps its state: from the
// first `.opsbook` part of the path down (or the folder itself when there is none), each part
// must be a real folder, checked before anything is made below it (a `.opsbook` committed as a
// symlink would make opsbook write elsewhere). "" or why not ("FOLDER is a symlink").
std::string make_state_folder(const std::string& file);

}  // namespace opsbook::model
