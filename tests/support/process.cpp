// Child processes (fork+exec, parent-death signal, reaping), cleanup signal handlers, free ports, raw sockets.
#include "respio_test/process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <system_error>
#include <thread>
#include <utility>

namespace respio_test {
namespace {

using steady = std::chrono::steady_clock;

[[noreturn]] void throw_errno(const std::string& what, int err = errno) {
    throw std::system_error(err, std::generic_category(), what);
}

// A file descriptor closed on scope exit.
class unique_fd {
public:
    unique_fd() = default;
    explicit unique_fd(int fd) : fd_(fd) {}
    unique_fd(unique_fd&& o) noexcept : fd_(o.release()) {}
    unique_fd& operator=(unique_fd&& o) noexcept {
        reset(o.release());
        return *this;
    }
    ~unique_fd() { reset(); }
    int get() const noexcept { return fd_; }
    int release() noexcept { return std::exchange(fd_, -1); }
    void reset(int fd = -1) noexcept {
        if (fd_ >= 0) ::close(fd_);
        fd_ = fd;
    }

private:
    int fd_ = -1;
};

// ---- recorded pids, for the signal handlers ------------------------------------------------
// A fixed array of lock-free atomics: the handlers may only touch async-signal-safe state.
constexpr std::size_t max_recorded = 1024;
std::atomic<pid_t> recorded_pids[max_recorded];
// The process that spawned the children. A forked copy of the test process (a gtest death test)
// inherits the handlers and the array but must not kill its parent's servers.
std::atomic<pid_t> owner_pid{0};

void record_pid(pid_t pid) noexcept {
    for (auto& slot : recorded_pids) {
        pid_t expected = 0;
        if (slot.compare_exchange_strong(expected, pid)) return;
    }
    // Full: the child is still covered by its parent-death signal.
}

void forget_pid(pid_t pid) noexcept {
    for (auto& slot : recorded_pids) {
        pid_t expected = pid;
        if (slot.compare_exchange_strong(expected, 0)) return;
    }
}

constexpr int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL};
struct sigaction previous_actions[NSIG];

extern "C" void cleanup_signal_handler(int sig) {
    const int saved_errno = errno;
    if (::getpid() == owner_pid.load()) {
        for (auto& slot : recorded_pids) {
            const pid_t pid = slot.load();
            if (pid > 0) ::kill(pid, SIGKILL);
        }
    }
    // Hand the signal back to whoever had it before (usually the default action: terminate or
    // dump core). It is blocked while we run, so it is delivered as soon as we return.
    ::sigaction(sig, &previous_actions[sig], nullptr);
    ::raise(sig);
    errno = saved_errno;
}

// ---- the spawner thread ---------------------------------------------------------------------
// PR_SET_PDEATHSIG fires when the *thread* that forked the child exits, not the process. A test
// that lazily starts a shared cluster from an Asio worker thread would lose its servers as soon
// as that thread ends. So every fork happens on one thread that lives as long as the process.
struct spawn_job {
    const char* path = nullptr;
    std::vector<char*> argv;
    int stdin_fd = -1;
    int stdout_fd = -1;
    int stderr_fd = -1;
    int exec_error_fd = -1; // write end of a CLOEXEC pipe: gets errno when exec fails
    pid_t pid = -1;
    int fork_errno = 0;
    bool done = false;
};

class spawner {
public:
    // Leaked on purpose: static destructors (which stop shared servers) must not destroy the mutex
    // and condition variable under the detached thread.
    static spawner& instance() {
        static spawner* s = new spawner;
        return *s;
    }

    void submit(spawn_job& job) {
        std::unique_lock lock(mutex_);
        jobs_.push_back(&job);
        cv_.notify_all();
        cv_.wait(lock, [&] { return job.done; });
    }

private:
    spawner() {
        owner_pid.store(::getpid());
        std::thread([this] { loop(); }).detach();
    }

