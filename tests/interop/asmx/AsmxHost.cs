// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// A minimal web server for an ASP.NET application on Mono, for tests.
//
// Debian 12's mono-xsp4 crashes at start on Mono 6.8, so this console host does the job:
// ApplicationHost.CreateApplicationHost makes the ASP.NET application domain, an HttpListener
// inside that domain accepts connections on 127.0.0.1, and each request goes to
// HttpRuntime.ProcessRequest through a HttpWorkerRequest subclass that forwards the verb,
// path, headers and the whole body, and buffers the answer (status, headers, body) to send it
// back with a Content-Length.
//
//   mono BrightOfficeAsmxHost.exe PORT APPDIR      (PORT 0: pick a free port)
//
// Prints "listening on http://127.0.0.1:PORT/Webservices/BrightOfficeAPI.asmx" once the
// service has answered its own ?WSDL (so the ASP.NET application is compiled and warm).
// This assembly must sit in APPDIR/bin so that the application domain can load it.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Web;
using System.Web.Hosting;

namespace BrightOfficeInterop
{
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length != 2)
            {
                Console.Error.WriteLine("usage: BrightOfficeAsmxHost.exe PORT APPDIR");
                return 2;
            }
            int port = int.Parse(args[0], CultureInfo.InvariantCulture);
            string appDir = Path.GetFullPath(args[1]);
            if (!appDir.EndsWith("/")) appDir += "/";
            var host = (AppHost)ApplicationHost.CreateApplicationHost(typeof(AppHost), "/", appDir);

            int bound = -1;
            for (int attempt = 0; attempt < 20 && bound < 0; attempt++)
            {
                int candidate = port;
                if (candidate == 0)
                {
                    var probe = new TcpListener(IPAddress.Loopback, 0);
                    probe.Start();
                    candidate = ((IPEndPoint)probe.LocalEndpoint).Port;
                    probe.Stop();
                }
                string error = host.Start(candidate);
                if (error == null) bound = candidate;
                else if (port != 0)
                {
                    Console.Error.WriteLine("cannot listen on 127.0.0.1:" + candidate + ": " + error);
                    return 1;
                }
            }
            if (bound < 0)
            {
                Console.Error.WriteLine("cannot find a free port on 127.0.0.1");
                return 1;
            }
            string endpoint = "http://127.0.0.1:" + bound + "/Webservices/BrightOfficeAPI.asmx";
            // Warm up: the first request compiles the application; answer ?WSDL before saying ready.
            string wsdl;
            try
            {
                using (var web = new WebClient())
                {
                    web.Proxy = null;
                    wsdl = web.DownloadString(endpoint + "?WSDL");
                }
            }
            catch (WebException e)
            {
                string text = "";
                if (e.Response != null)
                    using (var reader = new StreamReader(e.Response.GetResponseStream())) text = reader.ReadToEnd();
                if (text.Length > 20000) text = text.Substring(0, 20000);
                Console.Error.WriteLine("GET " + endpoint + "?WSDL failed: " + e.Message + "\n" + text);
                return 1;
            }
            if (wsdl.IndexOf("ConfirmCustomerUserMFA", StringComparison.Ordinal) < 0)
            {
                Console.Error.WriteLine("the service's WSDL does not name ConfirmCustomerUserMFA:\n" + wsdl);
                return 1;
            }
            Console.WriteLine("listening on " + endpoint);
            Console.Out.Flush();
            Thread.Sleep(Timeout.Infinite);
            return 0;
        }
    }

    // Lives in the ASP.NET application domain.
    public class AppHost : MarshalByRefObject
    {
        HttpListener listener;

        public override object InitializeLifetimeService() { return null; }  // never expire

        public string Start(int port)
        {
            var l = new HttpListener();
            l.Prefixes.Add("http://127.0.0.1:" + port + "/");
            try
            {
                l.Start();
            }
            catch (Exception e)
            {
                try { l.Close(); } catch (Exception) { }
                return e.Message;
            }
            listener = l;
            var t = new Thread(AcceptLoop) { IsBackground = true, Name = "accept" };
            t.Start();
            return null;
        }

        void AcceptLoop()
        {
            while (true)
            {
                HttpListenerContext ctx;
                try { ctx = listener.GetContext(); }
                catch (Exception) { return; }
                ThreadPool.QueueUserWorkItem(_ => Serve(ctx));
            }
        }

        static void Serve(HttpListenerContext ctx)
        {
            try
            {
                byte[] body;
                using (var buffer = new MemoryStream())
                {
                    ctx.Request.InputStream.CopyTo(buffer);
                    body = buffer.ToArray();
                }
                var wr = new WorkerRequest(ctx, body);
                HttpRuntime.ProcessRequest(wr);
                if (!wr.Done.WaitOne(TimeSpan.FromSeconds(120)))
                    throw new TimeoutException("ASP.NET did not finish the request in 120 s");
                wr.WriteResponse();
            }
            catch (Exception e)
            {
                Console.Error.WriteLine("asmx host: " + e);
                try { ctx.Response.StatusCode = 500; ctx.Response.Close(); } catch (Exception) { }
            }
        }
    }

    public class WorkerRequest : HttpWorkerRequest
    {
        readonly HttpListenerContext ctx;
        readonly byte[] body;
        readonly string path;
        readonly string query;
        int status = 200;
        string statusDescription = "OK";
        bool statusSent;
        bool closeConnection;
        readonly List<KeyValuePair<string, string>> headers = new List<KeyValuePair<string, string>>();
        readonly MemoryStream output = new MemoryStream();
        public readonly ManualResetEvent Done = new ManualResetEvent(false);

        public WorkerRequest(HttpListenerContext ctx, byte[] body)
        {
            this.ctx = ctx;
            this.body = body;
            string raw = ctx.Request.RawUrl;
            int q = raw.IndexOf('?');
            path = q < 0 ? raw : raw.Substring(0, q);
            query = q < 0 ? "" : raw.Substring(q + 1);
        }

        public void WriteResponse()
        {
            HttpListenerResponse r = ctx.Response;
            r.StatusCode = status;
            r.StatusDescription = statusDescription;
            foreach (var h in headers)
            {
                string n = h.Key;
                if (string.Equals(n, "Content-Length", StringComparison.OrdinalIgnoreCase) ||
                    string.Equals(n, "Transfer-Encoding", StringComparison.OrdinalIgnoreCase) ||
                    string.Equals(n, "Connection", StringComparison.OrdinalIgnoreCase) ||
                    string.Equals(n, "Keep-Alive", StringComparison.OrdinalIgnoreCase) ||
                    string.Equals(n, "Server", StringComparison.OrdinalIgnoreCase) ||
                    string.Equals(n, "Date", StringComparison.OrdinalIgnoreCase))
                    continue;
                if (string.Equals(n, "Content-Type", StringComparison.OrdinalIgnoreCase)) r.ContentType = h.Value;
                else r.AppendHeader(n, h.Value);
            }
            if (closeConnection) r.KeepAlive = false;
            byte[] bytes = output.ToArray();
            // Mono's listener answers a chunked request with a chunked response unless told
            // otherwise; ASMX on IIS sends the buffered answer with a Content-Length.
            r.SendChunked = false;
            r.ContentLength64 = bytes.Length;
            r.OutputStream.Write(bytes, 0, bytes.Length);
            r.Close();
        }

        // --- request -----------------------------------------------------------------------
        public override string GetUriPath() { return path; }
        public override string GetQueryString() { return query; }
        public override byte[] GetQueryStringRawBytes() { return Encoding.UTF8.GetBytes(query); }
        public override string GetRawUrl() { return ctx.Request.RawUrl; }
        public override string GetHttpVerbName() { return ctx.Request.HttpMethod; }
        public override string GetHttpVersion() { return "HTTP/" + ctx.Request.ProtocolVersion; }
        public override string GetProtocol() { return "http"; }
        public override string GetRemoteAddress() { return ctx.Request.RemoteEndPoint.Address.ToString(); }
        public override int GetRemotePort() { return ctx.Request.RemoteEndPoint.Port; }
        public override string GetLocalAddress() { return ctx.Request.LocalEndPoint.Address.ToString(); }
        public override int GetLocalPort() { return ctx.Request.LocalEndPoint.Port; }
        public override string GetServerName() { return ctx.Request.Url.Host; }
        public override bool IsSecure() { return false; }

        public override string GetAppPath() { return HttpRuntime.AppDomainAppVirtualPath; }
        public override string GetAppPathTranslated() { return HttpRuntime.AppDomainAppPath; }
        public override string GetFilePath() { return path; }
        public override string GetFilePathTranslated() { return MapPath(path); }
        public override string GetPathInfo() { return ""; }
        public override string MapPath(string virtualPath)
        {
            string rel = virtualPath ?? "/";
            string app = HttpRuntime.AppDomainAppVirtualPath ?? "/";
            if (rel.StartsWith(app, StringComparison.Ordinal)) rel = rel.Substring(app.Length);
            rel = rel.TrimStart('/');
            return Path.Combine(HttpRuntime.AppDomainAppPath, rel);
        }

        public override string GetKnownRequestHeader(int index)
        {
            string name = GetKnownRequestHeaderName(index);
            // The whole body is already read: report its real length (also for chunked requests).
            if (index == HeaderContentLength) return body.Length.ToString(CultureInfo.InvariantCulture);
            if (index == HeaderTransferEncoding) return null;
            return ctx.Request.Headers[name];
        }

        public override string GetUnknownRequestHeader(string name) { return ctx.Request.Headers[name]; }

        public override string[][] GetUnknownRequestHeaders()
        {
            var list = new List<string[]>();
            foreach (string name in ctx.Request.Headers.AllKeys)
            {
                if (GetKnownRequestHeaderIndex(name) >= 0) continue;
                list.Add(new[] { name, ctx.Request.Headers[name] });
            }
            return list.ToArray();
        }

        public override string GetServerVariable(string name)
        {
            switch (name)
            {
                case "SERVER_SOFTWARE": return "BrightOfficeAsmxHost";
                case "HTTPS": return "off";
                default: return null;
            }
        }

        public override byte[] GetPreloadedEntityBody() { return body; }
        public override int GetPreloadedEntityBodyLength() { return body.Length; }
        public override int GetTotalEntityBodyLength() { return body.Length; }
        public override bool IsEntireEntityBodyIsPreloaded() { return true; }
        public override int ReadEntityBody(byte[] buffer, int size) { return 0; }
        public override int ReadEntityBody(byte[] buffer, int offset, int size) { return 0; }

        // --- response ----------------------------------------------------------------------
        public override void SendStatus(int statusCode, string description)
        {
            status = statusCode;
            statusDescription = description;
            statusSent = true;
        }
        public override void SendKnownResponseHeader(int index, string value)
        {
            headers.Add(new KeyValuePair<string, string>(GetKnownResponseHeaderName(index), value));
        }
        public override void SendUnknownResponseHeader(string name, string value)
        {
            headers.Add(new KeyValuePair<string, string>(name, value));
        }
        public override void SendResponseFromMemory(byte[] data, int length) { output.Write(data, 0, length); }
        public override void SendResponseFromFile(string filename, long offset, long length)
        {
            using (var f = File.OpenRead(filename)) SendFromStream(f, offset, length);
        }
        public override void SendResponseFromFile(IntPtr handle, long offset, long length)
        {
            throw new NotSupportedException("SendResponseFromFile(handle)");
        }
        void SendFromStream(Stream s, long offset, long length)
        {
            s.Seek(offset, SeekOrigin.Begin);
            var buf = new byte[8192];
            long left = length < 0 ? long.MaxValue : length;
            int n;
            while (left > 0 && (n = s.Read(buf, 0, (int)Math.Min(buf.Length, left))) > 0)
            {
                output.Write(buf, 0, n);
                left -= n;
            }
        }
        public override void FlushResponse(bool finalFlush) { }
        public override void EndOfRequest() { Done.Set(); }
        // Mono calls this without EndOfRequest when the application fails to start (and writes
        // its error page without a status): the request is over then too.
        public override void CloseConnection()
        {
            closeConnection = true;
            if (!statusSent)
            {
                status = 500;
                statusDescription = "Internal Server Error";
            }
            Done.Set();
        }
        public override bool IsClientConnected() { return true; }
        public override bool HeadersSent() { return false; }
    }
}
