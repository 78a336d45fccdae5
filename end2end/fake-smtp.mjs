// A local SMTP sink for the browser tests (no npm dependencies): it speaks just enough SMTP
// (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), accepts every message and logs one line per
// message (recipients and subject), so notifications.spec.ts sees its confirmation go out.
// Start: FAKE_SMTP_PORT=<port> node fake-smtp.mjs
import net from "node:net";

const port = Number(process.env.FAKE_SMTP_PORT ?? 0);
let accepted = 0;

const server = net.createServer((socket) => {
  socket.setEncoding("utf8");
  let buffer = "";
  let inData = false;
  let data = "";
  let rcpt = [];
  const reply = (line) => socket.write(line + "\r\n");
  reply("220 fake-smtp ESMTP ready");
  socket.on("data", (chunk) => {
    buffer += chunk;
    let end;
    while ((end = buffer.indexOf("\r\n")) >= 0) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (inData) {
        if (line === ".") {
          inData = false;
          accepted += 1;
          const subject = (data.match(/^Subject: (.*)$/m) ?? [])[1] ?? "";
          console.log(`message ${accepted} to ${rcpt.join(",")}: ${subject}`);
          data = "";
          reply("250 queued");
        } else {
          data += (line.startsWith(".") ? line.slice(1) : line) + "\n";
        }
        continue;
      }
      const upper = line.toUpperCase();
      if (upper.startsWith("EHLO")) {
        socket.write("250-fake-smtp\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n");
      } else if (upper.startsWith("HELO") || upper.startsWith("NOOP")) {
        reply("250 ok");
      } else if (upper.startsWith("MAIL FROM") || upper.startsWith("RSET")) {
        rcpt = [];
        reply("250 ok");
      } else if (upper.startsWith("RCPT TO")) {
        rcpt.push(line.slice(8).trim());
        reply("250 ok");
      } else if (upper === "DATA") {
        inData = true;
        reply("354 go ahead");
      } else if (upper === "QUIT") {
        reply("221 bye");
        socket.end();
      } else {
        reply("502 not implemented");
      }
    }
  });
  socket.on("error", () => {});
});

server.listen(port, "127.0.0.1", () => {
  console.log(`fake SMTP listening on ${server.address().port}`);
});
