// The conformance CLI cannot send an Authorization header, and Slotline's /mcp refuses every
// request without an API token. This loopback proxy adds `Authorization: Bearer $TOKEN` to
// each request and passes everything else (Origin included) through unchanged.
import http from "node:http";

const target = new URL(process.env.TARGET);
const token = process.env.TOKEN;
http
  .createServer((req, res) => {
    const headers = { ...req.headers, host: target.host, authorization: `Bearer ${token}` };
    const upstream = http.request(
      { hostname: target.hostname, port: target.port, path: req.url, method: req.method, headers },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    upstream.on("error", (e) => {
      res.writeHead(502, { "content-type": "text/plain" });
      res.end(`proxy: ${e.message}`);
    });
    req.pipe(upstream);
  })
  .listen(Number(process.env.PORT), "127.0.0.1");
