// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// A real ASP.NET ASMX service (System.Web.Services on Mono) that answers ConfirmCustomerUserMFA
// by the project's test contract (shared/reference/test-contract.md), so that brightoffice-cpp
// can be checked against an independent SOAP stack and against a WSDL that ASMX writes itself.
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

    [WebService(Namespace = "http://tempuri.org/")]
    [WebServiceBinding(ConformsTo = WsiProfiles.BasicProfile1_1)]
    public class BrightOfficeAPI : WebService
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

        [WebMethod]
        public ApiResult ConfirmCustomerUserMFA(CustomerUserDetails CustomerInfo, ApiUser UserInfo)
        {
            if (UserInfo == null || UserInfo.Username != "api-user" || UserInfo.Password != "api-secret")
                return Result(ResultCode.LOGINERROR, "Invalid API credentials");
            if (CustomerInfo == null || string.IsNullOrEmpty(CustomerInfo.Email))
                return Result(ResultCode.PARAMETERERROR, "Email is required");
            if (CustomerInfo.Email == "missing@example.com")
                return Result(ResultCode.MISSINGRECORD, "Customer user not found");
            if (CustomerInfo.MFACode == "boom")
                throw new Exception("Simulated server failure (MFACode=boom)");
            if (CustomerInfo.MFACode == "slow")
                Thread.Sleep(5000);
            if (CustomerInfo.MFACode == "slow" || CustomerInfo.MFACode == "123456")
                return Result(ResultCode.SUCCESS,
                              "MFA confirmed for " + CustomerInfo.Email + " (" + CustomerInfo.Id.ToString("D") +
                              ") newpw=" + Crossed(CustomerInfo.NewPassword) +
                              " tmppw=" + Crossed(CustomerInfo.TemporaryPassword));
            return Result(ResultCode.OTHER, "Invalid MFA code");
        }
    }
}
