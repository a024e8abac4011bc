// Body of respio/detail/handshake.hpp.
#ifndef RESPIO_IMPL_HANDSHAKE_IPP
#define RESPIO_IMPL_HANDSHAKE_IPP

#include <respio/detail/handshake.hpp>
#include <respio/resp/serializer.hpp>
#include <respio/version.hpp>

namespace respio::detail {

RESPIO_DECL handshake::handshake(const client_config& config, std::vector<std::string> extra, std::size_t extra_replies)
    : config_(&config), extra_(std::move(extra)), extra_replies_(extra_replies) {
    build(config.protocol != protocol_version::resp2);
}

RESPIO_DECL void handshake::build(bool resp3) {
    const client_config& c = *config_;
    bytes_.clear();
    expect_.clear();
    next_ = 0;
    const bool auth = !c.auth.password.empty();
    if (resp3) {
        // HELLO 3 [AUTH user pass] [SETNAME name]: protocol, credentials and name in one reply.
        const std::string_view user = c.auth.username.empty() ? std::string_view("default") : c.auth.username;
        if (auth && !c.client_name.empty())
            resp::append_command(bytes_, "HELLO", 3, "AUTH", user, c.auth.password, "SETNAME", c.client_name);
        else if (auth)
            resp::append_command(bytes_, "HELLO", 3, "AUTH", user, c.auth.password);
        else if (!c.client_name.empty())
            resp::append_command(bytes_, "HELLO", 3, "SETNAME", c.client_name);
        else
            resp::append_command(bytes_, "HELLO", 3);
        expect_.push_back(role::hello);
    } else {
        if (auth) {
            if (c.auth.username.empty()) resp::append_command(bytes_, "AUTH", c.auth.password);
            else resp::append_command(bytes_, "AUTH", c.auth.username, c.auth.password);
            expect_.push_back(role::auth);
        }
        if (!c.client_name.empty()) {
            resp::append_command(bytes_, "CLIENT", "SETNAME", c.client_name);
            expect_.push_back(role::setname);
        }
    }
    if (c.database != 0) {
        resp::append_command(bytes_, "SELECT", c.database);
        expect_.push_back(role::select);
    }
    if (c.set_client_info) {
        resp::append_command(bytes_, "CLIENT", "SETINFO", "LIB-NAME", library_name);
        resp::append_command(bytes_, "CLIENT", "SETINFO", "LIB-VER", version_string);
        expect_.push_back(role::setinfo);
        expect_.push_back(role::setinfo);
    }
    for (const auto& e : extra_) bytes_.append(e);
    for (std::size_t i = 0; i < extra_replies_; ++i) expect_.push_back(role::extra);
}

RESPIO_DECL handshake::step handshake::fail(error e, const value& reply) {
    step s;
    s.what = step::kind::failed;
    s.ec = e;
    s.message = reply.string;
    // Servers quote the arguments of a command they do not know ("ERR unknown command 'HELLO',
    // with args beginning with: '3' 'AUTH' 'user' 'secret'"), and a proxy may quote more: drop the
    // arguments, and any other copy of the password, so that the text can be logged.
    if (const auto args = s.message.find(", with args beginning with"); args != std::string::npos) s.message.resize(args);
    const std::string& password = config_->auth.password;
    if (!password.empty()) {
        constexpr std::string_view redacted = "<redacted>";
        for (auto at = s.message.find(password); at != std::string::npos; at = s.message.find(password, at + redacted.size()))
            s.message.replace(at, password.size(), redacted);
    }
    return s;
}

RESPIO_DECL handshake::step handshake::on_reply(const value& reply) {
    if (next_ >= expect_.size()) return step{step::kind::failed, {}, error::protocol_error, "unexpected reply"};
    const role r = expect_[next_++];
    const bool last = next_ == expect_.size();

    if (reply.is_error() && !has_pending_failure_ && !fallback_pending_) {
        const server_errc code = classify_server_error(reply.string);
        const bool auth_problem = code == server_errc::wrongpass || code == server_errc::noauth;
        if (r == role::hello && (code == server_errc::noproto || code == server_errc::unknown_command) &&
            config_->protocol == protocol_version::resp3_or_resp2 && !fell_back_) {
            fallback_pending_ = true; // the rest of this round is read and ignored, then RESP2
        } else if (r == role::hello && (code == server_errc::noproto || code == server_errc::unknown_command)) {
            pending_failure_ = fail(error::resp3_unsupported, reply);
            has_pending_failure_ = true;
        } else if (auth_problem) {
            pending_failure_ = fail(error::auth_failed, reply);
            has_pending_failure_ = true;
        } else if (code == server_errc::noperm) {
            pending_failure_ = fail(error::permission_denied, reply);
            has_pending_failure_ = true;
        } else if (r == role::setinfo) {
            // Servers before 7.2 lack CLIENT SETINFO: nothing lost.
        } else {
            pending_failure_ = fail(error::handshake_failed, reply);
            has_pending_failure_ = true;
        }
    } else if (!reply.is_error() && r == role::hello && !fallback_pending_ && !has_pending_failure_) {
        protocol_ = 3;
    }

    if (!last) return step{};
    // The whole round is in: the connection is in a known state again.
    if (has_pending_failure_) return pending_failure_;
    if (fallback_pending_) {
        fallback_pending_ = false;
        fell_back_ = true;
        protocol_ = 2;
        build(false);
        if (expect_.empty()) return step{step::kind::done, {}, {}, {}};
        return step{step::kind::write, bytes_, {}, {}};
    }
    return step{step::kind::done, {}, {}, {}};
}

} // namespace respio::detail

#endif // RESPIO_IMPL_HANDSHAKE_IPP
