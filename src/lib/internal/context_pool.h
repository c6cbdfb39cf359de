// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_INTERNAL_CONTEXT_POOL_H
#define BRIGHTOFFICE_INTERNAL_CONTEXT_POOL_H

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "brightoffice/status.h"

namespace brightoffice::internal {

/// A bounded pool of gSOAP contexts (each with at most one connection), used by one call at a
/// time: at most `max_contexts` exist at once (in use and idle together), at most `max_idle`
/// are kept idle. A caller that finds them all in use waits for one until its deadline.
///
/// Thread Safety: all members may be called from any thread.
template <typename Context>
class ContextPool {
 public:
  using Clock = std::chrono::steady_clock;
  using Factory = std::function<std::unique_ptr<Context>()>;

  ContextPool(std::size_t max_contexts, std::size_t max_idle, Factory factory)
      : max_contexts_(max_contexts), max_idle_(std::min(max_idle, max_contexts)), factory_(std::move(factory)) {}

  /// An idle context, a new one, or (all `max_contexts` in use) the next one released before
  /// `deadline`; null when none became free in time.
  std::unique_ptr<Context> Acquire(Clock::time_point deadline) {
    std::unique_lock<std::mutex> lock(mu_);
    if (idle_.empty() && live_ >= max_contexts_) {
      ++waiting_;
      const bool got = freed_.wait_until(lock, deadline, [this] { return !idle_.empty() || live_ < max_contexts_; });
      --waiting_;
      if (!got) return nullptr;
    }
    if (!idle_.empty()) {
      std::unique_ptr<Context> c = std::move(idle_.back());
      idle_.pop_back();
      return c;
    }
    ++live_;
    lock.unlock();
    std::unique_ptr<Context> c = factory_();
    if (!c) Forget();
    return c;
  }

  /// Returns a context: kept idle when there is room (its connection stays open for the next
  /// call), else destroyed.
  void Release(std::unique_ptr<Context> c) {
    std::unique_lock<std::mutex> lock(mu_);
    if (idle_.size() < max_idle_ || waiting_ > 0) {
      idle_.push_back(std::move(c));
      lock.unlock();
      freed_.notify_one();
      return;
    }
    --live_;
    lock.unlock();
    freed_.notify_one();
    c.reset();  // outside the lock: closing a connection makes system calls
  }

  /// Contexts in existence (for tests).
  std::size_t live() const {
    std::lock_guard<std::mutex> lock(mu_);
    return live_;
  }

 private:
  void Forget() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      --live_;
    }
    freed_.notify_one();
  }

  const std::size_t max_contexts_;
  const std::size_t max_idle_;
  Factory factory_;
  mutable std::mutex mu_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Context>> idle_;
  std::size_t live_ = 0;
  std::size_t waiting_ = 0;
};

}  // namespace brightoffice::internal

#endif  // BRIGHTOFFICE_INTERNAL_CONTEXT_POOL_H
