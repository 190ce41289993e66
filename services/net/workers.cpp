// NAME
//   workers.cpp - threads for the blocking work of a daemon.
#include "net/workers.h"

#include <boost/asio/post.hpp>

namespace appliance::net {

Workers::Workers(std::size_t threads) : pool_(threads) {}

Workers::~Workers() { join(); }

void Workers::run(std::function<void()> job) { boost::asio::post(pool_, std::move(job)); }

void Workers::join() { pool_.join(); }

}  // namespace appliance::net
