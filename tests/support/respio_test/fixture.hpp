// Real redis-server processes for respio's tests: standalone, ACL/auth, replicas, cluster, TLS.
//
// Every server runs in the foreground as a child of the test process (see process.hpp), on a free
// loopback port (127.0.0.1 and ::1), with --dir inside a per-fixture temp dir /tmp/rfx-<pid>-XXXXXX
// that is removed at teardown (kept when RESPIO_KEEP_FIXTURE_DIRS is set). A fixture stops every
// process it started in its destructor. Starting a cluster costs ~2 s, so tests share lazily
// started instances (shared_cluster() etc.) and build private ones only for destructive tests.
//
// The options structs are filled by assignment (`cluster::options o; o.tls = tls_mode::mutual;`):
// g++ 12 warns (-Wmissing-field-initializers, an error here) on designated initializers that skip members.
#ifndef RESPIO_TEST_FIXTURE_HPP
#define RESPIO_TEST_FIXTURE_HPP

#include "respio_test/process.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace respio_test {

inline constexpr const char* loopback_v4 = "127.0.0.1";
inline constexpr const char* loopback_v6 = "::1";
inline constexpr int cluster_slot_count = 16384;

// A directory /tmp/rfx-<owner pid>-XXXXXX. Short, because unix socket paths are limited to
// 107 bytes; the owner pid lets the leftover check tell a leaked server from one in use, and lets
// the first temp_dir of a process remove the dirs of dead owners (a test killed by a ctest
// timeout cannot clean up; RESPIO_KEEP_FIXTURE_DIRS turns this off too).
class temp_dir {
public:
    temp_dir();
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    ~temp_dir(); // removes the tree unless RESPIO_KEEP_FIXTURE_DIRS is set
    const std::string& path() const noexcept { return path_; }

private:
    std::string path_;
};

// A CA, a server certificate (CN=localhost, SAN DNS:localhost, IP:127.0.0.1, IP:::1, EKU serverAuth
// and clientAuth, because the TLS cluster also presents it on the bus and for replication) and a
// client certificate, made with the openssl CLI in their own temp dir. EC P-256 keys: RSA key
// generation alone would cost a second.
class tls_certificates {
public:
    tls_certificates();
    const std::string& dir() const noexcept { return dir_.path(); }
    const std::string& ca_cert() const noexcept { return ca_cert_; }
    const std::string& server_cert() const noexcept { return server_cert_; }
    const std::string& server_key() const noexcept { return server_key_; }
    const std::string& client_cert() const noexcept { return client_cert_; }
    const std::string& client_key() const noexcept { return client_key_; }

private:
    temp_dir dir_;
    std::string ca_cert_, ca_key_, server_cert_, server_key_, client_cert_, client_key_;
};

// TLS flavour of a server. Anything but off means TLS only: --port 0 --tls-port P.
enum class tls_mode {
    off,
    server_only, // tls-auth-clients no: the client needs only the CA
    mutual,      // tls-auth-clients yes: the client must present a certificate
    optional,    // tls-auth-clients optional: a certificate is checked when given
};

// Passwords of an "auth" server: requirepass for the default user plus one ACL user.
struct credentials {
    std::string password = "defaultpass";
    std::string user = "alice";
    std::string user_password = "alicepass";
};

// How to run one redis-server.
struct server_config {
    std::string name = "server";  // subdirectory of the fixture dir
    std::uint16_t port = 0;       // 0: pick a free one. Otherwise tried first; a taken one is replaced.
    bool cluster = false;         // --cluster-enabled yes; port + 10000 must be free for the bus
    int cluster_node_timeout_ms = 2000;
    tls_mode tls = tls_mode::off;
    std::shared_ptr<const tls_certificates> certs; // required when tls != off
    std::optional<credentials> auth;               // requirepass + masterauth + ACL user
    bool unix_socket = true;                       // <dir>/redis.sock, perm 700
    std::vector<std::string> extra_args;           // appended last; multi-word directives as separate words
    std::chrono::milliseconds ready_timeout = 10s;
};

