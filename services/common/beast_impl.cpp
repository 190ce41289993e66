// NAME
//   beast_impl.cpp - the one translation unit that compiles Beast.
//
// DESCRIPTION
//   As asio_impl.cpp for Asio: with BOOST_BEAST_SEPARATE_COMPILATION only
//   this file compiles Beast's implementation; webd's files include its
//   declarations.
#include <boost/beast/src.hpp>
