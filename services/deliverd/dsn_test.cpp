// NAME
//   dsn_test - the bounce's parts and fields (RFC 3464), and the helpers.
#include "deliverd/dsn.h"

#include <gtest/gtest.h>

namespace appliance::deliverd {
namespace {

TEST(Dsn, HasTheThreePartsAndTheFields) {
  Bounce b{"mail.a.test",
           "alice@a.test",
           "7",
           1000,
           2000,
           {{"bob@b.test", "5.1.1", "550 5.1.1 No\x01 such user", "mx.b.test",
             "dane, TLSv1.3 TLS_AES_128_GCM_SHA256"}},
           "Subject: hi\r\nTo: bob@b.test"};
  std::string m = build_dsn(b);
  EXPECT_EQ(
      m.rfind("From: Mail Delivery System <MAILER-DAEMON@mail.a.test>\r\nTo: <alice@a.test>\r\n",
              0),
      0u);
  EXPECT_NE(m.find("Auto-Submitted: auto-replied\r\n"), std::string::npos);
  EXPECT_NE(m.find("boundary=\"7/2000\""), std::string::npos);
  EXPECT_NE(m.find("--7/2000\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; "
                   "mail.a.test\r\n"),
            std::string::npos);
  EXPECT_NE(
      m.find("Remote-MTA: dns; mx.b.test\r\nDiagnostic-Code: smtp; 550 5.1.1 No  such user\r\n"),
      std::string::npos)
      << m;
  EXPECT_NE(m.find("<bob@b.test>: 550 5.1.1 No  such user\r\n"
                   "  TLS policy: dane, TLSv1.3 TLS_AES_128_GCM_SHA256\r\n"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("Arrival-Date: Thu, 01 Jan 1970 00:16:40 +0000"), std::string::npos);
  EXPECT_NE(m.find("text/rfc822-headers\r\n\r\nSubject: hi\r\nTo: bob@b.test\r\n"),
            std::string::npos);
  EXPECT_EQ(m.substr(m.size() - 12), "--7/2000--\r\n");
}

TEST(Dsn, Helpers) {
  EXPECT_EQ(header_section("A: 1\r\nB: 2\r\n\r\nbody"), "A: 1\r\nB: 2");
  EXPECT_EQ(header_section("A: 1\r\nB: 2222\r\n", 9), "A: 1");
  EXPECT_EQ(status_of("5.1.1", 550), "5.1.1");
  EXPECT_EQ(status_of("", 451), "4.0.0");
}

}  // namespace
}  // namespace appliance::deliverd