    void loop() {
        // Signals are for the threads that run tests; the children reset their mask before exec.
        sigset_t all;
        sigfillset(&all);
        pthread_sigmask(SIG_BLOCK, &all, nullptr);
        std::unique_lock lock(mutex_);
        for (;;) {
            cv_.wait(lock, [&] { return !jobs_.empty(); });
            spawn_job* job = jobs_.front();
            jobs_.pop_front();
            fork_one(*job);
            job->done = true;
            cv_.notify_all();
        }
    }

    // Between fork and exec only async-signal-safe calls: the other threads of the test process
    // may hold the malloc lock at the time of the fork.
    static void fork_one(spawn_job& job) {
        const pid_t parent = ::getpid();
        const pid_t pid = ::fork();
        if (pid < 0) {
            job.fork_errno = errno;
            return;
        }
        if (pid > 0) {
            record_pid(pid);
            job.pid = pid;
            return;
        }
        // Child.
        if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) ::_exit(126);
        if (::getppid() != parent) ::_exit(126); // the parent died before prctl took effect
        struct sigaction dfl {};
        dfl.sa_handler = SIG_DFL;
        sigemptyset(&dfl.sa_mask);
        for (int sig : cleanup_signals) ::sigaction(sig, &dfl, nullptr);
        ::sigaction(SIGPIPE, &dfl, nullptr);
        ::sigaction(SIGCHLD, &dfl, nullptr);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        if (job.stdin_fd >= 0) ::dup2(job.stdin_fd, 0);
        if (job.stdout_fd >= 0) ::dup2(job.stdout_fd, 1);
        if (job.stderr_fd >= 0) ::dup2(job.stderr_fd, 2);
        ::execv(job.path, job.argv.data());
        const int err = errno;
        [[maybe_unused]] auto n = ::write(job.exec_error_fd, &err, sizeof err);
        ::_exit(127);
    }

    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<spawn_job*> jobs_;
};

std::string find_in_path(const std::string& name) {
    if (name.find('/') != std::string::npos) return name;
    std::string path = env_or_empty("PATH");
    if (path.empty()) path = "/usr/local/bin:/usr/bin:/bin";
    std::istringstream dirs(path);
    for (std::string dir; std::getline(dirs, dir, ':');) {
        std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    throw std::system_error(ENOENT, std::generic_category(), "command not found in PATH: " + name);
}

// ---- sockets ----------------------------------------------------------------------------------
struct socket_address {
    sockaddr_storage storage{};
    socklen_t length = 0;
    int family = AF_INET;
};

std::optional<socket_address> make_address(const std::string& host, std::uint16_t port) {
    socket_address a;
    auto* v4 = reinterpret_cast<sockaddr_in*>(&a.storage);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&a.storage);
    if (::inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        a.length = sizeof(sockaddr_in);
        a.family = AF_INET;
        return a;
    }
    if (::inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        a.length = sizeof(sockaddr_in6);
        a.family = AF_INET6;
        return a;
    }
    return std::nullopt;
}

// Can a listening socket be bound to host:port right now? SO_REUSEADDR as redis-server uses it,
// so a port that only has TIME_WAIT leftovers counts as free. missing_ok: a host address that does
// not exist here (no IPv6) counts as free, as redis-server treats "-::1" as optional.
bool bindable(const std::string& host, std::uint16_t port, bool missing_ok) {
    auto addr = make_address(host, port);
    if (!addr) return false;
    unique_fd fd(::socket(addr->family, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (fd.get() < 0) return missing_ok;
    int one = 1;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (addr->family == AF_INET6) ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr->storage), addr->length) != 0)
        return missing_ok && errno == EADDRNOTAVAIL;
    return ::listen(fd.get(), 1) == 0;
}

bool port_free(std::uint16_t port) {
    return bindable("127.0.0.1", port, false) && bindable("::1", port, true);
}

