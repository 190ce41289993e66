// NAME
//   overload.h - Overload{lambdas...}: one visitor for a std::variant from lambdas.
#pragma once

namespace appliance {

template <class... F>
struct Overload : F... {
  using F::operator()...;
};
template <class... F>
Overload(F...) -> Overload<F...>;

}  // namespace appliance
