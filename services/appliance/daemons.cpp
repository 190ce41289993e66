// NAME
//   daemons.cpp - the list of supervised daemons.
#include "appliance/daemons.h"

namespace appliance {

const std::vector<DaemonSpec>& supervised_daemons() {
  // keyd first: every other daemon needs its keys.
  static const std::vector<DaemonSpec> list = {
      {"keyd", "appliance-keyd", {}},
  };
  return list;
}

}  // namespace appliance
