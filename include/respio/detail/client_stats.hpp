// client_stats: counters a client keeps about its connections (for tests and the observer).
#ifndef RESPIO_DETAIL_CLIENT_STATS_HPP
#define RESPIO_DETAIL_CLIENT_STATS_HPP

#include <cstddef>

namespace respio::detail {

/// Statistics of a client, for tests and the observer.
struct client_stats {
    std::size_t connects = 0;        ///< successful connection set-ups (handshake included)
    std::size_t connect_failures = 0;
    std::size_t disconnects = 0;
    std::size_t writes = 0;          ///< write operations completed (each at least one system call)
    std::size_t reads = 0;           ///< read operations completed (each at least one system call; the
                                     ///< event loop adds its own: see benchmarks/run's strace column)
    std::size_t bytes_written = 0;
    std::size_t bytes_read = 0;
    std::size_t pushes = 0;
};

} // namespace respio::detail

#endif // RESPIO_DETAIL_CLIENT_STATS_HPP
