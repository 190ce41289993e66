// NAME
//   received_test.cpp - the Received trace header.
#include <gtest/gtest.h>

#include "smtpd/received.h"

namespace appliance::smtpd {
namespace {

TEST(Received, ProtocolNames) {
  Trace t;
  EXPECT_EQ(trace_protocol(t), "ESMTP");
  t.tls = true;
  EXPECT_EQ(trace_protocol(t), "ESMTPS");
  t.authenticated = true;
  EXPECT_EQ(trace_protocol(t), "ESMTPSA");
  t.tls = false;
  EXPECT_EQ(trace_protocol(t), "ESMTPA");
  t.extended = false;
  EXPECT_EQ(trace_protocol(t), "SMTP");
}

TEST(Received, FullHeader) {
  Trace t{"client.example",         true, "2001:db8::5", "mail.example.test", true,      "TLSv1.3",
          "TLS_AES_256_GCM_SHA384", true, "0123abcd",    "bob@example.test",  1795397400};
  EXPECT_EQ(received_header(t),
            "Received: from client.example ([IPv6:2001:db8::5])\r\n"
            "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384)\r\n"
            "\tby mail.example.test with ESMTPSA id 0123abcd\r\n"
            "\tfor <bob@example.test>;\r\n"
            "\tMon, 23 Nov 2026 01:30:00 +0000\r\n");
  t.tls = false;
  t.recipient.clear();
  t.address = "192.0.2.1";
  EXPECT_EQ(received_header(t),
            "Received: from client.example ([192.0.2.1])\r\n"
            "\tby mail.example.test with ESMTPA id 0123abcd;\r\n"
            "\tMon, 23 Nov 2026 01:30:00 +0000\r\n");
}

}  // namespace
}  // namespace appliance::smtpd