// Non-blocking connect bounded by the deadline. Returns the connected socket or -1.
unique_fd connect_with_deadline(const std::string& host, std::uint16_t port, steady::time_point deadline) {
    auto addr = make_address(host, port);
    if (!addr) return unique_fd{};
    unique_fd fd(::socket(addr->family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (fd.get() < 0) return unique_fd{};
    if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr->storage), addr->length) == 0) return fd;
    if (errno != EINPROGRESS) return unique_fd{};
    pollfd p{fd.get(), POLLOUT, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now());
    if (::poll(&p, 1, static_cast<int>(std::max<long long>(0, left.count()))) != 1) return unique_fd{};
    int err = 0;
    socklen_t len = sizeof err;
    if (::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) return unique_fd{};
    return fd;
}

int poll_ms_until(steady::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now()).count();
    return static_cast<int>(std::clamp<long long>(left, 0, 1000));
}

} // namespace

// ---- process ------------------------------------------------------------------------------------

process::process(process&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), reaped_(other.reaped_), status_(other.status_) {}

process& process::operator=(process&& other) noexcept {
    if (this != &other) {
        if (valid() && !reaped_) kill();
        pid_ = std::exchange(other.pid_, -1);
        reaped_ = other.reaped_;
        status_ = other.status_;
    }
    return *this;
}

process::~process() {
    if (valid() && !reaped_) kill();
}

