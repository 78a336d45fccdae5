// A fake of Retell's REST API for the browser tests (no npm dependencies): the paths Slotline's
// client uses, `Authorization: Bearer <key>` checked against FAKE_RETELL_KEYS (comma-separated),
// one agent with a Retell LLM that already has two tools of its own, one phone number, and
// every custom tool an update sends checked against Retell's tool schema (docs/retell.md).
// Start: FAKE_RETELL_PORT=<port> FAKE_RETELL_KEYS=key_a,key_b node fake-retell.mjs
import http from "node:http";

const port = Number(process.env.FAKE_RETELL_PORT ?? 0);
const keys = (process.env.FAKE_RETELL_KEYS ?? "").split(",").filter(Boolean);

export const AGENT = "agent_e2e_connect";
export const LLM = "llm_e2e_connect";
export const NUMBER = "+493055500111";

const agents = {
  [AGENT]: {
    agent_id: AGENT,
    agent_name: "Praxis Empfang",
    channel: "voice",
    response_engine: { type: "retell-llm", llm_id: LLM, version: 0 },
    language: "de-DE",
  },
};
const llms = {
  [LLM]: {
    llm_id: LLM,
    model: "gpt-4.1",
    general_prompt: "Be nice.",
    general_tools: [
      { type: "end_call", name: "end_call", description: "End the call." },
      {
        type: "custom",
        name: "lookup_weather",
        url: "https://weather.example/x",
        description: "Weather.",
        parameters: { type: "object", properties: {} },
      },
    ],
  },
};
const numbers = [
  {
    phone_number: NUMBER,
    phone_number_type: "retell-twilio",
    nickname: "Praxis",
    inbound_agents: [{ agent_id: AGENT, weight: 1 }],
    last_modification_timestamp: 1,
  },
];

const TOOL_FIELDS = new Set([
  "type", "name", "url", "description", "parameters", "method", "headers", "query_params",
  "args_at_root", "timeout_ms", "max_retry", "speak_during_execution", "speak_after_execution",
  "execution_message_description", "response_variables",
]);

/** Every problem of one custom tool, by Retell's schema. */
function checkTool(t) {
  const p = [];
  const name = typeof t.name === "string" ? t.name : "";
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) p.push(`tool name ${JSON.stringify(name)} is not allowed`);
  for (const k of Object.keys(t)) if (!TOOL_FIELDS.has(k)) p.push(`${name}: unknown field ${k}`);
  try {
    const u = new URL(t.url);
    if (!["http:", "https:"].includes(u.protocol)) p.push(`${name}: url must be http(s)`);
  } catch {
    p.push(`${name}: url must be a URL`);
  }
  if (typeof t.description !== "string" || !t.description.trim()) p.push(`${name}: description is required`);
  const params = t.parameters;
  if (params !== undefined && (params?.type !== "object" || typeof params?.properties !== "object")) {
    p.push(`${name}: parameters must be an object schema with properties`);
  }
  if (t.method !== undefined && !["GET", "POST", "PUT", "PATCH", "DELETE"].includes(t.method)) {
    p.push(`${name}: method is not allowed`);
  }
  for (const k of ["headers", "query_params", "response_variables"]) {
    if (t[k] !== undefined && (typeof t[k] !== "object" || Object.values(t[k]).some((v) => typeof v !== "string"))) {
      p.push(`${name}: ${k} must map names to strings`);
    }
  }
  if (t.timeout_ms !== undefined && !(Number.isInteger(t.timeout_ms) && t.timeout_ms >= 1000 && t.timeout_ms <= 600000)) {
    p.push(`${name}: timeout_ms must be 1000-600000`);
  }
  if (t.max_retry !== undefined && !(Number.isInteger(t.max_retry) && t.max_retry >= 0 && t.max_retry <= 5)) {
    p.push(`${name}: max_retry must be 0-5`);
  }
  return p;
}

function send(res, status, body) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function readBody(req) {
  return new Promise((resolve) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => {
      try {
        resolve(JSON.parse(data || "{}"));
      } catch {
        resolve(null);
      }
    });
  });
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, "http://fake");
  const path = url.pathname;
  if (path === "/__health") return send(res, 200, { ok: true });
  const auth = req.headers.authorization ?? "";
  const key = auth.startsWith("Bearer ") ? auth.slice(7) : "";
  if (!keys.includes(key)) return send(res, 401, { error_message: "Invalid API key" });
  const [, route, id] = path.split("/");
  if (req.method === "GET" && route === "list-agents") return send(res, 200, Object.values(agents));
  if (req.method === "GET" && route === "list-phone-numbers") return send(res, 200, numbers);
  if (req.method === "GET" && route === "get-agent") {
    return agents[id] ? send(res, 200, agents[id]) : send(res, 404, { error_message: "Agent not found" });
  }
  if (req.method === "GET" && route === "get-retell-llm") {
    return llms[id] ? send(res, 200, llms[id]) : send(res, 404, { error_message: "LLM not found" });
  }
  if (req.method === "PATCH" && route === "update-agent") {
    const body = await readBody(req);
    if (!agents[id]) return send(res, 404, { error_message: "Agent not found" });
    if (!body || typeof body !== "object") return send(res, 400, { error_message: "body must be JSON" });
    Object.assign(agents[id], body);
    return send(res, 200, agents[id]);
  }
  if (req.method === "PATCH" && route === "update-retell-llm") {
    const body = await readBody(req);
    if (!llms[id]) return send(res, 404, { error_message: "LLM not found" });
    if (!body || typeof body !== "object") return send(res, 400, { error_message: "body must be JSON" });
    const problems = (body.general_tools ?? []).filter((t) => t.type === "custom").flatMap(checkTool);
    if (problems.length) return send(res, 400, { error_message: problems.join("; ") });
    Object.assign(llms[id], body);
    return send(res, 200, llms[id]);
  }
  send(res, 404, { error_message: `no route ${req.method} ${path}` });
});

server.listen(port, "127.0.0.1", () => {
  console.log(`fake Retell listening on http://127.0.0.1:${server.address().port}`);
});