// One redis-server process: its port and dir survive restarts. The process-control functions
// apply to this node only and never touch a process by name.
class redis_server {
public:
    // Does not start the server; start() does.
    redis_server(std::string base_dir, server_config config);
    redis_server(const redis_server&) = delete;
    redis_server& operator=(const redis_server&) = delete;
    ~redis_server(); // terminate()

    // Spawns the server and waits until it answers: INFO showing its own process_id and
    // loading:0 (an answer from someone else's server on the port does not count). A port taken
    // by someone else (redis-server exits with "Address already in use") is replaced by a new
    // free one, unless the server has already run on it once (then a restart must keep it).
    void start();
    // The two halves of start(), to start several servers in parallel.
    void launch();
    void wait_ready(std::chrono::milliseconds timeout);
    void wait_ready() { wait_ready(config_.ready_timeout); }

    void kill();    // SIGKILL, reaped before returning: the port refuses afterwards
    void stop();    // SIGSTOP: connects still succeed (kernel backlog), nothing is answered
    void cont();    // SIGCONT
    // Starts it again on the same port with the same dir (a cluster node rejoins with its
    // nodes.conf); a running server is terminated first. Waits until it answers.
    void restart();
    // Graceful stop: SIGTERM, up to grace, then SIGKILL.
    void terminate(std::chrono::milliseconds grace = 4000ms);
    // The first half of a parallel terminate: SIGTERM (+SIGCONT), no waiting.
    void request_termination();

    bool running(); // false once exited (reaped) or never started
    bool stopped() const noexcept { return stopped_; }
    pid_t pid() const noexcept { return process_.pid(); }
    // Every pid this server has had (restarts add one).
    const std::vector<pid_t>& started_pids() const noexcept { return started_pids_; }

    const std::string& name() const noexcept { return config_.name; }
    const char* host() const noexcept { return loopback_v4; }
    std::uint16_t port() const noexcept { return port_; } // the TLS port for a TLS server
    std::string address() const;                          // "127.0.0.1:port"
    const std::string& dir() const noexcept { return dir_; }
    std::string log_path() const;
    std::string unix_socket() const; // empty when disabled
    bool tls() const noexcept { return config_.tls != tls_mode::off; }
    const server_config& config() const noexcept { return config_; }
    std::string log_tail(std::size_t max_bytes = 3000) const;

    // redis-cli arguments that reach this server: -h, -p, -e (error replies give a non-zero
    // exit), and the TLS (CA + client certificate) and auth (default user) arguments it needs.
    std::vector<std::string> cli_args() const;
    // Only the TLS and auth arguments (for redis-cli --cluster ..., or a -s unix socket call).
    std::vector<std::string> cli_connection_args() const;
    // redis-cli <cli_args()> <args...>, killed at the timeout.
    run_result cli(const std::vector<std::string>& args, std::chrono::milliseconds timeout = 10s) const;
    // Like cli(), but throws std::runtime_error unless redis-cli succeeded; returns the output
    // without trailing whitespace.
    std::string cli_output(const std::vector<std::string>& args, std::chrono::milliseconds timeout = 10s) const;

private:
    std::vector<std::string> server_args() const;

    std::string base_dir_;
    server_config config_;
    std::string dir_;
    std::uint16_t port_ = 0;
    bool port_fixed_ = false; // it has answered on port_ once: keep it for restarts
    bool stopped_ = false;
    process process_;
    std::size_t log_offset_ = 0; // log size at the last launch: errors of this launch start there
    std::vector<pid_t> started_pids_;
};

// Servers sharing one temp dir. Destroying the group terminates all of them in parallel and
// then removes the dir. Not thread-safe: use a group from one thread at a time (the shared_*()
// accessors below serialize their own setup).
class server_group {
public:
    server_group(const server_group&) = delete;
    server_group& operator=(const server_group&) = delete;
    virtual ~server_group();

