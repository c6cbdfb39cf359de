// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_BENCH_RAW_REQUEST_H
#define BRIGHTOFFICE_BENCH_RAW_REQUEST_H

// The ConfirmCustomerUserMFA request the raw-proxy clients send, built from the generated types
// directly (as an application driving BrightOfficeAPISoapProxy would), owning what it points at.

#include <string>

#include "brightoffice_gsoapH.h"
#include "canned_reply.h"

namespace brightoffice::bench {

struct RawRequest {
  std::string email = kEmail, code = kMfaCode, user = kApiUser, password = kApiPassword;
  ::brightoffice_gsoap::tempuri__CustomerInfo customer;
  ::brightoffice_gsoap::tempuri__UserInfo user_info;
  ::brightoffice_gsoap::_tempuri__ConfirmCustomerUserMFA request;

  RawRequest() {
    customer.Id = "00000000-0000-0000-0000-000000000000";
    customer.Email = &email;
    customer.MFACode = &code;
    user_info.Username = &user;
    user_info.Password = &password;
    request.CustomerInfo = &customer;
    request.UserInfo = &user_info;
  }
  RawRequest(const RawRequest&) = delete;
  RawRequest& operator=(const RawRequest&) = delete;
};

}  // namespace brightoffice::bench

#endif  // BRIGHTOFFICE_BENCH_RAW_REQUEST_H
