// NAME
//   damage_test - PostgreSQL: a page that fails its checksum refuses its
//   tenant, naming the schema; another tenant keeps working.
//
// DESCRIPTION
//   The server is stopped, a byte of the page that holds one tenant's
//   sealed chunks is changed on disk, and the server started again: reading
//   that page fails its checksum (data_corrupted), the tenant is refused from
//   then on, the other tenant reads its mail. The SQLite equivalents are in
//   sqlite/damage_test.cpp.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>

#include "store/postgres/pg.h"
#include "store/postgres/postgres_store.h"
#include "store/postgres/tenant.h"
#include "store/store_suite.h"

namespace appliance::store {
namespace {

struct Written {
  Id tenant = 0, account = 0, message = 0;
};

Result<Written> write_one(Store& store, const std::string& name) {
  auto t = store.create_tenant(name);
  if (!t) return t.error();
  auto tenant = store.tenant(t->id).value();
  auto a = tenant->create_account("alice@" + name + ".test");
  if (!a) return a.error();
  auto mb = tenant->create_mailbox(a->id, "INBOX");
  if (!mb) return mb.error();
  auto w = tenant->new_blob(a->id);
  if (!w) return w.error();
  if (auto r = (*w)->write(name + "'s mail"); !r) return r.error();
  auto m = tenant->append(std::move(*w), {a->id, mb->id, 0, 0, ""});
  if (!m) return m.error();
  return Written{t->id, a->id, m->id};
}

Result<void> read(TenantStore& t, const Written& w) {
  return t.read(w.account, w.message, [](std::string_view) -> Result<void> { return {}; });
}

void flip_a_byte(const std::filesystem::path& file, std::streamoff at) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(at);
  char c = 0;
  f.get(c);
  f.seekp(at);
  f.put(static_cast<char>(c ^ 0x55));
}

TEST(PostgresDamage, APageThatFailsItsChecksumRefusesItsTenant) {
  auto* server = testing::postgres_server();
  ASSERT_TRUE(server);
  auto db = server->create_database();
  ASSERT_TRUE(db.ok()) << db.message();
  char tmpl[] = "/var/tmp/store-test-XXXXXX";
  std::filesystem::path root = ::mkdtemp(tmpl);
  std::shared_ptr<void> cleanup(nullptr, [&](void*) {
    std::filesystem::remove_all(root);
    (void)server->drop_database(*db);
  });
  LocalDataKeySource keys(Secret(std::string(32, 'm')));
  postgres::Options options{server->conninfo(*db), &keys, root / "spool"};
  Written damaged, healthy;
  {
    auto store = postgres::open_store(options).value();
    damaged = write_one(*store, "damaged").value();
    healthy = write_one(*store, "healthy").value();
  }
  auto c = postgres::Connection::open(server->conninfo(*db),
                                      postgres::PgTenant::schema(damaged.tenant), "test");
  ASSERT_TRUE(c.ok()) << c.message();
  auto file = (*c)->query("SELECT pg_relation_filepath('chunks')").value().text(0, 0);
  c->reset();
  auto restarted = server->restart([&] { flip_a_byte(server->data_dir() / file, 4096); });
  ASSERT_TRUE(restarted.ok()) << restarted.message();

  auto reopened = postgres::open_store(options);
  ASSERT_TRUE(reopened.ok()) << reopened.message();
  auto store = std::move(*reopened);
  auto tenant = store->tenant(damaged.tenant).value();
  auto first = read(*tenant, damaged);
  ASSERT_FALSE(first.ok());
  EXPECT_NE(first.message().find("invalid page"), std::string::npos) << first.message();
  // From then on the tenant refuses every call; Store::tenant() opens it afresh.
  auto refused = tenant->message(damaged.account, damaged.message);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.message(),
            fmt::format("tenant {} refused: schema {} is damaged", damaged.tenant,
                        postgres::PgTenant::schema(damaged.tenant)));
  EXPECT_TRUE(read(*store->tenant(healthy.tenant).value(), healthy).ok());
}

}  // namespace
}  // namespace appliance::store