process process::spawn(const std::vector<std::string>& argv, const options& opts) {
    if (argv.empty()) throw std::invalid_argument("process::spawn: empty argv");
    install_cleanup_handlers();

    // Everything the child needs is prepared here, before fork: the child may not allocate.
    const std::string path = find_in_path(argv[0]);
    std::vector<std::string> args = argv;
    spawn_job job;
    job.path = path.c_str();
    for (auto& a : args) job.argv.push_back(a.data());
    job.argv.push_back(nullptr);

    unique_fd null_in(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    if (null_in.get() < 0) throw_errno("open /dev/null");
    job.stdin_fd = null_in.get();
    unique_fd log;
    if (opts.output_fd >= 0) {
        job.stdout_fd = job.stderr_fd = opts.output_fd;
    } else if (!opts.log_path.empty()) {
        log.reset(::open(opts.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
        if (log.get() < 0) throw_errno("open " + opts.log_path);
        job.stdout_fd = job.stderr_fd = log.get();
    }
    int error_pipe[2];
    if (::pipe2(error_pipe, O_CLOEXEC) != 0) throw_errno("pipe2");
    unique_fd error_read(error_pipe[0]);
    unique_fd error_write(error_pipe[1]);
    job.exec_error_fd = error_write.get();

    spawner::instance().submit(job);
    if (job.pid < 0) throw_errno("fork " + argv[0], job.fork_errno);
    process child;
    child.pid_ = job.pid;

    // The pipe reads 0 bytes when exec succeeded (CLOEXEC closed the child's end) and errno otherwise.
    error_write.reset();
    int exec_errno = 0;
    ssize_t n;
    do {
        n = ::read(error_read.get(), &exec_errno, sizeof exec_errno);
    } while (n < 0 && errno == EINTR);
    if (n == static_cast<ssize_t>(sizeof exec_errno)) {
        child.wait();
        throw_errno("exec " + path, exec_errno);
    }
    return child;
}

void process::reap(int status) noexcept {
    forget_pid(pid_);
    reaped_ = true;
    status_ = status;
}

bool process::running() {
    if (!valid() || reaped_) return false;
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
        reap(status);
        return false;
    }
    if (r < 0 && errno == ECHILD) { // someone else reaped it (SIGCHLD set to SIG_IGN)
        reap(0);
        return false;
    }
    return true;
}

bool process::signal(int sig) {
    if (!valid() || reaped_) return false;
    return ::kill(pid_, sig) == 0;
}

bool process::wait_for(std::chrono::milliseconds timeout) {
    const auto deadline = steady::now() + timeout;
    auto pause = 1ms;
    while (running()) {
        if (steady::now() >= deadline) return false;
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::milliseconds(10));
    }
    return true;
}

int process::wait() {
    if (!valid()) return -1;
    while (!reaped_) {
        int status = 0;
        const pid_t r = ::waitpid(pid_, &status, 0);
        if (r == pid_) reap(status);
        else if (r < 0 && errno == ECHILD) reap(0);
    }
    return exit_code();
}

void process::terminate(std::chrono::milliseconds grace) {
    if (!running()) return;
    signal(SIGTERM);
    signal(SIGCONT);
    if (!wait_for(grace)) kill();
}

void process::kill() {
    if (!valid() || reaped_) return;
    ::kill(pid_, SIGKILL);
    wait();
}

int process::exit_code() const noexcept {
    if (!reaped_) return -1;
    if (WIFEXITED(status_)) return WEXITSTATUS(status_);
    if (WIFSIGNALED(status_)) return 128 + WTERMSIG(status_);
    return -1;
}

std::string process::describe_exit() const {
    if (!reaped_) return "still running";
    if (WIFSIGNALED(status_)) return "killed by signal " + std::to_string(WTERMSIG(status_));
    return "exited with " + std::to_string(exit_code());
}

// ---- run --------------------------------------------------------------------------------------

run_result run(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
    const auto deadline = steady::now() + timeout;
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw_errno("pipe2");
    unique_fd read_end(fds[0]);
    unique_fd write_end(fds[1]);
    process child = process::spawn(argv, process::options{.log_path = {}, .output_fd = write_end.get()});
    write_end.reset(); // EOF arrives when the child (the only other holder) exits

    run_result result;
    char buffer[4096];
    for (;;) {
        pollfd p{read_end.get(), POLLIN, 0};
        const int ready = ::poll(&p, 1, poll_ms_until(deadline));
        if (ready < 0 && errno != EINTR) throw_errno("poll");
        if (ready > 0) {
            const ssize_t n = ::read(read_end.get(), buffer, sizeof buffer);
            if (n > 0) {
                result.output.append(buffer, static_cast<std::size_t>(n));
                continue;
            }
            if (n == 0) break;
            if (errno != EINTR && errno != EAGAIN) break;
        }
        if (steady::now() >= deadline) {
            result.timed_out = true;
            break;
        }
    }
    if (result.timed_out) {
        child.kill();
        return result;
    }
    // The output is complete; the exit normally follows at once.
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now());
    if (!child.wait_for(std::max(left, std::chrono::milliseconds(100)))) {
        child.kill();
        result.timed_out = true;
        return result;
    }
    result.exit_code = child.exit_code();
    return result;
}

// ---- signals ----------------------------------------------------------------------------------

void install_cleanup_handlers() {
    static std::once_flag once;
    std::call_once(once, [] {
        owner_pid.store(::getpid());
        for (int sig : cleanup_signals) {
            // A signal ignored on purpose stays ignored: a background job of a non-interactive
            // shell ignores SIGINT, nohup ignores SIGHUP.
            if (::sigaction(sig, nullptr, &previous_actions[sig]) == 0 && previous_actions[sig].sa_handler == SIG_IGN)
                continue;
            struct sigaction action {};
            action.sa_handler = cleanup_signal_handler;
            sigemptyset(&action.sa_mask);
            action.sa_flags = SA_RESTART;
            ::sigaction(sig, &action, &previous_actions[sig]);
        }
    });
}

// ---- ports ------------------------------------------------------------------------------------

