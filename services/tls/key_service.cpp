// NAME
//   key_service.cpp - KeyService through keyd.
#include "tls/key_service.h"

namespace appliance::tls {
namespace {

class KeydKeyService final : public KeyService {
 public:
  KeydKeyService(std::string socket_path, std::chrono::milliseconds patience)
      : client_(std::move(socket_path), patience) {}

  Result<keyd::PublicKey> public_key(const std::string& name) override {
    return client_.public_key(name);
  }

  Result<keyd::Signed> sign(const std::string& key, keyd::SignScheme scheme,
                            std::string_view input) override {
    return client_.sign(key, scheme, input);
  }

 private:
  keyd::KeydClient client_;
};

}  // namespace

std::shared_ptr<KeyService> keyd_key_service(std::string socket_path,
                                             std::chrono::milliseconds patience) {
  return std::make_shared<KeydKeyService>(std::move(socket_path), patience);
}

}  // namespace appliance::tls
