// Where the examples find their servers: scripts/demo (through respio-servers) exports the
// addresses of throwaway local servers; without it, the usual local defaults.
#ifndef RESPIO_EXAMPLES_EXAMPLE_ENV_HPP
#define RESPIO_EXAMPLES_EXAMPLE_ENV_HPP

#include <cstdlib>
#include <string>

inline std::string env_or(const char* name, const char* fallback) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? v : fallback;
}

#endif // RESPIO_EXAMPLES_EXAMPLE_ENV_HPP
