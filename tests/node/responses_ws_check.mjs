// The Node SDK's ResponsesWS (the `ws` package) against the live mock: a response.create in a stream_id lane,
// its text deltas and response.completed, then a refused create as an `error` event on the same socket.
import OpenAI from "openai";
import { ResponsesWS } from "openai/resources/responses/ws";

const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY, baseURL: process.env.OPENAI_BASE_URL });
const ws = new ResponsesWS(client);
const next = (type) => new Promise((resolve) => ws.once(type, resolve));
let deltas = 0;
ws.on("response.output_text.delta", () => { deltas += 1; });

const completed = next("response.completed");
ws.send({ type: "response.create", model: "gpt-4o-mini", input: "Hello from Node.", stream_id: "node-lane" });
const done = await completed;
const refused = next("error");
ws.send({ type: "response.create", model: "no-such-model", input: "Hello?" });
const error = (await refused).error;  // the SDK's error wraps the event it received
ws.close({ code: 1000, reason: "done" });
console.log(JSON.stringify({ deltas, status: done.response.status, lane: done.stream_id,
                             text: done.response.output[0].content[0].text, error }));
