// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// A real ASP.NET ASMX service (System.Web.Services on Mono) that answers ConfirmCustomerUserMFA
// and CustomerUserSendResetPassword by the project's test contract
// (shared/reference/test-contract.md), so that brightoffice-cpp can be checked against an
// independent SOAP stack and against a WSDL that ASMX writes itself.
//
// The C# class names deliberately differ from the type names of the project's reconstructed
// WSDL (CustomerInfo, UserInfo, EnquiryResult, SuccessCode): the live service's type names are
// not known, only its element names (from the help page), and those are what must match.
using System;
using System.Threading;
using System.Web.Services;
using System.Xml.Serialization;

namespace BrightOfficeInterop
{
    public enum ResultCode
    {
        SUCCESS,
        SYSTEMERROR,
        LOGINERROR,
        OTHER,
        MISSINGRECORD,
        PARAMETERERROR,
    }

    [XmlType("CustomerUserDetails")]
    public class CustomerUserDetails
    {
        [XmlElement("Id")] public Guid Id;
        [XmlElement("Email")] public string Email;
        [XmlElement("Password")] public string Password;
        [XmlElement("MFACode")] public string MFACode;
        [XmlElement("TemporaryPassword")] public string TemporaryPassword;
        [XmlElement("NewPassword")] public string NewPassword;
    }

    [XmlType("ApiUser")]
    public class ApiUser
    {
        [XmlElement("Username")] public string Username;
        [XmlElement("Password")] public string Password;
    }

    [XmlType("ApiResult")]
    public class ApiResult
    {
        [XmlElement("SuccessCode")] public ResultCode SuccessCode;
        [XmlElement("Message")] public string Message;
        [XmlElement("ExceptionMessage")] public string ExceptionMessage;
        [XmlElement("IsSystemError")] public bool IsSystemError;
    }

    // The test contract's rows for both customer-user operations, shared by this service and
    // the large one (large_service.py), which publishes the same classes among 250 others.
    public static class CustomerUserContract
    {
        static ApiResult Result(ResultCode code, string message)
        {
            return new ApiResult { SuccessCode = code, Message = message, ExceptionMessage = "", IsSystemError = false };
        }

        static string Crossed(string value)
        {
            if (value == null) return "no";
            return value.Length == 0 ? "empty" : "yes";
        }

        static string Who(CustomerUserDetails c)
        {
            return c.Email + " (" + c.Id.ToString("D") + ") newpw=" + Crossed(c.NewPassword) +
                   " tmppw=" + Crossed(c.TemporaryPassword);
        }

        // The rows every operation shares, in the contract's order; null when none matched.
        static ApiResult CommonRows(CustomerUserDetails c, ApiUser u)
        {
            if (u == null || u.Username != "api-user" || u.Password != "api-secret")
                return Result(ResultCode.LOGINERROR, "Invalid API credentials");
            if (c == null || string.IsNullOrEmpty(c.Email))
                return Result(ResultCode.PARAMETERERROR, "Email is required");
            if (c.Email == "missing@example.com")
                return Result(ResultCode.MISSINGRECORD, "Customer user not found");
            if (c.MFACode == "boom")
                throw new Exception("Simulated server failure (MFACode=boom)");
            if (c.MFACode == "slow")
                Thread.Sleep(5000);
            return null;
        }

        public static ApiResult ConfirmCustomerUserMFA(CustomerUserDetails c, ApiUser u)
        {
            ApiResult common = CommonRows(c, u);
            if (common != null) return common;
            if (c.MFACode == "slow" || c.MFACode == "123456")
                return Result(ResultCode.SUCCESS, "MFA confirmed for " + Who(c));
            return Result(ResultCode.OTHER, "Invalid MFA code");
        }

        public static ApiResult CustomerUserSendResetPassword(CustomerUserDetails c, ApiUser u)
        {
            ApiResult common = CommonRows(c, u);
            if (common != null) return common;
            return Result(ResultCode.SUCCESS, "Reset password sent to " + Who(c));
        }
    }

    [WebService(Namespace = "http://tempuri.org/")]
    [WebServiceBinding(ConformsTo = WsiProfiles.BasicProfile1_1)]
    public class BrightOfficeAPI : WebService
    {
        [WebMethod]
        public ApiResult ConfirmCustomerUserMFA(CustomerUserDetails CustomerInfo, ApiUser UserInfo)
        {
            return CustomerUserContract.ConfirmCustomerUserMFA(CustomerInfo, UserInfo);
        }

        [WebMethod]
        public ApiResult CustomerUserSendResetPassword(CustomerUserDetails CustomerInfo, ApiUser UserInfo)
        {
            return CustomerUserContract.CustomerUserSendResetPassword(CustomerInfo, UserInfo);
        }
    }
}
