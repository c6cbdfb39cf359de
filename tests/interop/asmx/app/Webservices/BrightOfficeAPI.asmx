<%@ WebService Language="C#" Class="BrightOfficeInterop.BrightOfficeAPI, BrightOfficeInterop" %>
