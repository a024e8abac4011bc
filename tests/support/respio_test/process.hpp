// Child processes, free ports and raw sockets for respio's test fixtures (POSIX/Linux only).
#ifndef RESPIO_TEST_PROCESS_HPP
#define RESPIO_TEST_PROCESS_HPP

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace respio_test {

using namespace std::chrono_literals;

// One child process started with fork+exec. Every child gets PR_SET_PDEATHSIG(SIGKILL), so it
// dies with the test process whatever kills the latter; while it runs its pid is also recorded
// for the SIGINT/SIGTERM/SIGABRT/SIGSEGV handlers (install_cleanup_handlers). The parent reaps it
// with waitpid: "is it still there" is answered by waitpid, never by kill(pid, 0), which keeps
// succeeding on a zombie.
class process {
public:
    struct options {
        // Empty: the child inherits the parent's stdout/stderr. Otherwise both are appended to this file.
        std::string log_path;
        // >= 0: the child's stdout and stderr (wins over log_path). The caller keeps ownership.
        int output_fd = -1;
    };

    process() = default;
    process(process&& other) noexcept;
    process& operator=(process&& other) noexcept;
    process(const process&) = delete;
    process& operator=(const process&) = delete;
    // SIGKILLs and reaps a child that is still running: a forgotten process must not outlive its owner.
    ~process();

    // argv[0] is looked up in PATH when it has no '/'. Throws std::system_error when fork or exec fails.
    static process spawn(const std::vector<std::string>& argv, const options& opts);
    static process spawn(const std::vector<std::string>& argv) { return spawn(argv, options{}); }

    pid_t pid() const noexcept { return pid_; }
    bool valid() const noexcept { return pid_ > 0; }
    // False once the child has exited (it is reaped then).
    bool running();
    // Sends a signal unless the child was already reaped (its pid may belong to someone else by now).
    bool signal(int sig);
    // Waits up to timeout; true when the child has exited (and is reaped).
    bool wait_for(std::chrono::milliseconds timeout);
    // Blocks until the child exits; returns exit_code().
    int wait();
    // SIGTERM (plus SIGCONT, so a SIGSTOPped child can act on it), up to grace, then SIGKILL.
    void terminate(std::chrono::milliseconds grace = 4000ms);
    // SIGKILL and reap.
    void kill();

    bool exited() const noexcept { return reaped_; }
    // After exit: the exit status, or 128 + signal number when a signal ended it; -1 while running.
    int exit_code() const noexcept;
    // Like "exited with 1" or "killed by signal 9".
    std::string describe_exit() const;

private:
    void reap(int status) noexcept;

    pid_t pid_ = -1;
    bool reaped_ = false;
    int status_ = 0;
};

// What run() saw.
struct run_result {
    int exit_code = -1;     // exit status, 128 + signal number, or -1 after a timeout
    bool timed_out = false; // the command was SIGKILLed at the deadline
    std::string output;     // stdout and stderr, interleaved as written
    bool ok() const noexcept { return !timed_out && exit_code == 0; }
};

// Runs a command to completion and captures its output. At the deadline the command is killed,
// so a command stuck on a SIGSTOPped server cannot hang a test.
run_result run(const std::vector<std::string>& argv, std::chrono::milliseconds timeout = 10s);

// Installs the SIGINT/SIGTERM/SIGABRT/SIGSEGV/... handlers that SIGKILL every recorded child and
// then let the signal take its previous course. Idempotent; spawn() calls it. A program that wants
// its own SIGINT/SIGTERM handling calls this first and then installs its handlers.
void install_cleanup_handlers();

// A loopback port that nothing listens on, never handed out before by this process. Chosen
// below the kernel's ephemeral range (ip_local_port_range), so outgoing connections of the test
// itself cannot occupy it while a server is down for a restart. with_cluster_bus: port + 10000
// is free too. Every port is <= 55535.
std::uint16_t pick_free_port(bool with_cluster_bus = false);

// True when a TCP connect to host:port (a numeric IPv4 or IPv6 address) succeeds within timeout.
bool port_accepts(const std::string& host, std::uint16_t port, std::chrono::milliseconds timeout = 500ms);

// Sends an inline PING over plain TCP and returns the first reply line ("+PONG", "-NOAUTH ..."),
// or nothing when connect fails or no complete line arrives within timeout (a SIGSTOPped server
// still accepts connections through the kernel backlog, but never answers).
std::optional<std::string> tcp_ping(const std::string& host, std::uint16_t port,
                                    std::chrono::milliseconds timeout = 500ms);

// /proc/<pid> exists (also true for a zombie).
bool process_exists(pid_t pid);
// The state letter from /proc/<pid>/stat ('R', 'S', 'T', 'Z', ...), or 0 when there is no such process.
char process_state(pid_t pid);

// The value of an environment variable, or an empty string.
std::string env_or_empty(const char* name);

} // namespace respio_test

#endif // RESPIO_TEST_PROCESS_HPP