    const std::string& dir() const noexcept { return dir_.path(); }
    std::size_t size() const noexcept { return servers_.size(); }
    redis_server& node(std::size_t i) { return *servers_.at(i); }
    const redis_server& node(std::size_t i) const { return *servers_.at(i); }
    // The node listening on this port, or nullptr.
    redis_server* node_by_port(std::uint16_t port);
    // Every pid any node of the group has had.
    std::vector<pid_t> started_pids() const;
    // Terminates every node in parallel (the destructor does this too).
    void terminate_all(std::chrono::milliseconds grace = 4000ms);
    // For shared instances: continues stopped nodes and restarts dead ones, then waits until the
    // group is healthy again. Returns true when it had to repair something.
    bool ensure_running();
    // Blocks until the group is usable: every node answers, replicas are online, a cluster is ok.
    // Throws at once when a node is not running or SIGSTOPped: waiting will not bring it back.
    virtual void wait_healthy(std::chrono::milliseconds timeout);

protected:
    server_group() = default;
    redis_server& add(server_config config);
    // Launches every node at once, then waits for each: much faster than one after the other.
    void start_all();

private:
    temp_dir dir_; // first member: removed after the servers below have stopped
    std::vector<std::unique_ptr<redis_server>> servers_;
};

// One standalone server. With auth: requirepass, an ACL user. Every standalone server also has a
// unix socket.
class standalone_server : public server_group {
public:
    struct options {
        bool auth = false;
        tls_mode tls = tls_mode::off;
        std::shared_ptr<const tls_certificates> certs; // null: shared_certificates()
        std::vector<std::string> extra_args;
        std::string name = "standalone";
        std::uint16_t port = 0; // 0: any free port
    };
    standalone_server() : standalone_server(options{}) {}
    explicit standalone_server(options opts);

    redis_server& server() { return node(0); }
    const redis_server& server() const { return node(0); }
    const char* host() const noexcept { return loopback_v4; }
    std::uint16_t port() const { return server().port(); }
    std::string address() const { return server().address(); }
    std::string unix_socket() const { return server().unix_socket(); }
    const std::optional<credentials>& auth() const { return server().config().auth; }
    const std::shared_ptr<const tls_certificates>& certs() const { return server().config().certs; }
    run_result cli(const std::vector<std::string>& args, std::chrono::milliseconds timeout = 10s) const {
        return server().cli(args, timeout);
    }
    std::string cli_output(const std::vector<std::string>& args, std::chrono::milliseconds timeout = 10s) const {
        return server().cli_output(args, timeout);
    }
};

// A primary and its replicas (--replicaof, --repl-diskless-sync-delay 0). Node 0 is the primary.
class replica_set : public server_group {
public:
    struct options {
        std::size_t replicas = 2;
        bool auth = false;
        tls_mode tls = tls_mode::off;
        std::shared_ptr<const tls_certificates> certs;
        std::vector<std::string> extra_args;
    };
    replica_set() : replica_set(options{}) {}
    explicit replica_set(options opts);

    redis_server& primary() { return node(0); }
    redis_server& replica(std::size_t i) { return node(i + 1); }
    std::size_t replica_count() const noexcept { return size() - 1; }
    // "127.0.0.1:primary,127.0.0.1:replica1,..."
    std::string addresses() const;
    // Healthy: INFO replication on the primary lists every replica with state=online, and every
    // replica reports master_link_status:up.
    void wait_healthy(std::chrono::milliseconds timeout) override;
};

struct slot_range {
    int first = 0;
    int last = 0; // inclusive
    friend bool operator==(const slot_range&, const slot_range&) = default;
};

// One line of CLUSTER NODES, joined with the fixture's view of the node.
struct cluster_node_info {
    std::string id;
    std::string host;
    std::uint16_t port = 0; // the client port (the TLS port in a TLS cluster)
    std::uint16_t bus_port = 0;
    std::string flags;      // "myself,master", "slave", "master,fail?", ...
    bool primary = false;
    bool failing = false;   // fail or fail? flag
    std::string primary_id; // replicas: the id of their primary
    bool connected = false; // link-state
    std::vector<slot_range> slots; // primaries: the slots they own (migrating/importing marks left out)
    // The fixture node behind this entry (matched by port), and its pid.
    std::optional<std::size_t> index;
    pid_t pid = -1;
    std::size_t slot_count() const;
};

