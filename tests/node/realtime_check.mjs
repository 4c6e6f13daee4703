// The Node `openai` SDK's Realtime WebSocket clients against OPENAI_BASE_URL: a text turn, then a function-call
// round trip (function_call_output, then a second response.create). Usage: node realtime_check.mjs websocket|ws
//   websocket: OpenAIRealtimeWebSocket over the global WebSocket (Node >= 22, or Node 20/21 with --experimental-websocket);
//              the key goes in the subprotocol `openai-insecure-api-key.<key>`.
//   ws:        OpenAIRealtimeWS over the `ws` package; the key goes in the Authorization header.
// The SDK always dials wss:// (buildRealtimeURL sets url.protocol = 'wss', openai-node src/realtime/internal-base.ts),
// and the mock serves plain ws://: OpenAIRealtimeWebSocket takes an onURL callback run before it dials, and `ws`
// takes a createConnection option that opens a plain TCP socket for the wss:// URL.
//   wss:       OpenAIRealtimeWebSocket against the mock served over TLS (openai-node 7.x refuses ws:// URLs).
// Prints one JSON line, `RESULT {...}`, that the Python test asserts on; exits non-zero on a failure or a timeout.
import net from "node:net";
import OpenAI from "openai";

const transport = process.argv[2];
const client = new OpenAI();
const MODEL = "gpt-realtime";
const WEATHER = {
  type: "function", name: "get_weather", description: "Get the current weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

async function open() {
  if (transport === "websocket") {
    const { OpenAIRealtimeWebSocket } = await import("openai/realtime/websocket");
    return new OpenAIRealtimeWebSocket({ model: MODEL, onURL: (url) => { url.protocol = "ws"; } }, client);
  }
  if (transport === "wss") {  // the mock over TLS: the SDK's own wss:// URL, untouched
    const { OpenAIRealtimeWebSocket } = await import("openai/realtime/websocket");
    return new OpenAIRealtimeWebSocket({ model: MODEL }, client);
  }
  if (transport === "ws") {
    const { OpenAIRealtimeWS } = await import("openai/realtime/ws");
    const plain = (options) => net.connect({ host: options.host, port: options.port });
    return new OpenAIRealtimeWS({ model: MODEL, options: { createConnection: plain } }, client);
  }
  throw new Error(`unknown transport ${transport}: use websocket or ws`);
}

// Every server event the SDK emits, in order; `until(type)` hands back the events up to the first of that type.
function inbox(rt) {
  const pending = [];
  const errors = [];
  let wake = null;
  rt.on("event", (event) => { pending.push(event); wake?.(); });
  rt.on("error", (error) => { errors.push(error.message); });  // error events arrive on "event" too
  async function until(type, timeoutMs = 15000) {
    const taken = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (pending.length) {
        const event = pending.shift();
        taken.push(event);
        if (event.type === type) return taken;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${type}; got ${taken.map((e) => e.type).join(",")}`);
      let timer;
      await new Promise((resolve) => { wake = resolve; timer = setTimeout(resolve, left); });
      clearTimeout(timer);  // a pending timer would keep Node alive after the last event
      wake = null;
    }
  }
  return { until, errors };
}

function say(rt, text) {
  rt.send({ type: "conversation.item.create", item: { type: "message", role: "user", content: [{ type: "input_text", text }] } });
}

function closed(rt) {
  return new Promise((resolve) => {
    if (transport === "ws") rt.socket.on("close", (code) => resolve(code));
    else rt.socket.addEventListener("close", (event) => resolve(event.code));
    rt.close({ code: 1000, reason: "done" });
  });
}

const rt = await open();
const events = inbox(rt);
const created = (await events.until("session.created")).at(-1);

rt.send({ type: "session.update", session: { type: "realtime", output_modalities: ["text"], instructions: "Answer briefly.", tools: [WEATHER] } });
const updated = (await events.until("session.updated")).at(-1);

// The text flow: a user message, response.create, the output_text deltas until response.done.
say(rt, "My name is Alice and I work as a pilot.");
const added = await events.until("conversation.item.done");
rt.send({ type: "response.create" });
const text = await events.until("response.done");

// The function-call flow: the model calls get_weather; the client answers with a function_call_output item,
// then asks for the next response.
say(rt, "What's the weather in Paris?");
await events.until("conversation.item.done");
rt.send({ type: "response.create" });
const call = await events.until("response.done");
const argsDone = call.find((e) => e.type === "response.function_call_arguments.done");
if (!argsDone) throw new Error(`no function call: ${call.map((e) => e.type).join(",")}`);
rt.send({ type: "conversation.item.create", item: { type: "function_call_output", call_id: argsDone.call_id, output: '{"temp_c": 21}' } });
const output = await events.until("conversation.item.done");
rt.send({ type: "response.create" });
const answer = await events.until("response.done");

const closeCode = await closed(rt);
const types = (list) => list.map((e) => e.type);
console.log("RESULT " + JSON.stringify({
  transport, url: rt.url.toString(), closeCode, errors: events.errors,
  session: { created: created.session, updated: updated.session },
  added: types(added),
  text: { types: types(text), deltas: text.filter((e) => e.type === "response.output_text.delta").map((e) => e.delta),
          done: text.find((e) => e.type === "response.output_text.done")?.text, response: text.at(-1).response },
  call: { types: types(call), deltas: call.filter((e) => e.type === "response.function_call_arguments.delta").map((e) => e.delta),
          done: argsDone, response: call.at(-1).response },
  output: types(output),
  answer: { types: types(answer), response: answer.at(-1).response },
}));