std::uint16_t pick_free_port(bool with_cluster_bus) {
    static std::mutex mutex;
    static std::set<std::uint16_t> handed_out;
    static std::mt19937 rng(std::random_device{}() ^ static_cast<unsigned>(::getpid()) ^
                            static_cast<unsigned>(steady::now().time_since_epoch().count()));
    std::lock_guard lock(mutex);

    // Stay below the ephemeral range: those ports are handed to every outgoing connection
    // (including redis-cli's), and a restart on the same port must not find one of them there.
    int ephemeral_low = 32768;
    {
        std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
        int low = 0, high = 0;
        if (range >> low >> high && low > 0) ephemeral_low = low;
    }
    constexpr int lowest = 10000;
    constexpr int highest = 55535;
    const int bus_offset = with_cluster_bus ? 10000 : 0;
    const int top = std::min(ephemeral_low - 1 - bus_offset, highest);

    auto usable = [&](int port) {
        const auto p = static_cast<std::uint16_t>(port);
        if (handed_out.count(p) != 0) return false;
        if (with_cluster_bus && handed_out.count(static_cast<std::uint16_t>(port + 10000)) != 0) return false;
        if (!port_free(p)) return false;
        return !with_cluster_bus || port_free(static_cast<std::uint16_t>(port + 10000));
    };
    auto take = [&](int port) {
        handed_out.insert(static_cast<std::uint16_t>(port));
        if (with_cluster_bus) handed_out.insert(static_cast<std::uint16_t>(port + 10000));
        return static_cast<std::uint16_t>(port);
    };

    if (top - lowest >= 1000) {
        std::uniform_int_distribution<int> dist(lowest, top);
        for (int attempt = 0; attempt < 500; ++attempt) {
            const int port = dist(rng);
            if (usable(port)) return take(port);
        }
    }
    // Odd port range configuration: ask the kernel (bind port 0) and keep what fits.
    for (int attempt = 0; attempt < 500; ++attempt) {
        unique_fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), len) != 0) continue;
        if (::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&a), &len) != 0) continue;
        const int port = ntohs(a.sin_port);
        fd.reset();
        if (port <= highest - bus_offset && usable(port)) return take(port);
    }
    throw std::runtime_error("pick_free_port: no free loopback port found");
}

bool port_accepts(const std::string& host, std::uint16_t port, std::chrono::milliseconds timeout) {
    return connect_with_deadline(host, port, steady::now() + timeout).get() >= 0;
}

std::optional<std::string> tcp_ping(const std::string& host, std::uint16_t port, std::chrono::milliseconds timeout) {
    const auto deadline = steady::now() + timeout;
    unique_fd fd = connect_with_deadline(host, port, deadline);
    if (fd.get() < 0) return std::nullopt;
    static constexpr char ping[] = "PING\r\n";
    if (::send(fd.get(), ping, sizeof ping - 1, MSG_NOSIGNAL) != static_cast<ssize_t>(sizeof ping - 1))
        return std::nullopt;
    std::string reply;
    char buffer[256];
    while (reply.find("\r\n") == std::string::npos) {
        pollfd p{fd.get(), POLLIN, 0};
        if (::poll(&p, 1, poll_ms_until(deadline)) <= 0) {
            if (steady::now() >= deadline) return std::nullopt;
            continue;
        }
        const ssize_t n = ::recv(fd.get(), buffer, sizeof buffer, 0);
        if (n <= 0) return std::nullopt;
        reply.append(buffer, static_cast<std::size_t>(n));
    }
    return reply.substr(0, reply.find("\r\n"));
}

// ---- /proc ------------------------------------------------------------------------------------

bool process_exists(pid_t pid) {
    struct stat st {};
    return pid > 0 && ::stat(("/proc/" + std::to_string(pid)).c_str(), &st) == 0;
}

char process_state(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(in, line)) return 0;
    // "pid (comm) S ...": comm may contain spaces and parentheses, the state follows the last ')'.
    const auto close = line.rfind(')');
    if (close == std::string::npos || close + 2 >= line.size()) return 0;
    return line[close + 2];
}

std::string env_or_empty(const char* name) {
    const char* value = std::getenv(name);
    return value ? value : "";
}

} // namespace respio_test
