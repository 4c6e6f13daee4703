// A short run of the Node `openai` SDK against OPENAI_BASE_URL: chat, a streaming chat with tools,
// and a retry after a 429 (the Python test queues it for the message "please retry me").
// Prints one line per check and exits non-zero on the first failure.
import OpenAI from "openai";

const client = new OpenAI({ maxRetries: 2 });
const TOOL = {
  type: "function",
  function: {
    name: "get_weather", description: "Weather for a location",
    parameters: { type: "object", properties: { location: { type: "string" } }, required: ["location"] },
  },
};

function check(name, ok, detail = "") {
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${detail ? ": " + detail : ""}`);
  if (!ok) process.exit(1);
}

const chat = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "Hello" }] });
check("chat", Boolean(chat.choices[0].message.content) && chat.usage.total_tokens > 0);

const stream = await client.chat.completions.create({
  model: "gpt-4o", stream: true, tools: [TOOL],
  messages: [{ role: "user", content: "What's the weather in London and Paris?" }],
});
const calls = [];
let chunks = 0;
let finish = null;
for await (const chunk of stream) {
  chunks += 1;
  for (const choice of chunk.choices) {
    for (const delta of choice.delta.tool_calls ?? []) {
      calls[delta.index] ??= { name: "", arguments: "" };
      if (delta.function?.name) calls[delta.index].name += delta.function.name;
      if (delta.function?.arguments) calls[delta.index].arguments += delta.function.arguments;
    }
    finish = choice.finish_reason ?? finish;
  }
}
const locations = calls.map((c) => JSON.parse(c.arguments).location);
check("streaming chat with tools", chunks > 2 && finish === "tool_calls" && calls.every((c) => c.name === "get_weather")
  && JSON.stringify(locations) === JSON.stringify(["London", "Paris"]), JSON.stringify({ chunks, finish, locations }));

const { data, response } = await client.chat.completions
  .create({ model: "gpt-4o", messages: [{ role: "user", content: "please retry me" }] })
  .withResponse();
check("retry after 429", response.status === 200 && Boolean(data.choices[0].message.content));
console.log("node openai all ok");