// Parses the output of CLUSTER NODES.
std::vector<cluster_node_info> parse_cluster_nodes(std::string_view text);

// A cluster created with redis-cli --cluster create: primaries x (1 + replicas_per_primary) nodes.
// Which node became primary and which replica follows whom is learned from the servers (the
// create command shuffles replicas for anti-affinity), so ask topology() instead of assuming.
class cluster : public server_group {
public:
    struct options {
        std::size_t primaries = 3;
        std::size_t replicas_per_primary = 1;
        int node_timeout_ms = 2000;
        bool auth = false;
        tls_mode tls = tls_mode::off;
        std::shared_ptr<const tls_certificates> certs; // null: shared_certificates()
        std::vector<std::string> extra_args;
        std::chrono::milliseconds ready_timeout = 30s;
    };
    cluster() : cluster(options{}) {}
    explicit cluster(options opts);

    const options& config() const noexcept { return options_; }
    // "127.0.0.1:p1,127.0.0.1:p2,..." of all nodes.
    std::string seeds() const;
    // CLUSTER NODES as seen by the first node that answers (running and not SIGSTOPped).
    std::vector<cluster_node_info> topology();
    // The node's id (CLUSTER MYID).
    std::string node_id(std::size_t index);
    // Fixture indices of the current primaries (live), in slot order.
    std::vector<std::size_t> primaries();
    // Fixture indices of the replicas following this node (live).
    std::vector<std::size_t> replicas_of(std::size_t primary_index);
    // Fixture index of the primary owning the slot (live).
    std::size_t slot_owner(int slot);
    // Empty when healthy, otherwise what is wrong (for messages): every node cluster_state:ok and
    // knowing every node, every node connected and not failing, the primaries cover all 16384
    // slots, and each primary has replicas_per_primary replicas with state=online.
    std::string health_problem();
    void wait_healthy(std::chrono::milliseconds timeout) override;
    void wait_healthy() { wait_healthy(options_.ready_timeout); }
    // For failover tests, with some nodes killed or stopped: empty when every running node
    // reports cluster_state:ok and sees all 16384 slots owned by running, not stopped primaries.
    std::string serving_problem();
    void wait_serving(std::chrono::milliseconds timeout = 30s);

private:
    options options_;
};

// Lazily started instances shared by all tests of a process, stopped at exit. Each call also
// repairs the instance (ensure_running) in case an earlier test killed or stopped a node, but
// data and roles are not reset: destructive tests build private instances.
std::shared_ptr<const tls_certificates> shared_certificates();
standalone_server& shared_standalone();
standalone_server& shared_auth_server();       // credentials{} + unix socket
standalone_server& shared_tls_server();        // tls_mode::server_only
standalone_server& shared_mutual_tls_server(); // tls_mode::mutual
replica_set& shared_replica_set();             // primary + 2 replicas, no auth
cluster& shared_cluster();                     // 3 primaries + 3 replicas
cluster& shared_tls_cluster();                 // 3 primaries, no replicas, tls_mode::mutual

// The server and cli programs: $RESPIO_REDIS_SERVER / $RESPIO_REDIS_CLI when set (e.g.
// valkey-server, valkey-cli, or a path), otherwise redis-server / redis-cli from PATH.
std::string server_program();
std::string cli_program();

// Trims trailing spaces and newlines (redis-cli ends every reply with one).
std::string trim(std::string_view text);
// The value of "field:value" in INFO-style output, or nothing.
std::optional<std::string> info_field(std::string_view info, std::string_view field);

} // namespace respio_test

#endif // RESPIO_TEST_FIXTURE_HPP
