// The connection handshake as a sans-io state machine: HELLO 3 (with AUTH and SETNAME), SELECT,
// CLIENT SETINFO, pipelined in one write; the RESP2 fallback (AUTH, CLIENT SETNAME, ...) when the
// server refuses HELLO. Fed one reply at a time; says what to write next, or how it ended.
#ifndef RESPIO_DETAIL_HANDSHAKE_HPP
#define RESPIO_DETAIL_HANDSHAKE_HPP

#include <respio/config.hpp>
#include <respio/detail/config.hpp>
#include <respio/error.hpp>
#include <respio/types.hpp>

#include <boost/system/error_code.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace respio::detail {

class handshake {
public:
    struct step {
        enum class kind { read, write, done, failed };
        kind what = kind::read;
        std::string_view bytes;  ///< write: what to send (the fallback round)
        boost::system::error_code ec; ///< failed: auth_failed, permission_denied, handshake_failed, ...
        std::string message;     ///< failed: the server's text (never a credential)
    };

    /// `extra` commands (already serialized) go at the end of every round; their errors fail the
    /// handshake (READONLY on a replica connection, resubscription, ...).
    RESPIO_DECL handshake(const client_config& config, std::vector<std::string> extra = {}, std::size_t extra_replies = 0);

    /// The bytes of the first round (empty when there is nothing to say: done at once).
    std::string_view start() const noexcept { return bytes_; }
    /// Replies the current round waits for.
    std::size_t round_replies() const noexcept { return expect_.size(); }
    /// The next reply of the current round.
    RESPIO_DECL step on_reply(const value& reply);

    /// The protocol spoken once done: 3 after HELLO 3, 2 otherwise.
    int protocol() const noexcept { return protocol_; }

private:
    enum class role : unsigned char { hello, auth, setname, select, setinfo, extra };
    void build(bool resp3);
    step fail(error e, const value& reply);

    const client_config* config_;
    std::vector<std::string> extra_;
    std::size_t extra_replies_;
    std::string bytes_;
    std::vector<role> expect_; // one per reply of the current round
    std::size_t next_ = 0;
    int protocol_ = 2;
    bool fell_back_ = false;
    step pending_failure_;      // a failure seen mid-round: reported once the round is read
    bool has_pending_failure_ = false;
    bool fallback_pending_ = false;
};

} // namespace respio::detail

#ifdef RESPIO_HEADER_ONLY
#include <respio/impl/handshake.ipp>
#endif

#endif // RESPIO_DETAIL_HANDSHAKE_HPP
