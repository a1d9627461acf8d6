// A confined child's PID namespace: as the namespace's init, the child takes everything it started
// with it when it ends, setsid and daemons included. CLONE_NEWPID alone takes CAP_SYS_ADMIN; an
// unprivileged user gets one inside a user namespace of its own, in which its uid and gid map to
// themselves (what the child creates stays the user's). Where neither is allowed, a plain fork.
#pragma once

#include <string>

#include <sys/types.h>

namespace opsbook::model {

enum class Isolation { pid_namespace, user_namespace, none };

// Starts a child (it returns 0) as clone() does, trying a PID namespace, then a user and PID
// namespace, then a plain fork, each when the one before it is refused; `used` says which. -1 and
// errno when the system cannot start a process at all. In a user namespace the child has no ids
// until the parent calls write_id_maps: it waits for that before it does anything.
pid_t clone_isolated(Isolation& used);

// The handshake between clone_isolated and the child's first step, over two pipes: `ready`
// (child to parent) and `go` (parent to child). In a user namespace the child makes its /proc
// files its user's for a moment (opsbook check --live is not dumpable, so they would be root's and
// the parent could not write the maps), says it is ready, and the parent maps its uid and gid to
// ours (setgroups denied first, as the kernel requires of an unprivileged writer). Then the parent
// sends one byte and the child goes on.
// Child side, first thing after clone_isolated returned 0: false when the parent sent no byte
// (it could not map the ids: the child should end).
bool await_id_maps(Isolation used, int ready_fd, int go_fd);
// Parent side: false when the ids could not be mapped (the child then ends by itself).
bool map_ids(Isolation used, pid_t child, int ready_fd, int go_fd);

// "" when a confined child gets a PID namespace here, else why not (for one note per run).
const std::string& pid_namespace_problem();

}  // namespace opsbook::model
