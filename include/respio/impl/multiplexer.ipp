// Body of respio/detail/multiplexer.hpp.
#ifndef RESPIO_IMPL_MULTIPLEXER_IPP
#define RESPIO_IMPL_MULTIPLEXER_IPP

#include <respio/detail/multiplexer.hpp>

#include <algorithm>
#include <cstring>

namespace respio::detail {

namespace mux_impl {
// Reads of at least this much: few system calls for small replies, no 4 KiB growth steps.
inline constexpr std::size_t min_read = 64 * 1024;
// A buffer grown past this for one large reply is given back once it is empty again. Large
// enough that a stream of 1 MiB values does not shrink and re-grow (and re-zero) it every reply.
inline constexpr std::size_t keep_capacity = 16 * 1024 * 1024;
} // namespace mux_impl

RESPIO_DECL void multiplexer::enqueue(request_base* r) {
    r->status = request_base::state::queued;
    r->received_replies = 0;
    queued_.push_back(r);
}

RESPIO_DECL bool multiplexer::cancel(std::uint64_t id) {
    auto match = [id](const request_base* r) { return r->id == id; };
    if (auto it = std::find_if(queued_.begin(), queued_.end(), match); it != queued_.end()) {
        request_base* r = *it;
        queued_.erase(it);
        r->status = request_base::state::done;
        r->complete(error::cancelled_not_sent);
        r->release();
        return true;
    }
    if (auto it = std::find_if(written_.begin(), written_.end(), match);
        it != written_.end() && (*it)->status == request_base::state::written) {
        // Its replies will still come: the request stays in line, abandoned, to consume them.
        (*it)->status = request_base::state::abandoned;
        (*it)->complete(error::cancelled_outcome_unknown);
        return true;
    }
    return false;
}

RESPIO_DECL std::string_view multiplexer::begin_write() {
    write_buffer_.clear();
    write_ends_.clear();
    batch_.clear();
    while (!queued_.empty()) {
        request_base* r = queued_.front();
        queued_.pop_front();
        write_buffer_.append(r->bytes);
        write_ends_.push_back(write_buffer_.size());
        r->status = request_base::state::written;
        written_.push_back(r);
        batch_.push_back(r);
    }
    writing_ = true;
    return write_buffer_;
}

RESPIO_DECL void multiplexer::end_write(boost::system::error_code ec, std::size_t written_bytes) {
    writing_ = false;
    bytes_written_ += written_bytes;
    if (ec) {
        // Requests of this write that did not get a single byte out were not sent: back to the
        // front of the queue, in order. (batch_ holds those still in written_, at its tail.)
        std::vector<request_base*> unsent;
        const std::size_t offset = write_ends_.size() - batch_.size();
        for (std::size_t i = 0; i < batch_.size(); ++i) {
            const std::size_t k = offset + i;
            const std::size_t start = k == 0 ? 0 : write_ends_[k - 1];
            if (start >= written_bytes) unsent.push_back(batch_[i]);
        }
        for (auto it = unsent.rbegin(); it != unsent.rend(); ++it) {
            request_base* r = *it;
            written_.erase(std::find(written_.begin(), written_.end(), r));
            if (r->status == request_base::state::abandoned) { // already completed
                r->release();
                continue;
            }
            r->status = request_base::state::queued;
            queued_.push_front(r);
        }
    }
    batch_.clear();
}

RESPIO_DECL std::span<char> multiplexer::prepare_read(std::size_t min) {
    const std::size_t want = std::max({min, mux_impl::min_read, parser_.needed()});
    if (read_buffer_.size() - read_end_ < want) {
        if (read_start_ > 0) { // move the partial reply to the front
            std::memmove(read_buffer_.data(), read_buffer_.data() + read_start_, read_end_ - read_start_);
            read_end_ -= read_start_;
            read_start_ = 0;
        }
        if (read_buffer_.size() - read_end_ < want) read_buffer_.resize(read_end_ + want);
    }
    return {read_buffer_.data() + read_end_, read_buffer_.size() - read_end_};
}

RESPIO_DECL void multiplexer::finish_reply() {
    if (target_ == target::redirect) {
        request_base* r = written_.front();
        written_.pop_front();
        if (!batch_.empty() && batch_.front() == r) batch_.pop_front();
        target_ = target::none;
        if (r->status == request_base::state::abandoned) { // cancelled meanwhile: nothing to retry
            r->release();
            return;
        }
        ++r->redirects;
        redirect_sink_->on_redirect(r);
        return;
    }
    if (target_ == target::push) {
        ++pushes_;
        if (push_sink_) push_sink_->on_push_end();
    } else if (target_ == target::request) {
        request_base* r = written_.front();
        if (++r->received_replies == r->expected_replies) {
            written_.pop_front();
            if (!batch_.empty() && batch_.front() == r) batch_.pop_front();
            if (r->status == request_base::state::written) {
                r->status = request_base::state::done;
                r->complete({});
            }
            // (abandoned: it was completed when it was cancelled or timed out)
            r->release();
        }
    }
    target_ = target::none;
}

RESPIO_DECL boost::system::error_code multiplexer::commit_read(std::size_t n) {
    read_end_ += n;
    bytes_read_ += n;
    boost::system::error_code ec;
    for (;;) {
        const std::string_view data(read_buffer_.data() + read_start_, read_end_ - read_start_);
        auto node = parser_.next(data, ec);
        if (ec) return error::protocol_error;
        if (!node) break;
        if (node->in_attribute) { // metadata for the value after it: not part of any result
            if (parser_.done()) return error::protocol_error; // an attribute alone is no reply
            continue;
        }
        if (target_ == target::none) {
            if (parser_.is_push() && node->depth == 0) {
                target_ = target::push;
            } else if (!written_.empty()) {
                target_ = target::request;
                request_base* r = written_.front();
                // A redirect-type error for a request that may be tried again elsewhere.
                if (redirect_sink_ && r->redirectable && r->expected_replies == r->skip_replies + 1 &&
                    r->received_replies == r->skip_replies && node->depth == 0 && resp::is_error(node->data_type)) {
                    switch (classify_server_error(node->value)) {
                    case server_errc::moved:
                    case server_errc::ask:
                    case server_errc::tryagain:
                    case server_errc::clusterdown:
                    case server_errc::loading:
                    case server_errc::masterdown:
                    case server_errc::readonly:
                        target_ = target::redirect;
                        r->redirect_error.assign(node->value);
                        break;
                    default: break;
                    }
                }
            } else {
                return error::protocol_error; // a reply nobody asked for: pairing is in doubt
            }
        }
        if (target_ == target::push) {
            if (push_sink_) push_sink_->on_push_node(*node);
        } else if (target_ == target::redirect) {
            // (the error node is kept in redirect_error; nothing is delivered)
        } else {
            request_base* r = written_.front();
            if (r->status == request_base::state::written && r->received_replies >= r->skip_replies)
                r->on_node(r->received_replies - r->skip_replies, *node);
        }
        if (parser_.done()) {
            read_start_ += parser_.consumed();
            parser_.reset();
            finish_reply();
        }
    }
    if (read_start_ == read_end_) { // nothing pending: start over at the front
        read_start_ = read_end_ = 0;
        if (read_buffer_.size() > mux_impl::keep_capacity) {
            read_buffer_.resize(mux_impl::min_read);
            read_buffer_.shrink_to_fit();
        }
    }
    return {};
}

RESPIO_DECL void multiplexer::connection_lost() {
    std::vector<request_base*> retry;
    // The request whose reply was being read: it has seen nodes already.
    const request_base* receiving = target_ == target::request && !written_.empty() ? written_.front() : nullptr;
    while (!written_.empty()) {
        request_base* r = written_.front();
        written_.pop_front();
        if (r->status != request_base::state::written) { // abandoned: already completed
            r->release();
            continue;
        }
        // A request that has seen part of its replies cannot take them again from the start (its
        // result holds the first attempt's nodes): it is settled like a non-retryable one.
        if (r->retryable && r->received_replies == 0 && r != receiving) {
            retry.push_back(r);
        } else {
            r->status = request_base::state::done;
            r->complete(error::outcome_unknown);
            r->release();
        }
    }
    for (auto it = retry.rbegin(); it != retry.rend(); ++it) {
        (*it)->status = request_base::state::queued;
        (*it)->received_replies = 0;
        queued_.push_front(*it);
    }
    batch_.clear();
    writing_ = false;
    parser_ = resp::parser(parser_.limits());
    read_start_ = read_end_ = 0;
    target_ = target::none;
}

RESPIO_DECL void multiplexer::fail_queued(boost::system::error_code ec) {
    while (!queued_.empty()) {
        request_base* r = queued_.front();
        queued_.pop_front();
        r->status = request_base::state::done;
        r->complete(ec);
        r->release();
    }
}

RESPIO_DECL clock::time_point multiplexer::earliest_deadline() const noexcept {
    clock::time_point t = clock::time_point::max();
    for (const request_base* r : queued_) t = std::min(t, r->deadline);
    for (const request_base* r : written_)
        if (r->status == request_base::state::written) t = std::min(t, r->deadline);
    return t;
}

RESPIO_DECL bool multiplexer::expire(clock::time_point now) {
    for (auto it = queued_.begin(); it != queued_.end();) {
        request_base* r = *it;
        if (r->deadline <= now) {
            it = queued_.erase(it);
            r->status = request_base::state::done;
            r->complete(error::timeout_not_sent);
            r->release();
        } else {
            ++it;
        }
    }
    bool close = false;
    for (request_base* r : written_) {
        if (r->status == request_base::state::written && r->deadline <= now) {
            r->status = request_base::state::abandoned;
            r->complete(error::timeout_outcome_unknown);
            close = true;
        }
    }
    return close;
}

} // namespace respio::detail

#endif // RESPIO_IMPL_MULTIPLEXER_IPP
