// NAME
//   asio_impl.cpp - the one translation unit that compiles Asio.
//
// DESCRIPTION
//   With BOOST_ASIO_SEPARATE_COMPILATION every other file includes only Asio's
//   declarations; its implementation is compiled here once (build time on two
//   cores matters).
#include <boost/asio/impl/src.hpp>
