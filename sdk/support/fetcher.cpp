#include <sluice/support/fetcher.hpp>

#include "host_limiter.hpp"

#include <sluice/connector.hpp>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace sluice::support {

// The queue, the workers and what their jobs left for wait().
struct FetchPool::State {
  HttpOptions options;  // the connector's
  std::shared_ptr<AuthProvider> auth;
  FetchLimits limits;
  std::shared_ptr<detail::HostLimiter> host;

  struct Job {
    size_t ticket;
    std::function<void(HttpClient&)> run;
  };
  std::mutex mutex;
  std::condition_variable changed;  // a job queued or ended, abandon or stop
  std::deque<Job> queue;
  std::set<size_t> unfinished;                   // queued or running
  std::map<size_t, std::exception_ptr> failed;   // ended with an exception, not yet waited
  size_t next_ticket = 0;
  size_t running = 0;
  bool stopping = false;
  std::atomic<bool> abandoning{false};
  std::vector<std::thread> workers;  // started on demand, up to limits.concurrency

  bool stopped() const { return abandoning || (options.cancelled && options.cancelled()); }
  void work();
  struct Worker;
};

// One worker's client and its slot with the host. The client's options are
// the connector's, cancelled also while the pool abandons, and each answer
// reported to the host: after a rate-limited one the slot is given back and
// taken again before the client's retry, so a halved limit is felt by
// requests already running.
struct FetchPool::State::Worker {
  explicit Worker(FetchPool::State& pool);
  bool take_slot();  // false: stopped first
  void give_slot();

  FetchPool::State& pool;
  std::unique_ptr<HttpClient> client;
  bool holding = false;
  uint64_t epoch = 0;
};

FetchPool::State::Worker::Worker(FetchPool::State& state) : pool(state) {
  HttpOptions mine = pool.options;
  mine.cancelled = [&state = pool] { return state.stopped(); };
  mine.on_answer = [this, user = pool.options.on_answer](int status, bool rate_limited) {
    if (user) user(status, rate_limited);
    pool.host->answer(status, rate_limited, epoch);
    if (rate_limited && holding) {
      give_slot();
      take_slot();  // when it fails, the client's next check of `cancelled` throws
    }
  };
  mine.on_response = [this, user = pool.options.on_response](const HttpResponse& response) {
    if (user) user(response);
    if (auto budget = detail::server_budget(response)) pool.host->budget(*budget);
  };
  client = std::make_unique<HttpClient>(std::move(mine));
  if (pool.auth) client->set_auth(pool.auth);
}

bool FetchPool::State::Worker::take_slot() {
  const auto taken = pool.host->acquire([this] { return pool.stopped(); }, pool.options);
  if (!taken) return false;
  holding = true;
  epoch = *taken;
  return true;
}

void FetchPool::State::Worker::give_slot() {
  if (!holding) return;
  holding = false;
  pool.host->release();
}

void FetchPool::State::work() {
  Worker worker(*this);
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex);
      changed.wait(lock, [&] { return stopping || !queue.empty(); });
      if (queue.empty()) return;  // stopping
      job = std::move(queue.front());
      queue.pop_front();
      ++running;
    }
    std::exception_ptr error;
    try {
      if (!worker.take_slot()) throw Cancelled();
      job.run(*worker.client);
    } catch (...) {
      error = std::current_exception();
    }
    worker.give_slot();
    job.run = nullptr;  // what it captured goes before the job counts as ended
    std::lock_guard lock(mutex);
    --running;
    unfinished.erase(job.ticket);
    // Moved, not copied: the waiting thread must hold the last reference.
    // A copy left here would be released after the unlock, and could free
    // the exception on this thread while the waiter still reads it (the
    // count is atomic inside libstdc++, so it is not a bug, but TSan cannot
    // see that synchronisation and reports the destructor racing e.what()).
    if (error) failed.emplace(job.ticket, std::move(error));
    changed.notify_all();
  }
}

FetchPool::FetchPool(const HttpOptions& options, std::shared_ptr<AuthProvider> auth, const std::string& url,
                     FetchLimits limits)
    : state_(std::make_unique<State>()) {
  state_->options = options;
  state_->auth = std::move(auth);
  state_->limits = limits;
  state_->limits.concurrency = std::max<size_t>(1, limits.concurrency);
  state_->host = detail::host_limiter(url);
  state_->host->join(state_->limits);
}

FetchPool::~FetchPool() {
  abandon();
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
    state_->changed.notify_all();
  }
  for (auto& worker : state_->workers) worker.join();
  state_->host->leave(state_->limits);
}

size_t FetchPool::submit(std::function<void(HttpClient&)> job) {
  std::lock_guard lock(state_->mutex);
  const size_t ticket = state_->next_ticket++;
  state_->queue.push_back({ticket, std::move(job)});
  state_->unfinished.insert(ticket);
  // A worker per job waiting, up to the setting; idle ones wait for more.
  if (state_->workers.size() < state_->limits.concurrency &&
      state_->workers.size() < state_->running + state_->queue.size()) {
    state_->workers.emplace_back([state = state_.get()] { state->work(); });
  }
  state_->changed.notify_all();
  return ticket;
}

void FetchPool::wait(size_t ticket) {
  std::unique_lock lock(state_->mutex);
  while (state_->unfinished.count(ticket)) {
    if (state_->options.cancelled && state_->options.cancelled()) throw Cancelled();
    state_->changed.wait_for(lock, std::chrono::milliseconds(100));
  }
  const auto failed = state_->failed.find(ticket);
  if (failed == state_->failed.end()) return;
  const std::exception_ptr error = failed->second;
  state_->failed.erase(failed);
  std::rethrow_exception(error);
}

bool FetchPool::done(size_t ticket) const {
  std::lock_guard lock(state_->mutex);
  return ticket < state_->next_ticket && !state_->unfinished.count(ticket);
}

void FetchPool::abandon() {
  std::unique_lock lock(state_->mutex);
  for (const auto& job : state_->queue) state_->unfinished.erase(job.ticket);
  std::deque<State::Job> dropped;
  dropped.swap(state_->queue);
  if (state_->running > 0) {
    state_->abandoning = true;
    state_->host->wake();
    state_->changed.wait(lock, [&] { return state_->running == 0; });
    state_->abandoning = false;
  }
  state_->failed.clear();
  lock.unlock();  // the dropped jobs' captures are released outside the lock
}

size_t FetchPool::concurrency() const { return state_->limits.concurrency; }

}  // namespace sluice::support
